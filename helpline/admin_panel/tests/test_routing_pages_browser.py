"""The pages of help topics, statuses and filter rules as an administrator on a phone meets them, in a real
Chromium at 390 px wide: nothing scrolls sideways, axe-core finds no serious or critical violation, a rule
refused for its regular expression takes the focus to the error summary, whose link leads to the field."""

import re

import pytest
from playwright.sync_api import Page, expect

from helpline.catalog.models import Priority, State, TicketStatus
from helpline.routing.models import ActionKind as A
from helpline.routing.models import ConditionField as F
from helpline.routing.models import Operator as O
from helpline.testsupport.browser import assert_accessible, assert_fits, load_axe
from helpline.testsupport.factories import HelpTopicFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

LONG = "Procurement and subsidiary holdings equipment requests"


@pytest.fixture
def browser_context_args(browser_context_args):
    return {**browser_context_args, "viewport": {"width": 390, "height": 844}}


def check(page: Page) -> None:
    assert_fits(page)
    assert_accessible(page)


def test_the_routing_pages_on_a_phone(live_server, page: Page, ada, it_department, ivan, make_rule):
    parent = HelpTopicFactory(name=LONG, department=it_department)
    child = HelpTopicFactory(name="Monitor", parent=parent, department=it_department, assign_to_agent=ivan)
    TicketStatus.objects.create(name="In progress", state=State.OPEN, sort=50)
    rule = make_rule(
        "Outages are emergencies",
        conditions=[(F.SUBJECT, O.CONTAINS, "outage"), (F.HEADER, O.ONE_OF, "1\n2", "X-Priority")],
        actions=[(A.SET_PRIORITY, Priority.objects.get(name="Emergency")), (A.SET_TOPIC, child)],
    )
    base = live_server.url
    load_axe(page)
    page.goto(f"{base}/staff/login/")
    page.fill("#id_username", "ada")
    page.fill("#id_password", "correct horse battery")
    page.locator("main form button[type=submit]").click()
    expect(page.locator(".topbar")).to_contain_text("Sign out")
    for path in (
        "topics/",
        f"topics/{child.pk}/",
        "statuses/",
        "statuses/new/",
        "rules/",
        f"rules/{rule.pk}/",
    ):
        page.goto(f"{base}/staff/admin/{path}")
        check(page)

    # A broken regular expression: the summary takes the focus and links to the condition's value.
    page.locator("#id_conditions-1-operator").select_option("regex")
    page.fill("#id_conditions-1-value", "(a|aa)+$")
    page.locator("#rule-submit").click()
    expect(page.locator("#error-summary")).to_be_focused()
    expect(page).to_have_title(re.compile(r"^Error: Filter rule"))
    expect(page.locator("#error-summary")).to_contain_text("takes too long on some texts")
    check(page)
    page.locator("#error-summary a").first.click()
    expect(page.locator("#id_conditions-1-value")).to_be_focused()

    # Trying the rules on a sample shows what they would do.
    page.goto(f"{base}/staff/admin/rules/test/")
    page.fill("#id_subject", "Online banking outage")
    page.fill("#id_headers", "X-Priority: 1")
    page.locator("#rule-test-submit").click()
    expect(page.locator("#outcome")).to_contain_text("Priority: Emergency")
    expect(page.locator("#outcome")).to_contain_text(f"Help topic: {LONG} / Monitor")
    check(page)
