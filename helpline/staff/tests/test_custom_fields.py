"""Agents enter every field (internal ones too) on a new ticket, see them all on the ticket page, and change
them when they may edit the ticket: the change is an event with the values before and after."""

import pytest
from django.urls import reverse

from helpline.tickets.actions import set_field_values
from helpline.tickets.events import FieldsChanged, payload_of
from helpline.tickets.models import Event, FieldValue, Ticket
from helpline.tickets.policy import NotAllowed

NEW = reverse("staff:ticket_new")


def new_ticket_data(topic, **extra):
    return {
        "email": "nora@example.test",
        "topic": topic.pk,
        "source": "phone",
        "subject": "Laptop fan is loud",
        "body": "It started today.",
    } | extra


def test_the_new_ticket_page_asks_every_field_of_the_topic(
    sam_client, support_topic, device_field, asset_tag
):
    response = sam_client.get(reverse("staff:ticket_new_fields"), {"topic": support_topic.pk})
    assert b'name="field_device"' in response.content and b'name="field_asset_tag"' in response.content


def test_a_new_ticket_stores_internal_values_too(sam_client, support_topic, device_field, asset_tag):
    data = new_ticket_data(support_topic, field_device="Laptop", field_asset_tag="TAG-1")
    response = sam_client.post(NEW, data)
    assert response.status_code == 302
    values = FieldValue.objects.filter(ticket=Ticket.objects.get()).order_by("field__sort")
    assert [(value.field.key, value.text) for value in values] == [
        ("device", "Laptop"),
        ("asset_tag", "TAG-1"),
    ]


def test_a_bad_value_on_a_new_ticket_opens_nothing(sam_client, support_topic, device_field):
    response = sam_client.post(NEW, new_ticket_data(support_topic, field_device="Tablet"))
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()
    assert not Ticket.objects.exists()


def test_without_javascript_the_new_ticket_page_shows_the_topic_fields_as_typed(
    sam_client, support_topic, device_field
):
    response = sam_client.post(NEW, new_ticket_data(support_topic, show_fields="1"))
    assert response.status_code == 200
    assert b'name="field_device"' in response.content and b'value="Laptop fan is loud"' in response.content
    assert not Ticket.objects.exists()


def test_a_requester_cannot_set_an_internal_field(open_for, rita, support_topic, device_field, asset_tag):
    with pytest.raises(NotAllowed):
        open_for(rita, support_topic, field_values={device_field: "Phone", asset_tag: "mine"})
    assert not Ticket.objects.exists()


def test_the_ticket_page_shows_every_value_and_the_edit_records_before_and_after(
    sam_client, open_for, rita, support_topic, device_field, asset_tag
):
    ticket = open_for(rita, support_topic, field_values={device_field: "Laptop"})
    page = sam_client.get(reverse("staff:ticket", args=[ticket.number])).content.decode()
    assert 'id="value-device">Laptop<' in page and 'name="field_asset_tag"' in page

    url = reverse("staff:ticket_fields", args=[ticket.number])
    response = sam_client.post(url, {"field_device": "Printer", "field_asset_tag": "TAG-9"})
    assert response.status_code == 302
    event = ticket.entries.get(event=Event.FIELDS)
    changed = payload_of(event.event, event.data)
    assert isinstance(changed, FieldsChanged)
    assert [(c.field.name, c.before, c.after) for c in changed.changes] == [
        ("Device", "Laptop", "Printer"),
        ("Asset tag", "", "TAG-9"),
    ]
    page = sam_client.get(reverse("staff:ticket", args=[ticket.number])).content.decode()
    assert 'id="value-asset_tag">TAG-9<' in page
    assert "changed Device from “Laptop” to “Printer”" in page


def test_a_bad_value_in_the_edit_changes_nothing(sam_client, open_for, rita, support_topic, device_field):
    ticket = open_for(rita, support_topic, field_values={device_field: "Laptop"})
    url = reverse("staff:ticket_fields", args=[ticket.number])
    response = sam_client.post(url, {"field_device": ""})
    assert response.status_code == 400
    assert FieldValue.objects.get(ticket=ticket).text == "Laptop"
    assert not ticket.entries.filter(event=Event.FIELDS).exists()


def test_an_agent_who_may_not_edit_cannot_change_values(
    client, lena, open_for, rita, support_topic, device_field
):
    ticket = open_for(rita, support_topic, field_values={device_field: "Laptop"})
    with pytest.raises(NotAllowed):
        set_field_values(actor=lena, ticket=ticket, values={device_field: "Phone"})
    client.force_login(lena.user)
    page = client.get(reverse("staff:ticket", args=[ticket.number])).content.decode()
    assert 'id="value-device">Laptop<' in page and 'id="fields-form"' not in page
    response = client.post(reverse("staff:ticket_fields", args=[ticket.number]), {"field_device": "Phone"})
    assert response.status_code == 403
    assert FieldValue.objects.get(ticket=ticket).text == "Laptop"
