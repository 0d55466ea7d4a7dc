"""The "try the rules" page: a sample subject, sender, body, channel, topic, mailbox and headers, and what
each active rule would do with it, changing nothing."""

import pytest
from django.urls import reverse

from helpline.audit.models import AuditEntry
from helpline.catalog.models import Priority
from helpline.mail.models import OutboundEmail
from helpline.routing.models import ActionKind as A
from helpline.routing.models import ConditionField as F
from helpline.routing.models import FilterRule
from helpline.routing.models import Operator as O
from helpline.testsupport.factories import HelpTopicFactory, TeamFactory
from helpline.tickets.models import Ticket

URL = reverse("admin_panel:filter_rule_test")


def sample(**changes):
    return {
        "channel": "email",
        "event": "ticket",
        "sender_email": "rita@bank.example",
        "sender_name": "Rita",
        "subject": "Online banking outage",
        "body": "Nobody can sign in.",
        "topic": "",
        "mailbox": "",
        "headers": "",
    } | changes


@pytest.fixture
def rules(make_rule, ivan, sam, it_department):
    emergency = Priority.objects.get(name="Emergency")
    network = TeamFactory(name="Network")
    make_rule(
        "Outages",
        conditions=[(F.SUBJECT, O.CONTAINS, "outage")],
        actions=[(A.SET_PRIORITY, emergency), (A.ASSIGN_TEAM, network), (A.ASSIGN_AGENT, ivan)],
    )
    make_rule("Web only", channels=["web"], actions=[(A.SUPPRESS_AUTOREPLY,)])
    make_rule(
        "Urgent header",
        conditions=[(F.HEADER, O.EQUALS, "1", "X-Priority")],
        actions=[(A.SET_DEPARTMENT, it_department)],
        stop_processing=True,
    )
    make_rule("After the stop", actions=[(A.CANNED_REPLY, "Thanks")])
    make_rule("Never matches", conditions=[(F.SENDER_DOMAIN, O.EQUALS, "other.example")])


def outcomes(response):
    return [(row.rule.name, row.outcome) for row in response.context["tried"]]


def test_the_page_shows_what_each_rule_would_do_and_changes_nothing(admin_client, rules, support, ada):
    topic = HelpTopicFactory(name="Banking", department=support)
    before = (
        Ticket.objects.count(),
        AuditEntry.objects.count(),
        OutboundEmail.objects.count(),
        FilterRule.objects.count(),
    )
    response = admin_client.post(URL, sample(topic=topic.pk))
    assert response.status_code == 200
    assert outcomes(response) == [
        ("Outages", "matched"),
        ("Web only", "does not run on this channel"),
        ("Urgent header", "did not match"),
        ("After the stop", "matched"),
        ("Never matches", "did not match"),
    ]
    content = response.content.decode()
    assert "Priority: Emergency" in content and "Assigned to the team Network" in content
    # Ivan works in IT; the ticket would go to Support, the topic's department: he is skipped, and says why.
    assert "Skipped: Assigned to Ivan. Ivan does not work in Support." in content
    decision = response.context["decision"]
    assert (decision.priority.name, decision.team.name, decision.agent, decision.resulting_department) == (
        "Emergency",
        "Network",
        None,
        support,
    )
    assert (
        Ticket.objects.count(),
        AuditEntry.objects.count(),
        OutboundEmail.objects.count(),
        FilterRule.objects.count(),
    ) == before


def test_headers_are_read_and_a_stopping_rule_ends_the_run(admin_client, rules, it_department, ivan):
    response = admin_client.post(URL, sample(headers="X-Priority: 1\nReceived: from mx.example"))
    assert outcomes(response)[2:] == [
        ("Urgent header", "matched"),
        ("After the stop", "not reached"),
        ("Never matches", "not reached"),
    ]
    # Moved to IT by the third rule, the ticket may go to Ivan after all.
    decision = response.context["decision"]
    assert decision.resulting_department == it_department and decision.agent == ivan
    assert "Later rules do not run." in response.content.decode()


def test_a_message_meets_only_the_rules_that_run_on_messages(admin_client, rules, make_rule):
    make_rule("On messages", on_messages=True, actions=[(A.SUPPRESS_AUTOREPLY,)])
    response = admin_client.post(URL, sample(event="message"))
    assert outcomes(response)[0] == ("Outages", "does not run on messages")
    assert outcomes(response)[-1] == ("On messages", "matched")


def test_nothing_to_do_and_a_rejection_are_said_plainly(admin_client, make_rule):
    assert "There is no active rule." in admin_client.post(URL, sample()).content.decode()
    make_rule(
        "Spam", conditions=[(F.SENDER_DOMAIN, O.EQUALS, "spam.example")], actions=[(A.REJECT, "No thanks.")]
    )
    assert "No rule changes anything" in admin_client.post(URL, sample()).content.decode()
    rejected = admin_client.post(URL, sample(sender_email="x@spam.example")).content.decode()
    assert "<strong>Rejected</strong>, with the reply: “No thanks.”" in rejected


def test_a_slow_pattern_is_reported_as_timed_out(admin_client, make_rule, settings):
    settings.HELPLINE_RULE_REGEX_TIMEOUT_MS = 20
    make_rule("Slow", conditions=[(F.BODY, O.REGEX, r"(a|aa)+$")], check=False)
    response = admin_client.post(URL, sample(body="a" * 3000 + "!"))
    assert outcomes(response) == [("Slow", "did not match")]
    assert "Took too long, so counted as not matching" in response.content.decode()


def test_bad_headers_are_refused_with_the_line(admin_client, db):
    response = admin_client.post(URL, sample(headers="X-Priority: 1\nnot a header"))
    assert response.status_code == 400 and "Line 2 is not “Name: value”." in response.content.decode()
    assert "decision" not in response.context


def test_the_form_is_shown_on_get(admin_client, db):
    response = admin_client.get(URL)
    assert response.status_code == 200 and "decision" not in response.context
