"""Keeping the search index current: the reindex command, the periodic catch-up, and the query plans."""

from datetime import timedelta

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from helpline.people.actors import Channel, ChannelActor
from helpline.people.permissions import Perm
from helpline.tickets.actions import add_note, post_reply
from helpline.tickets.models import SearchDocument, Ticket
from helpline.tickets.search import search_results, search_tickets
from helpline.tickets.search.indexing import catch_up
from helpline.tickets.tests.test_queue_plans import scans_the_table


@pytest.fixture
def opened(open_for, rita, support_topic, settings):
    settings.HELPLINE_MAX_OPEN_TICKETS = 0
    return lambda body: open_for(rita, support_topic, subject="Question", body=body)


def found(actor, text):
    return set(search_tickets(actor, text))


def test_reindex_rebuilds_every_ticket_in_batches(opened, sam, capsys):
    tickets = {opened("A broken keyboard.") for _ in range(5)}
    SearchDocument.objects.all().delete()  # as after an upgrade, or an index lost
    assert found(sam, "keyboard") == set()
    call_command("search_reindex", "--batch", "2")
    assert found(sam, "keyboard") == tickets
    assert "Indexed 5 tickets." in capsys.readouterr().out


def test_a_lot_rebuilds_the_text_each_ticket_had_on_its_own(
    sam, device_field, support_topic, open_for, rita, django_capture_on_commit_callbacks
):
    """The text built for one ticket (its queries compiled once) and for a lot of them (the reindex) are
    the same: thread, notes, custom fields, attachments' names."""
    tickets = [
        open_for(rita, support_topic, subject=f"Lot {n}", field_values={device_field: choice})
        for n, choice in enumerate(["Printer", "Laptop", "Phone"])
    ]
    for n, ticket in enumerate(tickets):
        with django_capture_on_commit_callbacks(execute=True):
            post_reply(
                actor=sam,
                ticket=ticket,
                body=f"Answer number {n}.",
                attachments=[SimpleUploadedFile(f"trace-{n}.log", b"x", content_type="text/plain")],
            )
            add_note(actor=sam, ticket=ticket, body=f"Internal remark {n}.")
    texts = "subject", "labels", "public_text", "internal_text", "source_version"
    one_by_one = list(SearchDocument.objects.order_by("pk").values_list(*texts))
    assert "trace-2.log" in one_by_one[2][1] and "Device: Phone" in one_by_one[2][2]
    assert "Internal remark 1." in one_by_one[1][3] and "Answer number 0." in one_by_one[0][2]
    SearchDocument.objects.all().delete()
    call_command("search_reindex", "--batch", "3")
    assert list(SearchDocument.objects.order_by("pk").values_list(*texts)) == one_by_one


def test_reindex_since_a_date_takes_only_the_tickets_updated_since(opened, sam):
    with time_machine.travel(timezone.now() - timedelta(days=10)):
        old = opened("An old monitor.")
    new = opened("A new monitor.")
    SearchDocument.objects.all().delete()
    call_command("search_reindex", "--since", (timezone.now() - timedelta(days=1)).date().isoformat())
    assert found(sam, "monitor") == {new}
    assert old not in found(sam, "monitor")


@pytest.mark.parametrize("since", ["yesterday", "2026-13-45", "2026-01-01T25:00"])
def test_reindex_refuses_a_date_it_cannot_read(db, since):
    with pytest.raises(CommandError, match="--since"):
        call_command("search_reindex", "--since", since)


def test_the_catch_up_indexes_recent_tickets_whose_text_is_behind(opened, sam):
    behind = opened("A flickering lamp.")
    current = opened("Another flickering lamp.")
    SearchDocument.objects.filter(ticket=behind).delete()  # its task was lost
    Ticket.objects.filter(pk=current.pk).update(updated_at=timezone.now() - timedelta(minutes=5))
    stale = opened("A third lamp.")
    SearchDocument.objects.filter(ticket=stale).update(source_updated_at=timezone.now() - timedelta(hours=1))
    assert catch_up() == 2  # the missing one and the one built from an older version; not the current
    assert found(sam, "flickering") == {behind, current}


def test_the_catch_up_leaves_older_tickets_to_the_reindex_command(opened, sam):
    with time_machine.travel(timezone.now() - timedelta(days=3)):
        old = opened("A dusty fax machine.")
    SearchDocument.objects.filter(ticket=old).delete()
    assert catch_up() == 0


def test_deleting_a_ticket_removes_it_from_the_index(opened, mia):
    from helpline.tickets.actions import delete_ticket

    ticket = opened("A broken chair.")
    delete_ticket(actor=mia, ticket=ticket)
    assert not SearchDocument.objects.exists()
    assert found(mia, "chair") == set()
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM tickets_search_fts WHERE tickets_search_fts MATCH 'chair'")
            assert cursor.fetchone() == (0,)


def _plan(sql: str, params) -> str:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # A near-empty table is best read whole or along its primary key (whichever the statistics
            # other tests left suggest); forbid both to see whether the GIN index can serve at all.
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute("SET LOCAL enable_indexscan = off")
            cursor.execute("SET LOCAL enable_indexonlyscan = off")
            cursor.execute("EXPLAIN " + sql, params)
        else:
            cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
        return "\n".join(str(row[-1]) for row in cursor.fetchall())


def _ranked_query(actor, text) -> dict:
    with CaptureQueriesContext(connection) as captured:
        search_results(actor, text)
    (query,) = [q for q in captured.captured_queries if "search_rank" in q["sql"]]
    return query


# Readers who see every ticket, so that on a near-empty table nothing but the text can narrow the search
# (an agent's departments would, rightly): one who reads internal notes and one who does not.
EVERYWHERE = ChannelActor(Channel.AUTOMATION, "Reader", ticket_perms=frozenset({Perm.VIEW}), departments=None)


@pytest.mark.parametrize("reader", ["ada", "channel"])
def test_the_ranked_search_reads_the_full_text_index(opened, request, reader):
    opened("A broken printer.")
    actor = EVERYWHERE if reader == "channel" else request.getfixturevalue(reader)
    query = _ranked_query(actor, "printer")
    plan = _plan(query["sql"], None)
    assert not scans_the_table(plan), plan
    if connection.vendor == "sqlite":
        assert "SCAN tickets_search_fts VIRTUAL TABLE INDEX" in plan, plan
        assert "SEARCH tickets_ticket USING INTEGER PRIMARY KEY" in plan, plan
    else:
        index = "tickets_search_full_gin" if reader == "ada" else "tickets_search_public_gin"
        assert f"Bitmap Index Scan on {index}" in plan, plan


def test_the_filterable_search_reads_the_full_text_index(opened, ada):
    opened("A broken printer.")
    sql, params = search_tickets(ada, "printer").query.sql_with_params()
    plan = _plan(sql, params)
    if connection.vendor == "sqlite":
        assert "tickets_search_fts VIRTUAL TABLE INDEX" in plan, plan
    else:
        assert "Bitmap Index Scan on tickets_search_full_gin" in plan, plan


def test_the_benchmark_seeder_indexes_what_it_seeds(db):
    from helpline.benchmarks.seed import THINGS, seed_tickets

    seed_tickets(60)
    assert SearchDocument.objects.count() == 60
    every_ticket = ChannelActor(
        Channel.AUTOMATION, "All", ticket_perms=frozenset({Perm.VIEW}), departments=None
    )
    assert search_tickets(every_ticket, THINGS[0]).count() == 60 // len(THINGS)
