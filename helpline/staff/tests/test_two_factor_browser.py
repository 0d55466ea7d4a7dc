"""In Chromium at 390 px wide: an agent with a password turns on two-factor sign-in (the code computed here
from the secret the page shows), signs out, signs in again with a code from the app, and a recovery code
works once and not twice. Nothing scrolls sideways and axe-core finds no serious violation."""

import pytest
from playwright.sync_api import Browser, Page, expect

from helpline.testsupport.browser import assert_accessible, assert_fits, load_axe
from helpline.testsupport.totp import AuthenticatorApp

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.real_second_factor,
]
PHONE = {"width": 390, "height": 844}


def check(page: Page) -> None:
    assert_fits(page)
    assert_accessible(page)


def password_step(page: Page, base: str) -> None:
    page.goto(f"{base}/staff/login/")
    page.fill("#id_username", "sam")
    page.fill("#id_password", "correct horse battery")
    page.locator("#login-submit").click()


def sign_out(page: Page) -> None:
    page.locator(".topbar").get_by_role("button", name="Sign out").click()
    expect(page.locator("h1")).to_have_text("Agent sign in")


def test_an_agent_turns_on_two_factor_sign_in_and_signs_in_with_it(live_server, browser: Browser, sam):
    base = live_server.url
    page = browser.new_context(viewport=PHONE).new_page()
    load_axe(page)
    password_step(page, base)
    expect(page.locator(".topbar")).to_contain_text("Sign out")  # no second factor asked yet

    page.goto(f"{base}/staff/preferences/")
    page.get_by_role("link", name="Sign-in security").click()
    expect(page.locator("#two-factor-state")).to_contain_text("Off")
    check(page)
    page.locator("#two-factor-setup").click()
    page.locator("#setup-start").click()
    expect(page.locator("#totp-qr")).to_be_visible()
    assert page.locator("#totp-qr").evaluate("img => img.naturalWidth") > 0  # the CSP lets the image in
    check(page)
    app = AuthenticatorApp(page.locator("#totp-secret").inner_text())
    page.fill("#id_code", app.code())
    page.locator("#confirm-submit").click()
    expect(page.locator("h1")).to_have_text("Two-factor sign-in is on")
    codes = page.locator("#recovery-codes li").all_inner_texts()
    assert len(codes) == 10
    check(page)
    page.locator("#codes-continue").click()
    sign_out(page)

    password_step(page, base)
    expect(page.locator("h1")).to_have_text("Two-factor sign-in")
    check(page)
    page.fill("#id_code", app.code())
    page.locator("#verify-submit").click()
    expect(page.locator(".topbar")).to_contain_text("Sign out")
    sign_out(page)

    password_step(page, base)
    page.fill("#id_code", codes[0])
    page.locator("#verify-submit").click()
    expect(page.locator(".topbar")).to_contain_text("Sign out")
    sign_out(page)

    password_step(page, base)
    page.fill("#id_code", codes[0])
    page.locator("#verify-submit").click()
    expect(page.locator("#id_code_error, .errorlist").first).to_contain_text("not right")
    expect(page.locator("h1")).to_have_text("Two-factor sign-in")
    check(page)
