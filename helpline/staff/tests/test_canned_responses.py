"""Canned responses: kept by administrators per department (on the audit log) and by agents for
themselves; offered on the reply box to the agents who may use them, with their variables filled in and
their files sent with the reply."""

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from helpline.audit.models import AuditEntry
from helpline.tickets.access import access_url
from helpline.tickets.models import Attachment, CannedResponse, EntryKind

BODY = (
    "Hello {{ requester.name }}, about #{{ticket.number}} ({{ ticket.subject }}, {{ ticket.department }}): "
    "see {{ ticket.portal_url }} -- {{ agent.name }} {{ ticket.staff_url }}"
)


@pytest.fixture
def admin_client(client_for, ada):
    return client_for(ada)


def create_shared(admin_client, department, title="Restart", body=BODY, files=()):
    data = {"title": title, "department": department.pk, "body": body, "is_active": "on"}
    if files:
        data["attachments"] = list(files)
    return admin_client.post(reverse("admin_panel:canned_response_new"), data)


def ticket_url(ticket, **query):
    url = reverse("staff:ticket", args=[ticket.number])
    return url + ("?" + "&".join(f"{key}={value}" for key, value in query.items()) if query else "")


def test_an_administrator_creates_changes_and_deactivates_a_department_response_on_the_audit_log(
    admin_client, support
):
    assert create_shared(admin_client, support).status_code == 302
    response = CannedResponse.objects.get()
    assert (response.department, response.owner, response.is_active) == (support, None, True)
    edit = reverse("admin_panel:canned_response_edit", args=[response.pk])
    data = {"title": "Restart it", "department": support.pk, "body": "Turn it off.", "is_active": "on"}
    assert admin_client.post(edit, data).status_code == 302
    deactivate = reverse("admin_panel:canned_response_deactivate", args=[response.pk])
    assert admin_client.post(deactivate).status_code == 302
    actions = list(AuditEntry.objects.order_by("at", "id").values_list("action", flat=True))
    assert actions == ["canned_response.created", "canned_response.changed", "canned_response.deactivated"]
    changed = AuditEntry.objects.get(action="canned_response.changed").data
    assert changed["before"]["title"] == "Restart" and changed["after"]["title"] == "Restart it"
    listing = admin_client.get(reverse("admin_panel:canned_responses")).content.decode()
    assert "Restart it" in listing and "inactive" in listing


def test_an_unknown_variable_is_refused_when_saved_with_its_name(admin_client, sam_client, support):
    page = create_shared(admin_client, support, body="Dear {{ requester.email }} {{ settings.SECRET_KEY }}")
    assert page.status_code == 400
    content = page.content.decode()
    assert "Unknown variables: {{ requester.email }}, {{ settings.SECRET_KEY }}" in content
    own = sam_client.post(
        reverse("staff:my_response_new"), {"title": "Mine", "body": "{{ ticket.secret }}", "is_active": "on"}
    )
    assert own.status_code == 400 and "Unknown variable: {{ ticket.secret }}" in own.content.decode()
    assert not CannedResponse.objects.exists()


def test_inserting_fills_the_reply_box_with_every_variable(admin_client, sam_client, support, ticket):
    create_shared(admin_client, support)
    response = CannedResponse.objects.get()
    page = sam_client.get(ticket_url(ticket, canned=response.pk))
    assert page.status_code == 200
    text = page.context["forms"]["reply"].initial["body"]
    portal = access_url(ticket, ticket.requester)
    staff = settings.SITE_URL + reverse("staff:ticket", args=[ticket.number])
    assert text == (
        f"Hello Rita Requester, about #{ticket.number} (Printer on fire, Support): see {portal} -- Sam {staff}"
    )
    assert text in page.content.decode()  # in the reply box
    data = sam_client.get(reverse("staff:canned_insert", args=[ticket.number, response.pk])).json()
    assert data == {"id": response.pk, "text": text, "files": []}


def test_a_response_of_another_department_is_not_offered_nor_inserted_by_id(
    admin_client, sam_client, support, it_department, ticket
):
    create_shared(admin_client, it_department, title="IT only")
    create_shared(admin_client, support, title="Support reply")
    it_response = CannedResponse.objects.get(title="IT only")
    page = sam_client.get(ticket_url(ticket))
    assert [r.title for r in page.context["canned_offered"]] == ["Support reply"]
    assert "IT only" not in page.content.decode()
    assert sam_client.get(ticket_url(ticket, canned=it_response.pk)).status_code == 403
    json_url = reverse("staff:canned_insert", args=[ticket.number, it_response.pk])
    assert sam_client.get(json_url).status_code == 403
    reply = sam_client.post(
        reverse("staff:reply", args=[ticket.number]), {"body": "Hi", "canned": str(it_response.pk)}
    )
    assert reply.status_code == 403
    assert not ticket.entries.filter(kind=EntryKind.RESPONSE).exists()


def test_an_agents_own_responses_are_theirs_alone(sam_client, client_for, lena, ticket):
    created = sam_client.post(
        reverse("staff:my_response_new"),
        {"title": "Sam's own", "body": "Cheers, {{ agent.name }}", "is_active": "on"},
    )
    assert created.status_code == 302
    own = CannedResponse.objects.get()
    assert own.owner.user.username == "sam" and own.department is None
    assert [r.title for r in sam_client.get(ticket_url(ticket)).context["canned_offered"]] == ["Sam's own"]
    lena_client = client_for(lena)
    assert (
        "canned_offered" not in lena_client.get(ticket_url(ticket)).context
        or not lena_client.get(ticket_url(ticket)).context["canned_offered"]
    )
    assert lena_client.get(ticket_url(ticket, canned=own.pk)).status_code == 403
    assert lena_client.get(reverse("staff:my_response_edit", args=[own.pk])).status_code == 404
    assert not AuditEntry.objects.exists()  # an agent's own texts are not the desk's configuration


def test_the_files_of_an_inserted_response_go_out_with_the_reply(admin_client, sam_client, support, ticket):
    manual = SimpleUploadedFile("manual.pdf", b"%PDF-1.4 the manual", content_type="application/pdf")
    assert create_shared(admin_client, support, body="See the manual.", files=[manual]).status_code == 302
    response = CannedResponse.objects.get()
    page = sam_client.get(ticket_url(ticket, canned=response.pk))
    assert page.context["canned_files"] == ["manual.pdf"]
    assert f'name="canned" value="{response.pk}" id="reply-canned" checked' in page.content.decode()
    sent = sam_client.post(
        reverse("staff:reply", args=[ticket.number]), {"body": "See the manual.", "canned": str(response.pk)}
    )
    assert sent.status_code == 302
    entry = ticket.entries.get(kind=EntryKind.RESPONSE)
    [attached] = Attachment.objects.filter(entry=entry)
    assert attached.filename == "manual.pdf" and attached.file.read() == b"%PDF-1.4 the manual"
    assert response.attachments.get().file.name != attached.file.name  # a copy: each keeps its own


def test_a_reply_without_the_box_ticked_sends_no_file(admin_client, sam_client, support, ticket):
    manual = SimpleUploadedFile("manual.pdf", b"%PDF-1.4", content_type="application/pdf")
    create_shared(admin_client, support, body="See the manual.", files=[manual])
    sam_client.post(reverse("staff:reply", args=[ticket.number]), {"body": "See the manual."})
    assert not Attachment.objects.filter(entry__ticket=ticket, entry__kind=EntryKind.RESPONSE).exists()


def test_a_file_that_may_not_be_attached_is_refused_when_saved(admin_client, support):
    script = SimpleUploadedFile("setup.exe", b"MZ", content_type="application/octet-stream")
    page = create_shared(admin_client, support, files=[script])
    assert page.status_code == 400 and "setup.exe: .exe files are not accepted." in page.content.decode()
    assert not CannedResponse.objects.exists()


def test_the_ticket_page_offers_responses_in_constant_queries(
    admin_client, sam_client, support, ticket, django_assert_max_num_queries
):
    create_shared(admin_client, support, title="One")
    sam_client.get(ticket_url(ticket))
    with CaptureQueriesContext(connection) as captured:
        sam_client.get(ticket_url(ticket))
    baseline = len(captured.captured_queries)
    for n in range(5):
        create_shared(admin_client, support, title=f"More {n}")
    with django_assert_max_num_queries(baseline):
        page = sam_client.get(ticket_url(ticket))
    assert len(page.context["canned_offered"]) == 6


def test_a_response_id_that_is_no_number_is_refused_as_an_unknown_one(sam_client, ticket):
    for given in ("²", "9" * 30):
        assert sam_client.get(ticket_url(ticket, canned=given)).status_code == 403
