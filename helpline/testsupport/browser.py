"""Steps and checks the browser tests share, written as a person would do them."""

import time

import time_machine
from axe_playwright_python.base import AXE_SCRIPT
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


def assert_fits(page: Page) -> None:
    """The page does not scroll sideways: nothing is wider than the window."""
    scroll_width, window_width = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert scroll_width <= window_width, f"{page.url} is {scroll_width} px wide in a {window_width} px window"


def load_axe(page: Page) -> None:
    """Load axe-core into every page this browser context opens from now on (once per page, by the
    browser itself, cheaper than injecting it before each check; the page's CSP does not apply to it)."""
    page.context.add_init_script(script=AXE_SCRIPT)


def assert_accessible(page: Page) -> None:
    """axe-core finds no serious or critical violation on the page as it is now (after ``load_axe``)."""
    violations = page.evaluate(
        "axe.run({resultTypes: ['violations']}).then(results => results.violations"
        ".filter(v => v.impact === 'serious' || v.impact === 'critical')"
        ".map(v => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.map(n => n.target).join(', ')}`))"
    )
    assert not violations, f"{page.url}: " + "; ".join(violations)
