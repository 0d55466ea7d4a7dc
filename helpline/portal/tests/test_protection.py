"""The open-ticket form's guards: honeypot, minimum time, one-time token, per-address budget. Each refusal
says what to do, keeps what was typed and answers 400 or 429; a person sending the form normally never
meets one."""

import re
import time
from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse

from helpline.people.models import Requester
from helpline.portal.models import SpentFormToken
from helpline.portal.protection import ONE_TIME_FIELD, issue_form_token
from helpline.portal.tasks import prune_spent_form_tokens
from helpline.portal.tests.helpers import form_token, upload
from helpline.tickets.access import access_token
from helpline.tickets.actions import delete_ticket
from helpline.tickets.models import Ticket

HOME = "/portal/"


def token_in(page: str) -> str:
    return re.search(rf'<input type="hidden" name="{ONE_TIME_FIELD}" value="([^"]+)">', page).group(1)


def assert_kept(response, form_data) -> None:
    """The refused form is shown again with what was typed."""
    page = response.content.decode()
    assert f'value="{form_data["name"]}"' in page and f'value="{form_data["email"]}"' in page
    assert form_data["message"].splitlines()[0] in page


def created_url(ticket) -> str:
    return reverse("portal:created", args=[access_token(ticket, ticket.requester)])


def test_the_form_carries_a_one_time_token(client, support_topic):
    first, second = token_in(client.get(HOME).content.decode()), token_in(client.get(HOME).content.decode())

    assert first != second


@pytest.mark.parametrize(
    "token",
    ["", "forged", issue_form_token()[:-3] + "abc"],
    ids=["missing", "forged", "tampered"],
)
def test_a_form_without_a_valid_token_is_refused_and_shown_again_with_a_new_one(client, form_data, token):
    response = client.post(HOME, form_data | {ONE_TIME_FIELD: token})

    assert response.status_code == 400
    assert "This form has expired or is out of date. Send it again" in response.content.decode()
    assert_kept(response, form_data)
    fresh = token_in(response.content.decode())
    assert fresh != token
    assert not Ticket.objects.exists() and not Requester.objects.exists()


def test_a_form_left_open_for_more_than_a_day_is_refused_as_expired(client, form_data):
    response = client.post(HOME, form_data | {ONE_TIME_FIELD: form_token(age=25 * 3600)})

    assert response.status_code == 400
    assert "This form has expired" in response.content.decode()
    assert not Ticket.objects.exists()


def test_a_filled_honeypot_is_refused(client, form_data):
    response = client.post(HOME, form_data | {"website": "http://spam.example"})

    assert response.status_code == 400
    page = response.content.decode()
    assert "the field “Leave this field empty” was filled in. Clear it and send the form again." in page
    assert_kept(response, form_data)
    assert not Ticket.objects.exists() and not Requester.objects.exists()


def test_the_honeypot_is_hidden_from_people(client, support_topic):
    page = client.get(HOME).content.decode()

    assert re.search(r'<div class="hp" aria-hidden="true">.*?id="id_website"', page, re.DOTALL)
    assert 'tabindex="-1"' in page and 'autocomplete="off"' in page


def test_a_form_sent_sooner_than_a_person_could_is_refused_until_a_moment_has_passed(
    client, form_data, settings
):
    assert settings.HELPLINE_PORTAL_MIN_SECONDS == 3  # the default
    with time_machine.travel(time.time(), tick=False) as clock:
        shown = token_in(client.get(HOME).content.decode())
        clock.shift(2)
        refused = client.post(HOME, form_data | {ONE_TIME_FIELD: shown})
        clock.shift(2)
        sent = client.post(HOME, form_data | {ONE_TIME_FIELD: token_in(refused.content.decode())})

    assert refused.status_code == 400
    assert "Wait a moment and send it again: what you typed is kept." in refused.content.decode()
    assert_kept(refused, form_data)
    assert token_in(refused.content.decode()) == shown  # the same form, still counted from when it was shown
    assert sent.status_code == 302 and Ticket.objects.count() == 1


def test_the_minimum_time_can_be_turned_off(client, form_data, settings):
    settings.HELPLINE_PORTAL_MIN_SECONDS = 0

    response = client.post(HOME, form_data | {ONE_TIME_FIELD: form_token(age=0)})

    assert response.status_code == 302


def test_a_refusal_asks_for_the_files_again(client, form_data):
    response = client.post(HOME, form_data | {"website": "x", "attachments": [upload()]})

    assert "Files cannot be kept: attach them again." in response.content.decode()


def test_posting_the_same_form_twice_opens_one_ticket_and_both_land_on_it(
    client, form_data, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        first = client.post(HOME, form_data)
        second = client.post(HOME, form_data)

    ticket = Ticket.objects.get()
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"] == created_url(ticket)
    assert client.get(second["Location"]).status_code == 200
    assert [mail.to for mail in mailoutbox if "nora@example.test" in mail.to] == [["nora@example.test"]]


def test_a_refused_post_does_not_spend_the_form(client, form_data, settings):
    settings.HELPLINE_MAX_OPEN_TICKETS = 1
    client.post(HOME, form_data | {ONE_TIME_FIELD: form_token()})
    refused = client.post(HOME, form_data)  # Nora is at her limit of open tickets
    assert b"You already have 1 open ticket" in refused.content
    Ticket.objects.update(state="closed")

    again = client.post(HOME, form_data)

    assert again.status_code == 302 and Ticket.objects.count() == 2


def test_the_form_of_a_ticket_since_deleted_is_not_sent_again(client, form_data, mia):
    client.post(HOME, form_data)
    delete_ticket(actor=mia, ticket=Ticket.objects.get())

    response = client.post(HOME, form_data)

    assert response.status_code == 400
    assert "This form was sent already." in response.content.decode()
    assert token_in(response.content.decode()) != form_data[ONE_TIME_FIELD]
    assert not Ticket.objects.exists()


def test_spent_tokens_are_forgotten_once_their_forms_would_be_refused_anyway(client, form_data):
    client.post(HOME, form_data)
    assert prune_spent_form_tokens.call_local() == 0

    with time_machine.travel(timedelta(days=1, hours=2)):
        assert prune_spent_form_tokens.call_local() == 1
    assert not SpentFormToken.objects.exists()
