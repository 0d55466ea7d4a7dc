"""Every message of the corpus through the whole intake, with the outcome its manifest names: a new ticket
(with or without the automatic acknowledgement), a reply on the right ticket from the right person, a bounce
recorded on the ticket whose email came back, or a refusal kept with its reason."""

import pytest
from django.utils import timezone

from helpline.catalog.models import State, TicketStatus
from helpline.inbound.intake import Outcome, receive_email
from helpline.inbound.models import BannedAddress, Mailbox, RawMessage
from helpline.inbound.tests.corpus import BANNED, MANIFEST, SCENARIOS, read
from helpline.mail.models import OutboundEmail
from helpline.people.models import Department
from helpline.testsupport.factories import AgentFactory, DepartmentFactory, RequesterFactory, UserFactory
from helpline.tickets.actions import Routing, add_collaborator, open_ticket, set_status
from helpline.tickets.models import EntryKind, Event, Notification, Ticket

# What the intake's reason says for each kind of refusal the manifest names.
REASONS = {
    "no usable sender": ("no sender", "not a usable address"),
    "banned sender": ("banned",),
    "loop": ("loop",),
    "unparseable": ("could not be read",),
    "unmatched bounce": ("unmatched bounce",),
}


@pytest.fixture
def desk(db, sla_plan):
    departments = {name: DepartmentFactory(name=name) for name in ("Support", "IT")}
    for name, address in (("Support", "support@desk.example.test"), ("IT", "it@desk.example.test")):
        Mailbox.objects.create(
            name=f"{name} desk", address=address, department=departments[name], is_default=name == "Support"
        )
        Department.objects.filter(pk=departments[name].pk).update(reply_address=address)
    for domain in BANNED:
        BannedAddress.objects.create(pattern=f"@{domain}", reason="spam")
    tickets = {name: _scenario(scenario, departments) for name, scenario in SCENARIOS.items()}
    return tickets


def _scenario(scenario, departments) -> Ticket:
    department = departments[scenario.department]
    agents = [
        AgentFactory(
            user=UserFactory(username=address.split("@")[0], email=address), departments=[department]
        )
        for address in scenario.agents
    ]
    admin = AgentFactory(is_admin=True)
    requester = RequesterFactory(email=scenario.requester)
    ticket = open_ticket(
        actor=admin,
        requester=requester,
        subject=scenario.subject,
        body="x",
        routing=Routing(department=department),
    )
    Ticket.objects.filter(pk=ticket.pk).update(number=scenario.number)  # the number the corpus's mail names
    for address in scenario.collaborators:
        add_collaborator(actor=admin, ticket=ticket, person=RequesterFactory(email=address))
    if scenario.status != State.OPEN:
        set_status(actor=admin, ticket=ticket, status=TicketStatus.default_for(scenario.status))
    for message_id, recipient in scenario.sent:
        OutboundEmail.objects.create(
            to=[recipient],
            recipient=recipient,
            subject=f"[#{scenario.number}] {scenario.subject}",
            body_text="...",
            reason="response",
            ticket_id=ticket.pk,
            message_id=message_id,
            status=OutboundEmail.Status.SENT,
            sent_at=timezone.now(),
        )
    for message_id in scenario.received:
        RawMessage.objects.create(
            source="pipe",
            received_at=timezone.now(),
            data=b"",
            size=0,
            message_id=message_id,
            dedupe_key=f"mid:{message_id}",
            status="processed",
            ticket=ticket,
        )
    ticket.refresh_from_db()
    ticket.agents = agents  # type: ignore[attr-defined]
    return ticket


@pytest.mark.parametrize("name", sorted(MANIFEST))
def test_the_corpus_message_ends_as_its_manifest_says(desk, name):
    expected = MANIFEST[name]
    before = set(Ticket.objects.values_list("pk", flat=True))
    result = receive_email(read(name), source="pipe")
    raw = RawMessage.objects.get(pk=result.raw.pk)
    outcome, _, reason = expected.outcome.partition(":")
    new = Ticket.objects.exclude(pk__in=before)
    if outcome in ("new_ticket", "new_ticket_no_autoreply"):
        assert result.outcome == Outcome.NEW_TICKET, (result.outcome, result.reason)
        [ticket] = new
        assert ticket.requester.email.lower() == expected.sender.lower()
        acknowledged = Notification.objects.filter(ticket=ticket, kind="new_ticket_requester").exists()
        assert acknowledged is (outcome == "new_ticket"), expected.note
    elif outcome == "reply":
        scenario = desk[expected.ticket]
        assert result.ticket == scenario and not new.exists(), (result.outcome, result.reason)
        entry = raw.entry
        if expected.author == "agent":
            assert result.outcome == Outcome.RESPONSE and entry.kind == EntryKind.RESPONSE
            assert entry.author_agent in scenario.agents
        else:
            assert result.outcome == Outcome.REPLY and entry.kind == EntryKind.MESSAGE
            assert entry.author_requester.email.lower() == expected.sender.lower()
        if expected.new_text:
            assert entry.body_text.strip() == expected.new_text.strip()
    elif outcome == "bounce":
        scenario = desk[expected.ticket]
        assert result.outcome == Outcome.BOUNCE and result.ticket == scenario, (result.outcome, result.reason)
        assert scenario.entries.filter(event=Event.BOUNCED).count() == 1
        assert not scenario.entries.filter(kind=EntryKind.MESSAGE).exclude(body_text="x").exists()
        assert not new.exists()
    else:
        assert outcome == "rejected"
        assert (raw.status, result.outcome) == (RawMessage.Status.REJECTED, Outcome.REJECTED), result.reason
        assert any(phrase in raw.reason.lower() for phrase in REASONS[reason]), raw.reason
        assert bytes(raw.data) == read(name) and not new.exists()


def test_the_corpus_covers_every_outcome():
    outcomes = {expected.outcome.partition(":")[0] for expected in MANIFEST.values()}
    assert outcomes == {"new_ticket", "new_ticket_no_autoreply", "reply", "bounce", "rejected"}
    assert len(MANIFEST) >= 60
