"""Two agents on one ticket, each in their own browser at 390 px wide: one starts typing a reply and the
other sees that they are replying; the first replies; the second's reply is held back with the new entry
and goes out on "Send anyway". Nothing scrolls sideways and axe-core finds no serious violation."""

import pytest
from playwright.sync_api import Browser, Page, expect

from helpline.testsupport.browser import assert_accessible, assert_fits, load_axe
from helpline.tickets.models import ReplyLock

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)
PHONE = {"width": 390, "height": 844}


def signed_in(browser: Browser, base: str, username: str) -> Page:
    page = browser.new_context(viewport=PHONE).new_page()
    load_axe(page)
    page.goto(f"{base}/staff/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", "correct horse battery")
    page.locator("main form button[type=submit]").click()
    expect(page.locator(".topbar")).to_contain_text("Sign out")
    return page


def check(page: Page) -> None:
    assert_fits(page)
    assert_accessible(page)


def test_two_agents_replying_to_one_ticket(live_server, browser: Browser, sam, mia, ticket):
    base = live_server.url
    url = f"{base}/staff/tickets/{ticket.number}/"
    sam_page, mia_page = signed_in(browser, base, "sam"), signed_in(browser, base, "mia")
    sam_page.goto(url)
    mia_page.goto(url)

    # Sam types: the page tells the server at once (and every 30 s while the text changes).
    with sam_page.expect_response(lambda response: response.url.endswith("/replying/")) as beat:
        sam_page.fill("#reply-body", "Please restart the printer.")
    assert beat.value.status == 204
    expect(sam_page.locator("#reply-start")).to_be_hidden()  # typing took the lock: no button needed
    assert ReplyLock.objects.get(ticket=ticket).agent == sam

    mia_page.reload()
    expect(mia_page.locator("#replying-other")).to_contain_text("Sam is replying (since")
    check(mia_page)
    mia_page.fill("#reply-body", "Is it plugged in?")

    sam_page.get_by_role("button", name="Post reply").click()
    expect(sam_page.locator(".messages")).to_contain_text("Reply posted.")

    mia_page.get_by_role("button", name="Post reply").click()
    expect(mia_page.locator("#error-summary")).to_be_focused()
    expect(mia_page.locator("#new-entries")).to_contain_text("A new entry arrived while you were writing")
    expect(mia_page.locator("#new-entries")).to_contain_text("Please restart the printer.")
    expect(mia_page.locator("#reply-body")).to_have_value("Is it plugged in?")
    check(mia_page)
    mia_page.get_by_role("button", name="Send anyway").click()
    expect(mia_page.locator(".messages")).to_contain_text("Reply posted.")
    assert list(ticket.entries.filter(kind="response").values_list("author_name", flat=True)) == [
        "Sam",
        "Mia",
    ]
