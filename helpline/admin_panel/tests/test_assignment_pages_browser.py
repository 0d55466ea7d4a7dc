"""The assignment pages and the "Take it" buttons as an administrator on a phone meets them, in a real
Chromium at 390 px wide: nothing scrolls sideways, axe-core finds no serious or critical violation, a refused
form takes the focus to its error summary, and a ticket is taken from the queue in one click."""

import re

import pytest
from playwright.sync_api import Page, expect

from helpline.testsupport.browser import assert_accessible, assert_fits, load_axe
from helpline.testsupport.factories import AgentFactory, TeamFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

LONG_NAME = "Maximiliana Alexandra Featherstonehaugh-Worthington-Montgomery"


@pytest.fixture
def browser_context_args(browser_context_args):
    return {**browser_context_args, "viewport": {"width": 390, "height": 844}}


def check(page: Page) -> None:
    assert_fits(page)
    assert_accessible(page)


def test_the_assignment_pages_and_taking_a_ticket_on_a_phone(live_server, page: Page, ada, support, ticket):
    TeamFactory(name="Second-line escalations for the procurement and subsidiary holdings desks")
    long = AgentFactory(
        user=UserFactory(username="maxi", first_name=LONG_NAME), departments=[support], is_away=True
    )
    base = live_server.url
    load_axe(page)
    page.goto(f"{base}/staff/login/")
    page.fill("#id_username", "ada")
    page.fill("#id_password", "correct horse battery")
    page.locator("main form button[type=submit]").click()
    expect(page.locator(".topbar")).to_contain_text("Sign out")
    for path in ("assignment/", "assignment/agents/"):
        page.goto(f"{base}/staff/admin/{path}")
        check(page)

    page.goto(f"{base}/staff/admin/assignment/")
    page.select_option(f"#department-{support.pk}-strategy", "round_robin")
    page.locator(f"#department-{support.pk} button").click()
    expect(page.locator("#messages")).to_contain_text("Support now assigns by “Round-robin”.")

    page.goto(f"{base}/staff/admin/assignment/agents/{long.pk}/")
    check(page)
    page.fill("#id_vacation_from", "2026-12-20")
    page.fill("#id_vacation_until", "2026-12-01")
    page.locator("#availability-submit").click()
    expect(page.locator("#error-summary")).to_be_focused()
    expect(page).to_have_title(re.compile(r"^Error: Availability of"))
    check(page)

    page.goto(f"{base}/staff/queues/unassigned/")
    check(page)
    page.locator(f"#claim-{ticket.number}").click()
    expect(page.locator("#messages")).to_contain_text(f"You took ticket #{ticket.number}.")
    expect(page.locator(f"#claim-{ticket.number}")).to_have_count(0)
    check(page)
