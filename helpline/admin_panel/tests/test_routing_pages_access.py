"""The pages of help topics, statuses and filter rules are for administrators only, and every change they
make is a POST that carries the CSRF token: anonymous visitors go to the sign-in, agents are refused, a
forged post changes nothing."""

import pytest
from django.test import Client
from django.urls import reverse

from helpline.audit.models import AuditEntry
from helpline.catalog.models import State, TicketStatus
from helpline.routing.models import FilterRule, HelpTopic


@pytest.fixture
def records(support_topic, make_rule):
    rule = make_rule("Outages")
    status = TicketStatus.objects.create(name="In progress", state=State.OPEN, sort=50)
    return support_topic, rule, status


def snapshot():
    return (
        list(HelpTopic.objects.values_list("name", "is_active")),
        list(FilterRule.objects.values_list("name", "order", "is_active")),
        list(TicketStatus.objects.values_list("name", "state", "is_default", "sort")),
    )


@pytest.fixture
def pages(records):
    topic, rule, status = records
    return [
        reverse("admin_panel:help_topics"),
        reverse("admin_panel:help_topic_new"),
        reverse("admin_panel:help_topic_edit", args=[topic.pk]),
        reverse("admin_panel:statuses"),
        reverse("admin_panel:status_new"),
        reverse("admin_panel:status_edit", args=[status.pk]),
        reverse("admin_panel:filter_rules"),
        reverse("admin_panel:filter_rule_new"),
        reverse("admin_panel:filter_rule_edit", args=[rule.pk]),
        reverse("admin_panel:filter_rule_test"),
    ]


@pytest.fixture
def posts(records, support):
    topic, rule, status = records
    return [
        (reverse("admin_panel:help_topic_new"), {"name": "New", "department": support.pk, "is_active": "on"}),
        (
            reverse("admin_panel:help_topic_edit", args=[topic.pk]),
            {"name": "Renamed", "department": support.pk},
        ),
        (reverse("admin_panel:help_topic_deactivate", args=[topic.pk]), {}),
        (reverse("admin_panel:status_new"), {"name": "Waiting on vendor", "state": "pending"}),
        (reverse("admin_panel:status_edit", args=[status.pk]), {"name": "Renamed", "state": "open"}),
        (reverse("admin_panel:status_move", args=[status.pk]), {"direction": "up"}),
        (reverse("admin_panel:status_make_default", args=[status.pk]), {}),
        (reverse("admin_panel:filter_rule_move", args=[rule.pk]), {"direction": "up"}),
        (reverse("admin_panel:filter_rule_deactivate", args=[rule.pk]), {}),
        (reverse("admin_panel:filter_rule_test"), {"channel": "email", "event": "ticket", "subject": "x"}),
    ]


def test_anonymous_visitors_are_sent_to_the_sign_in(client, pages, posts):
    before = snapshot()
    for url in pages:
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith(reverse("staff:login")), url
    for url, data in posts:
        assert client.post(url, data).status_code == 302, url
    assert snapshot() == before and not AuditEntry.objects.exists()


def test_agents_who_are_not_administrators_are_refused(client, sam, pages, posts):
    before = snapshot()
    client.force_login(sam.user)
    for url in pages:
        response = client.get(url)
        assert response.status_code == 403 and "for Helpline administrators" in response.content.decode(), url
    for url, data in posts:
        assert client.post(url, data).status_code == 403, url
    assert snapshot() == before and not AuditEntry.objects.exists()


def test_every_change_needs_the_csrf_token(ada, posts):
    before = snapshot()
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(ada.user)
    for url, data in posts:
        assert browser.post(url, data).status_code == 403, url
    assert snapshot() == before and not AuditEntry.objects.exists()
    browser.get(reverse("admin_panel:statuses"))
    token = browser.cookies["csrftoken"].value
    url, data = posts[6]
    assert browser.post(url, data | {"csrfmiddlewaretoken": token}).status_code == 302


def test_changes_are_never_made_on_get(admin_client, posts):
    before = snapshot()
    for url, _ in posts:
        if url.endswith(("/deactivate/", "/move/", "/default/")):
            assert admin_client.get(url).status_code == 405, url
    assert snapshot() == before


def test_the_index_leads_to_the_routing_pages(admin_client, db):
    content = admin_client.get(reverse("admin_panel:index")).content.decode()
    for name in ("help_topics", "statuses", "filter_rules"):
        assert reverse(f"admin_panel:{name}") in content
