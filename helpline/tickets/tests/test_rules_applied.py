"""The filter rules applied by the ticket actions: on a new ticket from any door (routing over the door's and
the topic's, the first status, collaborators, canned replies, no confirmation, rejection) and on a new
message (changes made through the actions in the rule's name); each rule that did something says so in the
thread."""

import pytest

from helpline.catalog.models import Priority, State, TicketStatus
from helpline.people.requesters import Contact
from helpline.routing.models import ActionKind as A
from helpline.routing.models import Channel
from helpline.routing.models import ConditionField as F
from helpline.routing.models import Operator as O
from helpline.testsupport.factories import HelpTopicFactory, SLAPlanFactory, TeamFactory
from helpline.tickets.actions import Envelope, RejectedByRule, Routing, post_message, receive_ticket
from helpline.tickets.models import EntryKind, Event, Notification, Ticket

OUTAGE = (F.SUBJECT, O.CONTAINS, "outage")


@pytest.fixture
def emergency(db):
    return Priority.objects.get(name="Emergency")


def from_portal(topic, subject="Online banking outage", email="rita@example.test", **extra) -> Ticket:
    return receive_ticket(
        sender=Contact(email=email, name="Rita Requester"),
        channel=Channel.WEB,
        subject=subject,
        body="Nothing loads since 9:00.",
        routing=Routing(topic=topic),
        **extra,
    )


def rule_events(ticket: Ticket) -> list[tuple[str, list[str]]]:
    return [
        (e.author_name, e.data["changes"]) for e in ticket.entries.filter(event=Event.RULE).order_by("id")
    ]


def test_a_requesters_ticket_is_routed_by_the_rules_over_the_topic(
    make_rule, support_topic, it_department, ivan, emergency
):
    plan, network = SLAPlanFactory(name="Sev-A", hours=1), TeamFactory(name="Network")
    make_rule(
        "Outages",
        conditions=[OUTAGE],
        actions=[
            (A.SET_PRIORITY, emergency),
            (A.SET_SLA_PLAN, plan),
            (A.SET_DEPARTMENT, it_department),
            (A.ASSIGN_TEAM, network),
            (A.ASSIGN_AGENT, ivan),
        ],
    )
    ticket = from_portal(support_topic)
    assert (ticket.priority, ticket.sla_plan, ticket.department) == (emergency, plan, it_department)
    assert (ticket.team, ticket.assignee, ticket.topic) == (network, ivan, support_topic)
    assert ticket.due_at == ticket.created_at + plan.resolution_target
    [(author, changes)] = rule_events(ticket)
    assert author == "Filter rule Outages"
    assert changes == [
        "Priority: Emergency",
        "SLA plan: Sev-A",
        "Department: IT",
        "Assigned to the team Network",
        "Assigned to Ivan",
    ]
    assigned = ticket.entries.get(event=Event.ASSIGNED)
    assert assigned.author_name == "Filter rule Outages"
    # A subject the rule does not match is routed by its topic alone.
    other = from_portal(support_topic, subject="Printer jams")
    assert (other.department, other.priority.name, rule_events(other)) == (
        support_topic.department,
        "Normal",
        [],
    )


def test_a_rules_topic_brings_its_department_plan_and_first_status(make_rule, support_topic, it_department):
    in_progress = TicketStatus.objects.create(name="In progress", state=State.OPEN, sort=5)
    network_plan = SLAPlanFactory(name="Network plan", hours=2)
    network = HelpTopicFactory(
        name="Network",
        department=it_department,
        sla_plan=network_plan,
        status=in_progress,
        auto_response=False,
    )
    make_rule("To network", conditions=[OUTAGE], actions=[(A.SET_TOPIC, network)])
    ticket = from_portal(support_topic)
    assert (ticket.topic, ticket.department, ticket.sla_plan, ticket.status) == (
        network,
        it_department,
        network_plan,
        in_progress,
    )
    # The topic sends no confirmation: the requester gets none.
    assert not Notification.objects.filter(ticket=ticket, kind="new_ticket_requester").exists()


def test_collaborators_a_canned_reply_and_no_confirmation(make_rule, support_topic, sam):
    make_rule(
        "Acknowledge outages",
        conditions=[OUTAGE],
        actions=[
            (A.ADD_COLLABORATOR, "noc@example.test"),
            (A.CANNED_REPLY, "We know about the outage and are on it."),
            (A.SUPPRESS_AUTOREPLY,),
        ],
    )
    ticket = from_portal(support_topic)
    assert list(ticket.collaborators.values_list("email", flat=True)) == ["noc@example.test"]
    reply = ticket.entries.get(kind=EntryKind.RESPONSE)
    assert (reply.author_name, reply.body_text) == (
        "Filter rule Acknowledge outages",
        "We know about the outage and are on it.",
    )
    ticket.refresh_from_db()
    assert ticket.first_response_at is None  # an automatic answer meets no first-response target
    kinds = set(Notification.objects.filter(ticket=ticket).values_list("kind", flat=True))
    assert "new_ticket_requester" not in kinds and "response" in kinds


def test_a_rule_may_close_what_it_matches(make_rule, support_topic):
    make_rule(
        "Close newsletters",
        conditions=[(F.SENDER_DOMAIN, O.EQUALS, "news.example.test")],
        actions=[(A.SET_STATUS, TicketStatus.default_for(State.CLOSED))],
    )
    ticket = from_portal(support_topic, subject="Our autumn offers", email="promo@news.example.test")
    ticket.refresh_from_db()
    assert ticket.state == State.CLOSED
    assert ticket.entries.filter(event=Event.STATUS).get().author_name == "Filter rule Close newsletters"


def test_a_rejected_ticket_stores_nothing(make_rule, support_topic):
    make_rule(
        "No outages here",
        conditions=[OUTAGE],
        actions=[(A.REJECT, "Outages are announced on status.example.test.")],
    )
    with pytest.raises(RejectedByRule) as refused:
        from_portal(support_topic, email="nora@example.test")
    assert refused.value.reply == "Outages are announced on status.example.test."
    assert refused.value.rule_name == "No outages here"
    assert not Ticket.objects.exists()
    from helpline.people.models import Requester

    assert not Requester.objects.filter(email="nora@example.test").exists()


def test_the_envelope_lets_rules_look_at_mailbox_and_headers(make_rule, support_topic, emergency):
    make_rule(
        "VIP list",
        conditions=[
            (F.HEADER, O.EQUALS, "gold", "x-customer-tier"),
            (F.MAILBOX, O.EQUALS, "vip@example.test"),
        ],
        actions=[(A.SET_PRIORITY, emergency)],
    )
    envelope = Envelope(mailbox_address="vip@example.test", headers={"x-customer-tier": ["Gold"]})
    assert from_portal(support_topic, subject="Hello", envelope=envelope).priority == emergency
    assert from_portal(support_topic, subject="Hello").priority != emergency


def test_an_agent_a_rule_names_outside_the_department_is_skipped_with_the_reason(
    make_rule, support_topic, ivan
):
    make_rule("Ivan takes outages", conditions=[OUTAGE], actions=[(A.ASSIGN_AGENT, ivan)])
    ticket = from_portal(support_topic)
    assert ticket.assignee is None
    [(_, changes)] = rule_events(ticket)
    assert changes == ["Assigned to Ivan: not applied (Ivan does not work in Support.)"]


def test_rules_on_messages_change_the_ticket_in_their_name(make_rule, support_topic, rita, emergency, sam):
    ticket = from_portal(support_topic, subject="Printer jams")
    make_rule(
        "Urgent replies",
        on_messages=True,
        conditions=[(F.BODY, O.CONTAINS, "urgent")],
        actions=[(A.SET_PRIORITY, emergency), (A.ASSIGN_AGENT, sam)],
    )
    post_message(actor=ticket.requester, ticket=ticket, body="Still broken, and now it is urgent.")
    ticket.refresh_from_db()
    assert (ticket.priority, ticket.assignee) == (emergency, sam)
    changed = ticket.entries.filter(event__in=[Event.PRIORITY, Event.ASSIGNED])
    assert {entry.author_name for entry in changed} == {"Filter rule Urgent replies"}
    # Rules that do not run on messages leave messages alone.
    make_rule(
        "Tickets only", conditions=[(F.BODY, O.CONTAINS, "lunch")], actions=[(A.SET_PRIORITY, emergency)]
    )
    low = Priority.objects.get(name="Low")
    Ticket.objects.filter(pk=ticket.pk).update(priority=low)
    post_message(actor=ticket.requester, ticket=Ticket.objects.get(pk=ticket.pk), body="Lunch break over.")
    assert Ticket.objects.get(pk=ticket.pk).priority == low


def test_a_rule_rejecting_messages_keeps_the_message_out(make_rule, support_topic):
    ticket = from_portal(support_topic, subject="Printer jams")
    make_rule(
        "No attachments by link",
        on_messages=True,
        conditions=[(F.BODY, O.CONTAINS, "wetransfer")],
        actions=[(A.REJECT,)],
    )
    with pytest.raises(RejectedByRule):
        post_message(actor=ticket.requester, ticket=ticket, body="See wetransfer.com/xyz")
    assert ticket.entries.filter(kind=EntryKind.MESSAGE).count() == 1
