"""In Chromium at phone width: an agent bulk-assigns two tickets from a queue, then merges one into the
other, and the old number leads to the merged ticket. Every page fits the window and passes axe-core."""

import re

import pytest
from playwright.sync_api import Page, expect

from conftest import open_with_hints
from helpline.testsupport.browser import assert_accessible, assert_fits, load_axe
from helpline.tickets.models import Ticket

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def browser_context_args(browser_context_args):
    return {**browser_context_args, "viewport": PHONE}


def check(page: Page) -> None:
    assert_fits(page)
    assert_accessible(page)


def test_bulk_assign_then_merge(live_server, page: Page, sam, rita, support):
    first, second = (
        open_with_hints(actor=sam, requester=rita, department=support, subject=subject, body=body)
        for subject, body in (("Printer jam on floor 3", "It jams."), ("Printer still jammed", "Still jams."))
    )
    base = live_server.url
    load_axe(page)
    page.goto(f"{base}/staff/login/")
    page.fill("#id_username", "sam")
    page.fill("#id_password", "correct horse battery")
    page.locator("main form button[type=submit]").click()
    page.goto(f"{base}/staff/queues/open/")
    check(page)

    page.locator("#bulk-bar summary").click()  # the bar is folded until wanted
    check(page)
    page.check("#bulk-all")  # bulk.js ticks every row; the server would act on the page's rows anyway
    expect(page.locator(f"#select-{first.number}")).to_be_checked()
    page.select_option("#bulk-agent", label=str(sam))
    page.locator("#bulk-assign").click()
    expect(page.locator(".messages")).to_contain_text(f"Assigned to {sam}")
    check(page)
    assert set(Ticket.objects.values_list("assignee", flat=True)) == {sam.pk}

    page.check(f"#select-{first.number}")
    page.check(f"#select-{second.number}")
    page.locator("#bulk-bar summary").click()
    page.select_option("#bulk-merge_into", value=second.number)
    page.locator("#bulk-merge").click()
    expect(page.locator(".messages")).to_contain_text(f"Merged into #{second.number}: #{first.number}.")
    expect(page.locator(f"#ticket-{first.number}")).to_have_count(0)

    page.goto(f"{base}/staff/tickets/{first.number}/")
    expect(page).to_have_url(re.compile(rf"/staff/tickets/{second.number}/$"))
    expect(page.locator("main")).to_contain_text(
        f"merged #{first.number} (Printer jam on floor 3) into this ticket"
    )
    expect(page.locator("main")).to_contain_text("It jams.")
    check(page)
