"""Signing agents in with OpenID Connect, against a real provider on the loopback (testsupport.oidc_provider):
the button posts, the provider redirects back with a code, Helpline redeems it over HTTP and checks the
signed ID token against the provider's published keys."""

from urllib.parse import urlsplit

from django.urls import reverse

from helpline.people.models import Agent
from helpline.testsupport.factories import UserFactory

START = reverse("staff:oidc_start")
CALLBACK = reverse("staff:oidc_callback")


def start(client, provider, query=""):
    """Press the button; follow the redirect to the provider; the callback address it sends back."""
    response = client.post(START + query)
    assert response.status_code == 302 and response.url.startswith(provider.url + "/authorize?")
    return provider.authorize(response.url)


def come_back(client, location):
    parts = urlsplit(location)
    assert parts.path == CALLBACK
    return client.get(f"{parts.path}?{parts.query}")


def signed_in_user_id(client):
    return client.session.get("_auth_user_id")


def test_an_agent_signs_in_by_verified_email_whatever_its_case_and_the_session_rotates(client, sam, oidc_on):
    oidc_on.sign_in_as("Sam@Staff.Example.TEST")
    location = start(client, oidc_on)
    key_before = client.session.session_key
    response = come_back(client, location)
    assert response.status_code == 302 and response.url == reverse("staff:dashboard")
    assert signed_in_user_id(client) == str(sam.user.pk)
    assert client.session.session_key != key_before
    assert client.get(reverse("staff:queue", args=["open"])).status_code == 200


def test_the_sign_in_returns_to_the_page_asked_for(client, sam, oidc_on, ticket):
    oidc_on.sign_in_as(sam.user.email)
    target = reverse("staff:ticket", args=[ticket.number])
    response = come_back(client, start(client, oidc_on, f"?next={target}"))
    assert response.url == target


def test_the_login_page_offers_the_provider_only_when_configured(client, db, settings, oidc_provider):
    assert b"Sign in with" not in client.get(reverse("staff:login")).content
    assert client.post(START).status_code == 404
    settings.HELPLINE_OIDC_ENABLED = True
    settings.HELPLINE_OIDC_PROVIDER_NAME = "Example ID"
    page = client.get(reverse("staff:login")).content.decode()
    assert "Sign in with Example ID" in page and f'action="{START}"' in page


def test_starting_is_a_post(client, oidc_on):
    assert client.get(START).status_code == 405


def test_an_unknown_email_is_refused_and_no_account_is_made(client, sam, oidc_on):
    oidc_on.sign_in_as("stranger@example.test")
    users_before = type(sam.user).objects.count()
    response = come_back(client, start(client, oidc_on))
    assert response.status_code == 403
    assert b"There is no Helpline agent with this address" in response.content
    assert signed_in_user_id(client) is None
    assert type(sam.user).objects.count() == users_before and Agent.objects.count() == 1


def test_a_user_without_an_agent_profile_is_refused(client, db, oidc_on):
    UserFactory(username="visitor", email="visitor@example.test")
    oidc_on.sign_in_as("visitor@example.test")
    response = come_back(client, start(client, oidc_on))
    assert response.status_code == 403 and signed_in_user_id(client) is None


def test_an_unverified_email_is_refused(client, sam, oidc_on):
    oidc_on.sign_in_as(sam.user.email, verified=False)
    response = come_back(client, start(client, oidc_on))
    assert response.status_code == 403
    assert b"has not verified your email address" in response.content
    assert signed_in_user_id(client) is None


def test_an_inactive_agent_is_refused(client, sam, oidc_on):
    sam.user.is_active = False
    sam.user.save()
    oidc_on.sign_in_as(sam.user.email)
    response = come_back(client, start(client, oidc_on))
    assert response.status_code == 403
    assert b"deactivated" in response.content
    assert signed_in_user_id(client) is None


def test_a_token_signed_with_another_key_is_refused(client, sam, oidc_on):
    oidc_on.sign_in_as(sam.user.email)
    oidc_on.tamper = "signature"
    response = come_back(client, start(client, oidc_on))
    assert response.status_code == 400
    assert b"could not be trusted" in response.content
    assert signed_in_user_id(client) is None


def test_a_token_for_another_client_is_refused(client, sam, oidc_on):
    oidc_on.sign_in_as(sam.user.email)
    oidc_on.tamper = "audience"
    response = come_back(client, start(client, oidc_on))
    assert response.status_code == 400
    assert signed_in_user_id(client) is None


def test_a_token_from_another_issuer_is_refused(client, sam, oidc_on, settings):
    settings.HELPLINE_OIDC_ISSUER = "https://someone-else.example.test"
    oidc_on.sign_in_as(sam.user.email)
    response = come_back(client, start(client, oidc_on))
    assert response.status_code == 400 and signed_in_user_id(client) is None


def test_user_details_of_another_subject_are_refused(client, sam, oidc_on):
    oidc_on.sign_in_as(sam.user.email)
    oidc_on.tamper = "subject"
    response = come_back(client, start(client, oidc_on))
    assert response.status_code == 403 and b"could not be trusted" in response.content
    assert signed_in_user_id(client) is None


def test_a_state_this_browser_did_not_start_is_refused(client, sam, oidc_on):
    oidc_on.sign_in_as(sam.user.email)
    location = start(client, oidc_on)
    forged = location.replace("state=", "state=forged", 1)
    response = come_back(client, forged)
    assert response.status_code == 400
    assert signed_in_user_id(client) is None
    assert oidc_on.grants, "the code was never redeemed"


def test_a_callback_in_a_browser_that_never_started_is_refused(client, sam, oidc_on):
    oidc_on.sign_in_as(sam.user.email)
    location = start(client, oidc_on)
    client.cookies.clear()  # another browser: the code and state arrive without the session that asked
    response = come_back(client, location)
    assert response.status_code == 403 and signed_in_user_id(client) is None


def test_a_code_works_once(client, sam, oidc_on):
    oidc_on.sign_in_as(sam.user.email)
    location = start(client, oidc_on)
    assert come_back(client, location).status_code == 302
    client.post(reverse("staff:logout"))
    assert come_back(client, location).status_code == 403
    assert signed_in_user_id(client) is None


def test_the_provider_turning_the_sign_in_down_is_told(client, sam, oidc_on):
    start(client, oidc_on)
    response = client.get(f"{CALLBACK}?error=access_denied&state=x")
    assert response.status_code == 403
    assert b"The provider did not sign you in" in response.content


def test_a_deactivated_agents_session_ends(client, sam, oidc_on):
    oidc_on.sign_in_as(sam.user.email)
    assert come_back(client, start(client, oidc_on)).status_code == 302
    sam.user.is_active = False
    sam.user.save()
    response = client.get(reverse("staff:dashboard"))
    assert response.status_code == 302 and response.url.startswith(reverse("staff:login"))
