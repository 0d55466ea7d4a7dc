"""Personal tokens, made and revoked by the agent beside their preferences; a token acts as its agent."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from helpline.api.models import PersonalToken
from helpline.api.tests.conftest import bearer

pytestmark = pytest.mark.django_db


@pytest.fixture
def sam_client(sam):
    client = Client()
    client.force_login(sam.user)
    return client


def test_an_agent_makes_a_token_shown_once_that_acts_as_them(sam_client, sam):
    assert reverse("api_tokens:list") in sam_client.get(reverse("staff:preferences")).content.decode()
    answer = sam_client.post(reverse("api_tokens:new"), {"name": "My laptop"})
    assert answer.status_code == 201
    raw = re.search(r'id="new-token-value">([^<]+)<', answer.content.decode()).group(1)
    listed = sam_client.get(reverse("api_tokens:list")).content.decode()
    assert "My laptop" in listed and raw not in listed
    me = Client().get("/api/v1/me", headers=bearer(raw))
    assert me.json()["kind"] == "agent" and me.json()["name"] == "Sam"


def test_an_agent_revokes_their_token_and_nobody_elses(sam_client, sam, ivan, token_of):
    raw = token_of(sam)
    others = token_of(ivan)
    ivans = PersonalToken.objects.get(agent=ivan)
    sam_client.post(reverse("api_tokens:revoke", args=[ivans.pk]))
    assert Client().get("/api/v1/me", headers=bearer(others)).status_code == 200
    mine = PersonalToken.objects.get(agent=sam)
    sam_client.post(reverse("api_tokens:revoke", args=[mine.pk]))
    assert Client().get("/api/v1/me", headers=bearer(raw)).status_code == 401


def test_the_page_is_for_agents(client, rita):
    assert client.get(reverse("api_tokens:list")).status_code == 302
