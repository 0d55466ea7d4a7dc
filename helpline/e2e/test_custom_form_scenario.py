"""A custom form as a requester and an agent meet it, in a real headless Chromium on a phone: the Support
topic asks a required device (a choice the requester sees) and an internal asset tag. The requester picks the
topic and its question appears without a reload (and the browser says it must be answered); the ticket opens
with the device; the agent sees both fields, fills in the asset tag, and a saved queue shows the device."""

import time

import pytest
import time_machine
from playwright.sync_api import Page, expect

from helpline.staff.models import SavedQueue
from helpline.testsupport.browser import assert_accessible, assert_fits, load_axe
from helpline.tickets.models import Event, FieldValue, Ticket

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def browser_context_args(browser_context_args):
    return {**browser_context_args, "viewport": {"width": 390, "height": 844}}


def check(page: Page) -> None:
    assert_fits(page)
    assert_accessible(page)


def test_a_requester_answers_the_topic_form_and_the_agent_completes_it(
    live_server, page: Page, settings, sam, support_topic, device_field, asset_tag
):
    settings.SITE_URL = base = live_server.url
    load_axe(page)
    page.goto(f"{base}/portal/")
    expect(page.locator("#id_field_device")).to_have_count(0)
    page.fill("#id_name", "Rita Requester")
    page.fill("#id_email", "rita@example.test")
    page.fill("#id_subject", "Screen flickers")
    page.fill("#id_message", "Since the update the screen flickers.")
    page.select_option("#id_topic", label="General inquiry")
    expect(page.locator("#id_field_device")).to_be_visible()  # swapped in, no reload
    expect(page.locator("#id_subject")).to_have_value("Screen flickers")
    expect(page.locator("[name=field_asset_tag]")).to_have_count(0)
    check(page)

    page.get_by_role("button", name="Open ticket").click()
    # The browser refuses the form and says why: the device is required.
    assert page.locator("#id_field_device").evaluate("element => element.validationMessage")
    assert not Ticket.objects.exists()

    page.select_option("#id_field_device", "Phone")
    with time_machine.travel(time.time() + 10):  # longer than the form's minimum time
        page.get_by_role("button", name="Open ticket").click()
        expect(page.locator("h1")).to_contain_text("created")
    ticket = Ticket.objects.get()
    assert FieldValue.objects.get(ticket=ticket).text == "Phone"

    page.goto(f"{base}/staff/login/")
    page.fill("#id_username", "sam")
    page.fill("#id_password", "correct horse battery")
    page.locator("main form button[type=submit]").click()
    expect(page.locator(".topbar")).to_contain_text("Sign out")
    page.goto(f"{base}/staff/tickets/{ticket.number}/")
    expect(page.locator("#value-device")).to_have_text("Phone")
    expect(page.locator("#fields-field_asset_tag")).to_be_visible()
    page.fill("#fields-field_asset_tag", "TAG-0042")
    page.locator("#fields-submit").click()
    expect(page.locator(".messages")).to_contain_text("Fields saved.")
    expect(page.locator("#value-asset_tag")).to_have_text("TAG-0042")
    expect(page.locator(".thread")).to_contain_text("changed Asset tag from “empty” to “TAG-0042”")
    assert ticket.entries.filter(event=Event.FIELDS).count() == 1
    check(page)

    saved = SavedQueue.objects.create(owner=sam, name="Devices", base="open", columns=["field:device"])
    page.goto(f"{base}/staff/saved/{saved.pk}/")
    expect(page.locator(f"#ticket-{ticket.number} td.field-cell")).to_have_text("Phone")
    check(page)
