"""Configuration rows kept in the process: read once, read again after any change of their tables, however
it was made (a queryset's update, raw SQL as another process or a migration writes), never served from a
change that was rolled back."""

import pytest
from django.db import connection, transaction

from helpline.catalog.models import Priority, State, TicketStatus
from helpline.core.desk import load
from helpline.core.models import DeskSettings

pytestmark = pytest.mark.django_db


@pytest.fixture
def low_and_high(db):
    Priority.objects.update(is_default=False)
    low = Priority.objects.create(name="Lowest", urgency=90, is_default=True)
    return low, Priority.objects.create(name="Highest", urgency=91)


def test_a_default_read_again_costs_only_the_check_of_the_token(low_and_high, django_assert_num_queries):
    assert Priority.default() == low_and_high[0]
    with django_assert_num_queries(1) as done:
        assert Priority.default() == low_and_high[0]
    assert "core_configurationversion" in done.captured_queries[0]["sql"]


def test_a_change_by_a_queryset_update_is_read_at_once(low_and_high):
    low, high = low_and_high
    assert Priority.default() == low
    # No save(), no signal: only the database sees it.
    Priority.objects.filter(pk=low.pk).update(is_default=False)
    Priority.objects.filter(pk=high.pk).update(is_default=True)
    assert Priority.default() == high


def test_a_change_in_raw_sql_as_another_process_makes_it_is_read_at_once():
    assert load().desk_name == "Helpline"
    DeskSettings.objects.create(pk=1, desk_name="Helpline")
    with connection.cursor() as cursor:
        cursor.execute("UPDATE core_desksettings SET desk_name = %s WHERE id = 1", ["Service desk"])
    assert load().desk_name == "Service desk"


def test_what_a_rolled_back_change_showed_is_not_served_after_it(low_and_high):
    low, high = low_and_high
    with transaction.atomic():
        Priority.objects.filter(pk=low.pk).update(is_default=False)
        Priority.objects.filter(pk=high.pk).update(is_default=True)
        assert Priority.default() == high
        transaction.set_rollback(True)
    assert Priority.default() == low
    # As many changes again, none of the default: a counter would be back at the rolled-back value.
    Priority.objects.filter(pk=high.pk).update(color="#000000")
    Priority.objects.filter(pk=high.pk).update(color="#111111")
    assert Priority.default() == low


def test_each_caller_gets_its_own_copy():
    status = TicketStatus.default_for(State.OPEN)
    status.name = "Changed by one caller"
    assert TicketStatus.default_for(State.OPEN).name != "Changed by one caller"
