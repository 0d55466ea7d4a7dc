"""Staffing the desk in a real headless Chromium against a live server: an administrator (asked to set up a
second factor before anything else) creates a department, a role and an agent; the invitation arrives at
a real SMTP server; the new agent follows its link, chooses a password (the validators apply), signs in,
turns on two-factor sign-in (the codes computed here from the secret the page shows), signs out and in
again with a code, and a recovery code works once and not twice."""

import re

import pytest
from playwright.sync_api import Page, expect

from helpline.e2e.test_support_scenario import sign_out
from helpline.people.models import Department
from helpline.testsupport.browser import assert_accessible, assert_fits, load_axe
from helpline.testsupport.smtpserver import smtp_inbox, smtp_server  # noqa: F401 - the fixtures
from helpline.testsupport.totp import AuthenticatorApp

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.real_second_factor,
]


def check(page: Page) -> None:
    assert_fits(page)
    assert_accessible(page)


def test_an_administrator_staffs_a_new_department(live_server, page: Page, settings, ada, smtp_inbox):  # noqa: F811
    settings.SITE_URL = base = live_server.url
    load_axe(page)
    password_step(page, base, "ada", "correct horse battery")
    # An administrator without a second factor sets one up before anything else.
    expect(page.locator("h1")).to_have_text("Set up two-factor sign-in")
    page.goto(f"{base}/staff/admin/departments/new/")
    expect(page.locator("h1")).to_have_text("Set up two-factor sign-in")
    turn_on_two_factor(page)

    page.goto(f"{base}/staff/admin/departments/new/")
    check(page)
    page.fill("#id_name", "Billing")
    page.fill("#id_reply_address", "billing@helpline.example")
    page.locator("#department-submit").click()
    expect(page.locator("#messages")).to_contain_text("Department “Billing” created.")
    check(page)

    page.goto(f"{base}/staff/admin/roles/new/")
    page.fill("#id_name", "Billing clerk")
    for permission in ("View tickets", "Reply to requesters", "Add internal notes"):
        page.get_by_label(permission, exact=True).check()
    check(page)
    page.locator("#role-submit").click()
    expect(page.locator("#roles")).to_contain_text("View tickets, Reply to requesters, Add internal notes")

    page.goto(f"{base}/staff/admin/agents/invite/")
    page.fill("#id_first_name", "Nora")
    page.fill("#id_last_name", "Newman")
    page.fill("#id_email", "nora@staff.example.test")
    billing = Department.objects.get(name="Billing")
    page.select_option(f"#id_role_{billing.pk}", label="Billing clerk")
    check(page)
    page.locator("#agent-submit").click()
    expect(page.locator("#messages")).to_contain_text("Nora Newman is invited")
    expect(page.locator("#agent-state")).to_contain_text("Invited")
    check(page)
    sign_out(page)

    [invitation] = [m for m in smtp_inbox.messages() if m["To"] == "nora@staff.example.test"]
    link = re.search(r"http://\S+/staff/join/\S+/", invitation.get_content()).group(0)
    page.goto(link)
    check(page)
    page.fill("#id_username", "nora")
    page.fill("#id_password1", "ledger")
    page.fill("#id_password2", "ledger")
    page.locator("#join-submit").click()
    expect(page.locator("#error-summary")).to_be_focused()  # too short: the validators apply
    check(page)
    page.fill("#id_password1", "quarterly ledger review")
    page.fill("#id_password2", "quarterly ledger review")
    page.locator("#join-submit").click()
    expect(page.locator("#messages")).to_contain_text("Your account is ready")

    page.fill("#id_username", "nora")
    page.fill("#id_password", "quarterly ledger review")
    page.locator("main form button[type=submit]").click()
    expect(page.locator(".topbar")).to_contain_text("Nora Newman")
    expect(page.locator(".topbar")).not_to_contain_text("Administration")
    check(page)

    page.goto(f"{base}/staff/account/")
    page.locator("#two-factor-setup").click()
    app, codes = turn_on_two_factor(page)
    sign_out(page)
    nora = (base, "nora", "quarterly ledger review")
    password_step(page, *nora)
    expect(page.locator("h1")).to_have_text("Two-factor sign-in")
    page.fill("#id_code", app.code())
    page.locator("#verify-submit").click()
    expect(page.locator(".topbar")).to_contain_text("Nora Newman")
    sign_out(page)
    for attempt in ("first", "second"):
        password_step(page, *nora)
        page.fill("#id_code", codes[0])
        page.locator("#verify-submit").click()
        if attempt == "first":
            expect(page.locator(".topbar")).to_contain_text("Nora Newman")
            sign_out(page)
    expect(page.locator("#id_code_error, .errorlist").first).to_contain_text("not right")
    check(page)


def password_step(page: Page, base: str, username: str, password: str) -> None:
    page.goto(f"{base}/staff/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.locator("main form button[type=submit]").click()


def turn_on_two_factor(page: Page) -> tuple[AuthenticatorApp, list[str]]:
    """From the set-up page: scan (read the secret), confirm with the app's code; the recovery codes."""
    page.locator("#setup-start").click()
    expect(page.locator("#totp-qr")).to_be_visible()
    check(page)
    app = AuthenticatorApp(page.locator("#totp-secret").inner_text())
    page.fill("#id_code", app.code())
    page.locator("#confirm-submit").click()
    expect(page.locator("h1")).to_have_text("Two-factor sign-in is on")
    codes = page.locator("#recovery-codes li").all_inner_texts()
    assert len(codes) == 10
    page.locator("#codes-continue").click()
    return app, codes
