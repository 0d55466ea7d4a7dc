"""Existing plans keep their meaning through the migrations: ``grace_hours`` H becomes a resolution target of
H hours on 24x7, with no first-response target; and back, rounded up to whole hours."""

from datetime import timedelta

import pytest

BEFORE = ("sla", "0001_initial")
WITH_BOTH = ("sla", "0002_schedules_and_targets")


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_grace_hours_become_a_resolution_target_on_24x7_and_back(migrator):
    old = migrator.to(BEFORE)
    old.get_model("sla", "SLAPlan").objects.create(name="Sev-B", grace_hours=4)
    old.get_model("sla", "SLAPlan").objects.create(name="Sev-C", grace_hours=24)

    new = migrator.to_latest()
    plans = new.get_model("sla", "SLAPlan").objects.order_by("name")
    assert [(p.name, p.resolution_target, p.first_response_target, p.schedule_id) for p in plans] == [
        ("Sev-B", timedelta(hours=4), None, None),
        ("Sev-C", timedelta(hours=24), None, None),
    ]
    assert {p.pause_when_pending for p in plans} == {True}  # the clock stopped while pending, as before
    plans.filter(name="Sev-B").update(resolution_target=timedelta(hours=1, minutes=30))

    back = migrator.to(WITH_BOTH)
    hours = back.get_model("sla", "SLAPlan").objects.order_by("name").values_list("name", "grace_hours")
    assert list(hours) == [("Sev-B", 2), ("Sev-C", 24)]  # 1 h 30 min is rounded up
