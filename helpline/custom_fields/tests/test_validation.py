"""Each type of field checks what is entered in it, and a required one must be filled in."""

from datetime import date
from decimal import Decimal

import pytest

from helpline.custom_fields.models import ChoiceList, Field, Form, Kind
from helpline.custom_fields.values import FieldsForm

CASES = [
    # kind, extra settings, good input -> value, bad input -> error
    (Kind.TEXT, {"max_length": 5}, "abc", "abc", "abcdef", "at most 5"),
    (Kind.LONG_TEXT, {"max_length": 12}, "two\nlines", "two\nlines", "x" * 13, "at most 12"),
    (Kind.CHOICE, {}, "Phone", "Phone", "Tablet", "Select a valid choice"),
    (Kind.MULTIPLE_CHOICE, {}, ["Laptop", "Phone"], ["Laptop", "Phone"], ["Tablet"], "Select a valid choice"),
    (Kind.DATE, {}, "2026-03-01", date(2026, 3, 1), "2026-02-30", "Enter a valid date"),
    (Kind.NUMBER, {"min_value": 1, "max_value": 10}, "2.5", Decimal("2.5"), "11", "less than or equal to 10"),
    (Kind.NUMBER, {}, "7", Decimal(7), "seven", "Enter a number"),
    (Kind.EMAIL, {}, "a@example.test", "a@example.test", "not-an-address", "valid email"),
    (Kind.PHONE, {}, "+1 (555) 010-0100", "+1 (555) 010-0100", "call me", "Enter a phone number"),
]


@pytest.fixture
def make_field(db):
    form = Form.objects.create(name="Checks")
    choices = ChoiceList.objects.create(name="Devices", choices=["Laptop", "Phone"])

    def make(kind, **bounds):
        choice_list = choices if kind in (Kind.CHOICE, Kind.MULTIPLE_CHOICE) else None
        return Field.objects.create(
            form=form, label="It", key="it", kind=kind, choice_list=choice_list, **bounds
        )

    return make


@pytest.mark.parametrize(("kind", "bounds", "good", "value", "bad", "error"), CASES)
def test_each_type_takes_its_values_and_refuses_others(make_field, kind, bounds, good, value, bad, error):
    field = make_field(kind, **bounds)
    form = FieldsForm({"field_it": good}, custom_fields=[field])
    assert form.is_valid(), form.errors
    assert form.values() == {field: value}
    refused = FieldsForm({"field_it": bad}, custom_fields=[field])
    assert not refused.is_valid()
    assert error in str(refused.errors["field_it"])


@pytest.mark.parametrize("kind", list(Kind))
def test_a_required_field_must_be_filled_in(make_field, kind):
    field = make_field(kind, required=True)
    form = FieldsForm({}, custom_fields=[field])
    assert not form.is_valid()
    assert "This field is required." in str(form.errors["field_it"])


@pytest.mark.parametrize("kind", list(Kind))
def test_an_optional_field_left_empty_has_no_value(make_field, kind):
    field = make_field(kind)
    form = FieldsForm({}, custom_fields=[field])
    assert form.is_valid()
    assert form.values() == {field: None}


def test_a_ticked_checkbox_is_yes(make_field):
    field = make_field(Kind.CHECKBOX)
    form = FieldsForm({"field_it": "on"}, custom_fields=[field])
    assert form.is_valid() and form.values() == {field: True}
