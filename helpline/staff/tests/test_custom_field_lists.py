"""Custom field values in the staff lists: found by search, narrowed to with a ``key=value`` filter, and
shown as columns of a saved queue, in a number of queries that does not grow with the page."""

from decimal import Decimal

from django.urls import reverse
from django.utils.http import urlencode

from helpline.custom_fields.models import Field, Kind
from helpline.staff.models import SavedQueue
from helpline.testsupport.factories import RequesterFactory
from helpline.tickets.actions import set_field_values

SEARCH = reverse("staff:search")
QUEUE = reverse("staff:queue", args=["open"])


def test_search_finds_a_value_internal_ones_too(
    sam_client,
    open_for,
    rita,
    support_topic,
    device_field,
    asset_tag,
    sam,
    django_capture_on_commit_callbacks,
):
    ticket = open_for(rita, support_topic, subject="Noise", field_values={device_field: "Printer"})
    open_for(RequesterFactory(), support_topic, subject="Noise", field_values={device_field: "Laptop"})
    found = sam_client.get(SEARCH, {"q": "printer"}).context["tickets"]
    assert [t.number for t in found] == [ticket.number]
    with django_capture_on_commit_callbacks(execute=True):
        set_field_values(actor=sam, ticket=ticket, values={asset_tag: "zebra42"})
    found = sam_client.get(SEARCH, {"q": "zebra42"}).context["tickets"]
    assert [t.number for t in found] == [ticket.number]


def test_the_filter_narrows_to_a_value(sam_client, open_for, rita, support_topic, device_field):
    printer = open_for(rita, support_topic, field_values={device_field: "Printer"})
    open_for(RequesterFactory(), support_topic, field_values={device_field: "Laptop"})
    response = sam_client.get(QUEUE, {"field": "device=Printer"})
    assert [t.number for t in response.context["tickets"]] == [printer.number]


def test_a_filter_on_an_unknown_field_says_so(sam_client, ticket):
    response = sam_client.get(QUEUE, {"field": "nothing=1"})
    assert "Name a field by its key and a value" in response.content.decode()
    assert list(response.context["tickets"]) == []


def test_a_saved_queue_shows_a_field_column_in_constant_queries(
    sam_client, sam, open_for, support_topic, device_field, django_assert_max_num_queries, settings
):
    settings.HELPLINE_MAX_OPEN_TICKETS = 0
    requester = RequesterFactory()
    for choice in ("Laptop", "Phone"):
        open_for(requester, support_topic, field_values={device_field: choice})
    sam_client.post(
        reverse("staff:saved_queue_new"),
        {
            "name": "Devices",
            "base": "open",
            "params": urlencode({"field": "device=Phone"}),
            "columns": ["field:device"],
        },
    )
    saved = SavedQueue.objects.get()
    assert saved.columns == ["field:device"] and saved.filters == {"field": "device=Phone"}
    url = reverse("staff:saved_queue", args=[saved.pk])
    with django_assert_max_num_queries(30) as few:
        response = sam_client.get(url)
    assert '<td data-label="Device" class="field-cell">Phone</td>' in response.content.decode()
    assert ">Laptop<" not in response.content.decode()
    for _ in range(10):
        open_for(requester, support_topic, field_values={device_field: "Phone"})
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = sam_client.get(url)
    assert len(response.context["tickets"]) == 11


def test_the_filter_compares_numbers_as_numbers_and_finds_one_of_several_choices(
    sam_client, open_for, rita, support_topic, hardware_form, devices
):
    count = Field.objects.create(form=hardware_form, label="Screens", key="screens", kind=Kind.NUMBER)
    kinds = Field.objects.create(
        form=hardware_form, label="Kinds", key="kinds", kind=Kind.MULTIPLE_CHOICE, choice_list=devices
    )
    two = open_for(rita, support_topic, field_values={count: Decimal(2), kinds: ["Laptop", "Phone"]})
    open_for(RequesterFactory(), support_topic, field_values={count: Decimal(12), kinds: ["Phone Case"]})
    numbers = [t.number for t in sam_client.get(QUEUE, {"field": "screens=2.0"}).context["tickets"]]
    assert numbers == [two.number]
    numbers = [t.number for t in sam_client.get(QUEUE, {"field": "kinds=Phone"}).context["tickets"]]
    assert numbers == [two.number]
    for bad in ("two", "NaN", "1e999"):
        response = sam_client.get(QUEUE, {"field": f"screens={bad}"})
        assert "is not a number a field holds" in response.content.decode()
