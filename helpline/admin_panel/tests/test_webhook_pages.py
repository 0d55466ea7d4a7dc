"""Webhooks in the administration area: for administrators only, created with a secret that is shown and can
be replaced, their deliveries listed with each attempt and re-sendable, the hooks switched off for failing
named at the top, every change on the audit log (never a secret)."""

import json
import re

import pytest
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from standardwebhooks.webhooks import Webhook as Verifier

from helpline.audit.models import AuditEntry
from helpline.tickets.actions import post_reply
from helpline.webhooks.models import Attempt, Delivery, Webhook
from helpline.webhooks.notices import failed_delivery

LIST = reverse("admin_panel:webhooks")
NEW = reverse("admin_panel:webhook_new")


def edit_url(hook):
    return reverse("admin_panel:webhook_edit", args=[hook.pk])


def form(**changes):
    data = {
        "name": "CRM",
        "url": "https://crm.example.test/hooks",
        "events": ["ticket.created"],
        "is_active": "on",
    }
    return {key: value for key, value in (data | changes).items() if value is not None}


@pytest.fixture
def hook(make_hook):
    return make_hook(events=["ticket.response"])


@pytest.fixture
def delivered(hook, ticket, sam, receiver, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        post_reply(actor=sam, ticket=ticket, body="On it")
    return Delivery.objects.get()


def pages_and_posts(hook, delivery):
    pages = [LIST, NEW, edit_url(hook)]
    posts = [
        (NEW, form()),
        (edit_url(hook), form(name="Renamed")),
        (reverse("admin_panel:webhook_rotate", args=[hook.pk]), {}),
        (reverse("admin_panel:webhook_delivery_resend", args=[hook.pk, delivery.pk]), {}),
    ]
    return pages, posts


def test_only_administrators_see_or_change_webhooks(client, sam, hook, delivered, receiver):
    pages, posts = pages_and_posts(hook, delivered)
    for url in pages:
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith(reverse("staff:login")), url
    client.force_login(sam.user)
    for url in pages:
        assert client.get(url).status_code == 403, url
    for url, data in posts:
        assert client.post(url, data).status_code == 403, url
    assert list(Webhook.objects.values_list("name", "secret")) == [("CRM", hook.secret)]
    assert Delivery.objects.count() == 1 and len(receiver.received) == 1
    assert not AuditEntry.objects.exists()


def test_a_new_hook_gets_a_secret_shown_on_its_page_and_is_recorded_without_it(admin_client, ada):
    response = admin_client.post(NEW, form(events=["ticket.closed", "ticket.created"]), follow=True)
    hook = Webhook.objects.get()
    assert hook.secret.startswith("whsec_") and len(hook.secret) > 40
    assert (hook.name, hook.url, hook.events, hook.is_active) == (
        "CRM",
        "https://crm.example.test/hooks",
        ["ticket.created", "ticket.closed"],
        True,
    )
    assert hook.secret in response.content.decode()
    entry = AuditEntry.objects.get()
    assert (entry.action, entry.actor_name, entry.target_id) == ("webhook.created", "Ada", str(hook.pk))
    assert hook.secret not in json.dumps(entry.data)
    assert entry.data["after"]["url"] == "https://crm.example.test/hooks"


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("ftp://crm.example.test/hooks", "Only http:// and https://"),
        ("file:///etc/passwd", "Enter a valid URL"),
        ("https://user:secret@crm.example.test/hooks", "no user name or password"),
        ("javascript:alert(1)", "Enter a valid URL"),
    ],
)
def test_a_url_that_is_not_plain_http_or_that_carries_credentials_is_refused(admin_client, url, message):
    response = admin_client.post(NEW, form(url=url))
    assert response.status_code == 400 and message in response.content.decode()
    assert not Webhook.objects.exists() and not AuditEntry.objects.exists()


def test_a_hook_needs_an_event(admin_client):
    response = admin_client.post(NEW, form(events=[]))
    assert response.status_code == 400 and "This field is required" in response.content.decode()


def test_editing_records_what_changed(admin_client, hook):
    response = admin_client.post(
        edit_url(hook), form(url=hook.url, events=["ticket.response", "ticket.note"])
    )
    assert response.status_code == 302
    hook.refresh_from_db()
    assert hook.events == ["ticket.response", "ticket.note"]
    entry = AuditEntry.objects.get()
    assert entry.action == "webhook.changed"
    assert entry.data == {
        "before": {"events": ["ticket.response"]},
        "after": {"events": ["ticket.response", "ticket.note"]},
    }
    admin_client.post(edit_url(hook), form(url=hook.url, events=["ticket.response", "ticket.note"]))
    assert AuditEntry.objects.count() == 1  # an unchanged save records nothing


def test_the_secret_is_replaced_and_deliveries_signed_with_the_new_one(
    admin_client, hook, ticket, sam, receiver, django_capture_on_commit_callbacks
):
    old = hook.secret
    response = admin_client.post(reverse("admin_panel:webhook_rotate", args=[hook.pk]), follow=True)
    hook.refresh_from_db()
    assert hook.secret != old and hook.secret in response.content.decode()
    entry = AuditEntry.objects.get()
    assert entry.action == "webhook.secret_rotated" and entry.data == {"secret_replaced": True}
    with django_capture_on_commit_callbacks(execute=True):
        post_reply(actor=sam, ticket=ticket, body="Signed anew")
    [received] = receiver.received
    Verifier(hook.secret).verify(received.body, received.headers)


def test_the_page_shows_each_delivery_with_its_attempts_and_re_sends_one(
    admin_client, hook, delivered, receiver, django_capture_on_commit_callbacks, django_assert_max_num_queries
):
    with django_assert_max_num_queries(9):
        page = admin_client.get(edit_url(hook)).content.decode()
    assert delivered.message_id in page and "HTTP 200" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            reverse("admin_panel:webhook_delivery_resend", args=[hook.pk, delivered.pk])
        )
    assert response.status_code == 302
    first, again = receiver.received
    assert again.body == first.body and again.headers["webhook-id"] == first.headers["webhook-id"]
    copy = Delivery.objects.exclude(pk=delivered.pk).get()
    assert copy.resent_from == delivered and copy.status == Delivery.Status.DELIVERED
    entry = AuditEntry.objects.get()
    assert entry.action == "webhook.delivery_resent" and entry.data["delivery"] == delivered.pk


def test_the_page_takes_as_many_queries_for_many_deliveries_as_for_one(
    admin_client, hook, delivered, django_assert_max_num_queries
):
    for _ in range(30):
        copy = Delivery.objects.create(
            webhook=hook,
            message_id="msg_x",
            event_type="ticket.response",
            body="{}",
            created_at=delivered.created_at,
        )
        Attempt.objects.create(
            delivery=copy, webhook=hook, at=copy.created_at, succeeded=False, error="HTTP 500"
        )
    with django_assert_max_num_queries(
        9
    ):  # the same bound for 1 and 31 deliveries (9: with the desk settings row)
        assert admin_client.get(edit_url(hook)).status_code == 200


def test_a_delivery_of_another_hook_is_not_found(admin_client, make_hook, hook, delivered):
    other = make_hook(name="Other")
    url = reverse("admin_panel:webhook_delivery_resend", args=[other.pk, delivered.pk])
    assert admin_client.post(url).status_code == 404
    assert Delivery.objects.count() == 1 and not AuditEntry.objects.exists()


def test_a_hook_switched_off_for_failing_is_named_on_the_list_and_switched_on_again(admin_client, hook):
    Webhook.objects.filter(pk=hook.pk).update(
        is_active=False,
        consecutive_failures=5,
        disabled_reason="Switched off after 5 deliveries in a row failed",
    )
    page = admin_client.get(LIST).content.decode()
    assert 'id="switched-off"' in page and "Switched off after 5 deliveries" in page
    resend = admin_client.post(
        reverse("admin_panel:webhook_delivery_resend", args=[hook.pk, 1]), follow=True
    ).content.decode()
    assert "is switched off" in resend
    admin_client.post(edit_url(hook), form(url=hook.url, events=hook.events))
    hook.refresh_from_db()
    assert hook.is_active and hook.consecutive_failures == 0 and hook.disabled_reason == ""
    assert 'id="switched-off"' not in admin_client.get(LIST).content.decode()


def opened(client, hook, **changes) -> dict:
    """The hook's edit form as its page writes it (with what "Active" showed), then ``changes`` (None
    leaves a field out, as an unticked box)."""
    page = client.get(edit_url(hook)).content.decode()
    [shown] = re.findall(r'<input type="hidden" name="is_active_shown" value="(\w+)"', page)
    as_shown = {
        "name": hook.name,
        "url": hook.url,
        "events": hook.events,
        "is_active": "on" if hook.is_active else None,
    }
    return form(**as_shown | changes) | {"is_active_shown": shown}


def switch_off_for_failing(hook, settings) -> None:
    """As the deliveries switch a hook off: its count of failures in a row reached the limit."""
    settings.HELPLINE_WEBHOOK_FAILURES_TO_DISABLE = 2
    delivery = Delivery.objects.create(
        webhook=hook,
        message_id="msg_failed",
        event_type="ticket.response",
        body="{}",
        created_at=timezone.now(),
        status=Delivery.Status.FAILED,
        last_error="HTTP 500",
    )
    Webhook.objects.filter(pk=hook.pk).update(consecutive_failures=2)
    with transaction.atomic():
        assert failed_delivery(Webhook.objects.select_for_update().get(pk=hook.pk), delivery)


def shown_messages(response) -> list[tuple[str, str]]:
    return [(message.level_tag, str(message)) for message in response.context["messages"]]


def test_a_form_opened_before_the_hook_was_switched_off_for_failing_leaves_it_off(
    admin_client, hook, settings
):
    data = opened(admin_client, hook, name="Renamed")
    assert data["is_active"] == "on" and data["is_active_shown"] == "True"
    switch_off_for_failing(hook, settings)
    response = admin_client.post(edit_url(hook), data, follow=True)
    hook.refresh_from_db()
    assert (hook.name, hook.is_active, hook.consecutive_failures) == ("Renamed", False, 2)
    assert "2 deliveries in a row failed" in hook.disabled_reason and hook.disabled_at is not None
    saved, warning = shown_messages(response)
    assert saved == ("success", "Webhook “Renamed” saved.")
    assert (
        warning[0] == "warning" and "switched off meanwhile because its deliveries kept failing" in warning[1]
    )
    assert response.redirect_chain == [(edit_url(hook), 302)]  # to its page, which shows the reason
    assert 'id="disabled-reason"' in response.content.decode()
    entry = AuditEntry.objects.get(action="webhook.changed")
    assert entry.data == {"before": {"name": "CRM"}, "after": {"name": "Renamed"}}


def test_ticking_active_on_a_form_that_showed_it_off_switches_it_on_and_clears_the_failures(
    admin_client, hook, settings
):
    switch_off_for_failing(hook, settings)
    hook.refresh_from_db()
    assert "is_active" not in opened(admin_client, hook)
    data = opened(admin_client, hook, is_active="on")
    assert data["is_active_shown"] == "False"
    response = admin_client.post(edit_url(hook), data, follow=True)
    assert response.redirect_chain == [(LIST, 302)]
    assert shown_messages(response) == [("success", "Webhook “CRM” saved.")]
    hook.refresh_from_db()
    assert hook.is_active and (hook.consecutive_failures, hook.disabled_reason, hook.disabled_at) == (
        0,
        "",
        None,
    )
    entry = AuditEntry.objects.get(action="webhook.changed")
    assert entry.data == {"before": {"is_active": False}, "after": {"is_active": True}}


def test_an_active_hook_edited_stays_active_and_unticking_active_switches_it_off(admin_client, hook):
    response = admin_client.post(edit_url(hook), opened(admin_client, hook, name="Renamed"), follow=True)
    assert response.redirect_chain == [(LIST, 302)]
    assert shown_messages(response) == [("success", "Webhook “Renamed” saved.")]
    hook.refresh_from_db()
    assert hook.name == "Renamed" and hook.is_active
    admin_client.post(edit_url(hook), opened(admin_client, hook, is_active=None))
    hook.refresh_from_db()
    assert not hook.is_active
    changes = [entry.data for entry in AuditEntry.objects.filter(action="webhook.changed").order_by("id")]
    assert changes == [
        {"before": {"name": "CRM"}, "after": {"name": "Renamed"}},
        {"before": {"is_active": True}, "after": {"is_active": False}},
    ]


def test_the_index_leads_to_the_webhooks(admin_client, db):
    assert LIST in admin_client.get(reverse("admin_panel:index")).content.decode()
