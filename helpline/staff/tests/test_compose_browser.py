"""In a real browser, on a phone-sized window: an agent inserts a canned reply (its variables filled in) at
the cursor of the reply box without a reload and sends it, then adds a task to the ticket and ticks it done."""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from helpline.testsupport.browser import assert_accessible, assert_fits, load_axe
from helpline.tickets.models import CannedResponse, EntryKind, Task

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_a_canned_reply_and_a_task_on_a_phone(live_server, page: Page, settings, ticket, support, sam):
    settings.SITE_URL = live_server.url
    now = timezone.now()
    CannedResponse.objects.create(
        title="Greeting",
        body="Hello {{ requester.name }}, about #{{ ticket.number }}: ",
        department=support,
        created_at=now,
        updated_at=now,
    )
    page.set_viewport_size({"width": 390, "height": 844})
    load_axe(page)
    page.goto(f"{live_server.url}/staff/login/?next=/staff/tickets/{ticket.number}/")
    page.fill("#id_username", "sam")
    page.fill("#id_password", "correct horse battery")
    page.locator("main form button[type=submit]").click()
    expect(page.locator("h1")).to_contain_text("Printer on fire")

    box = page.locator("#reply-body")
    box.fill("Thanks for waiting.")
    box.evaluate("box => box.setSelectionRange(0, 0)")  # the cursor at the start
    page.select_option("#canned-choice", label="Greeting (Support)")
    page.get_by_role("button", name="Insert").click()
    expect(box).to_have_value(f"Hello Rita Requester, about #{ticket.number}: Thanks for waiting.")
    assert "canned=" not in page.url  # inserted in place, not by reloading the page
    assert_fits(page)
    assert_accessible(page)
    page.get_by_role("button", name="Post reply").click()
    expect(page.locator(".entry.response")).to_contain_text(f"Hello Rita Requester, about #{ticket.number}")
    assert ticket.entries.get(kind=EntryKind.RESPONSE).body_text.startswith("Hello Rita Requester")

    page.fill("#task-title", "Order a new fuser")
    page.select_option("#task-assignee", label="Sam")
    page.get_by_role("button", name="Add task").click()
    expect(page.locator("#task-list")).to_contain_text("Order a new fuser")
    page.get_by_role("button", name=re.compile("^Done")).click()
    expect(page.locator(".thread")).to_contain_text("Sam marked the task “Order a new fuser” done")
    assert Task.objects.get().is_done
    assert_fits(page)
    assert_accessible(page)

    page.get_by_role("link", name="My tasks").click()
    expect(page.locator("main")).to_contain_text("No open task is assigned to you.")
    assert_fits(page)
    assert_accessible(page)
