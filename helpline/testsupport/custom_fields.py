"""A help topic that asks a form: a required device (a choice, seen by the requester) and an internal
asset tag."""

import pytest

from helpline.custom_fields.models import ChoiceList, Field, Form, Kind
from helpline.routing.models import TopicForm


@pytest.fixture
def devices(db):
    return ChoiceList.objects.create(name="Devices", choices=["Laptop", "Phone", "Printer"])


@pytest.fixture
def hardware_form(support_topic, devices):
    form = Form.objects.create(name="Hardware")
    TopicForm.objects.create(topic=support_topic, form=form, sort=10)
    return form


@pytest.fixture
def device_field(hardware_form, devices):
    return Field.objects.create(
        form=hardware_form,
        label="Device",
        key="device",
        kind=Kind.CHOICE,
        required=True,
        choice_list=devices,
        sort=10,
    )


@pytest.fixture
def asset_tag(hardware_form):
    return Field.objects.create(
        form=hardware_form, label="Asset tag", key="asset_tag", kind=Kind.TEXT, is_public=False, sort=20
    )
