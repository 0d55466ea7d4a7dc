"""Steps the browser tests share, written as a person would do them."""

import time

import time_machine
from playwright.sync_api import Page, expect


def open_ticket_in_portal(page: Page, base: str, subject: str = "VPN drops every hour") -> str:
    """Fill in and send the portal's form as Rita; returns the private access link it shows."""
    page.goto(f"{base}/portal/")
    page.fill("#id_name", "Rita Requester")
    page.fill("#id_email", "rita@example.test")
    page.select_option("#id_topic", label="General inquiry")
    page.fill("#id_subject", subject)
    page.fill("#id_message", "Since Monday the VPN disconnects every hour.")
    # A person takes longer than the form's minimum time to fill it in; a script takes milliseconds.
    with time_machine.travel(time.time() + 10):
        page.get_by_role("button", name="Open ticket").click()
        expect(page.locator("h1")).to_contain_text("created")
    link = page.locator("#access-link").get_attribute("href")
    assert link, "the confirmation page shows no access link"
    return link
