"""The portal in a real Chromium with JavaScript turned off: what the test client cannot show, such as the
Origin a browser sends with form posts under the page's referrer policy (the CSRF check reads it)."""

import re

import pytest
from playwright.sync_api import Page, expect

from helpline.catalog.models import State, TicketStatus
from helpline.testsupport.browser import open_ticket_in_portal
from helpline.tickets.actions import add_note, post_reply, set_status
from helpline.tickets.models import Ticket

# serialized_rollback: the rows data migrations made (statuses, priorities, roles) come back after a flush.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def browser_context_args(browser_context_args):
    return {**browser_context_args, "java_script_enabled": False}


def test_a_requester_uses_the_portal_without_javascript(
    live_server, page: Page, settings, support_topic, sam
):
    settings.SITE_URL = live_server.url
    link = open_ticket_in_portal(page, live_server.url)

    ticket = Ticket.objects.get()
    add_note(actor=sam, ticket=ticket, body="Their firmware is from 2019.")
    post_reply(actor=sam, ticket=ticket, body="Please update the router firmware.")
    page.goto(link)
    expect(page.locator("main")).to_contain_text("Please update the router firmware.")
    expect(page.locator("main")).not_to_contain_text("from 2019")

    page.select_option("#zone-time_zone", "America/New_York")
    page.get_by_role("button", name="Show times in this zone").click()
    expect(page.locator(".messages")).to_contain_text("Times are now shown in America/New_York.")
    expect(page.locator(".thread time").first).to_contain_text(re.compile(r" E[SD]T$"))

    page.fill("#id_message", "Updated it, still dropping.")
    page.get_by_role("button", name="Send reply").click()
    expect(page.locator(".messages")).to_contain_text("Your reply was sent.")
    expect(page.locator("main")).to_contain_text("Updated it, still dropping.")

    set_status(actor=sam, ticket=ticket, status=TicketStatus.default_for(State.RESOLVED))
    page.reload()
    page.get_by_role("button", name="Reopen ticket").click()
    expect(page.locator(".messages")).to_contain_text("open again")
    page.get_by_role("button", name="Close ticket").click()
    expect(page.locator(".status")).to_have_text("Closed")
    ticket.refresh_from_db()
    assert ticket.state == State.CLOSED and ticket.reopen_count == 1
