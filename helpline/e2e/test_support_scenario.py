"""The whole lifecycle as people live it, in a real headless Chromium against a live server.

A requester opens a ticket in the portal; an agent of another department cannot see it; the department's agent
takes it, raises its priority, notes and replies; the requester reads the reply (never the note) through the
access link and answers; the agent resolves; the requester reopens; the agent closes.
"""

import re

import pytest
from playwright.sync_api import Page, expect

from helpline.catalog.models import State
from helpline.testsupport.browser import open_ticket_in_portal
from helpline.tickets.models import EntryKind, Ticket

# serialized_rollback: the rows data migrations made (statuses, priorities, roles) come back after a flush.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def sign_in(page: Page, base: str, username: str) -> None:
    page.goto(f"{base}/staff/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", "correct horse battery")
    page.locator("main form button[type=submit]").click()
    expect(page.locator(".topbar")).to_contain_text("Sign out")


def sign_out(page: Page) -> None:
    page.locator(".topbar form button").click()
    expect(page).to_have_url(re.compile(r"/staff/login/"))


def test_support_scenario(live_server, page: Page, settings, support_topic, sam, ivan):
    base = live_server.url
    settings.SITE_URL = base

    access_link = open_ticket_in_portal(page, base)
    ticket = Ticket.objects.get(subject="VPN drops every hour")
    assert ticket.department.name == "Support" and ticket.state == State.OPEN
    assert access_link.startswith(base)

    # Ivan works in IT: the ticket is neither in his queues nor reachable by its address.
    sign_in(page, base, "ivan")
    page.goto(f"{base}/staff/queues/open/")
    expect(page.locator("main")).not_to_contain_text("VPN drops every hour")
    response = page.goto(f"{base}/staff/tickets/{ticket.number}/")
    assert response.status == 404
    sign_out(page)

    # Sam works in Support: he takes the ticket, raises it, notes and replies.
    sign_in(page, base, "sam")
    page.goto(f"{base}/staff/queues/open/")
    page.get_by_role("link", name=ticket.number).click()
    expect(page.locator("h1")).to_contain_text("VPN drops every hour")
    page.get_by_role("button", name="Assign to me").click()
    expect(page.locator(".messages")).to_contain_text("Assigned to Sam")
    expect(page.locator("main")).to_contain_text("Sam took this ticket")
    page.select_option("#priority-priority", label="High")
    page.get_by_role("button", name="Set priority").click()
    expect(page.locator(".messages")).to_contain_text("Priority set to High")
    page.fill("#note-body", "Their router firmware is from 2019.")
    page.get_by_role("button", name="Add note").click()
    expect(page.locator(".entry.note")).to_contain_text("firmware is from 2019")
    page.fill("#reply-body", "Please update the router firmware and tell us if it helps.")
    page.get_by_role("button", name="Post reply").click()
    expect(page.locator(".entry.response")).to_contain_text("update the router firmware")
    ticket.refresh_from_db()
    assert ticket.assignee == sam and ticket.priority.name == "High" and ticket.first_response_at

    # Rita reads the reply through her link, never the note, and answers.
    page.goto(access_link)
    expect(page.locator("main")).to_contain_text("update the router firmware")
    expect(page.locator("main")).not_to_contain_text("firmware is from 2019")
    page.fill("#id_message", "Updated it, still dropping.")
    page.get_by_role("button", name="Send reply").click()
    # The confirmation first: a refused reply is shown again in its form, text and all.
    expect(page.locator(".messages")).to_contain_text("Your reply was sent.")
    expect(page.locator("main")).to_contain_text("Updated it, still dropping.")

    # Sam resolves.
    page.goto(f"{base}/staff/tickets/{ticket.number}/")
    expect(page.locator("main")).to_contain_text("Updated it, still dropping.")
    page.select_option("#status-status", label="Resolved")
    page.get_by_role("button", name="Set status").click()
    expect(page.locator(".messages")).to_contain_text("Status set to Resolved")
    ticket.refresh_from_db()
    assert ticket.state == State.RESOLVED

    # Rita reopens from her link.
    page.goto(access_link)
    page.get_by_role("button", name="Reopen ticket").click()
    expect(page.locator(".messages")).to_contain_text("open again")
    ticket.refresh_from_db()
    assert ticket.state == State.OPEN and ticket.reopen_count == 1

    # Sam closes.
    page.goto(f"{base}/staff/tickets/{ticket.number}/")
    page.select_option("#status-status", label="Closed")
    page.get_by_role("button", name="Set status").click()
    expect(page.locator(".messages")).to_contain_text("Status set to Closed")
    ticket.refresh_from_db()
    assert ticket.state == State.CLOSED and ticket.closed_at is not None
    kinds = set(ticket.entries.values_list("kind", flat=True))
    assert kinds == {EntryKind.EVENT, EntryKind.MESSAGE, EntryKind.RESPONSE, EntryKind.NOTE}
