import hashlib
import itertools
from datetime import timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from conftest import open_with_hints
from helpline.catalog.models import Priority, State
from helpline.testsupport.factories import HelpTopicFactory, SLAPlanFactory, TeamFactory
from helpline.tickets.actions import intake
from helpline.tickets.models import Attachment, EntryKind, Event, Source, Ticket
from helpline.tickets.policy import NotAllowed
from helpline.tickets.tests.helpers import T0, events, last_event, ref


def test_a_requester_opens_a_ticket_routed_by_its_topic(ticket, support, sla_plan, mailoutbox):
    assert ticket.department == support
    assert ticket.state == State.OPEN and ticket.status.name == "Open"
    assert ticket.priority.name == "Normal"
    assert ticket.sla_plan == sla_plan
    assert ticket.due_at == sla_plan.due_from(ticket.created_at)
    assert len(ticket.number) == 8 and ticket.number.isdigit()
    kinds = list(ticket.entries.values_list("kind", "event"))
    assert kinds == [(EntryKind.EVENT, Event.CREATED), (EntryKind.MESSAGE, "")]
    recipients = sorted(address for mail in mailoutbox for address in mail.to)
    assert recipients == ["rita@example.test", "sam@staff.example.test", "support-team@example.test"]


def test_numbers_are_not_sequential(open_for, rita, support_topic):
    numbers = [int(open_for(rita, support_topic).number) for _ in range(5)]
    assert len(set(numbers)) == 5
    # Not one step apart, nor any fixed step: random 8-digit numbers spread far and differ unevenly
    # (a spread under 10,000 or four equal steps by chance: about 1 in 10^14).
    steps = {later - earlier for earlier, later in itertools.pairwise(numbers)}
    assert len(steps) > 1 and max(numbers) - min(numbers) > 10_000, numbers


def test_a_requester_cannot_open_for_someone_else(rita, support_topic, db):
    from helpline.testsupport.factories import RequesterFactory

    other = RequesterFactory()
    with pytest.raises(NotAllowed):
        open_with_hints(actor=rita, requester=other, topic=support_topic, subject="x", body="y")
    assert not Ticket.objects.exists()


def test_an_agent_cannot_open_in_a_department_they_are_not_in(ivan, rita, support_topic):
    with pytest.raises(NotAllowed):
        open_with_hints(actor=ivan, requester=rita, topic=support_topic, subject="x", body="y")
    assert not Ticket.objects.exists()


# --- routing -------------------------------------------------------------------------------------------------


def test_the_sla_due_time_runs_from_the_moment_of_opening(open_for, rita, support_topic):
    with time_machine.travel(T0, tick=False):
        ticket = open_for(rita, support_topic)
    assert ticket.created_at == ticket.updated_at == ticket.last_message_at == T0
    assert ticket.due_at == T0 + timedelta(hours=4)
    assert not ticket.is_overdue


def test_the_topic_priority_is_used_when_it_has_one(open_for, rita, support):
    emergency = Priority.objects.get(name="Emergency")
    topic = HelpTopicFactory(name="Outage", department=support, priority=emergency)
    assert open_for(rita, topic).priority == emergency


def test_a_topic_without_sla_plan_gives_no_due_time(open_for, rita, it_topic, it_department):
    ticket = open_for(rita, it_topic)
    assert ticket.department == it_department
    assert ticket.sla_plan is None and ticket.due_at is None


def test_the_topic_auto_assigns_to_its_agent(open_for, rita, support, sam):
    topic = HelpTopicFactory(name="Billing", department=support, assign_to_agent=sam)
    ticket = open_for(rita, topic)
    assert ticket.assignee == sam and ticket.team is None
    assigned = last_event(ticket)
    assert assigned.event == Event.ASSIGNED
    assert assigned.data == {
        "agent": ref(sam),
        "team": None,
        "previous_agent": None,
        "previous_team": None,
        "topic": ref(topic),
        "pool": None,
        "strategy": "",
    }


def test_the_topic_auto_assigns_to_its_team(open_for, rita, support):
    team = TeamFactory(name="Printers")
    topic = HelpTopicFactory(name="Printing", department=support, assign_to_team=team)
    ticket = open_for(rita, topic)
    assert ticket.team == team and ticket.assignee is None
    data = last_event(ticket).data
    assert (data["agent"], data["team"], data["topic"]) == (None, ref(team), ref(topic))


def test_an_agent_overrides_the_topic_routing(rita, sam, lena, support_topic, it_department):
    high = Priority.objects.get(name="High")
    fast = SLAPlanFactory(name="Sev-A", hours=1)
    team = TeamFactory(name="Desk")
    with time_machine.travel(T0, tick=False):
        ticket = open_with_hints(
            actor=sam,
            requester=rita,
            topic=support_topic,
            subject="Phoned in",
            body="Called about the printer.",
            source=Source.PHONE,
            priority=high,
            sla_plan=fast,
            assignee=lena,
            team=team,
        )
    assert (ticket.priority, ticket.sla_plan, ticket.assignee, ticket.team) == (high, fast, lena, team)
    assert ticket.due_at == T0 + timedelta(hours=1)
    created = ticket.entries.get(event=Event.CREATED)
    assert created.author_agent == sam
    assert created.data == {
        "source": "phone",
        "entered_by": {"kind": "agent", "id": sam.pk, "name": "Sam", "channel": ""},
        "follow_up_of": None,
    }
    # The team and agent were the agent's choice, not the topic's.
    assert ticket.entries.get(event=Event.ASSIGNED).data["topic"] is None
    message = ticket.entries.get(kind=EntryKind.MESSAGE)
    assert message.author_requester == rita and message.author_agent is None


def test_an_agent_may_open_by_department_without_a_topic(rita, sam, support):
    ticket = open_with_hints(
        actor=sam, requester=rita, department=support, subject="Walk-in", body="At the desk"
    )
    assert ticket.department == support and ticket.topic is None
    assert ticket.priority.name == "Normal" and ticket.due_at is None  # the shipped default priority


def test_a_ticket_needs_a_topic_or_a_department(rita, sam):
    with pytest.raises(ValueError, match="department"):
        open_with_hints(actor=sam, requester=rita, subject="x", body="y")
    assert not Ticket.objects.exists()


def test_the_routing_of_a_requesters_ticket_is_the_topics_alone(open_for, rita, sam, support_topic, ivan):
    emergency = Priority.objects.get(name="Emergency")
    ticket = open_for(
        rita, support_topic, priority=emergency, assignee=ivan, department=ivan.departments.get()
    )
    assert ticket.department == support_topic.department
    assert ticket.priority.name == "Normal" and ticket.assignee is None


@pytest.mark.parametrize("flag", ["is_public", "is_active"])
def test_a_requester_cannot_open_under_a_hidden_or_retired_topic(rita, support, flag):
    topic = HelpTopicFactory(name="Internal", department=support, **{flag: False})
    with pytest.raises(NotAllowed):
        open_with_hints(actor=rita, requester=rita, topic=topic, subject="x", body="y")
    assert not Ticket.objects.exists()


def test_a_deactivated_agent_cannot_open_tickets(rita, sam, support_topic):
    sam.user.is_active = False
    sam.user.save()
    with pytest.raises(NotAllowed):
        open_with_hints(actor=sam, requester=rita, topic=support_topic, subject="x", body="y")


def test_the_subject_is_one_clean_line(open_for, rita, support_topic):
    assert open_for(rita, support_topic, subject="  Printer\n\ton\x00 fire ").subject == "Printer on fire"
    assert open_for(rita, support_topic, subject=" \n ").subject == "(no subject)"


def test_an_html_body_is_sanitized_with_a_text_rendering(open_for, rita, support_topic):
    body = '<p onclick="x()">Hello <b>there</b></p><script>alert(1)</script><p>Bye</p>'
    ticket = open_for(rita, support_topic, body=body, body_format="html")
    message = ticket.entries.get(kind=EntryKind.MESSAGE)
    assert message.body_html == "<p>Hello <b>there</b></p><p>Bye</p>"
    assert message.body_text == "Hello there\nBye"


# --- collaborators and attachments ---------------------------------------------------------------------------


def test_collaborators_are_copied_once_and_never_the_requester(open_for, rita, carl, support_topic):
    ticket = open_for(rita, support_topic, collaborators=[carl, rita, carl])
    assert list(ticket.collaborators.all()) == [carl]


def test_attachments_are_stored_with_digest_size_clean_name_and_type_from_the_name(
    open_for, rita, support_topic
):
    data = b"%PDF-1.4 quarterly numbers"
    upload = SimpleUploadedFile("../../etc/\u202ereport.PDF", data, content_type="text/html")
    ticket = open_for(rita, support_topic, attachments=[upload])
    attachment = Attachment.objects.get(entry__ticket=ticket)
    assert attachment.entry.kind == EntryKind.MESSAGE
    assert attachment.filename == "report.PDF"
    assert attachment.content_type == "application/pdf"  # from the name, not the uploader's claim
    assert attachment.size == len(data)
    assert attachment.sha256 == hashlib.sha256(data).hexdigest()
    assert "report" not in attachment.file.name  # the stored name never comes from the uploader
    with attachment.file.open("rb") as stored:
        assert stored.read() == data


def test_a_refused_attachment_opens_no_ticket(open_for, rita, support_topic, mailoutbox):
    upload = SimpleUploadedFile("run.exe", b"MZ", content_type="application/pdf")
    with pytest.raises(ValidationError):
        open_for(rita, support_topic, attachments=[upload])
    assert not Ticket.objects.exists() and not Attachment.objects.exists()
    assert mailoutbox == []


# --- numbers -------------------------------------------------------------------------------------------------


def test_a_clashing_number_is_drawn_again(open_for, rita, support_topic, monkeypatch):
    taken = open_for(rita, support_topic).number
    drawn = iter([taken, taken, "12345678"])
    monkeypatch.setattr(intake, "new_ticket_number", lambda: next(drawn))
    ticket = open_for(rita, support_topic)
    assert ticket.number == "12345678"
    assert Ticket.objects.filter(number=taken).count() == 1


def test_opening_gives_up_when_every_number_is_taken(open_for, rita, support_topic, monkeypatch):
    taken = open_for(rita, support_topic).number
    monkeypatch.setattr(intake, "new_ticket_number", lambda: taken)
    with pytest.raises(RuntimeError, match="free ticket number"):
        open_for(rita, support_topic)
    assert Ticket.objects.count() == 1


def test_a_topic_naming_a_deactivated_agent_or_retired_team_leaves_the_ticket_unassigned(
    open_for, rita, support, sam
):
    team = TeamFactory(name="Old desk", is_active=False)
    sam.user.is_active = False
    sam.user.save()
    topic = HelpTopicFactory(name="Legacy", department=support, assign_to_agent=sam, assign_to_team=team)
    ticket = open_for(rita, topic)
    assert ticket.assignee is None and ticket.team is None
    assert events(ticket) == [Event.CREATED]


def test_an_agent_cannot_open_a_ticket_assigned_to_a_deactivated_agent(rita, sam, lena, support_topic):
    lena.user.is_active = False
    lena.user.save()
    with pytest.raises(NotAllowed):
        open_with_hints(actor=sam, requester=rita, topic=support_topic, subject="x", body="y", assignee=lena)
    assert not Ticket.objects.exists()


def test_a_requester_with_too_many_open_tickets_is_asked_to_use_them(open_for, rita, support_topic, settings):
    from helpline.tickets.policy import TooManyOpenTickets

    settings.HELPLINE_MAX_OPEN_TICKETS = 2
    first = open_for(rita, support_topic)
    open_for(rita, support_topic)
    with pytest.raises(TooManyOpenTickets):
        open_for(rita, support_topic)
    assert rita.tickets.count() == 2
    # Finishing one makes room again.
    from helpline.catalog.models import TicketStatus
    from helpline.tickets.actions import set_status

    set_status(actor=rita, ticket=first, status=TicketStatus.default_for(State.CLOSED))
    open_for(rita, support_topic)
    assert rita.tickets.count() == 3


def test_agents_opening_for_a_requester_are_not_limited(sam, rita, support_topic, settings):
    settings.HELPLINE_MAX_OPEN_TICKETS = 1
    for _ in range(2):
        open_with_hints(actor=sam, requester=rita, topic=support_topic, subject="By phone", body="Called in.")
    assert rita.tickets.count() == 2
