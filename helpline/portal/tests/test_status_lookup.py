"""'Check a ticket's status': a requester who lost the email gets their access link again, at their own
address only; the page answers alike for every address and number, and is rate-limited per address."""

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext

from helpline.mail.models import OutboundEmail
from helpline.testsupport.factories import RequesterFactory
from helpline.tickets.access import access_url

STATUS = "/portal/status/"
SENT = "/portal/status/sent/"


@pytest.fixture
def ask(db, client, django_capture_on_commit_callbacks):
    """Ask for the link as a visitor would, running the queued work; returns the page and the new emails."""

    def _ask(email: str, number: str, **extra):
        before = len(mail.outbox)
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(STATUS, {"email": email, "number": number}, **extra)
        return response, mail.outbox[before:]

    return _ask


def test_the_portal_home_links_to_the_status_page(client, support_topic):
    home = client.get("/portal/").content.decode()
    page = client.get(STATUS)

    assert home.count(f'href="{STATUS}"') == 2  # in the navigation and beside the form
    assert page.status_code == 200
    assert 'id="id_email"' in page.content.decode() and 'id="id_number"' in page.content.decode()


def test_the_requester_gets_their_own_link_by_email(ask, ticket, rita):
    response, mails = ask("rita@example.test", ticket.number)

    assert response.status_code == 302 and response["Location"] == SENT
    [mail] = mails
    assert mail.to == ["rita@example.test"]
    assert f"[#{ticket.number}]" in mail.subject
    assert access_url(ticket, rita) in mail.body
    assert not mail.alternatives  # plain text only
    assert OutboundEmail.objects.get(reason="access_link").ticket_id == ticket.pk


def test_a_collaborator_gets_their_own_link(ask, shared_ticket, colin):
    _, mails = ask("Colin@Example.test", f"#{shared_ticket.number}")

    [mail] = mails
    assert mail.to == ["colin@example.test"]
    assert access_url(shared_ticket, colin) in mail.body


def test_nobody_else_gets_a_link(ask, ticket, shared_ticket):
    RequesterFactory(email="stranger@example.test")

    for email, number in [
        ("stranger@example.test", ticket.number),  # a requester, but not on this ticket
        ("nobody@example.test", ticket.number),  # no such requester
        ("colin@example.test", ticket.number),  # on another ticket only
        ("rita@example.test", "99999999"),  # no such ticket
    ]:
        _, mails = ask(email, number)
        assert mails == [], (email, number)
    assert not OutboundEmail.objects.filter(reason="access_link").exists()


def test_the_answer_is_the_same_whether_or_not_the_pair_matches(
    client, ticket, django_capture_on_commit_callbacks
):
    answers = []
    for email, number in [("rita@example.test", ticket.number), ("nobody@example.test", "99999999")]:
        with CaptureQueriesContext(connection) as queries, django_capture_on_commit_callbacks() as queued:
            response = client.post(STATUS, {"email": email, "number": number})
        page = client.get(response["Location"])
        answers.append(
            (
                response.status_code,
                response["Location"],
                page.content,
                len(queued),
                [q["sql"] for q in queries],
            )
        )

    assert answers[0] == answers[1]  # status, page, work queued and every query the request made
    assert b"If the address you entered is on that ticket, we have emailed it" in answers[0][2]


@pytest.mark.parametrize(
    ("email", "number", "field", "error"),
    [
        ("not-an-address", "12345678", "email", "Enter a valid email address."),
        ("rita@example.test", "12-34", "number", "Enter the ticket number: digits only, e.g. 12345678."),
        ("rita@example.test", "", "number", "This field is required."),
    ],
)
def test_malformed_input_is_refused_field_by_field(client, db, email, number, field, error):
    response = client.post(STATUS, {"email": email, "number": number})

    assert response.status_code == 200
    assert response.context["form"].errors[field] == [error]


def test_beyond_the_budget_the_page_says_when_to_try_again(ask, ticket, settings):
    settings.HELPLINE_PORTAL_LOOKUPS_PER_HOUR = 2
    ask("nobody@example.test", "11111111")  # lookups that match nothing count too: they tell nothing apart
    ask("nobody@example.test", "22222222")

    response, mails = ask("rita@example.test", ticket.number)

    assert response.status_code == 429 and response["Retry-After"] == "1800"
    page = response.content.decode()
    assert "Many status checks were made from your network in the last hour. Try again in 30 minutes" in page
    assert 'value="rita@example.test"' in page and f'value="{ticket.number}"' in page
    assert mails == []
    other, mails = ask("rita@example.test", ticket.number, REMOTE_ADDR="203.0.113.9")
    assert other.status_code == 302 and len(mails) == 1


def test_one_person_gets_a_few_links_an_hour_however_many_addresses_ask(ask, ticket):
    sent = [len(ask("rita@example.test", ticket.number, REMOTE_ADDR=f"203.0.113.{n}")[1]) for n in range(5)]

    assert sent == [1, 1, 1, 0, 0]


def test_asking_is_a_post_with_csrf(ticket):
    from django.test import Client

    response = Client(enforce_csrf_checks=True).post(
        STATUS, {"email": "rita@example.test", "number": ticket.number}
    )

    assert response.status_code == 403
