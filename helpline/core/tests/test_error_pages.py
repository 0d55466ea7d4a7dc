"""Pages for "not found" and "not allowed" anywhere on the site: landmarks, a heading, a way back, in the
look of the part of the site the address belongs to (Django's own pages are bare HTML)."""

import pytest
from django.test import Client

LANDMARKS = (
    '<header class="topbar">',
    '<main id="main" tabindex="-1">',
    '<a class="skip-link" href="#main">',
)


def assert_proper_page(response, status: int, heading: str) -> str:
    assert response.status_code == status
    page = response.content.decode()
    for landmark in LANDMARKS:
        assert landmark in page, landmark
    assert f"<h1>{heading}</h1>" in page
    return page


@pytest.mark.parametrize(
    ("path", "body_class", "heading"),
    [
        ("/staff/nowhere/", "staff", "Not found"),
        ("/portal/nowhere/", "portal", "Page not found"),
        ("/nowhere", "", "Page not found"),
    ],
)
def test_an_unknown_address_answers_the_sections_not_found_page(db, client, path, body_class, heading):
    page = assert_proper_page(client.get(path), 404, heading)
    assert f'<body class="{body_class}">' in page


@pytest.mark.urls("helpline.core.tests.error_urls")
@pytest.mark.parametrize(
    ("path", "body_class"), [("/staff/refused/", "staff"), ("/portal/refused/", "portal"), ("/refused/", "")]
)
def test_a_refusal_outside_the_doors_checks_answers_the_sections_not_allowed_page(
    db, client, path, body_class
):
    page = assert_proper_page(client.get(path), 403, "Not allowed")
    assert f'<body class="{body_class}">' in page


def test_a_form_posted_without_its_csrf_token_gets_a_page_that_says_what_to_do(db):
    response = Client(enforce_csrf_checks=True).post("/portal/", {"name": "Rita"})
    page = assert_proper_page(response, 403, "The form could not be sent")
    assert "reload the page" in page


def test_a_signed_in_agent_keeps_the_staff_navigation_on_the_not_found_page(client, sam):
    client.force_login(sam.user)
    page = assert_proper_page(client.get("/staff/nowhere/"), 404, "Not found")
    assert '<nav aria-label="Queues"' in page and "Sign out" in page
