"""The administration area: administrators only; the audit log lists, filters and pages what was recorded."""

from datetime import timedelta

import time_machine
from django.urls import reverse
from django.utils import timezone

from helpline.audit.models import AuditEntry
from helpline.inbound.models import Mailbox
from helpline.tickets.actions import delete_ticket

AUDIT = reverse("admin_panel:audit_log")


def test_only_administrators_enter(client, sam, ada, db):
    assert client.get(AUDIT).status_code == 302  # to the sign-in
    client.force_login(sam.user)
    refused = client.get(AUDIT)
    assert refused.status_code == 403 and "for Helpline administrators" in refused.content.decode()
    assert client.get(reverse("admin_panel:index")).status_code == 403
    client.force_login(ada.user)
    assert client.get(reverse("admin_panel:index")).status_code == 200


def test_the_staff_navigation_leads_administrators_there(client, sam, ada, ticket):
    client.force_login(sam.user)
    assert (
        reverse("admin_panel:index") not in client.get(reverse("staff:queue", args=["open"])).content.decode()
    )
    client.force_login(ada.user)
    assert reverse("admin_panel:index") in client.get(reverse("staff:queue", args=["open"])).content.decode()


def test_a_deleted_ticket_stays_on_the_record(admin_client, ticket, mia):
    number = ticket.number
    delete_ticket(actor=mia, ticket=ticket)
    content = admin_client.get(AUDIT).content.decode()
    assert "Ticket deleted" in content and f"#{number} Printer on fire" in content
    assert "Mia" in content and "Rita Requester &lt;rita@example.test&gt;" in content


def test_the_log_filters_by_record_action_and_date(admin_client, open_for, rita, support_topic, mia):
    tickets = []
    for day, subject in enumerate(["Old", "Recent"]):
        with time_machine.travel(timezone.now() - timedelta(days=10 - 9 * day), tick=False):
            ticket = open_for(rita, support_topic, subject=subject)
            tickets.append(ticket.number)
            delete_ticket(actor=mia, ticket=ticket)
    old, recent = tickets
    by_record = admin_client.get(AUDIT, {"target": f"#{old}"}).content.decode()
    assert f"#{old} Old" in by_record and f"#{recent} Recent" not in by_record
    since = (timezone.localdate() - timedelta(days=3)).isoformat()
    by_date = admin_client.get(AUDIT, {"since": since, "action": "ticket.deleted"}).content.decode()
    assert f"#{recent} Recent" in by_date and f"#{old} Old" not in by_date


def test_bad_filters_are_refused_with_a_reason(admin_client, db):
    response = admin_client.get(AUDIT, {"since": "2026-12-10", "until": "2026-12-01", "action": "nope"})
    assert response.status_code == 400
    content = response.content.decode()
    assert "The end date comes before the start date." in content and "Select a valid choice" in content


def test_the_log_pages_by_keyset_in_a_fixed_number_of_queries(
    admin_client, open_for, rita, support_topic, mia, django_assert_max_num_queries
):
    for n in range(55):
        delete_ticket(actor=mia, ticket=open_for(rita, support_topic, subject=f"T{n}"))
    with django_assert_max_num_queries(8):
        first = admin_client.get(AUDIT)
    assert first.content.decode().count("<tr>") == 51  # the header and 50 rows
    second = admin_client.get(first.context["next_url"])
    assert second.content.decode().count("<tr>") == 6
    shown = [entry.pk for entry in first.context["entries"] + second.context["entries"]]
    assert shown == list(AuditEntry.objects.order_by("-at", "-id").values_list("pk", flat=True))


def test_the_log_cannot_be_changed_from_the_area(admin_client, ticket, mia):
    delete_ticket(actor=mia, ticket=ticket)
    assert admin_client.post(AUDIT, {"action": "ticket.deleted"}).status_code == 405
    assert AuditEntry.objects.count() == 1


def test_a_configuration_change_reads_as_before_and_after(admin_client, support, ada):
    old = Mailbox.objects.create(name="Old", address="old@example.test", department=support, is_default=True)
    data = {
        "name": "New",
        "address": "new@example.test",
        "department": support.pk,
        "protocol": "pipe",
        "security": "ssl",
        "after_fetch": "delete",
        "fetch_every_minutes": "5",
        "is_default": "on",
        "is_active": "on",
    }
    assert admin_client.post(reverse("admin_panel:mailbox_new"), data).status_code == 302
    mailbox = Mailbox.objects.get(name="New")
    admin_client.post(reverse("admin_panel:mailbox_edit", args=[mailbox.pk]), data | {"name": "Renamed"})
    content = admin_client.get(AUDIT).content.decode()
    assert "Mailbox created" in content and "Mailbox changed" in content
    assert f"<dt>default_taken_from</dt><dd>Old (#{old.pk})</dd>" in content
    assert f"<dt>department</dt><dd>Support (#{support.pk})</dd>" in content
    assert '<dt>before</dt><dd><dl class="details"><dt>name</dt><dd>New</dd></dl></dd>' in content
    assert '<dt>after</dt><dd><dl class="details"><dt>name</dt><dd>Renamed</dd></dl></dd>' in content
    assert "<dt>port</dt><dd>—</dd>" in content and "<dt>is_default</dt><dd>yes</dd>" in content
