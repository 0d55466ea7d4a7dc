"""An agent on a phone filters a queue, saves it as a queue of their own and opens it from the navigation,
in a real Chromium at 390 px wide, without a line of the page's own script: nothing scrolls sideways and
axe-core finds no serious or critical violation, with the filter panel open or closed."""

import pytest
from playwright.sync_api import Page, expect

from helpline.catalog.models import Priority
from helpline.staff.models import SavedQueue
from helpline.testsupport.browser import assert_accessible, assert_fits, load_axe
from helpline.testsupport.factories import RequesterFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

LONG_EMAIL = "maximilian.alexander.featherstonehaugh-worthington@procurement.subsidiary-holdings.example.test"


@pytest.fixture
def browser_context_args(browser_context_args):
    return {**browser_context_args, "viewport": {"width": 390, "height": 844}}


def check(page: Page) -> None:
    assert_fits(page)
    assert_accessible(page)


def test_an_agent_filters_a_queue_saves_it_and_opens_it_from_the_navigation(
    live_server, page: Page, new_ticket
):
    urgent = new_ticket(
        "The accounting spreadsheet on the fourth-floor file server refuses every macro",
        requester=RequesterFactory(name="Maximiliana Featherstonehaugh-Worthington", email=LONG_EMAIL),
        priority=Priority.objects.get(name="High"),
    )
    calm = new_ticket("A question about the printer")
    base = live_server.url
    load_axe(page)
    page.goto(f"{base}/staff/login/")
    page.fill("#id_username", "sam")
    page.fill("#id_password", "correct horse battery")
    page.locator("main form button[type=submit]").click()
    expect(page.locator(".topbar")).to_contain_text("Sign out")

    page.goto(f"{base}/staff/queues/open/")
    page.locator("#filter-panel > summary").click()
    check(page)
    page.select_option("#filter-priority", label="High")
    page.select_option("#filter-assignee", label="Unassigned")
    page.locator("#filter-apply").click()
    expect(page.locator("#list-count")).to_have_text("1 ticket matches these filters")
    expect(page.locator("main")).to_contain_text(urgent.subject)
    expect(page.locator("main")).not_to_contain_text(calm.subject)
    check(page)

    page.locator("#save-queue > summary").click()
    page.fill("#save-name", "Urgent and nobody on it")
    page.locator("#save-queue-form").get_by_label("Requester", exact=True).uncheck()
    check(page)
    page.locator("#save-queue-submit").click()
    expect(page.locator("h1")).to_have_text("Urgent and nobody on it")
    assert SavedQueue.objects.get().columns == [
        "department",
        "priority",
        "status",
        "assignee",
        "created",
        "updated",
        "due",
    ]

    page.goto(f"{base}/staff/queues/pending/")
    page.locator("#saved-queues > summary").click()
    check(page)
    link = page.get_by_role("link", name="Urgent and nobody on it")
    expect(link).to_contain_text("1")
    link.click()
    expect(page.locator("h1")).to_have_text("Urgent and nobody on it")
    expect(page.locator("main table")).to_contain_text(urgent.subject)
    expect(page.locator("main table")).not_to_contain_text("Maximiliana")  # the requester column is left out
    check(page)
