"""Received mail in the administration area: what needs attention first, filters, keyset pages, a message's
headers and text shown safely and bounded, its bytes as a download, and discarding it on the record."""

import json
from datetime import timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from helpline.admin_panel.email_channel import rawtext
from helpline.admin_panel.tests.conftest import message_bytes
from helpline.audit.models import AuditEntry
from helpline.inbound.models import RawMessage

LIST = reverse("admin_panel:received")
Status = RawMessage.Status


def detail_url(raw):
    return reverse("admin_panel:received_detail", args=[raw.pk])


def shown(response) -> list[int]:
    return [raw.pk for raw in response.context["raws"]]


def test_the_list_shows_what_needs_attention_first(admin_client, make_raw, make_mailbox, ticket):
    box = make_mailbox(name="Support inbox")
    rejected = make_raw(
        Status.REJECTED, mailbox=box, outcome="refused", reason="Banned sender: spam@example.test"
    )
    failed = make_raw(Status.FAILED, reason="Database unavailable", minutes_ago=5)
    processed = make_raw(Status.PROCESSED, outcome="new ticket", ticket=ticket, minutes_ago=10)
    make_raw(Status.DISCARDED, minutes_ago=15)
    response = admin_client.get(LIST)
    assert shown(response) == [rejected.pk, failed.pk]  # newest first
    content = response.content.decode()
    assert "Support inbox" in content and "Banned sender: spam@example.test" in content
    assert "Database unavailable" in content and "Mail server pipe" in content
    everything = admin_client.get(LIST, {"status": "all"})
    assert len(shown(everything)) == 4
    assert reverse("staff:ticket", args=[ticket.number]) in everything.content.decode()
    assert shown(admin_client.get(LIST, {"status": "processed"})) == [processed.pk]


def test_the_list_filters_by_mailbox_sender_and_date(admin_client, make_raw, make_mailbox):
    box = make_mailbox()
    in_box = make_raw(mailbox=box, sender="Someone.Else@example.test")
    old = make_raw(minutes_ago=3 * 24 * 60)
    assert shown(admin_client.get(LIST, {"mailbox": box.pk})) == [in_box.pk]
    assert shown(admin_client.get(LIST, {"sender": "someone.else"})) == [in_box.pk]
    until = (timezone.localdate() - timedelta(days=2)).isoformat()
    assert shown(admin_client.get(LIST, {"until": until})) == [old.pk]
    assert shown(admin_client.get(LIST, {"since": timezone.localdate().isoformat()})) == [in_box.pk]


def test_bad_filters_are_refused_with_a_reason(admin_client, db):
    response = admin_client.get(LIST, {"status": "lost", "since": "2026-12-10", "until": "2026-12-01"})
    assert response.status_code == 400
    content = response.content.decode()
    assert "Select a valid choice" in content and "The end date comes before the start date." in content


def test_the_list_pages_by_keyset(admin_client, make_raw):
    for n in range(55):
        make_raw(Status.FAILED if n % 2 else Status.REJECTED, minutes_ago=n // 2)  # pairs share a minute
    make_raw(Status.PROCESSED)
    first = admin_client.get(LIST)
    assert len(shown(first)) == 50 and first.context["next_url"]
    second = admin_client.get(first.context["next_url"])
    assert len(shown(second)) == 5 and not second.context["next_url"]
    expected = RawMessage.objects.filter(status__in=[Status.REJECTED, Status.FAILED]).order_by(
        "-received_at", "-id"
    )
    assert shown(first) + shown(second) == list(expected.values_list("pk", flat=True))
    everything = admin_client.get(LIST, {"status": "all"})
    assert "status=all" in everything.context["next_url"]  # the next page keeps the filter
    assert len(shown(admin_client.get(everything.context["next_url"]))) == 6


def count_queries(client, url, data=None):
    client.get(
        url, data
    )  # a mailbox made is a configuration change: the first page after it reloads what is kept
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url, data).status_code == 200
    return len(queries), list(queries.captured_queries)  # copied: the next request resets the log


def test_the_list_takes_as_many_queries_for_30_messages_as_for_3(
    admin_client, make_raw, make_mailbox, ticket
):
    box = make_mailbox()
    for n in range(3):
        make_raw(mailbox=box if n % 2 else None, ticket=ticket if n % 3 else None)
    three, _ = count_queries(admin_client, LIST)
    for n in range(27):
        make_raw(mailbox=box if n % 2 else None, ticket=ticket if n % 3 else None)
    thirty, queries = count_queries(admin_client, LIST)
    assert thirty == three
    assert len(shown(admin_client.get(LIST))) == 30
    listing = next(q["sql"] for q in queries if "inbound_rawmessage" in q["sql"])
    assert '"data"' not in listing  # the list never reads the messages' bytes


def test_a_message_shows_its_headers_and_text_escaped(admin_client, make_raw):
    data = (
        b"From: =?utf-8?q?Ren=C3=A9_Dupont?= <rene@example.test>\r\n"
        b"Subject: <script>alert(1)</script>\r\n  folded on\r\n"
        b"X-Latin: caf\xe9\r\n"
        b"\r\n"
        b"<img src=x onerror=alert(2)> body \x00 and \xff\xfe bytes\r\n"
    )
    raw = make_raw(data=data, reason="Not a usable sender")
    response = admin_client.get(detail_url(raw))
    assert response.status_code == 200
    content = response.content.decode()
    assert "René Dupont &lt;rene@example.test&gt;" in content  # decoded RFC 2047
    assert "&lt;script&gt;alert(1)&lt;/script&gt; folded on" in content  # unfolded, escaped
    assert "<script>alert" not in content and "<img src=x" not in content
    assert "&lt;img src=x onerror=alert(2)&gt; body \ufffd and \ufffd\ufffd bytes" in content
    assert "caf\ufffd" in content and "\x00" not in content
    assert "Not a usable sender" in content and "Discard message" in content


def test_a_large_message_is_shown_in_part(admin_client, make_raw, django_assert_max_num_queries):
    body = b"".join(b"line %06d of a very long message\r\n" % n for n in range(30_000))  # ~1 MB
    raw = make_raw(data=message_bytes(1, body=body))
    with django_assert_max_num_queries(6):
        response = admin_client.get(detail_url(raw))
    assert len(response.context["text"]) <= rawtext.SHOWN_BYTES
    content = response.content.decode()
    assert "line 000000" in content and "line 029999" not in content
    assert "download the message for all of it" in content


def test_headers_are_bounded_and_stop_where_the_body_starts(db):
    many = b"".join(b"X-H%d: %s\r\n" % (n, b"v" * 5000) for n in range(400))
    found = rawtext.headers(many + b"\r\nbody")
    assert len(found) < 400 and all(len(value) <= rawtext.MAX_VALUE for _, value in found)
    no_blank_line = rawtext.headers(b"From: rita@example.test\r\nSubject: hi\r\nthis is the body: yes\r\n")
    assert [name for name, _ in no_blank_line] == ["From", "Subject"]
    assert rawtext.headers(b"From broken\r\nSubject: =?bogus-charset?q?x?=\r\n\r\n") == [
        ("Subject", "=?bogus-charset?q?x?=")
    ]


def test_the_message_downloads_as_its_exact_bytes(admin_client, make_raw):
    data = message_bytes(7, body=b"<html><script>alert(1)</script>\xff</html>")
    raw = make_raw(data=data)
    response = admin_client.get(reverse("admin_panel:received_download", args=[raw.pk]))
    assert response.status_code == 200 and response.content == data
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"] == f'attachment; filename="message-{raw.pk}.eml"'
    assert response["X-Content-Type-Options"] == "nosniff" and "private" in response["Cache-Control"]
    assert admin_client.get(reverse("admin_panel:received_download", args=[9999])).status_code == 404


def test_discarding_a_message_keeps_it_and_records_it(admin_client, make_raw, make_mailbox, ada):
    raw = make_raw(Status.REJECTED, mailbox=make_mailbox(name="Inbox"), reason="Loop detected")
    url = reverse("admin_panel:received_discard", args=[raw.pk])
    assert admin_client.get(url).status_code == 405  # never a change on GET
    response = admin_client.post(url, follow=True)
    assert "Message discarded" in response.content.decode()
    assert raw.pk not in shown(response)  # it no longer needs attention
    raw.refresh_from_db()
    assert raw.status == Status.DISCARDED and bytes(raw.data)  # still stored
    entry = AuditEntry.objects.get()
    assert (entry.action, entry.actor_id, entry.target_id) == ("raw_message.discarded", ada.pk, str(raw.pk))
    assert entry.data["before"] == {"status": "rejected"} and entry.data["reason"] == "Loop detected"
    assert entry.data["mailbox"]["name"] == "Inbox"
    assert "Discard message" not in admin_client.get(detail_url(raw)).content.decode()


def test_only_a_rejected_or_failed_message_is_discarded(admin_client, make_raw):
    for status in (Status.PROCESSED, Status.RECEIVED, Status.DISCARDED):
        raw = make_raw(status)
        response = admin_client.post(reverse("admin_panel:received_discard", args=[raw.pk]), follow=True)
        assert "Only a rejected or failed message can be discarded" in response.content.decode()
        raw.refresh_from_db()
        assert raw.status == status
    assert not AuditEntry.objects.exists()
    assert admin_client.post(reverse("admin_panel:received_discard", args=[9999])).status_code == 404
    failed = make_raw(Status.FAILED)
    admin_client.post(reverse("admin_panel:received_discard", args=[failed.pk]))
    failed.refresh_from_db()
    assert failed.status == Status.DISCARDED
    assert json.dumps(AuditEntry.objects.get().data["before"]) == '{"status": "failed"}'


def test_processing_a_failed_message_again_is_on_the_record(admin_client, make_raw, ada):
    raw = make_raw(RawMessage.Status.FAILED, reason="database unavailable")
    response = admin_client.post(reverse("admin_panel:received_retry", args=[raw.pk]), follow=True)
    assert response.status_code == 200
    raw.refresh_from_db()
    assert raw.status != RawMessage.Status.FAILED
    entry = AuditEntry.objects.get()
    assert (entry.action, entry.actor_id, entry.target_id) == ("raw_message.retried", ada.pk, str(raw.pk))
    assert entry.data["before"]["status"] == "failed" and entry.data["after"]["outcome"] == raw.outcome


def test_times_and_dates_are_the_administrators_own(admin_client, ada, make_raw):
    ada.time_zone = "Asia/Tokyo"
    ada.save(update_fields=["time_zone"])
    raw = make_raw()
    assert "JST" in admin_client.get(LIST).content.decode()
    tokyo_day = timezone.localtime(raw.received_at, timezone.get_fixed_timezone(9 * 60)).date().isoformat()
    assert shown(admin_client.get(LIST, {"since": tokyo_day, "until": tokyo_day})) == [raw.pk]
