"""Routing as an administrator sets it up and a requester meets it, in a real headless Chromium on a phone:
the administrator makes the rule "subject contains 'outage' -> priority Emergency, SLA Sev-A, team Network" in
the administration pages; a requester opens "Online banking outage" in the portal; the ticket lands with that
team, that priority and the plan's due time, the thread names the rule, and the queue shows the countdown."""

import re
from datetime import timedelta

import pytest
from playwright.sync_api import Page, expect

from helpline.routing.models import FilterRule
from helpline.testsupport.browser import assert_accessible, assert_fits, load_axe, open_ticket_in_portal
from helpline.testsupport.factories import SLAPlanFactory, TeamFactory
from helpline.tickets.models import Event, Ticket

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def browser_context_args(browser_context_args):
    return {**browser_context_args, "viewport": {"width": 390, "height": 844}}


def check(page: Page) -> None:
    assert_fits(page)
    assert_accessible(page)


def test_a_rule_made_in_the_admin_pages_routes_a_portal_ticket(
    live_server, page: Page, settings, ada, support_topic
):
    settings.SITE_URL = base = live_server.url
    plan = SLAPlanFactory(name="Sev-A", hours=2, first_response_target=timedelta(minutes=30))
    TeamFactory(name="Network")
    load_axe(page)
    page.goto(f"{base}/staff/login/")
    page.fill("#id_username", "ada")
    page.fill("#id_password", "correct horse battery")
    page.locator("main form button[type=submit]").click()
    expect(page.locator(".topbar")).to_contain_text("Sign out")

    # The rule: a new one has two empty rows of each kind; saving it offers more.
    page.goto(f"{base}/staff/admin/rules/new/")
    check(page)
    page.fill("#id_name", "Outages")
    page.get_by_label("Web portal").check()
    page.select_option("#id_conditions-0-field", "subject")
    page.select_option("#id_conditions-0-operator", "contains")
    page.fill("#id_conditions-0-value", "outage")
    page.select_option("#id_actions-0-kind", "set_priority")
    page.select_option("#id_actions-0-target", label="Emergency")
    page.select_option("#id_actions-1-kind", "set_sla_plan")
    page.select_option("#id_actions-1-target", label="Sev-A")
    page.locator("#rule-submit").click()
    expect(page.locator(".messages")).to_contain_text("Outages")
    rule = FilterRule.objects.get(name="Outages")
    page.goto(f"{base}/staff/admin/rules/{rule.pk}/")
    page.select_option("#id_actions-2-kind", "assign_team")
    page.select_option("#id_actions-2-target", label="Network")
    page.locator("#rule-submit").click()
    expect(page.locator(".messages")).to_contain_text("Outages")
    assert list(rule.actions.order_by("position").values_list("kind", flat=True)) == [
        "set_priority",
        "set_sla_plan",
        "assign_team",
    ]

    # The requester opens the ticket; the rule routes it.
    portal = page.context.browser.new_page(viewport={"width": 390, "height": 844})
    open_ticket_in_portal(portal, base, subject="Online banking outage")
    portal.close()
    ticket = Ticket.objects.select_related("priority", "team", "sla_plan").get(
        subject="Online banking outage"
    )
    assert (ticket.priority.name, ticket.team.name, ticket.sla_plan) == ("Emergency", "Network", plan)
    assert ticket.due_at == ticket.created_at + timedelta(hours=2)
    assert ticket.first_response_due_at == ticket.created_at + timedelta(minutes=30)
    assert ticket.entries.get(event=Event.RULE).author_name == "Filter rule Outages"

    # The queue shows the countdown; the ticket page the targets and which rule did it. (The portal's form
    # was sent a few seconds ahead of the clock, as a person takes time to fill it in: within a minute.)
    page.goto(f"{base}/staff/queues/open/")
    row = page.locator(f"#ticket-{ticket.number}")
    expect(row.get_by_text("Emergency")).to_be_visible()
    expect(row).to_contain_text("Network")
    expect(row.locator("[data-label=Due]")).to_contain_text(re.compile(r"in (2 h|1 h 59 min)"))
    expect(row.locator("[data-label=Due]")).to_contain_text(re.compile(r"reply in (30|29) min"))
    check(page)
    row.get_by_role("link", name="Online banking outage").click()
    expect(page.locator("#prop-priority")).to_have_text("Emergency")
    expect(page.locator("#prop-team")).to_have_text("Network")
    expect(page.locator("#prop-sla")).to_have_text("Sev-A")
    expect(page.locator("#prop-due")).to_contain_text(re.compile(r"in (2 h|1 h 59 min)"))
    expect(page.locator("#prop-first-response")).to_contain_text(re.compile(r"in (30|29) min"))
    expect(page.locator("main")).to_contain_text("Filter rule Outages")
    check(page)
