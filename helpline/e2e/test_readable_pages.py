"""The staff panel and the portal as people with a phone, a keyboard or a screen reader meet them, in a real
Chromium at 390 px wide: no page scrolls sideways, even with long names and addresses in the data; axe-core
finds no serious or critical violation; the skip links, the error summary and the confirmations take the
focus where a keyboard and a screen reader need it."""

import re

import pytest
from playwright.sync_api import Page, expect

from helpline.testsupport.browser import assert_accessible, assert_fits, load_axe
from helpline.testsupport.factories import AgentFactory, RequesterFactory, SLAPlanFactory, UserFactory
from helpline.tickets.actions import Routing, assign_ticket, open_ticket

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
LONG_EMAIL = "maximilian.alexander.featherstonehaugh-worthington@procurement.subsidiary-holdings.example.test"
LONG_NAME = "Maximiliana Alexandra Featherstonehaugh-Worthington-Montgomery"


@pytest.fixture
def browser_context_args(browser_context_args):
    return {**browser_context_args, "viewport": PHONE}


@pytest.fixture
def long_ticket(support, support_topic, sam):
    SLAPlanFactory(name="Premium enterprise support with extended business hours", hours=24)
    requester = RequesterFactory(name=LONG_NAME, email=LONG_EMAIL)
    colleague = AgentFactory(
        user=UserFactory(username="maxi", first_name="Bartholomew-Maximilian", last_name="Featherstonehaugh"),
        departments=[support],
    )
    ticket = open_ticket(
        actor=requester,
        requester=requester,
        routing=Routing(topic=support_topic),
        subject="The shared accounting spreadsheet on the fourth-floor file server refuses every macro",
        body="Since the upgrade nothing works: " + "https://intranet.example.test/" + "x" * 80,
    )
    assign_ticket(actor=sam, ticket=ticket, agent=colleague)
    return ticket


def check(page: Page) -> None:
    assert_fits(page)
    assert_accessible(page)


def submit_without_browser_checks(page: Page, form: str, button: str) -> None:
    """Post the form past the browser's own checks (required, maxlength), as an old browser would, to see
    how the server's refusal reads."""
    page.locator(form).evaluate("form => { form.noValidate = true; }")
    page.locator(button).click()


def sign_in_failing_first(page: Page, base: str) -> None:
    page.goto(f"{base}/staff/login/")
    check(page)
    page.fill("#id_username", "sam")
    page.fill("#id_password", "not the password")
    page.locator("main form button[type=submit]").click()
    expect(page.locator("#error-summary")).to_be_focused()
    expect(page).to_have_title(re.compile(r"^Error: Agent sign in"))
    page.fill("#id_password", "correct horse battery")
    page.locator("main form button[type=submit]").click()
    expect(page.locator(".topbar")).to_contain_text("Sign out")


def test_staff_pages_on_a_phone(live_server, page: Page, long_ticket):
    base = live_server.url
    load_axe(page)
    sign_in_failing_first(page, base)
    for path in ("/staff/queues/open/", "/staff/tickets/new/", "/staff/preferences/", "/staff/nowhere/"):
        page.goto(base + path)
        check(page)

    # The reply box is three key presses away: past the navigation by the skip link.
    page.goto(f"{base}/staff/tickets/{long_ticket.number}/")
    check(page)
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Skip to main content")).to_be_focused()
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Skip to the reply")).to_be_focused()
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    expect(page.locator("#reply-body")).to_be_focused()

    # A refused reply: the summary takes the focus, names the error and links to the field.
    submit_without_browser_checks(page, "#reply-form", "#reply-submit")
    expect(page.locator("#error-summary")).to_be_focused()
    expect(page).to_have_title(re.compile(r"^Error: #"))
    check(page)
    page.locator("#error-summary a").click()
    expect(page.locator("#reply-body")).to_be_focused()

    # A posted reply: the confirmation takes the focus, so a screen reader reads it after the redirect.
    page.fill("#reply-body", "Please send us the macro's error message.")
    page.locator("#reply-submit").click()
    expect(page.locator("#messages")).to_be_focused()
    expect(page.locator("#messages")).to_contain_text("Reply posted.")
    check(page)

    page.set_viewport_size(DESKTOP)
    for path in ("/staff/queues/open/", f"/staff/tickets/{long_ticket.number}/"):
        page.goto(base + path)
        check(page)


def test_portal_pages_on_a_phone(live_server, page: Page, settings, support_topic, sam):
    base = live_server.url
    settings.SITE_URL = base
    settings.HELPLINE_PORTAL_MIN_SECONDS = 0  # this test reads pages; the guards have tests of their own
    load_axe(page)
    page.goto(f"{base}/portal/")
    check(page)
    submit_without_browser_checks(page, "main form", "main form button[type=submit]")
    expect(page.locator("#error-summary")).to_be_focused()
    expect(page).to_have_title(re.compile(r"^Error: Open a ticket"))

    page.fill("#id_name", LONG_NAME)
    page.fill("#id_email", LONG_EMAIL)
    page.select_option("#id_topic", label="General inquiry")
    page.fill(
        "#id_subject", "The shared accounting spreadsheet on the fourth-floor file server refuses macros"
    )
    page.fill("#id_message", "Since the upgrade nothing works.")
    page.get_by_role("button", name="Open ticket").click()
    expect(page.locator("h1")).to_contain_text("created")
    assert_fits(page)

    page.locator("#access-link").click()
    expect(page.locator("#zone-time_zone")).to_be_visible()
    check(page)
    page.select_option("#zone-time_zone", "Asia/Tokyo")
    page.get_by_role("button", name="Show times in this zone").click()
    expect(page.locator("#messages")).to_be_focused()
    expect(page.locator("main")).to_contain_text("JST")
    check(page)
