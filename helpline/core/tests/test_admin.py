"""The Django admin: every model of the domain apps is there; history is read-only; lists stay cheap."""

from io import StringIO

import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse

from helpline.mail.models import OutboundEmail
from helpline.people.models import Role
from helpline.tickets.models import ThreadEntry, Ticket

DOMAIN_APPS = {"people", "catalog", "tickets", "routing", "sla", "mail", "audit", "inbound", "custom_fields"}
HISTORY = {
    "tickets.ticket",
    "tickets.threadentry",
    "tickets.attachment",
    "tickets.notification",
    "tickets.slaescalation",
    # Changed on the staff ticket page (follow, reply).
    "tickets.follower",
    "tickets.replylock",
    "tickets.ticketlink",
    "mail.outboundemail",
    "audit.auditentry",
    "inbound.rawmessage",
    "mail.bouncingaddress",
    "inbound.fetcheduid",
    # Edited in the administration area, which checks and records each change.
    "tickets.notificationtemplate",
    "sla.schedule",
    "sla.schedulespan",
    "sla.holiday",
    "sla.slaplan",
    "sla.slatarget",
    "sla.escalationstep",
    "routing.filterrule",
    "routing.rulecondition",
    "routing.ruleaction",
    "routing.helptopic",
    "catalog.ticketstatus",
    "tickets.cannedresponse",
    "tickets.cannedattachment",
    "tickets.mention",
    "tickets.task",
    "tickets.fieldvalue",
    "routing.topicform",
    "routing.departmentdefaults",
    "custom_fields.choicelist",
    "custom_fields.form",
    "custom_fields.field",
}


@pytest.fixture
def admin_client(client, db):
    call_command("load_demo", stdout=StringIO())
    client.force_login(get_user_model().objects.get(username="admin"))
    return client


def url(model, view: str, *args) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def test_every_domain_model_is_registered():
    from django.apps import apps

    domain_models = {
        model
        for label in DOMAIN_APPS
        for model in apps.get_app_config(label).get_models()
        # Edited inline; or derived (a ticket's search text, rebuilt from the ticket by search_reindex).
        if model._meta.model_name not in {"membership", "collaborator", "searchdocument"}
    }
    assert domain_models <= set(admin.site._registry)


def test_every_list_and_page_opens(admin_client):
    for model in admin.site._registry:
        if model._meta.app_label not in DOMAIN_APPS:
            continue
        assert admin_client.get(url(model, "changelist")).status_code == 200, model
        first = model._default_manager.first()
        if first is not None:
            assert admin_client.get(url(model, "change", first.pk)).status_code == 200, model
        label = model._meta.label_lower
        expected = 403 if label in HISTORY else 200
        assert admin_client.get(url(model, "add")).status_code == expected, model


def test_tickets_and_thread_entries_cannot_be_changed(admin_client):
    entry = ThreadEntry.objects.filter(kind="message").first()
    response = admin_client.post(url(ThreadEntry, "change", entry.pk), {"body_text": "rewritten"})
    assert response.status_code == 403
    assert ThreadEntry.objects.get(pk=entry.pk).body_text != "rewritten"
    ticket = Ticket.objects.first()
    assert admin_client.post(url(Ticket, "delete", ticket.pk), {"post": "yes"}).status_code == 403
    assert Ticket.objects.filter(pk=ticket.pk).exists()


def test_the_ticket_list_loads_its_related_rows_in_one_query(admin_client, django_assert_max_num_queries):
    with django_assert_max_num_queries(12):
        response = admin_client.get(url(Ticket, "changelist"))
    assert response.status_code == 200
    assert Ticket.objects.first().number in response.text


def test_roles_are_edited_as_permission_checkboxes(admin_client):
    role = Role.objects.get(name="Limited")
    response = admin_client.post(
        url(Role, "change", role.pk), {"name": "Limited", "permissions": ["note", "view"]}
    )
    assert response.status_code == 302
    role.refresh_from_db()
    assert role.permissions == ["view", "note"]


def test_a_failed_email_can_be_retried(admin_client, django_capture_on_commit_callbacks, mailoutbox):
    email = OutboundEmail.objects.create(
        to=["rita@northwind.example"],
        subject="Your ticket",
        body_text="Hello",
        reason="response",
        status=OutboundEmail.Status.FAILED,
        attempts=6,
        last_error="SMTPServerDisconnected",
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            url(OutboundEmail, "changelist"), {"action": "retry_now", "_selected_action": [email.pk]}
        )
    assert response.status_code == 302
    email.refresh_from_db()
    assert email.status == OutboundEmail.Status.SENT
    assert [mail.subject for mail in mailoutbox] == ["Your ticket"]
