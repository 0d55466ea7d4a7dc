"""Channels that are not a signed-in person act with exactly the rights of their channel."""

import pytest

from helpline.catalog.models import State, TicketStatus
from helpline.people.actors import SLA_JOB, ActorKind, Channel, ChannelActor, mail_intake
from helpline.people.permissions import Perm
from helpline.people.requesters import Contact
from helpline.tickets.actions import (
    Routing,
    add_collaborator,
    add_note,
    assign_ticket,
    check_sla_targets,
    delete_ticket,
    post_message,
    post_reply,
    receive_ticket,
    set_status,
    transfer_ticket,
)
from helpline.tickets.models import EntryKind, Event, Source, Ticket
from helpline.tickets.policy import NotAllowed, TooManyOpenTickets
from helpline.tickets.queries import thread_for, visible_tickets
from helpline.tickets.tests.helpers import snapshot


@pytest.fixture
def intake(support):
    """The email intake of the Support mailbox."""
    return mail_intake(mailbox_id=7, mailbox_name="support@example.test", department_id=support.pk)


def by_mail(intake, routing, email="walter@example.test", subject="Printer jam"):
    return receive_ticket(
        sender=Contact(email=email, name="Walter"),
        channel=Source.EMAIL,
        subject=subject,
        body="It jams.",
        routing=routing,
        entered_by=intake,
    )


def test_the_email_intake_opens_tickets_in_its_mailboxs_department(intake, support, sam):
    ticket = by_mail(intake, Routing(department=support))
    assert (ticket.department, ticket.source, ticket.requester.email) == (
        support,
        Source.EMAIL,
        "walter@example.test",
    )
    created = ticket.entries.get(event=Event.CREATED)
    assert created.author_name == "Email intake (support@example.test)"
    assert created.data["entered_by"] == {
        "kind": ActorKind.CHANNEL,
        "id": 7,
        "name": "Email intake (support@example.test)",
        "channel": "email",
    }
    message = ticket.entries.get(kind=EntryKind.MESSAGE)
    assert message.author_requester == ticket.requester


def test_the_email_intake_may_not_open_tickets_elsewhere(intake, it_department, it_topic):
    for routing in (Routing(department=it_department), Routing(topic=it_topic)):
        with pytest.raises(NotAllowed, match="may not open tickets in IT"):
            by_mail(intake, routing)
    assert not Ticket.objects.exists()
    # Nor did the refusals leave a new requester behind.
    from helpline.people.models import Requester

    assert not Requester.objects.filter(email="walter@example.test").exists()


def test_the_email_intake_may_do_nothing_else_on_a_ticket(intake, ticket, rita, sam, it_department):
    before = snapshot(ticket)
    closed = TicketStatus.default_for(State.CLOSED)
    refused = [
        lambda: post_reply(actor=intake, ticket=ticket, body="Fixed"),
        lambda: add_note(actor=intake, ticket=ticket, body="Internal"),
        lambda: assign_ticket(actor=intake, ticket=ticket, agent=sam),
        lambda: transfer_ticket(actor=intake, ticket=ticket, department=it_department),
        lambda: set_status(actor=intake, ticket=ticket, status=closed),
        lambda: add_collaborator(actor=intake, ticket=ticket, person=Contact("eve@example.test")),
        lambda: delete_ticket(actor=intake, ticket=ticket),
        lambda: post_message(actor=intake, ticket=ticket, body="In its own name"),
    ]
    for action in refused:
        with pytest.raises(NotAllowed):
            action()
    assert snapshot(ticket) == before
    assert not visible_tickets(intake).exists()


def test_tickets_by_mail_count_against_the_requesters_limit(intake, support, settings):
    settings.HELPLINE_MAX_OPEN_TICKETS = 2
    by_mail(intake, Routing(department=support), subject="One")
    by_mail(intake, Routing(department=support), subject="Two")
    with pytest.raises(TooManyOpenTickets):
        by_mail(intake, Routing(department=support), subject="Three")
    assert Ticket.objects.count() == 2


def test_the_sla_job_flags_overdue_and_nothing_else(ticket, sam, rita):
    before = snapshot(ticket)
    for action in (
        lambda: post_reply(actor=SLA_JOB, ticket=ticket, body="Hurry"),
        lambda: add_note(actor=SLA_JOB, ticket=ticket, body="Late"),
        lambda: assign_ticket(actor=SLA_JOB, ticket=ticket, agent=sam),
        lambda: delete_ticket(actor=SLA_JOB, ticket=ticket),
        lambda: post_message(actor=SLA_JOB, ticket=ticket, body="As Rita", author=rita),
    ):
        with pytest.raises(NotAllowed):
            action()
    assert snapshot(ticket) == before
    # What it may do: see every ticket and change their status-level flags.
    assert visible_tickets(SLA_JOB).filter(pk=ticket.pk).exists()
    Ticket.objects.filter(pk=ticket.pk).update(due_at=ticket.created_at)
    assert check_sla_targets(ticket_id=ticket.pk, actor=SLA_JOB) is True


def test_a_channel_without_the_status_right_cannot_flag_overdue(ticket, intake):
    Ticket.objects.filter(pk=ticket.pk).update(due_at=ticket.created_at)
    with pytest.raises(NotAllowed):
        check_sla_targets(ticket_id=ticket.pk, actor=intake)
    ticket.refresh_from_db()
    assert not ticket.is_overdue


def test_channels_read_no_internal_notes(ticket, sam):
    add_note(actor=sam, ticket=ticket, body="Between us")
    assert not thread_for(SLA_JOB, ticket).filter(kind=EntryKind.NOTE).exists()
    assert thread_for(sam, ticket).filter(kind=EntryKind.NOTE).exists()


def test_a_channels_rights_hold_only_in_its_departments(open_for, rita, support, it_topic, support_topic):
    """A channel scoped to Support (as a department's API key will be) sees and changes Support's tickets
    only."""
    support_only = ChannelActor(
        Channel.AUTOMATION,
        "Support automation",
        ticket_perms=frozenset({Perm.VIEW, Perm.STATUS}),
        departments=frozenset({support.pk}),
    )
    ours, theirs = open_for(rita, support_topic, subject="Ours"), open_for(rita, it_topic, subject="Theirs")
    assert list(visible_tickets(support_only)) == [ours]
    Ticket.objects.update(due_at=ours.created_at)
    with pytest.raises(NotAllowed):
        check_sla_targets(ticket_id=theirs.pk, actor=support_only)
    assert check_sla_targets(ticket_id=ours.pk, actor=support_only) is True
