"""Who hears about what: the emails each action leads to, delivered through the outbox after the commit."""

import re
from urllib.parse import urlsplit

import pytest
from django.urls import resolve

from helpline.catalog.models import State, TicketStatus
from helpline.mail.models import OutboundEmail
from helpline.testsupport.factories import AgentFactory, TeamFactory
from helpline.tickets.access import resolve_token
from helpline.tickets.actions import (
    add_note,
    assign_ticket,
    post_message,
    post_reply,
    reopen_ticket,
    set_status,
    transfer_ticket,
)
from helpline.tickets.policy import NotAllowed


@pytest.fixture
def on_commit(django_capture_on_commit_callbacks):
    """Run an action and the work it schedules after its commit (notifications, then delivery)."""

    def run(action, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return action(**kwargs)

    return run


@pytest.fixture
def quiet(ticket, mailoutbox):
    """Rita's ticket, with the emails about its opening already out of the way."""
    mailoutbox.clear()
    return ticket


def sent(mailoutbox) -> list[tuple[list[str], str]]:
    return sorted((sorted(mail.to), mail.subject) for mail in mailoutbox)


def link_in(body: str) -> str:
    """The access token of the private link in an email body."""
    url = re.search(r"https?://\S+", body).group(0)
    return resolve(urlsplit(url).path).kwargs["token"]


def test_the_requester_gets_a_confirmation_with_a_private_link(ticket, rita, mailoutbox):
    [confirmation] = [mail for mail in mailoutbox if mail.to == ["rita@example.test"]]
    assert confirmation.subject == f"[#{ticket.number}] Printer on fire"
    assert "Hello Rita Requester" in confirmation.body
    assert confirmation.extra_headers["Auto-Submitted"] == "auto-generated"
    assert confirmation.extra_headers["X-Helpline-Ticket"] == ticket.number
    assert resolve_token(link_in(confirmation.body)) == (ticket, rita)


def test_the_new_ticket_alert_goes_to_the_department_only(
    open_for, rita, support_topic, sam, lena, ivan, mailoutbox
):
    ticket = open_for(rita, support_topic)
    alerts = [mail for mail in mailoutbox if mail.subject.startswith("New ticket")]
    # One email per recipient: each can carry its own reply address.
    assert sorted(mail.to[0] for mail in alerts if len(mail.to) == 1) == [
        "lena@staff.example.test",
        "sam@staff.example.test",
        "support-team@example.test",
    ]
    assert all(mail.subject == f"New ticket: [#{ticket.number}] Printer on fire" for mail in alerts)
    assert all(f"/staff/tickets/{ticket.number}/" in mail.body for mail in alerts)
    assert all("ivan@staff.example.test" not in mail.to for mail in mailoutbox)


def test_the_new_ticket_alert_skips_deactivated_agents_and_includes_the_manager(
    open_for, rita, support, support_topic, sam, lena, ivan, mailoutbox
):
    lena.user.is_active = False
    lena.user.save()
    support.manager = ivan
    support.save()
    open_for(rita, support_topic)
    alerts = [mail for mail in mailoutbox if mail.subject.startswith("New ticket")]
    assert sorted(address for mail in alerts for address in mail.to) == [
        "ivan@staff.example.test",
        "sam@staff.example.test",
        "support-team@example.test",
    ]


def test_collaborators_are_not_sent_the_new_ticket_confirmation(
    open_for, rita, carl, support_topic, mailoutbox
):
    open_for(rita, support_topic, collaborators=[carl])
    confirmations = [mail.to for mail in mailoutbox if mail.subject.startswith("[#")]
    assert confirmations == [["rita@example.test"]]
    assert all("carl@example.test" not in mail.to for mail in mailoutbox)


def test_an_auto_assigned_ticket_alerts_its_assignee(open_for, rita, support, sam, mailoutbox):
    from helpline.testsupport.factories import HelpTopicFactory

    topic = HelpTopicFactory(name="Billing", department=support, assign_to_agent=sam)
    ticket = open_for(rita, topic)
    assert (["sam@staff.example.test"], f"Assigned: [#{ticket.number}] Printer on fire") in sent(mailoutbox)


def test_the_assignee_is_alerted(quiet, ada, sam, on_commit, mailoutbox):
    on_commit(assign_ticket, actor=ada, ticket=quiet, agent=sam)
    assert sent(mailoutbox) == [(["sam@staff.example.test"], f"Assigned: [#{quiet.number}] Printer on fire")]
    assert "is assigned to Sam" in mailoutbox[0].body


def test_assigning_oneself_sends_nothing(quiet, sam, on_commit, mailoutbox):
    on_commit(assign_ticket, actor=sam, ticket=quiet, agent=sam)
    assert mailoutbox == []


def test_a_team_assignment_alerts_its_active_members_but_not_the_actor(
    quiet, sam, lena, on_commit, mailoutbox
):
    team = TeamFactory(name="Desk")
    gone = AgentFactory()
    gone.user.is_active = False
    gone.user.save()
    team.members.add(sam, lena, gone)
    on_commit(assign_ticket, actor=sam, ticket=quiet, team=team)
    assert sent(mailoutbox) == [(["lena@staff.example.test"], f"Assigned: [#{quiet.number}] Printer on fire")]


def test_a_response_goes_to_the_requester_and_each_collaborator_with_their_own_link(
    open_for, rita, carl, support_topic, sam, on_commit, mailoutbox
):
    ticket = open_for(rita, support_topic, collaborators=[carl])
    mailoutbox.clear()
    on_commit(post_reply, actor=sam, ticket=ticket, body="Unplug it, then plug it back in.")
    subject = f"Re: [#{ticket.number}] Printer on fire"
    assert sent(mailoutbox) == [(["carl@example.test"], subject), (["rita@example.test"], subject)]
    for mail in mailoutbox:
        assert "Sam replied" in mail.body and "Unplug it, then plug it back in." in mail.body
        ticket_back, requester = resolve_token(link_in(mail.body))
        assert ticket_back == ticket and [requester.email] == mail.to


def test_a_requester_message_alerts_the_assignee(quiet, rita, sam, ada, on_commit, mailoutbox):
    assign_ticket(actor=ada, ticket=quiet, agent=sam)
    on_commit(post_message, actor=rita, ticket=quiet, body="Any news?")
    assert sent(mailoutbox) == [
        (["sam@staff.example.test"], f"New message: [#{quiet.number}] Printer on fire")
    ]
    assert "Rita Requester wrote" in mailoutbox[0].body and "Any news?" in mailoutbox[0].body


def test_a_message_on_an_unassigned_ticket_alerts_the_department_agents(
    quiet, rita, sam, lena, on_commit, mailoutbox
):
    on_commit(post_message, actor=rita, ticket=quiet, body="Any news?")
    assert sent(mailoutbox) == [
        (["lena@staff.example.test"], f"New message: [#{quiet.number}] Printer on fire"),
        (["sam@staff.example.test"], f"New message: [#{quiet.number}] Printer on fire"),
    ]


def test_an_internal_note_sends_nothing(quiet, sam, on_commit, mailoutbox):
    on_commit(add_note, actor=sam, ticket=quiet, body="Customer is VIP")
    assert mailoutbox == []
    assert not OutboundEmail.objects.filter(reason__in=["response", "message_alert"]).exists()


def test_resolving_tells_the_requester(quiet, sam, on_commit, mailoutbox):
    on_commit(set_status, actor=sam, ticket=quiet, status=TicketStatus.default_for(State.RESOLVED))
    assert sent(mailoutbox) == [(["rita@example.test"], f"Resolved: [#{quiet.number}] Printer on fire")]


def test_a_reopen_alerts_the_assignee(quiet, rita, sam, ada, on_commit, mailoutbox):
    assign_ticket(actor=ada, ticket=quiet, agent=sam)
    set_status(actor=rita, ticket=quiet, status=TicketStatus.default_for(State.CLOSED))
    on_commit(reopen_ticket, actor=rita, ticket=quiet)
    assert sent(mailoutbox) == [(["sam@staff.example.test"], f"Reopened: [#{quiet.number}] Printer on fire")]


def test_a_transfer_alerts_the_new_department(quiet, sam, ivan, it_department, on_commit, mailoutbox):
    on_commit(transfer_ticket, actor=sam, ticket=quiet, department=it_department)
    assert sent(mailoutbox) == [
        (["ivan@staff.example.test"], f"Transferred to IT: [#{quiet.number}] Printer on fire")
    ]


def test_a_refused_action_notifies_nobody(quiet, lena, on_commit, mailoutbox):
    with pytest.raises(NotAllowed):
        on_commit(
            post_reply, actor=lena, ticket=quiet, body="Done", status=TicketStatus.default_for(State.CLOSED)
        )
    assert mailoutbox == []


def test_each_email_is_an_outbox_row_marked_sent(ticket, mailoutbox):
    rows = OutboundEmail.objects.filter(ticket_id=ticket.pk)
    assert sorted(rows.values_list("reason", "to")) == [
        ("new_ticket_department", ["sam@staff.example.test"]),
        ("new_ticket_department", ["support-team@example.test"]),
        ("new_ticket_requester", ["rita@example.test"]),
    ]
    assert {(row.status, row.attempts) for row in rows} == {(OutboundEmail.Status.SENT, 1)}
    assert all(row.sent_at is not None and row.next_attempt_at is None for row in rows)
    assert len(mailoutbox) == 3
