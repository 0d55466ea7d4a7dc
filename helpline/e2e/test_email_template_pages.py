"""The notification emails' pages in a real Chromium at 390 px wide: they fit, axe-core finds no serious
or critical violation, a refused template puts the focus on the summary of what is wrong, and the preview
shows what was typed."""

import re

import pytest
from playwright.sync_api import Page, expect

from helpline.testsupport.browser import assert_accessible, assert_fits, load_axe

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def browser_context_args(browser_context_args):
    return {**browser_context_args, "viewport": {"width": 390, "height": 844}}


def check(page: Page) -> None:
    assert_fits(page)
    assert_accessible(page)


def test_an_administrator_edits_an_email_on_a_phone(live_server, page: Page, ada):
    base = live_server.url
    load_axe(page)
    page.goto(f"{base}/staff/login/?next=/staff/admin/emails/")
    page.fill("#id_username", "ada")
    page.fill("#id_password", "correct horse battery")
    page.locator("main form button[type=submit]").click()
    expect(page.locator("h1")).to_have_text("Notification emails")
    check(page)

    page.get_by_role("link", name="Response", exact=True).click()
    expect(page.locator("#preview-subject")).to_have_text("Re: [#12345678] Printer on fire")
    check(page)

    page.fill("#id_body_text", "{% if entry %}Hello")
    page.locator("#template-save").click()
    expect(page.locator("#error-summary")).to_be_focused()
    expect(page).to_have_title(re.compile(r"^Error: Response email"))
    check(page)

    page.fill("#id_body_text", "{{ entry.author }} answered: {{ entry.body_text }}")
    page.locator("#template-preview").click()
    expect(page.locator("#preview-text")).to_contain_text("Sam Agent answered: Unplug it")
    check(page)
