"""The dashboard, the ticket page and its print view in a real Chromium at 390 px wide, with JavaScript:
nothing scrolls sideways, axe-core finds no serious or critical violation, htmx fills in the queue counts
(the navigation's and a queue page's tabs) under the page's CSP, and the shortcuts' list opens with "?" and closes with Escape."""

import base64

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from playwright.sync_api import Page, expect

from helpline.testsupport.browser import assert_accessible, assert_fits, load_axe
from helpline.tickets.actions import add_note, assign_ticket

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

# A 1x1 PNG.
PIXEL = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII="
)


@pytest.fixture
def browser_context_args(browser_context_args):
    return {**browser_context_args, "viewport": {"width": 390, "height": 844}}


def check(page: Page) -> None:
    assert_fits(page)
    assert_accessible(page)


def test_dashboard_ticket_page_print_view_and_shortcuts_on_a_phone(live_server, page: Page, sam, ticket):
    assign_ticket(actor=sam, ticket=ticket, agent=sam)
    add_note(
        actor=sam,
        ticket=ticket,
        body="The photo of the printer.",
        attachments=[SimpleUploadedFile("printer.png", PIXEL, content_type="image/png")],
    )
    refused: list[str] = []
    page.on(
        "console",
        lambda message: refused.append(message.text) if "Content Security" in message.text else None,
    )
    base = live_server.url
    load_axe(page)
    page.goto(f"{base}/staff/login/")
    page.fill("#id_username", "sam")
    page.fill("#id_password", "correct horse battery")
    page.locator("main form button[type=submit]").click()
    expect(page.locator("h1")).to_have_text("Dashboard")
    expect(page.locator("#dash-my-open")).to_contain_text(ticket.subject)
    expect(page.locator("#nav-count-mine")).to_contain_text("1")  # htmx asked for the counts
    check(page)

    page.goto(f"{base}/staff/tickets/{ticket.number}/")
    expect(page.locator("img.attachment-preview")).to_have_count(1)
    check(page)
    page.keyboard.press("?")
    dialog = page.locator("#shortcuts")
    expect(dialog).to_be_visible()
    expect(page.locator("#shortcuts-close")).to_be_focused()
    check(page)
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    page.keyboard.press("r")
    expect(page.locator("#reply-body")).to_be_focused()
    page.keyboard.type("n?")  # typed into the reply: no shortcut fires
    expect(page.locator("#reply-body")).to_have_value("n?")
    expect(dialog).to_be_hidden()

    page.locator("#print-view").click()
    expect(page.locator("main")).to_contain_text("The photo of the printer.")
    expect(page.locator("main form")).to_have_count(0)
    check(page)
    page.emulate_media(media="print")
    expect(page.locator(".topbar")).to_be_hidden()
    page.emulate_media(media="screen")

    # The queue page is served without counts; the navigation's request brings the tabs' too.
    page.goto(f"{base}/staff/queues/mine/")
    expect(page.locator("#tab-count-mine")).to_contain_text("1")
    expect(page.locator("#tab-count-closed")).to_contain_text("0")
    expect(page.locator("#tab-mine")).to_have_attribute("aria-current", "page")
    expect(page.locator("#nav-count-mine")).to_contain_text("1")
    check(page)
    assert not refused, refused
