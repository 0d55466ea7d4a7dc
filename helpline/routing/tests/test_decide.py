"""``decide``: which rules run, in what order, what each action sets, and what it must skip."""

import pytest

from helpline.catalog.models import Priority, State, TicketStatus
from helpline.people.access import works_in
from helpline.routing.models import ActionKind as A
from helpline.routing.models import Channel, Event, Match
from helpline.routing.models import ConditionField as F
from helpline.routing.models import Operator as O
from helpline.routing.rules import Facts, decide
from helpline.testsupport.factories import HelpTopicFactory, SLAPlanFactory, TeamFactory
from helpline.tickets.models import Source

OUTAGE = (F.SUBJECT, O.CONTAINS, "outage")


def facts(**values) -> Facts:
    return Facts(**({"channel": Channel.EMAIL, "subject": "Online banking outage"} | values))


@pytest.fixture
def emergency(db):
    return Priority.objects.get(name="Emergency")


def test_the_channel_codes_are_the_tickets_sources():
    assert Channel.choices == Source.choices


def test_a_matching_rule_sets_what_its_actions_say_and_says_so(make_rule, emergency, it_department, support):
    plan, team = SLAPlanFactory(name="Sev-A"), TeamFactory(name="Network")
    topic = HelpTopicFactory(name="Network", department=it_department)
    in_progress = TicketStatus.objects.create(name="In progress", state=State.OPEN, sort=5)
    rule = make_rule(
        "Outages",
        conditions=[OUTAGE],
        actions=[
            (A.SET_PRIORITY, emergency),
            (A.SET_SLA_PLAN, plan),
            (A.ASSIGN_TEAM, team),
            (A.SET_DEPARTMENT, it_department),
            (A.SET_TOPIC, topic),
            (A.SET_STATUS, in_progress),
            (A.ADD_COLLABORATOR, " noc@example.test "),
            (A.CANNED_REPLY, "We know about the outage and are on it."),
            (A.SUPPRESS_AUTOREPLY,),
        ],
    )
    decision = decide(facts(department=support), event=Event.TICKET)
    assert (decision.priority, decision.sla_plan, decision.team, decision.status) == (
        emergency,
        plan,
        team,
        in_progress,
    )
    assert (decision.department, decision.topic, decision.resulting_department) == (
        it_department,
        topic,
        it_department,
    )
    assert decision.collaborators == ["noc@example.test"]
    assert decision.canned_replies == ["We know about the outage and are on it."]
    assert decision.suppress_autoreply and not decision.rejected
    [result] = decision.matched
    assert (result.rule_id, result.rule_name, result.skipped, result.stopped) == (
        rule.pk,
        "Outages",
        [],
        False,
    )
    assert [applied.label for applied in result.applied] == [
        "Priority: Emergency",
        "SLA plan: Sev-A",
        "Assigned to the team Network",
        "Department: IT",
        "Help topic: Network",
        "Status: In progress",
        "Collaborator: noc@example.test",
        "Canned reply sent",
        "No automatic reply",
    ]
    assert [applied.value for applied in result.applied][:3] == [emergency, plan, team]


def test_a_rule_that_does_not_match_sets_nothing(make_rule, emergency):
    make_rule(conditions=[OUTAGE], actions=[(A.SET_PRIORITY, emergency)])
    decision = decide(facts(subject="Printer jams"), event=Event.TICKET)
    assert decision.priority is None and decision.matched == [] and not decision.changes_anything


@pytest.mark.parametrize("reply", ["", "We do not accept mail from this address."])
def test_reject_with_or_without_a_reply_ends_the_run(make_rule, emergency, reply):
    first = make_rule(actions=[(A.REJECT, reply), (A.SET_PRIORITY, emergency)])
    make_rule(actions=[(A.SUPPRESS_AUTOREPLY,)])
    decision = decide(facts(), event=Event.TICKET)
    assert decision.rejected and decision.reject_reply == reply
    assert decision.priority is None and not decision.suppress_autoreply
    [result] = decision.matched
    assert result.rule_id == first.pk and result.stopped
    assert [a.label for a in result.applied] == [f"Reject, {'replying' if reply else 'without a reply'}"]


CONDITIONS = {
    "sender email": (F.SENDER_EMAIL, "", "Rita@Example.test", "rita@example.test"),
    "sender name": (F.SENDER_NAME, "", "Rita Ramos", "rita ramos"),
    "sender domain": (F.SENDER_DOMAIN, "", "rita@Northwind.example", "northwind.example"),
    "subject": (F.SUBJECT, "", "Online banking outage", "online banking outage"),
    "body": (F.BODY, "", "Line one\nthe VPN is down", "line one\nthe vpn is down"),
    "mailbox": (F.MAILBOX, "", "support@helpline.example", "support@helpline.example"),
    "header": (F.HEADER, "X-Priority", ("3", "1"), "1"),
    "custom field": (F.CUSTOM_FIELD, "Contract", "Gold", "gold"),
}
FACT_NAMES = {
    F.SENDER_EMAIL: "sender_email",
    F.SENDER_NAME: "sender_name",
    F.SENDER_DOMAIN: "sender_email",
    F.SUBJECT: "subject",
    F.BODY: "body",
    F.MAILBOX: "mailbox_address",
}


def facts_with(field, key, value) -> Facts:
    if field == F.HEADER:
        return facts(headers={key.lower(): value})
    if field == F.CUSTOM_FIELD:
        return facts(custom_fields={key: value})
    return facts(**{FACT_NAMES[field]: value})


@pytest.mark.parametrize("field, key, value, expected", CONDITIONS.values(), ids=CONDITIONS.keys())
def test_each_field_is_read(make_rule, emergency, field, key, value, expected):
    make_rule(conditions=[(field, O.EQUALS, expected, key)], actions=[(A.SET_PRIORITY, emergency)])
    assert decide(facts_with(field, key, value), event=Event.TICKET).priority == emergency
    assert decide(facts_with(field, key, "something else"), event=Event.TICKET).priority is None


def test_a_topic_is_matched_by_its_full_name(make_rule, emergency, it_department):
    hardware = HelpTopicFactory(name="Hardware request", department=it_department)
    monitor = HelpTopicFactory(name="Monitor", parent=hardware, department=it_department)
    make_rule(
        conditions=[(F.TOPIC, O.STARTS_WITH, "hardware request")], actions=[(A.SET_PRIORITY, emergency)]
    )
    assert decide(facts(topic_id=monitor.pk), event=Event.TICKET).priority == emergency
    assert decide(facts(topic_id=hardware.pk), event=Event.TICKET).priority == emergency
    assert decide(facts(topic_id=None), event=Event.TICKET).priority is None


@pytest.mark.parametrize(
    "match, subject, expected",
    [(Match.ALL, "outage", False), (Match.ANY, "outage", True), (Match.ALL, "outage urgent", True)],
)
def test_all_or_any_conditions(make_rule, emergency, match, subject, expected):
    make_rule(
        match=match,
        conditions=[OUTAGE, (F.SUBJECT, O.CONTAINS, "urgent")],
        actions=[(A.SET_PRIORITY, emergency)],
    )
    assert (decide(facts(subject=subject), event=Event.TICKET).priority == emergency) is expected


def test_a_rule_without_conditions_matches_everything(make_rule, emergency):
    make_rule(actions=[(A.SET_PRIORITY, emergency)])
    assert decide(facts(subject="anything"), event=Event.TICKET).priority == emergency


def test_rules_run_in_order_and_a_later_setting_overrides(make_rule, emergency):
    low = Priority.objects.get(name="Low")
    make_rule("Second", order=20, actions=[(A.SET_PRIORITY, low)])
    make_rule("First", order=10, actions=[(A.SET_PRIORITY, emergency)])
    decision = decide(facts(), event=Event.TICKET)
    assert [r.rule_name for r in decision.matched] == ["First", "Second"] and decision.priority == low


@pytest.mark.parametrize("how", ["flag", "action"])
def test_stop_processing_ends_the_run_after_the_rule(make_rule, emergency, how):
    low = Priority.objects.get(name="Low")
    make_rule(
        "Stopper",
        stop_processing=how == "flag",
        actions=[(A.SET_PRIORITY, emergency), *([(A.STOP,)] if how == "action" else [])],
    )
    make_rule("Never reached", actions=[(A.SET_PRIORITY, low)])
    decision = decide(facts(), event=Event.TICKET)
    assert decision.priority == emergency
    assert [(r.rule_name, r.stopped) for r in decision.matched] == [("Stopper", True)]


def test_a_rule_that_does_not_match_does_not_stop(make_rule, emergency):
    make_rule(conditions=[(F.SUBJECT, O.CONTAINS, "nothing like it")], stop_processing=True)
    make_rule(actions=[(A.SET_PRIORITY, emergency)])
    assert decide(facts(), event=Event.TICKET).priority == emergency


def test_later_rules_see_the_topic_an_earlier_rule_set(make_rule, emergency, it_department, support):
    network = HelpTopicFactory(name="Network", department=it_department)
    make_rule("Topic by subject", conditions=[OUTAGE], actions=[(A.SET_TOPIC, network)])
    make_rule("By topic", conditions=[(F.TOPIC, O.EQUALS, "Network")], actions=[(A.SET_PRIORITY, emergency)])
    decision = decide(facts(department=support), event=Event.TICKET)
    assert [r.rule_name for r in decision.matched] == ["Topic by subject", "By topic"]
    assert decision.priority == emergency
    # The topic takes the ticket to its department, as choosing it would.
    assert decision.department is None and decision.resulting_department == it_department


def test_a_department_a_rule_names_wins_over_the_topics(make_rule, it_department, support):
    network = HelpTopicFactory(name="Network", department=it_department)
    make_rule(actions=[(A.SET_DEPARTMENT, support)])
    make_rule(actions=[(A.SET_TOPIC, network)])
    decision = decide(facts(department=it_department), event=Event.TICKET)
    assert decision.topic == network and decision.resulting_department == support


def test_rules_run_on_their_channels_and_on_messages_only_when_asked(make_rule, emergency):
    make_rule("Email only", channels=[Channel.EMAIL], actions=[(A.SUPPRESS_AUTOREPLY,)])
    make_rule(
        "Also messages",
        channels=[Channel.WEB, Channel.EMAIL],
        on_messages=True,
        actions=[(A.SET_PRIORITY, emergency)],
    )
    make_rule("Inactive", is_active=False, actions=[(A.REJECT, "")])

    def names(channel, event):
        return [r.rule_name for r in decide(facts(channel=channel), event=event).matched]

    assert names(Channel.EMAIL, Event.TICKET) == ["Email only", "Also messages"]
    assert names(Channel.WEB, Event.TICKET) == ["Also messages"]
    assert names(Channel.API, Event.TICKET) == []
    assert names(Channel.EMAIL, Event.MESSAGE) == ["Also messages"]
    with pytest.raises(ValueError, match="Unknown event"):
        decide(facts(), event="reply")


def test_an_agent_outside_the_resulting_department_is_skipped_with_the_reason(
    make_rule, sam, ivan, support, it_department
):
    make_rule("Assign Sam", actions=[(A.ASSIGN_AGENT, sam)])
    make_rule("Assign Ivan", actions=[(A.ASSIGN_AGENT, ivan)])
    decision = decide(facts(department=support), event=Event.TICKET, works_in=works_in)
    # Ivan works in IT only: the latest agent who works in Support is chosen.
    assert decision.agent == sam
    sam_rule, ivan_rule = decision.matched
    assert [a.label for a in sam_rule.applied] == ["Assigned to Sam"]
    assert ivan_rule.applied == [] and [(s.value, s.reason) for s in ivan_rule.skipped] == [
        (ivan, "Ivan does not work in Support.")
    ]
    # Moved to IT by a rule, the ticket goes to Ivan, the latest agent named; Sam was named before him, and
    # is overridden as any earlier setting is.
    make_rule("To IT", actions=[(A.SET_DEPARTMENT, it_department)])
    moved = decide(facts(department=support), event=Event.TICKET, works_in=works_in)
    assert moved.agent == ivan and [r.skipped for r in moved.matched] == [[], [], []]
    # Without ``works_in`` the agent is taken as named (the ticket actions still check).
    assert decide(facts(department=support), event=Event.TICKET).agent == ivan


def test_an_agent_with_no_department_to_check_is_skipped(make_rule, sam):
    make_rule(actions=[(A.ASSIGN_AGENT, sam)])
    decision = decide(facts(department=None), event=Event.TICKET, works_in=works_in)
    assert decision.agent is None
    assert decision.matched[0].skipped[0].reason == "The ticket has no department to check the agent against."


def test_rows_that_cannot_take_tickets_are_skipped(make_rule, sam, it_department):
    team = TeamFactory(name="Old team", is_active=False)
    topic = HelpTopicFactory(name="Retired", department=it_department, is_active=False)
    sam.user.is_active = False
    sam.user.save()
    make_rule(actions=[(A.ASSIGN_TEAM, team), (A.SET_TOPIC, topic), (A.ASSIGN_AGENT, sam)])
    decision = decide(facts(), event=Event.TICKET)
    assert (decision.team, decision.topic, decision.agent) == (None, None, None)
    assert [s.reason for s in decision.matched[0].skipped] == [
        "Old team is inactive.",
        "Retired is inactive.",
        "Sam is inactive.",
    ]


def test_deciding_reads_the_rules_in_four_queries(
    make_rule, emergency, django_assert_num_queries, it_department
):
    topic = HelpTopicFactory(name="Network", department=it_department)
    for _ in range(5):
        make_rule(
            conditions=[OUTAGE, (F.BODY, O.NOT_CONTAINS, "spam")],
            actions=[(A.SET_PRIORITY, emergency), (A.SET_TOPIC, topic)],
        )
    decide(facts(), event=Event.TICKET)  # whether any rule is active, kept (test_rules_kept)
    # The token that says the rules did not change, the rules, their conditions, their actions.
    with django_assert_num_queries(4):
        decision = decide(facts(), event=Event.TICKET)
    assert len(decision.matched) == 5
