"""Filter rules in the administration area: created and edited with their conditions and actions, each
field checked (regular expressions compiled and probed as they are saved), listed in order and moved up and
down, deactivated, each change on the audit log."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from helpline.admin_panel.tests.conftest import submitted
from helpline.audit.models import AuditEntry
from helpline.catalog.models import Priority
from helpline.routing.models import ActionKind as A
from helpline.routing.models import ConditionField as F
from helpline.routing.models import FilterRule
from helpline.routing.models import Operator as O
from helpline.testsupport.factories import SLAPlanFactory, TeamFactory

LIST = reverse("admin_panel:filter_rules")
NEW = reverse("admin_panel:filter_rule_new")


def edit_url(rule):
    return reverse("admin_panel:filter_rule_edit", args=[rule.pk])


def rows(prefix, items):
    data = {f"{prefix}-TOTAL_FORMS": str(len(items)), f"{prefix}-INITIAL_FORMS": "0"}
    for n, item in enumerate(items):
        data |= {f"{prefix}-{n}-{key}": value for key, value in item.items()}
    return data


def rule_data(conditions=(), actions=(), **settings):
    data = {"name": "Outages", "channels": ["web", "email"], "match": "all", "is_active": "on"} | settings
    return data | rows("conditions", list(conditions)) | rows("actions", list(actions))


@pytest.fixture
def emergency(db):
    return Priority.objects.get(name="Emergency")


def test_a_rule_is_created_with_its_conditions_and_actions_and_recorded(admin_client, emergency, ada):
    plan, team = SLAPlanFactory(name="Sev-A"), TeamFactory(name="Network")
    data = rule_data(
        conditions=[
            {"field": F.SUBJECT, "operator": O.CONTAINS, "value": "outage"},
            {"field": F.HEADER, "key": " X-Priority ", "operator": O.ONE_OF, "value": "1\n2"},
            {"field": "", "operator": "", "value": ""},  # an empty row adds nothing
        ],
        actions=[
            {"kind": A.SET_PRIORITY, "target": f"priority:{emergency.pk}"},
            {"kind": A.SET_SLA_PLAN, "target": f"sla_plan:{plan.pk}"},
            {"kind": A.ASSIGN_TEAM, "target": f"team:{team.pk}", "text": "ignored"},
            {"kind": A.ADD_COLLABORATOR, "text": " noc@example.test "},
        ],
        match="any",
        on_messages="on",
        stop_processing="on",
    )
    response = admin_client.post(NEW, data)
    rule = FilterRule.objects.get()
    assert response.status_code == 302 and response["Location"] == edit_url(rule)
    assert (rule.name, rule.channels, rule.match, rule.on_messages, rule.stop_processing) == (
        "Outages",
        ["web", "email"],
        "any",
        True,
        True,
    )
    assert [(c.field, c.key, c.operator, c.value, c.position) for c in rule.conditions.all()] == [
        ("subject", "", "contains", "outage", 0),
        ("header", "X-Priority", "one_of", "1\n2", 1),
    ]
    actions = list(rule.actions.all())
    assert [(a.kind, a.target, a.text) for a in actions] == [
        ("set_priority", emergency, ""),
        ("set_sla_plan", plan, ""),
        ("assign_team", team, ""),
        ("add_collaborator", None, "noc@example.test"),
    ]
    entry = AuditEntry.objects.get()
    assert (entry.action, entry.actor_id, entry.target_repr) == ("filter_rule.created", ada.pk, "Outages")
    assert entry.data["after"]["conditions"] == [
        "Subject contains “outage”",
        "Email header X-Priority is one of (one per line) “1\n2”",
    ]
    assert entry.data["after"]["actions"][0] == "Set the priority: Emergency"


def test_editing_a_rule_changes_deletes_and_adds_rows_and_records_before_and_after(
    admin_client, make_rule, emergency
):
    low = Priority.objects.get(name="Low")
    rule = make_rule(
        "Outages",
        conditions=[(F.SUBJECT, O.CONTAINS, "outage"), (F.BODY, O.CONTAINS, "down")],
        actions=[(A.SET_PRIORITY, emergency)],
    )
    page = admin_client.get(edit_url(rule))
    data = submitted(page.context["form"], page.context["conditions"], page.context["actions"])
    data |= {
        "conditions-0-value": "major outage",
        "conditions-1-DELETE": "on",
        "conditions-2-field": F.SENDER_DOMAIN,
        "conditions-2-operator": O.ENDS_WITH,
        "conditions-2-value": "bank.example",
        "actions-0-target": f"priority:{low.pk}",
    }
    response = admin_client.post(edit_url(rule), data)
    assert response.status_code == 302, response.context and response.context["row_forms"]
    assert [str(c) for c in rule.conditions.all()] == [
        "Subject contains “major outage”",
        "Sender's domain ends with “bank.example”",
    ]
    assert [a.priority for a in rule.actions.all()] == [low]
    entry = AuditEntry.objects.get()
    assert entry.action == "filter_rule.changed" and set(entry.data["after"]) == {"conditions", "actions"}
    assert entry.data["before"]["actions"] == ["Set the priority: Emergency"]
    assert entry.data["after"]["actions"] == ["Set the priority: Low"]
    # The same form posted again changes nothing and records nothing.
    page = admin_client.get(edit_url(rule))
    unchanged = submitted(page.context["form"], page.context["conditions"], page.context["actions"])
    again = admin_client.post(edit_url(rule), unchanged, follow=True)
    assert "unchanged: nothing to save" in again.content.decode() and AuditEntry.objects.count() == 1


REFUSED = {
    "a broken regular expression": (
        {"conditions": [{"field": F.SUBJECT, "operator": O.REGEX, "value": "(outage"}]},
        "conditions",
        "value",
        "This is not a valid regular expression: missing ) at position 7.",
    ),
    "a catastrophic regular expression": (
        {"conditions": [{"field": F.BODY, "operator": O.REGEX, "value": r"(\w+\s?)+$"}]},
        "conditions",
        "value",
        "This expression takes too long on some texts",
    ),
    "a header without its name": (
        {"conditions": [{"field": F.HEADER, "operator": O.EQUALS, "value": "1"}]},
        "conditions",
        "key",
        "Name the header (or field) to look at.",
    ),
    "an action without what it sets": (
        {"actions": [{"kind": A.SET_PRIORITY, "target": ""}]},
        "actions",
        "target",
        "Choose what “Set the priority” sets: one of the priorities.",
    ),
    "an action setting the wrong kind of row": (
        {"actions": [{"kind": A.ASSIGN_AGENT, "target": "team:1"}]},
        "actions",
        "target",
        "one of the agents",
    ),
    "a collaborator that is no address": (
        {"actions": [{"kind": A.ADD_COLLABORATOR, "text": "the noc"}]},
        "actions",
        "text",
        "Enter the collaborator's email address",
    ),
    "a canned reply without text": (
        {"actions": [{"kind": A.CANNED_REPLY, "text": "  "}]},
        "actions",
        "text",
        "Enter the reply to send.",
    ),
}


@pytest.mark.parametrize("rows_, prefix, field, message", REFUSED.values(), ids=REFUSED.keys())
def test_a_row_that_cannot_be_is_refused_on_its_field(admin_client, rows_, prefix, field, message):
    TeamFactory(name="Network")
    response = admin_client.post(NEW, rule_data(**rows_))
    assert response.status_code == 400
    errors = response.context[prefix][0].errors[field]
    assert any(message in error for error in errors), errors
    content = response.content.decode()
    assert (
        "There is a problem" in content
        and not FilterRule.objects.exists()
        and not AuditEntry.objects.exists()
    )


def test_the_rule_needs_a_name_once_and_a_channel(admin_client, make_rule):
    make_rule("Outages")
    response = admin_client.post(NEW, rule_data(name="OUTAGES", channels=[]))
    assert response.status_code == 400
    assert response.context["form"].errors == {
        "name": ["Another rule already has this name."],
        "channels": ["Choose at least one channel, or the rule never runs."],
    }


def names_in_order():
    return list(FilterRule.objects.order_by("order", "id").values_list("name", flat=True))


def test_the_list_shows_the_rules_in_order_and_moves_them(admin_client, make_rule, emergency):
    for name in ("First", "Second", "Third"):
        make_rule(
            name, conditions=[(F.SUBJECT, O.CONTAINS, name.lower())], actions=[(A.SET_PRIORITY, emergency)]
        )
    content = admin_client.get(LIST).content.decode()
    assert content.index("First") < content.index("Second") < content.index("Third")
    assert "Subject contains “first”" in content and "Set the priority: Emergency" in content
    third = FilterRule.objects.get(name="Third")
    admin_client.post(reverse("admin_panel:filter_rule_move", args=[third.pk]), {"direction": "up"})
    assert names_in_order() == ["First", "Third", "Second"]
    entry = AuditEntry.objects.get()
    assert (entry.action, entry.target_repr, entry.data) == (
        "filter_rule.moved",
        "Third",
        {"before": {"position": 3}, "after": {"position": 2}},
    )
    first = FilterRule.objects.get(name="First")
    top = admin_client.post(
        reverse("admin_panel:filter_rule_move", args=[first.pk]), {"direction": "up"}, follow=True
    )
    assert "at that end of the list already" in top.content.decode() and AuditEntry.objects.count() == 1
    admin_client.post(reverse("admin_panel:filter_rule_move", args=[first.pk]), {"direction": "down"})
    assert names_in_order() == ["Third", "First", "Second"]
    # A new rule goes last.
    admin_client.post(NEW, rule_data(name="Fourth"))
    assert names_in_order()[-1] == "Fourth"


def test_deactivating_a_rule_is_recorded_once(admin_client, make_rule):
    rule = make_rule("Outages")
    url = reverse("admin_panel:filter_rule_deactivate", args=[rule.pk])
    assert "deactivated: it no longer runs" in admin_client.post(url, follow=True).content.decode()
    assert "inactive already" in admin_client.post(url, follow=True).content.decode()
    assert not FilterRule.objects.get().is_active
    assert list(AuditEntry.objects.values_list("action", flat=True)) == ["filter_rule.deactivated"]
    assert "inactive" in admin_client.get(LIST).content.decode()


def count_queries(client, url):
    # A first request reads again what the process keeps of the configuration (new rules changed it).
    assert client.get(url).status_code == 200
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_list_takes_as_many_queries_for_30_rules_as_for_3(admin_client, make_rule, emergency, sam):
    team = TeamFactory(name="Network")

    def add(n):
        for _ in range(n):
            make_rule(
                conditions=[(F.SUBJECT, O.CONTAINS, "outage"), (F.HEADER, O.EQUALS, "1", "X-Priority")],
                actions=[(A.SET_PRIORITY, emergency), (A.ASSIGN_TEAM, team), (A.ASSIGN_AGENT, sam)],
            )

    add(3)
    three = count_queries(admin_client, LIST)
    add(27)
    assert count_queries(admin_client, LIST) == three


def test_the_edit_page_takes_as_many_queries_for_30_rows_as_for_3(admin_client, make_rule, emergency, sam):
    few = make_rule(
        conditions=[(F.SUBJECT, O.CONTAINS, "a")] * 3,
        actions=[(A.SET_PRIORITY, emergency), (A.ASSIGN_AGENT, sam), (A.STOP,)],
    )
    many = make_rule(
        conditions=[(F.SUBJECT, O.CONTAINS, "a")] * 30,
        actions=[(A.SET_PRIORITY, emergency), (A.ASSIGN_AGENT, sam), (A.STOP,)] * 10,
    )
    assert count_queries(admin_client, edit_url(few)) == count_queries(admin_client, edit_url(many))
