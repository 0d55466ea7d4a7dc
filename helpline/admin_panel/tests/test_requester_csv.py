"""Requesters as CSV: the export streams every requester with formulas defused; the import's dry run reports
each row it would refuse and why, and the real run makes the same checks, all rows or none."""

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from helpline.admin_panel.requesters import csv_export, importing
from helpline.audit.models import AuditEntry
from helpline.people.models import Organization, Requester, RequesterAddress
from helpline.testsupport.factories import RequesterFactory

EXPORT = reverse("admin_panel:requesters_export")
IMPORT = reverse("admin_panel:requesters_import")


def exported(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))


def upload(text: str) -> SimpleUploadedFile:
    return SimpleUploadedFile("people.csv", text.encode(), content_type="text/csv")


def test_the_export_streams_every_requester_in_chunks_with_formulas_defused(
    admin_client, rita, monkeypatch, django_assert_max_num_queries
):
    monkeypatch.setattr(csv_export, "CHUNK", 2)
    acme = Organization.objects.create(name='=HYPERLINK("http://evil")')
    RequesterFactory(name="@SUM(A1)", email="a@example.test", phone="+1 555", organization=acme)
    RequesterFactory(name="-2+3", email="b@example.test")
    response = admin_client.get(EXPORT)
    assert response.streaming and response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    with django_assert_max_num_queries(3):  # three chunks of two, however many requesters there are
        rows = exported(response)
    assert rows == [
        ["name", "email", "phone", "organization"],
        ["Rita Requester", "rita@example.test", "", ""],
        ["'@SUM(A1)", "a@example.test", "'+1 555", '\'=HYPERLINK("http://evil")'],
        ["'-2+3", "b@example.test", "", ""],
    ]


def test_the_dry_run_reports_every_refused_row_and_imports_nothing(admin_client, rita):
    Organization.objects.create(name="Acme")
    RequesterAddress.objects.create(requester=rita, email="old@example.test")
    text = (
        "Name,Email,Phone,Organization\n"
        "Ann,ann@example.test,,acme\n"
        "Bad,not-an-address,,\n"
        "Ann again,ANN@example.test,,\n"
        "Rita,Rita@Example.test,,\n"
        "Old,old@example.test,,\n"
        ",noname@example.test,,\n"
        f"Long,long@example.test,{'1' * 41},\n"
        "Globex person,g@example.test,,Globex\n"
    )
    response = admin_client.post(IMPORT, {"file": upload(text), "dry_run": "on"})
    assert response.status_code == 400
    report = response.context["report"]
    assert [row.email for row in report.rows] == ["ann@example.test"]
    assert [(r.line, r.reason) for r in report.refused] == [
        (3, "The email is not an address."),
        (4, "The address is in the file more than once."),
        (5, "A requester has this address already."),
        (6, "A requester has this address already."),
        (7, "The name is missing."),
        (8, "The phone is longer than 40 characters."),
        (9, "No organization has this name (tick “create the organizations” to create it)."),
    ]
    assert "The address is in the file more than once." in response.content.decode()
    assert Requester.objects.count() == 1 and not AuditEntry.objects.exists()


def test_the_import_refuses_the_whole_file_while_a_row_is_refused(admin_client):
    text = "name,email\nAnn,ann@example.test\nBad,bad\n"
    response = admin_client.post(IMPORT, {"file": upload(text)})
    assert response.status_code == 400 and "nothing was imported" in response.content.decode()
    assert not Requester.objects.exists() and not AuditEntry.objects.exists()


def test_the_import_creates_every_row_and_the_organizations_asked_for(admin_client, ada):
    Organization.objects.create(name="Acme")
    text = "name,email,phone,organization\nAnn,Ann@Example.TEST,123,ACME\nBen,ben@example.test,,Globex\nCy,cy@example.test,,\n"
    dry = admin_client.post(IMPORT, {"file": upload(text), "dry_run": "on", "create_organizations": "on"})
    assert dry.status_code == 200 and dry.context["report"].new_organizations == ["Globex"]
    assert not Requester.objects.exists()
    response = admin_client.post(IMPORT, {"file": upload(text), "create_organizations": "on"})
    assert response.status_code == 302
    people = {r.email: r.organization.name if r.organization else None for r in Requester.objects.all()}
    assert people == {"Ann@example.test": "Acme", "ben@example.test": "Globex", "cy@example.test": None}
    entry = AuditEntry.objects.get(action="requesters.imported")
    assert entry.actor_id == ada.pk and entry.data == {"imported": 3, "organizations_created": ["Globex"]}


@pytest.mark.parametrize(
    ("data", "error"),
    [
        (b"email\nann@example.test\n", "at least “name” and “email”"),
        (b"name,email\n\xff\xfe,x@example.test\n", "not UTF-8"),
        (b"name,email\n" + b"A,a@example.test\n" * 4, "more than 3 rows"),
        (b"name,email\n" + b"x" * 600, "larger than"),
    ],
)
def test_files_that_cannot_be_read_are_refused_with_the_reason(admin_client, monkeypatch, data, error):
    monkeypatch.setattr(importing, "MAX_ROWS", 3)
    monkeypatch.setattr(importing, "MAX_BYTES", 500)
    file = SimpleUploadedFile("people.csv", data, content_type="text/csv")
    response = admin_client.post(IMPORT, {"file": file})
    assert response.status_code == 400 and error in response.context["report"].error
    assert not Requester.objects.exists()


def test_a_post_without_a_file_says_the_file_is_missing(admin_client):
    response = admin_client.post(IMPORT, {})
    assert response.status_code == 400 and "This field is required" in response.content.decode()
