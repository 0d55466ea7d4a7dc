"""Merging two requesters: the tickets, collaborations and messages of one move to the other in one
transaction, the merged one's address stays findable as an extra address, one audit entry has the counts."""

import pytest
from django.urls import reverse

from helpline.audit.models import AuditEntry
from helpline.people.models import Requester, RequesterAddress
from helpline.people.requesters import Contact, find_or_create_requester, requesters_by_email
from helpline.testsupport.factories import RequesterFactory, UserFactory
from helpline.tickets.actions import add_collaborator, merge_requesters, post_message
from helpline.tickets.models import Collaborator, ThreadEntry, Ticket
from helpline.tickets.policy import NotAllowed
from helpline.tickets.search import search_tickets


@pytest.fixture
def robert(db):
    return RequesterFactory(name="Robert Zimmerman", email="bob@old.example.test", phone="555-0100")


@pytest.fixture
def merged(open_for, rita, robert, support_topic, sam, django_capture_on_commit_callbacks, settings):
    """Robert has two tickets, wrote a message on one, is copied on Rita's, on one Rita is copied on too
    and on Tom's."""
    settings.HELPLINE_MAX_OPEN_TICKETS = 0
    own = [open_for(robert, support_topic, subject=f"Robert's {n}") for n in range(2)]
    post_message(actor=robert, ticket=own[0], body="More details.")
    ritas = open_for(rita, support_topic, subject="Rita's")
    shared = open_for(RequesterFactory(name="Sue"), support_topic, subject="Sue's")
    add_collaborator(actor=sam, ticket=ritas, person=robert)
    add_collaborator(actor=sam, ticket=shared, person=robert)
    add_collaborator(actor=sam, ticket=shared, person=rita)
    toms = open_for(RequesterFactory(name="Tom"), support_topic, subject="Tom's")
    add_collaborator(actor=sam, ticket=toms, person=robert)
    versions = dict(Ticket.objects.values_list("pk", "version"))
    return {"own": own, "ritas": ritas, "shared": shared, "toms": toms, "versions": versions}


def test_everything_moves_to_the_kept_requester(
    merged, rita, robert, ada, django_capture_on_commit_callbacks
):
    written = ThreadEntry.objects.filter(author_requester=robert).count()
    with django_capture_on_commit_callbacks(execute=True):
        moved = merge_requesters(actor=ada, source=robert, target=rita)
    assert not Requester.objects.filter(pk=robert.pk).exists()
    own = merged["own"]
    assert set(Ticket.objects.filter(requester=rita)) == {*own, merged["ritas"]}
    assert [t.version for t in Ticket.objects.filter(pk__in=[t.pk for t in own])] == [
        merged["versions"][t.pk] + 1 for t in own
    ]
    # Rita is the requester of one ticket and already copied on the other: no duplicate, no self-copy.
    assert list(Collaborator.objects.filter(ticket=merged["shared"]).values_list("requester", flat=True)) == [
        rita.pk
    ]
    assert not Collaborator.objects.filter(ticket=merged["ritas"]).exists()
    assert Collaborator.objects.get(ticket=merged["toms"]).requester == rita
    assert ThreadEntry.objects.filter(author_requester=rita, body_text="More details.").exists()
    assert rita.__class__.objects.get(pk=rita.pk).phone == "555-0100"  # she had none
    assert (moved.tickets, moved.collaborations, moved.entries, moved.addresses) == (2, 1, written, 1)
    entry = AuditEntry.objects.get(action="requester.merged")
    assert entry.target_id == str(rita.pk) and entry.data["merged"]["email"] == "bob@old.example.test"
    assert entry.data["moved"]["tickets"] == 2
    # The moved tickets are found by their new requester's address once the search text is rebuilt.
    assert set(search_tickets(ada, "rita@example.test")) >= set(own)


def test_the_merged_address_still_finds_the_kept_requester(merged, rita, robert, ada):
    merge_requesters(actor=ada, source=robert, target=rita)
    assert list(requesters_by_email("BOB@old.example.test")) == [rita]
    assert find_or_create_requester(Contact(email="bob@old.example.test", name="Bob")) == rita
    assert RequesterAddress.objects.get(email="bob@old.example.test").requester == rita


def test_the_portal_account_moves_when_the_kept_requester_has_none(rita, robert, ada):
    robert.user = UserFactory(username="robert")
    robert.save()
    moved = merge_requesters(actor=ada, source=robert, target=rita)
    assert moved.portal_account_moved and Requester.objects.get(pk=rita.pk).user.username == "robert"


def test_only_administrators_merge(rita, robert, sam):
    with pytest.raises(NotAllowed):
        merge_requesters(actor=sam, source=robert, target=rita)
    with pytest.raises(NotAllowed):
        merge_requesters(actor=robert, source=robert, target=rita)
    assert Requester.objects.filter(pk=robert.pk).exists() and not AuditEntry.objects.exists()


def test_the_merge_page_merges_into_the_requester_with_the_address(client, merged, rita, robert, ada):
    client.force_login(ada.user)
    url = reverse("admin_panel:requester_merge", args=[robert.pk])
    assert "Merge requesters" in client.get(url).content.decode()
    refused = client.post(url, {"into": "nobody@example.test"})
    assert refused.status_code == 400 and "No requester has this address" in refused.content.decode()
    itself = client.post(url, {"into": "BOB@old.example.test"})
    assert itself.status_code == 400 and "That is this requester" in itself.content.decode()
    response = client.post(url, {"into": "Rita@example.test"})
    assert response.status_code == 302 and response.url == reverse(
        "admin_panel:requester_edit", args=[rita.pk]
    )
    assert not Requester.objects.filter(pk=robert.pk).exists()
    assert "bob@old.example.test" in client.get(response.url).content.decode()


def test_a_merge_post_without_an_address_says_it_is_missing(client, robert, ada):
    client.force_login(ada.user)
    response = client.post(reverse("admin_panel:requester_merge", args=[robert.pk]), {})
    assert response.status_code == 400 and "This field is required" in response.content.decode()
