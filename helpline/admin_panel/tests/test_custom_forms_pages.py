"""Custom forms in the administration area: an administrator builds a choice list, a form asked on a help
topic and its fields; each change is on the audit log with what it was before; others are refused."""

import pytest
from django.urls import reverse

from helpline.audit.models import AuditEntry
from helpline.custom_fields.models import ChoiceList, Field, Form, Kind
from helpline.routing.models import TopicForm


def test_an_administrator_builds_a_choice_list_a_form_on_a_topic_and_a_field(admin_client, support_topic):
    response = admin_client.post(
        reverse("admin_panel:choice_list_new"),
        {"name": "Devices", "choices_text": "Laptop\n\nPhone\nLaptop\n"},
    )
    assert response.status_code == 302
    devices = ChoiceList.objects.get()
    assert devices.choices == ["Laptop", "Phone"]

    response = admin_client.post(
        reverse("admin_panel:custom_form_new"),
        {"name": "Hardware", "is_active": "on", "topics": [support_topic.pk]},
    )
    form = Form.objects.get()
    assert response.url == reverse("admin_panel:custom_form_edit", args=[form.pk])
    assert TopicForm.objects.filter(topic=support_topic, form=form).exists()

    field_data = {
        "label": "Device",
        "key": "device",
        "kind": Kind.CHOICE,
        "required": "on",
        "is_public": "on",
    }
    response = admin_client.post(
        reverse("admin_panel:custom_field_new", args=[form.pk]),
        field_data | {"choice_list": devices.pk, "sort": 10, "is_active": "on"},
    )
    assert response.status_code == 302
    field = Field.objects.get()
    assert (field.form, field.kind, field.required, field.choice_list) == (form, Kind.CHOICE, True, devices)
    page = admin_client.get(reverse("admin_panel:custom_form_edit", args=[form.pk])).content.decode()
    assert "<code>device</code>" in page

    entries = list(AuditEntry.objects.order_by("id").values_list("action", "target_repr"))
    assert entries == [
        ("choice_list.created", "Devices"),
        ("custom_form.created", "Hardware"),
        ("custom_field.created", "Device"),
    ]
    created = AuditEntry.objects.get(action="custom_form.created")
    assert created.data["after"]["topics"] == [{"id": support_topic.pk, "name": support_topic.full_name}]


def test_a_change_is_recorded_with_before_and_after(
    admin_client, device_field, asset_tag, support_topic, it_topic
):
    admin_client.post(
        reverse("admin_panel:custom_form_edit", args=[device_field.form_id]),
        {"name": "Hardware", "is_active": "on", "topics": [it_topic.pk]},
    )
    assert list(TopicForm.objects.values_list("topic_id", flat=True)) == [it_topic.pk]
    entry = AuditEntry.objects.get(action="custom_form.changed")
    assert entry.data["before"] == {"topics": [{"id": support_topic.pk, "name": support_topic.full_name}]}
    assert entry.data["after"] == {"topics": [{"id": it_topic.pk, "name": it_topic.full_name}]}

    data = {"label": "Asset tag", "key": "asset_tag", "kind": Kind.TEXT, "sort": 20, "is_active": "on"}
    admin_client.post(
        reverse("admin_panel:custom_field_edit", args=[asset_tag.pk]), data | {"required": "on"}
    )
    entry = AuditEntry.objects.get(action="custom_field.changed")
    assert entry.data == {"before": {"required": False}, "after": {"required": True}}


@pytest.mark.parametrize(
    ("changes", "field_name", "error"),
    [
        ({"kind": Kind.CHOICE}, "choice_list", "A choice field needs a choice list."),
        ({"key": "Not a key"}, "key", "Lower-case letters"),
        ({"key": "device"}, "key", "Another field has this key."),
        ({"kind": Kind.NUMBER, "min_value": "5", "max_value": "1"}, "max_value", "must not be below"),
    ],
)
def test_a_field_that_cannot_work_is_refused_with_the_reason(
    admin_client, device_field, changes, field_name, error
):
    data = {"label": "Other", "key": "other", "kind": Kind.TEXT, "sort": 30} | changes
    response = admin_client.post(reverse("admin_panel:custom_field_new", args=[device_field.form_id]), data)
    assert response.status_code == 400
    assert error in str(response.context["form"].errors[field_name])
    assert Field.objects.count() == 1 and not AuditEntry.objects.exists()


@pytest.mark.parametrize("name", ["custom_forms", "choice_lists", "custom_form_new", "choice_list_new"])
def test_agents_who_are_not_administrators_are_refused(client, sam, name):
    client.force_login(sam.user)
    assert client.get(reverse(f"admin_panel:{name}")).status_code == 403


def test_the_type_and_key_are_fixed_once_tickets_hold_values(
    admin_client, open_for, rita, support_topic, device_field
):
    open_for(rita, support_topic, field_values={device_field: "Phone"})
    data = {"label": "Device", "key": "gadget", "kind": Kind.TEXT, "sort": 10, "is_active": "on"}
    response = admin_client.post(reverse("admin_panel:custom_field_edit", args=[device_field.pk]), data)
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert "Fixed once tickets hold values" in str(errors["key"]) and "Fixed once" in str(errors["kind"])


def test_changing_a_choice_list_records_its_choices_before_and_after(admin_client, devices):
    url = reverse("admin_panel:choice_list_edit", args=[devices.pk])
    response = admin_client.post(url, {"name": "Devices", "choices_text": "Laptop\nTablet"})
    assert response.status_code == 302
    devices.refresh_from_db()
    assert devices.choices == ["Laptop", "Tablet"]
    entry = AuditEntry.objects.get()
    assert entry.action == "choice_list.changed"
    assert "Printer" in str(entry.data["before"]) and "Tablet" in str(entry.data["after"])
