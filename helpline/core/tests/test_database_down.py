"""With the database down every page answers 503 "try again in a moment" (a page that needs no database),
and the same pages work again as soon as it is back. Other errors keep their 500."""

import logging

import pytest
from django.db import OperationalError, ProgrammingError
from django.test import Client

from helpline.core.tests.helpers import database_unreachable, failing_queries
from helpline.tickets.access import access_token

PORTAL_HOME = "/portal/"
STAFF_QUEUE = "/staff/queues/open/"


def assert_unavailable(response) -> None:
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert response["Cache-Control"] == "no-store"
    page = response.content.decode()
    assert "temporarily unavailable" in page and "try again in a moment" in page


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_pages_answer_503_while_the_database_is_down_and_work_again_after(
    tmp_path, sam, ticket, rita, caplog
):
    portal = Client(raise_request_exception=False)
    staff = Client(raise_request_exception=False)
    staff.force_login(sam.user)
    token_page = f"/portal/t/{access_token(ticket, rita)}/"
    pages = [(portal, PORTAL_HOME), (portal, token_page), (staff, STAFF_QUEUE)]

    with database_unreachable(tmp_path):
        assert portal.get("/health").status_code == 503
        caplog.clear()
        with caplog.at_level(logging.INFO):
            for client, url in pages:
                assert_unavailable(client.get(url))

    logged = [record for record in caplog.records if record.levelno >= logging.WARNING]
    assert len(logged) == len(pages), [record.getMessage() for record in logged]
    assert all(record.exc_info is None and "Database unavailable" in record.getMessage() for record in logged)
    for client, url in pages:
        assert client.get(url).status_code == 200, url
    assert portal.get("/health").status_code == 200


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_form_posted_while_the_database_is_down_answers_503(tmp_path, sam):
    staff = Client(raise_request_exception=False)
    staff.force_login(sam.user)

    with database_unreachable(tmp_path):
        response = staff.post("/staff/tickets/new/", {"subject": "x"})
        signed_out = Client(raise_request_exception=False).post(
            "/staff/login/", {"username": "sam", "password": "correct horse battery"}
        )

    assert_unavailable(response)
    assert_unavailable(signed_out)


def test_a_lost_connection_mid_page_answers_503(client, support_topic):
    client.raise_request_exception = False

    with failing_queries(OperationalError("server closed the connection unexpectedly")):
        response = client.get(PORTAL_HOME)

    assert_unavailable(response)


def test_a_failure_inside_a_middleware_answers_503_too(client, sam):
    """Signing in saves the session in the session middleware, after the view. Django never hands an
    exception raised there to an outer middleware: it answers it through an error handler (here handler400,
    as the session middleware turns the failed save into "session interrupted")."""
    client.raise_request_exception = False

    with failing_queries(OperationalError("database is locked"), starting='UPDATE "django_session"'):
        response = client.post("/staff/login/", {"username": "sam", "password": "correct horse battery"})

    assert_unavailable(response)


def test_a_fault_in_the_code_still_answers_500(client, support_topic):
    client.raise_request_exception = False

    with failing_queries(ProgrammingError('relation "routing_helptopic" does not exist')):
        response = client.get(PORTAL_HOME)

    assert response.status_code == 500
    assert "Retry-After" not in response
    assert "Something went wrong" in response.content.decode()


def test_the_error_page_has_a_plain_fallback_when_its_template_cannot_render(
    client, settings, caplog, ticket, rita
):
    """Say the static files were never collected: the page's template fails, the answer must not."""
    client.raise_request_exception = False
    manifest = "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"
    settings.STORAGES = settings.STORAGES | {"staticfiles": {"BACKEND": manifest}}
    settings.STATIC_ROOT = settings.MEDIA_ROOT / "no-static-here"

    with failing_queries(OperationalError("the database system is starting up")):
        response = client.get(f"/portal/t/{access_token(ticket, rita)}/")  # reads the database first

    assert response.status_code == 503 and response["Retry-After"] == "30"
    assert "Please try again later." in response.content.decode()
    assert "Could not render the error page core/unavailable.html" in caplog.text
