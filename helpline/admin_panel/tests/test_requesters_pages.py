"""Requesters and organizations in the administration area: the lists with their search and keyset pages in
a constant number of queries, the forms that create and edit them (addresses unique in any letter case,
extra ones too), each change on the audit log."""

import re

import pytest
from django.urls import reverse

from helpline.audit.models import AuditEntry
from helpline.people.models import Organization, Requester, RequesterAddress
from helpline.testsupport.factories import RequesterFactory

LIST = reverse("admin_panel:requesters")
NEW = reverse("admin_panel:requester_new")
ORGS = reverse("admin_panel:organizations")


def names(content: str) -> list[str]:
    return re.findall(r'<th scope="row" data-label="Name" class="title"><a href="[^"]+">([^<]+)</a>', content)


@pytest.fixture
def acme(db):
    return Organization.objects.create(name="Acme")


def test_the_list_pages_by_name_in_a_constant_number_of_queries(
    admin_client, acme, django_assert_max_num_queries
):
    for n in range(55):
        RequesterFactory(name=f"Person {n:02}", organization=acme if n % 2 else None)
    with django_assert_max_num_queries(8):
        first = admin_client.get(LIST)
    shown = names(first.content.decode())
    assert shown == [f"Person {n:02}" for n in range(50)]
    next_url = re.search(r'href="([^"]+)" rel="next"', first.content.decode()).group(1).replace("&amp;", "&")
    with django_assert_max_num_queries(8):
        second = admin_client.get(next_url)
    assert names(second.content.decode()) == [f"Person {n:02}" for n in range(50, 55)]
    assert 'rel="next"' not in second.content.decode()


def test_search_by_name_start_address_and_organization(admin_client, acme, rita):
    RequesterFactory(name="Ritchie Blackmore", email="ritchie@example.test", organization=acme)
    RequesterFactory(name="Bob", email="bob@example.test", organization=acme)
    RequesterAddress.objects.create(requester=rita, email="old.rita@example.test")
    assert names(admin_client.get(LIST, {"q": "rit"}).content.decode()) == [
        "Rita Requester",
        "Ritchie Blackmore",
    ]
    assert names(admin_client.get(LIST, {"q": "RITA@example.test"}).content.decode()) == ["Rita Requester"]
    assert names(admin_client.get(LIST, {"q": "Old.Rita@example.test"}).content.decode()) == [
        "Rita Requester"
    ]
    assert names(admin_client.get(LIST, {"organization": "acme"}).content.decode()) == [
        "Bob",
        "Ritchie Blackmore",
    ]
    assert names(admin_client.get(LIST, {"organization": "acme", "q": "b"}).content.decode()) == ["Bob"]
    unknown = admin_client.get(LIST, {"organization": "Nowhere"}).content.decode()
    assert 'id="unknown-organization"' in unknown and names(unknown) == []


def test_a_requester_is_created_and_recorded(admin_client, acme, ada):
    data = {"name": "Carl", "email": "Carl@Example.TEST", "phone": "+1 555", "organization_name": "acme"}
    response = admin_client.post(NEW, data)
    assert response.status_code == 302
    carl = Requester.objects.get(name="Carl")
    assert (carl.email, carl.phone, carl.organization) == ("Carl@example.test", "+1 555", acme)
    entry = AuditEntry.objects.get(action="requester.created")
    assert entry.actor_id == ada.pk and entry.target_id == str(carl.pk)
    assert (
        entry.data["after"]["organization"] == "Acme" and entry.data["after"]["email"] == "Carl@example.test"
    )


def test_an_edit_records_what_changed_and_an_unchanged_save_nothing(admin_client, rita, acme):
    url = reverse("admin_panel:requester_edit", args=[rita.pk])
    assert "Rita Requester" in admin_client.get(url).content.decode()
    data = {"name": "Rita R.", "email": rita.email, "phone": "", "organization_name": "Acme"}
    assert admin_client.post(url, data).status_code == 302
    entry = AuditEntry.objects.get(action="requester.changed")
    assert entry.data == {
        "before": {"name": "Rita Requester", "organization": None},
        "after": {"name": "Rita R.", "organization": "Acme"},
    }
    assert admin_client.post(url, data).status_code == 302
    assert AuditEntry.objects.filter(action="requester.changed").count() == 1


@pytest.mark.parametrize(
    ("changes", "field_error"),
    [
        ({"email": "RITA@example.test"}, "Another requester has this address"),
        ({"email": "once@example.test"}, "as their own or as an extra one"),
        ({"email": "not an address"}, "Enter a valid email address"),
        ({"organization_name": "Nowhere"}, "No organization has this name"),
        ({"name": "   "}, "This field is required"),
        ({"phone": "1" * 41}, "at most 40 characters"),
    ],
)
def test_bad_input_is_refused_with_its_reason(admin_client, rita, changes, field_error):
    RequesterAddress.objects.create(requester=rita, email="once@example.test")
    data = {"name": "Bob", "email": "bob@example.test", "phone": "", "organization_name": ""} | changes
    response = admin_client.post(NEW, data)
    assert response.status_code == 400
    assert field_error in response.content.decode()
    assert not Requester.objects.filter(name="Bob").exists()
    assert not AuditEntry.objects.exists()


def test_organizations_are_created_renamed_and_show_their_requesters(admin_client, acme, rita):
    assert admin_client.post(reverse("admin_panel:organization_new"), {"name": "Globex"}).status_code == 302
    assert AuditEntry.objects.get(action="organization.created").data == {"after": {"name": "Globex"}}
    refused = admin_client.post(reverse("admin_panel:organization_new"), {"name": "ACME"})
    assert refused.status_code == 400 and "has this name already" in refused.content.decode()
    rita.organization = acme
    rita.save()
    url = reverse("admin_panel:organization_edit", args=[acme.pk])
    assert "Rita Requester" in admin_client.get(url).content.decode()
    assert admin_client.post(url, {"name": "Acme Corp"}).status_code == 302
    assert AuditEntry.objects.get(action="organization.changed").data == {
        "before": {"name": "Acme"},
        "after": {"name": "Acme Corp"},
    }
    listed = admin_client.get(ORGS, {"q": "acm"}).content.decode()
    assert names(listed) == ["Acme Corp"]


def test_a_requester_renamed_or_readdressed_is_found_by_the_new_name_at_once(
    admin_client, rita, ticket, ada, django_capture_on_commit_callbacks
):
    from helpline.tickets.search import search_tickets

    url = reverse("admin_panel:requester_edit", args=[rita.pk])
    data = {"name": "Margarethe Quist", "email": "m.quist@example.test", "phone": "", "organization_name": ""}
    assert not list(search_tickets(ada, "Quist"))
    with django_capture_on_commit_callbacks(execute=True):
        assert admin_client.post(url, data).status_code == 302
    assert list(search_tickets(ada, "Quist")) == [ticket]
    assert list(search_tickets(ada, "m.quist@example.test")) == [ticket]
    assert not list(search_tickets(ada, "Requester"))  # the old name is gone from the text
