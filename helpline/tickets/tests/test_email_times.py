"""Times in emails are written the one way (``core.timefmt``), with the zone shown: the desk's unless the
notification names the recipient's (``time_zone`` in the email's context)."""

from datetime import UTC, datetime, timedelta

from helpline.tickets.actions import assign_ticket, check_sla_targets
from helpline.tickets.emails.context import email_context, ticket_vars
from helpline.tickets.emails.rendering import render_email

OPENED = datetime(2026, 12, 1, 15, 23, tzinfo=UTC)


def test_the_department_alert_gives_the_due_time_in_the_desks_zone(
    open_for, rita, support_topic, mailoutbox, settings, time_machine
):
    settings.TIME_ZONE = "Europe/Berlin"
    time_machine.move_to(OPENED, tick=False)
    open_for(rita, support_topic)  # Sev-B: due 4 hours later
    alert = next(m for m in mailoutbox if m.subject.startswith("New ticket"))
    assert "Due:      1 Dec 2026, 20:23 CET" in alert.body


def test_the_overdue_alert_gives_the_due_time_with_its_zone(
    ticket, sam, mailoutbox, time_machine, django_capture_on_commit_callbacks
):
    assign_ticket(actor=sam, ticket=ticket, agent=sam)
    time_machine.move_to(ticket.due_at + timedelta(minutes=1), tick=False)
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert check_sla_targets(ticket_id=ticket.pk)
    due = ticket.due_at.astimezone(UTC)
    assert f"was due {due.day} {due:%b} {due.year}, {due:%H:%M} UTC and is now overdue" in mailoutbox[0].body


def test_an_email_names_the_recipients_zone_when_the_notification_gives_it(ticket):
    values = {"ticket": ticket_vars(ticket, "Asia/Kolkata"), "url": "https://help.example.test/"}
    body = render_email("overdue", email_context("overdue", **values)).body_text
    assert " IST and is now overdue" in body


def test_each_recipient_reads_the_due_time_in_their_own_zone(
    open_for, rita, sam, lena, support_topic, mailoutbox, settings, time_machine
):
    settings.TIME_ZONE = "Europe/Berlin"
    sam.time_zone = "America/New_York"
    sam.save(update_fields=["time_zone"])
    time_machine.move_to(OPENED, tick=False)
    open_for(rita, support_topic)
    due = {m.to[0]: m.body.split("Due:")[1].split("\n")[0].strip() for m in mailoutbox if "Due:" in m.body}
    assert due == {
        "sam@staff.example.test": "1 Dec 2026, 14:23 EST",
        "lena@staff.example.test": "1 Dec 2026, 20:23 CET",  # no zone of her own: the desk's
        "support-team@example.test": "1 Dec 2026, 20:23 CET",
    }
