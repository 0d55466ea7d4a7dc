"""The portal asks the chosen topic's fields a requester sees, checks them, and stores them with the ticket;
an internal field is never shown to a requester nor set by one, even when posted by hand."""

from django.urls import reverse

from helpline.portal.tests.helpers import portal_url
from helpline.tickets.models import FieldValue, Ticket

HOME = reverse("portal:home")


def test_the_topic_fields_are_the_ones_a_requester_sees(client, support_topic, device_field, asset_tag):
    response = client.get(reverse("portal:topic_fields"), {"topic": support_topic.pk})
    assert response.status_code == 200
    assert b'name="field_device"' in response.content
    assert b"Laptop" in response.content
    assert b"asset_tag" not in response.content


def test_a_topic_not_offered_shows_no_fields(client, support_topic, device_field):
    support_topic.is_public = False
    support_topic.save()
    response = client.get(reverse("portal:topic_fields"), {"topic": support_topic.pk})
    assert b"field_device" not in response.content


def test_without_javascript_a_changed_topic_shows_its_fields_keeping_what_was_typed(
    client, form_data, device_field
):
    response = client.post(HOME, form_data | {"show_fields": "1"})
    assert response.status_code == 200
    content = response.content.decode()
    assert 'name="field_device"' in content
    assert 'value="VPN drops every hour"' in content
    assert "This field is required" not in content
    assert not Ticket.objects.exists()


def test_a_missing_required_field_is_told_and_nothing_is_stored(client, form_data, device_field):
    response = client.post(HOME, form_data)
    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    assert not Ticket.objects.exists()


def test_a_chosen_value_is_stored_and_an_internal_one_posted_by_hand_is_not(
    client, form_data, device_field, asset_tag
):
    response = client.post(HOME, form_data | {"field_device": "Phone", "field_asset_tag": "A-1"})
    assert response.status_code == 302
    ticket = Ticket.objects.get()
    assert list(FieldValue.objects.filter(ticket=ticket).values_list("field__key", "text")) == [
        ("device", "Phone")
    ]


def test_the_ticket_page_shows_the_values_a_requester_sees(
    client, open_for, rita, support_topic, device_field, asset_tag, sam
):
    ticket = open_for(rita, support_topic, field_values={device_field: "Laptop"})
    from helpline.tickets.actions import set_field_values

    set_field_values(actor=sam, ticket=ticket, values={asset_tag: "TAG-77"})
    content = client.get(portal_url("ticket", ticket, rita)).content.decode()
    assert 'id="value-device">Laptop<' in content
    assert "TAG-77" not in content and "Asset tag" not in content
