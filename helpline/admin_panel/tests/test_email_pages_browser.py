"""The email channel's pages as an administrator on a phone meets them, in a real Chromium at 390 px wide:
nothing scrolls sideways, even with long addresses, errors and headers; axe-core finds no serious or
critical violation; a refused mailbox form takes the focus to its error summary."""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from helpline.inbound.models import BannedAddress, RawMessage
from helpline.testsupport.browser import assert_accessible, assert_fits, load_axe

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

LONG = "maximilian.alexander.featherstonehaugh-worthington@procurement.subsidiary-holdings.example.test"


@pytest.fixture
def browser_context_args(browser_context_args):
    return {**browser_context_args, "viewport": {"width": 390, "height": 844}}


def check(page: Page) -> None:
    assert_fits(page)
    assert_accessible(page)


def test_the_email_pages_on_a_phone(live_server, page: Page, ada, make_mailbox, make_raw, ticket):
    mailbox = make_mailbox(
        name="Procurement and subsidiary holdings support desk",
        address=LONG,
        protocol="imap",
        host="imap.procurement.subsidiary-holdings.example.test",
        last_fetch_at=timezone.now(),
        last_error="IMAP4.error: b'[AUTHENTICATIONFAILED] Invalid credentials (Failure)' " + "x" * 300,
    )
    header = b"X-Long: " + b"y" * 400 + b"\r\n"
    data = (
        f"From: {LONG}\r\nSubject: {'A very long subject ' * 10}\r\n".encode() + header + b"\r\n" + b"z" * 500
    )
    raw = make_raw(RawMessage.Status.REJECTED, data=data, mailbox=mailbox, sender=LONG, reason="Banned " * 30)
    make_raw(RawMessage.Status.FAILED, ticket=ticket, reason="Database unavailable")
    BannedAddress.objects.create(pattern=LONG, reason="Sends nothing but adverts, every hour, to everyone")
    base = live_server.url
    load_axe(page)
    page.goto(f"{base}/staff/login/")
    page.fill("#id_username", "ada")
    page.fill("#id_password", "correct horse battery")
    page.locator("main form button[type=submit]").click()
    expect(page.locator(".topbar")).to_contain_text("Sign out")
    for path in ("mailboxes/", f"mailboxes/{mailbox.pk}/", "received/", f"received/{raw.pk}/", "banned/"):
        page.goto(f"{base}/staff/admin/{path}")
        check(page)

    # A refused mailbox: the summary takes the focus and links to the field.
    page.goto(f"{base}/staff/admin/mailboxes/new/")
    check(page)
    page.fill("#id_name", "Sales")
    page.fill("#id_address", "sales@example.test")
    page.select_option("#id_department", label="Support")
    page.select_option("#id_protocol", "pop3")
    page.locator("#mailbox-submit").click()
    expect(page.locator("#error-summary")).to_be_focused()
    expect(page).to_have_title(re.compile(r"^Error: New mailbox"))
    expect(page.locator("#error-summary")).to_contain_text("POP3 can neither mark messages read")
    check(page)
