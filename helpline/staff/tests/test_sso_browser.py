"""In a real browser: the "Sign in with ..." button takes an agent through the provider on the loopback and
back, signed in (the content security policy lets the form go there); a stranger gets the refusal page."""

import pytest
from playwright.sync_api import Page, expect

from helpline.testsupport.browser import assert_accessible, assert_fits, load_axe

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_an_agent_signs_in_through_the_provider_and_a_stranger_is_told_why_not(
    live_server, page: Page, oidc_on, sam
):
    load_axe(page)
    oidc_on.sign_in_as("stranger@example.test")
    page.goto(f"{live_server.url}/staff/login/")
    assert_fits(page)
    assert_accessible(page)
    page.get_by_role("button", name="Sign in with Example ID").click()
    expect(page.locator("#sso-refusal")).to_contain_text("There is no Helpline agent with this address")
    assert_fits(page)
    assert_accessible(page)

    oidc_on.sign_in_as(sam.user.email)
    page.get_by_role("link", name="Back to sign-in").click()
    page.get_by_role("button", name="Sign in with Example ID").click()
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
    assert page.url == f"{live_server.url}/staff/"
