"""The health endpoint that load balancers and monitors poll."""

from django.db import DatabaseError
from django.db.backends.utils import CursorWrapper


def test_health_answers_200_with_json_when_the_database_answers(client, db):
    response = client.get("/health")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"status": "ok", "database": "up"}
    assert "no-cache" in response["Cache-Control"]


def test_health_answers_503_when_the_database_fails(client, db, monkeypatch):
    def broken(self, sql, params=None):
        raise DatabaseError("connection lost")

    with monkeypatch.context() as patch:
        patch.setattr(CursorWrapper, "execute", broken)
        response = client.get("/health")
    assert response.status_code == 503
    assert response.json() == {"status": "unavailable", "database": "down"}


def test_health_accepts_only_get(client, db):
    assert client.post("/health").status_code == 405
