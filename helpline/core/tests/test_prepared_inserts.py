"""``PreparedInsert``: the row ``save()`` would write, written with an INSERT compiled once."""

import pytest
from django.db import connection
from django.db.models import F
from django.db.models.signals import post_save, pre_save
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from helpline.catalog.models import Priority
from helpline.core.prepared_inserts import PreparedInsert
from helpline.people.models import Requester
from helpline.tickets.models import EntryKind, ThreadEntry

pytestmark = pytest.mark.django_db

ENTRIES = PreparedInsert(ThreadEntry)


def entry(ticket, **fields) -> ThreadEntry:
    values = {"kind": EntryKind.NOTE, "body_text": "Checked the disk.", "author_name": "Sam"}
    return ThreadEntry(ticket=ticket, created_at=timezone.now(), **(values | fields))


def stored(instance) -> dict:
    """Every column of the row as the database holds it, but the primary key."""
    model = type(instance)
    row = model.objects.filter(pk=instance.pk).values(*[f.attname for f in model._meta.concrete_fields])
    return {name: value for name, value in row.get().items() if name != "id"}


def test_it_writes_the_row_save_writes_and_the_instance_is_saved(ticket):
    saved, inserted = entry(ticket, data={"a": [1, "é"]}), entry(ticket, data={"a": [1, "é"]})
    inserted.created_at = saved.created_at
    saved.save(force_insert=True)
    ENTRIES.insert(inserted)
    assert inserted.pk is not None and inserted.pk != saved.pk
    assert stored(inserted) == stored(saved)
    assert (inserted._state.adding, inserted._state.db) == (False, "default")
    inserted.body_text = "Saved again as an update"
    inserted.save()
    assert ThreadEntry.objects.get(pk=inserted.pk).body_text == "Saved again as an update"


def test_compiled_once_it_costs_one_statement_a_row(ticket):
    ENTRIES.insert(entry(ticket))
    with CaptureQueriesContext(connection) as done:
        for _ in range(3):
            ENTRIES.insert(entry(ticket))
    assert len(done) == 3 and all(q["sql"].startswith("INSERT") for q in done.captured_queries)
    assert ThreadEntry.objects.filter(ticket=ticket, kind=EntryKind.NOTE).count() == 4


def test_the_fields_own_pre_save_runs_and_the_signals_are_sent():
    seen = []

    def before(sender, instance, **kwargs):
        seen.append(("pre", instance.pk, kwargs["raw"]))

    def after(sender, instance, created, **kwargs):
        seen.append(("post", instance.pk, created))

    pre_save.connect(before, sender=Requester)
    post_save.connect(after, sender=Requester)
    try:
        requester = Requester(email="walter@example.test", name="Walter")
        PreparedInsert(Requester).insert(requester)
    finally:
        pre_save.disconnect(before, sender=Requester)
        post_save.disconnect(after, sender=Requester)
    assert seen == [("pre", None, False), ("post", requester.pk, True)]
    assert stored(requester)["created_at"] is not None  # auto_now_add, set by the field's pre_save


def test_what_it_cannot_write_as_compiled_is_refused(ticket):
    with pytest.raises(TypeError, match="expression"):
        ENTRIES.insert(entry(ticket, author_name=F("body_text")))
    existing = entry(ticket)
    existing.save()
    with pytest.raises(ValueError, match="primary key"):
        ENTRIES.insert(existing)
    with pytest.raises(TypeError):
        ENTRIES.insert(Priority(name="Urgent", urgency=1))
    assert ThreadEntry.objects.filter(ticket=ticket, kind=EntryKind.NOTE).count() == 1
