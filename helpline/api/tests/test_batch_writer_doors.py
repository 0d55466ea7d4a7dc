"""The API's ticket openings go through the batch writer (``core.sqlite.batching``) when one runs: a real
``manage.py run_batch_writer`` on this test's database opens them, and the doors answer as they do
without it. On PostgreSQL there is no writer: the command refuses and the doors open tickets themselves."""

import json
import subprocess
import sys

import pytest
from django.db import connection

from helpline.api.tests.conftest import bearer
from helpline.testsupport.other_process import production_env
from helpline.tickets.models import Source, Ticket

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def writer(tmp_path):
    process = subprocess.Popen(  # noqa: S603 - our own interpreter and manage.py
        [sys.executable, "manage.py", "run_batch_writer"],
        env=production_env(tmp_path, HUEY_IMMEDIATE="0", EMAIL_URL=f"file://{tmp_path / 'mail'}"),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    yield process
    if process.poll() is None:
        process.terminate()
    process.wait(timeout=30)


def started(process: subprocess.Popen) -> str:
    line = process.stdout.readline()
    assert "listening" in line, line + process.stderr.read()
    return line


def stopped(process: subprocess.Popen) -> str:
    process.terminate()
    out, err = process.communicate(timeout=30)
    assert process.returncode == 0, err
    return out


def open_both(client, key: str, support) -> list[Ticket]:
    v1 = client.post(
        "/api/v1/tickets",
        {
            "requester": {"email": "walter@example.test", "name": "Walter"},
            "subject": "Disk full",
            "body": "/var is full on db1.",
            "department_id": support.pk,
        },
        content_type="application/json",
        headers=bearer(key),
    )
    assert v1.status_code == 201, v1.content
    assert v1.json()["department"] == {"id": support.pk, "name": "Support"}
    osticket = client.post(
        "/api/tickets.json",
        json.dumps({"name": "Ann", "email": "ann@example.test", "subject": "Printer", "message": "Error 41"}),
        content_type="application/json",
        headers={"X-API-Key": key},
    )
    assert osticket.status_code == 201, osticket.content
    assert osticket["Content-Type"].startswith("text/plain")
    return [
        Ticket.objects.get(number=v1.json()["number"]),
        Ticket.objects.get(number=osticket.content.decode()),
    ]


def test_the_api_doors_open_tickets_through_the_batch_writer(client, key_of, writer, support, support_topic):
    key = key_of("tickets:create")
    if connection.vendor != "sqlite":
        out, err = writer.communicate(timeout=60)
        assert writer.returncode != 0
        assert "The batch writer is for SQLite" in err
        opened = open_both(client, key, support)  # each door writes on its own
    else:
        started(writer)
        opened = open_both(client, key, support)
        assert "2 calls in 2 lots, 0 handed back" in stopped(writer)
    assert [(t.subject, t.source, t.requester.email) for t in opened] == [
        ("Disk full", Source.API, "walter@example.test"),
        ("Printer", Source.API, "ann@example.test"),
    ]
    assert all(t.entries.filter(kind="message").count() == 1 for t in opened)


def test_without_the_writer_the_doors_open_tickets_themselves(client, key_of, support, support_topic):
    opened = open_both(client, key_of("tickets:create"), support)
    assert len({t.pk for t in opened}) == 2
