import pytest
from django.urls import reverse

from helpline.testsupport.factories import UserFactory
from helpline.tickets.actions import add_note

PASSWORD = "correct horse battery"
LOGIN = reverse("staff:login")


def test_an_agent_signs_in_and_lands_on_the_dashboard(client, sam):
    response = client.post(LOGIN, {"username": "sam", "password": PASSWORD})
    assert response.status_code == 302
    assert response.url == reverse("staff:dashboard")
    page = client.get(reverse("staff:queue", args=["open"]))
    assert page.status_code == 200
    assert b"Sam" in page.content and b"Sign out" in page.content


def test_sign_in_follows_a_safe_next_url(client, sam, ticket):
    target = reverse("staff:ticket", args=[ticket.number])
    response = client.post(f"{LOGIN}?next={target}", {"username": "sam", "password": PASSWORD})
    assert response.url == target


def test_a_user_without_an_agent_profile_is_refused_with_a_clear_error(client, db):
    UserFactory(username="visitor")
    response = client.post(LOGIN, {"username": "visitor", "password": PASSWORD})
    assert response.status_code == 200
    assert b"not a Helpline agent account" in response.content
    assert "_auth_user_id" not in client.session


def test_a_wrong_password_is_refused(client, sam):
    response = client.post(LOGIN, {"username": "sam", "password": "wrong horse"})
    assert response.status_code == 200
    assert b"Please enter a correct username and password" in response.content
    assert "_auth_user_id" not in client.session


def test_an_inactive_agent_cannot_sign_in(client, sam):
    sam.user.is_active = False
    sam.user.save()
    response = client.post(LOGIN, {"username": "sam", "password": PASSWORD})
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_the_login_page_renders(client, db):
    response = client.get(LOGIN)
    assert response.status_code == 200
    assert b'id="id_username"' in response.content and b"Sign in" in response.content


def test_logout_is_post_only_and_ends_the_session(sam_client):
    assert sam_client.get(reverse("staff:logout")).status_code == 405
    response = sam_client.post(reverse("staff:logout"))
    assert response.status_code == 302 and response.url == LOGIN
    assert "_auth_user_id" not in sam_client.session


def _pages(ticket_number: str, attachment_pk: int) -> list[tuple[str, str]]:
    ticket_urls = [
        ("post", reverse(f"staff:{name}", args=[ticket_number]))
        for name in ("reply", "note", "assign", "transfer", "priority", "sla", "status")
    ]
    return [
        ("get", reverse("staff:queue", args=["open"])),
        ("get", reverse("staff:ticket_new")),
        ("post", reverse("staff:ticket_new")),
        ("get", reverse("staff:ticket", args=[ticket_number])),
        ("get", reverse("staff:attachment", args=[attachment_pk])),
        *ticket_urls,
    ]


@pytest.fixture
def attachment(ticket, sam, upload):
    return add_note(actor=sam, ticket=ticket, body="Log", attachments=[upload()]).attachments.get()


def test_every_page_sends_anonymous_visitors_to_the_login(client, ticket, attachment):
    for method, url in _pages(ticket.number, attachment.pk):
        response = getattr(client, method)(url)
        assert response.status_code == 302, url
        assert response.url == f"{LOGIN}?next={url}", url


def test_every_page_refuses_a_signed_in_non_agent(client, ticket, attachment):
    client.force_login(UserFactory(username="visitor"))
    for method, url in _pages(ticket.number, attachment.pk):
        response = getattr(client, method)(url)
        assert response.status_code == 403, url
        assert b"This page is for Helpline agents." in response.content, url


def test_an_agent_deactivated_mid_session_is_signed_out(client, sam):
    client.force_login(sam.user)
    sam.user.is_active = False
    sam.user.save()
    response = client.get(reverse("staff:queue", args=["open"]))
    assert response.status_code == 302 and response.url.startswith(LOGIN)
