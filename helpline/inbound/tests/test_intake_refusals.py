"""What the policy refuses an email is refused for good, with the policy's reason, never failed and retried;
and an agent's automatic mail is kept as a note, never sent to the requester as the agent's response."""

import io

import pytest
from django.core.management import call_command

from helpline.catalog.models import State, TicketStatus
from helpline.inbound.intake import Outcome, retry_failed
from helpline.inbound.models import RawMessage
from helpline.inbound.tests.test_intake import email, pipe, sent_to
from helpline.mail.models import OutboundEmail
from helpline.people.models import Role
from helpline.testsupport.factories import AgentFactory, UserFactory
from helpline.tickets.actions import set_status
from helpline.tickets.models import EntryKind, Ticket

pytest_plugins = ["helpline.inbound.tests.test_intake"]


def pipe_refused(data: bytes) -> tuple[int, str]:
    """Run ``mail_pipe`` on a message it is expected to refuse: its exit code and what it told the server."""
    err = io.StringIO()
    with pytest.raises(SystemExit) as exit_:
        call_command("mail_pipe", stdin=io.BytesIO(data), stderr=err)
    return int(exit_.value.code or 0), err.getvalue()


def alert_to(address: str, mailoutbox, django_capture_on_commit_callbacks) -> tuple[Ticket, OutboundEmail]:
    """Rita emails the desk; the ticket and the alert sent about it to the agent at ``address``."""
    with django_capture_on_commit_callbacks(execute=True):
        assert pipe(email()) == 0
    ticket = Ticket.objects.get()
    alert = OutboundEmail.objects.get(ticket_id=ticket.pk, recipient=address)
    mailoutbox.clear()
    return ticket, alert


def test_a_requester_past_the_limit_of_open_tickets_is_refused_with_the_reason(desk, sam, settings):
    settings.HELPLINE_MAX_OPEN_TICKETS = 1
    assert pipe(email(subject="Printer jam")) == 0
    code, told = pipe_refused(email(subject="And the scanner"))
    assert code == 65 and "You already have 1 open ticket" in told
    refused = RawMessage.objects.get(subject="And the scanner")
    assert (refused.status, refused.outcome, refused.ticket) == ("rejected", Outcome.REJECTED, None)
    assert refused.reason.startswith("You already have 1 open ticket. Please reply on one of them")
    # Refused for good: once the first ticket closes, no retry opens the second one late.
    set_status(actor=sam, ticket=Ticket.objects.get(), status=TicketStatus.default_for(State.CLOSED))
    assert retry_failed() == 0
    assert list(Ticket.objects.values_list("subject", flat=True)) == ["Printer jam"]


def test_automatic_mail_past_the_limit_is_refused_silently(desk, settings):
    settings.HELPLINE_MAX_OPEN_TICKETS = 1
    assert pipe(email(subject="Printer jam")) == 0
    assert pipe(email(subject="Out of office", Auto_Submitted="auto-replied")) == 0  # nothing bounced
    refused = RawMessage.objects.get(subject="Out of office")
    assert refused.status == "rejected" and "You already have 1 open ticket" in refused.reason
    assert Ticket.objects.count() == 1


def test_an_agent_whose_role_takes_no_notes_is_refused_at_the_note_address(
    desk, support, mailoutbox, django_capture_on_commit_callbacks
):
    AgentFactory(
        user=UserFactory(username="nora", first_name="Nora", email="nora@staff.example.test"),
        departments=[support],
        departments__role=Role.objects.create(name="Replies only", permissions=["view", "reply"]),
    )
    ticket, alert = alert_to("nora@staff.example.test", mailoutbox, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        code, told = pipe_refused(
            email(
                sender="nora@staff.example.test",
                to="support+note@example.test",
                body="Toner is low too.",
                In_Reply_To=alert.message_id,
            )
        )
    assert code == 65 and "Nora may not add internal notes on ticket" in told
    refused = RawMessage.objects.get(sender="nora@staff.example.test")
    assert (refused.status, refused.outcome) == ("rejected", Outcome.REJECTED)
    assert refused.reason == f"Nora may not add internal notes on ticket #{ticket.number}."
    assert not ticket.entries.filter(kind__in=[EntryKind.NOTE, EntryKind.RESPONSE]).exists()
    assert Ticket.objects.count() == 1 and sent_to("rita@example.test", mailoutbox) == []


def test_an_agents_out_of_office_reply_is_a_note_never_a_response(
    desk, sam, mailoutbox, django_capture_on_commit_callbacks
):
    ticket, alert = alert_to("sam@staff.example.test", mailoutbox, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        reply = email(
            sender="Sam <sam@staff.example.test>",
            subject="Automatic reply: Printer jam",
            body="I am out of the office until Monday.",
            In_Reply_To=alert.message_id,
            Auto_Submitted="auto-replied",
        )
        assert pipe(reply) == 0
    assert sent_to("rita@example.test", mailoutbox) == []
    assert not ticket.entries.filter(kind=EntryKind.RESPONSE).exists()
    note = ticket.entries.get(kind=EntryKind.NOTE)
    assert (note.author_agent, note.body_text) == (sam, "I am out of the office until Monday.")
    assert RawMessage.objects.get(sender="sam@staff.example.test").outcome == Outcome.NOTE
    ticket.refresh_from_db()
    assert ticket.state == State.OPEN and Ticket.objects.count() == 1
