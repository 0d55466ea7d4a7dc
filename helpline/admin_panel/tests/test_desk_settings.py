"""The desk settings page: each setting saved on the audit log and in effect where it is decided (the
pages' header, dates and zones, ticket numbers, attachment checks, the portal's form, reopening by
email), read once per request; the deployment's limits stay the ceiling."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from helpline.admin_panel.desk_settings.views import DeskSettingsForm
from helpline.admin_panel.tests.conftest import submitted
from helpline.audit.models import AuditEntry
from helpline.catalog.models import State, TicketStatus
from helpline.core.models import DeskSettings
from helpline.core.timefmt import format_date, format_when, zone_or_default
from helpline.core.uploads import validate_uploads
from helpline.inbound.models import Mailbox
from helpline.inbound.tests.test_intake import email, pipe
from helpline.tickets.actions import set_status
from helpline.tickets.models import Ticket

PAGE = reverse("admin_panel:desk_settings")
MOMENT = datetime(2026, 12, 1, 15, 23, tzinfo=UTC)


@pytest.fixture
def change(admin_client):
    """Post the settings page as shown, with ``fields`` changed."""

    def post(**fields):
        data = submitted(
            DeskSettingsForm(instance=DeskSettings.objects.filter(pk=1).first() or DeskSettings())
        )
        data |= {name: value for name, value in fields.items() if value is not None}
        for name in [name for name, value in fields.items() if value is None]:
            data.pop(name, None)  # an unticked box
        return admin_client.post(PAGE, data)

    return post


def test_a_change_is_recorded_with_before_and_after(change, ada):
    assert change(desk_name="Acme Support").status_code == 302
    entry = AuditEntry.objects.get()
    assert (entry.action, entry.actor_id) == ("desk_settings.changed", ada.pk)
    assert entry.data == {"before": {"desk_name": "Helpline"}, "after": {"desk_name": "Acme Support"}}
    change()
    assert AuditEntry.objects.count() == 1  # saving it unchanged records nothing


def test_the_desk_name_heads_every_page(change, client, admin_client):
    change(desk_name="Acme Support")
    page = client.get(reverse("portal:home")).content.decode()
    assert ">Acme Support</a>" in page and "· Acme Support</title>" in page
    assert ">Acme Support</a>" in admin_client.get(reverse("staff:dashboard")).content.decode()


def test_the_default_time_zone_is_the_zone_of_people_without_one(change):
    change(time_zone="Asia/Tokyo")
    assert zone_or_default("") == ZoneInfo("Asia/Tokyo")
    assert format_when(MOMENT, "") == "2 Dec 2026, 00:23 JST"
    assert format_when(MOMENT, "Europe/Berlin") == "1 Dec 2026, 16:23 CET"  # a person's own zone stays


@pytest.mark.parametrize(
    ("style", "written"), [("iso", "2026-12-01"), ("dmy", "01/12/2026"), ("mdy", "12/01/2026")]
)
def test_the_date_format_is_how_days_are_written(change, style, written):
    assert format_date(MOMENT, "UTC") == "1 Dec 2026"
    change(date_format=style)
    assert format_date(MOMENT, "UTC") == written


def test_new_ticket_numbers_have_the_digits_chosen(change, open_for, rita, support_topic):
    change(ticket_number_digits=12)
    assert len(open_for(rita, support_topic).number) == 12


def upload(name: str, size: int = 10) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"x" * size, content_type="application/octet-stream")


def test_the_attachment_limits_apply(change):
    change(max_attachment_bytes=100, max_attachments=2, allowed_extensions="PDF, .png")
    validate_uploads([upload("a.pdf"), upload("b.png")])
    with pytest.raises(ValidationError, match="At most 2 files"):
        validate_uploads([upload("a.pdf"), upload("b.pdf"), upload("c.pdf")])
    with pytest.raises(ValidationError, match="larger than 100"):
        validate_uploads([upload("big.pdf", 101)])
    with pytest.raises(ValidationError, match="only these types are accepted: pdf, png"):
        validate_uploads([upload("notes.txt")])


def test_the_deployment_s_limits_stay_the_ceiling(change, settings):
    response = change(max_attachment_bytes=settings.HELPLINE_MAX_ATTACHMENT_BYTES + 1)
    assert response.status_code == 400 and not DeskSettings.objects.exists()


def test_types_that_run_code_cannot_be_allowed(change):
    response = change(allowed_extensions="pdf exe")
    assert response.status_code == 400 and "never accepted (they run code): exe" in response.content.decode()


def test_with_the_portal_form_closed_requesters_cannot_open_tickets(change, client, support_topic):
    change(portal_open_tickets=None)
    page = client.get(reverse("portal:home"))
    assert page.status_code == 200 and 'id="portal-closed"' in page.content.decode()
    data = {
        "name": "Rita",
        "email": "rita@example.test",
        "topic": support_topic.pk,
        "subject": "Hi",
        "message": "x",
    }
    assert client.post(reverse("portal:home"), data).status_code == 403
    assert not Ticket.objects.exists()


def test_the_reopen_window_decides_whether_a_reply_reopens(
    change, support, open_for, rita, support_topic, sam
):
    Mailbox.objects.create(name="Desk", address="support@example.test", department=support, is_default=True)
    change(reopen_days=2)
    ticket = open_for(rita, support_topic)
    set_status(actor=sam, ticket=ticket, status=TicketStatus.default_for(State.CLOSED))
    Ticket.objects.filter(pk=ticket.pk).update(closed_at=timezone.now() - timedelta(days=3))
    pipe(email(subject=f"Re: [#{ticket.number}]", body="It broke again."))
    ticket.refresh_from_db()
    assert ticket.state == State.CLOSED and Ticket.objects.count() == 2  # a follow-up, not a reopen
    change(reopen_days=5)
    pipe(email(subject=f"Re: [#{ticket.number}]", body="And again."))
    ticket.refresh_from_db()
    assert ticket.state == State.OPEN


def test_a_page_reads_the_settings_once(change, admin_client, ticket):
    change(date_format="iso")
    with CaptureQueriesContext(connection) as queries:
        content = admin_client.get(reverse("staff:queue", args=["open"])).content.decode()
    assert timezone.localdate().isoformat()[:4] in content
    assert len([q for q in queries if "core_desksettings" in q["sql"]]) == 1


def test_only_administrators_enter(client, sam):
    assert client.get(PAGE)["Location"].startswith(reverse("staff:login"))
    client.force_login(sam.user)
    assert client.get(PAGE).status_code == 403
    assert client.post(PAGE, {"desk_name": "Mine"}).status_code == 403
    assert not DeskSettings.objects.exists()
