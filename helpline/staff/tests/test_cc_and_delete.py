"""Collaborators and deletion from the staff panel: who is offered what, and what each POST does."""

import pytest
from django.test import Client
from django.urls import reverse

from helpline.people.models import Requester
from helpline.testsupport.factories import RequesterFactory
from helpline.tickets.actions import add_collaborator
from helpline.tickets.models import Collaborator, EntryKind, Event, Ticket

NEW = reverse("staff:ticket_new")


def url(name: str, ticket, *args) -> str:
    return reverse(f"staff:{name}", args=[ticket.number, *args])


def page(client, ticket) -> str:
    response = client.get(url("ticket", ticket))
    assert response.status_code == 200
    return response.content.decode()


def copied(ticket) -> list[str]:
    return sorted(Collaborator.objects.filter(ticket=ticket).values_list("requester__email", flat=True))


@pytest.fixture
def carl(db):
    return RequesterFactory(name="Carl Colleague", email="carl@example.test")


# Collaborators


def test_an_agent_with_the_edit_permission_gets_the_cc_forms(sam_client, sam, ticket, carl):
    add_collaborator(actor=sam, ticket=ticket, person=carl)
    content = page(sam_client, ticket)
    assert f'action="{url("cc_add", ticket)}"' in content and 'id="cc-email"' in content
    assert f'action="{url("cc_remove", ticket, carl.pk)}"' in content
    assert "Carl Colleague &lt;carl@example.test&gt;" in content
    assert "Sam added Carl Colleague &lt;carl@example.test&gt; as a collaborator" in content


def test_a_limited_agent_sees_the_collaborators_but_no_cc_forms(client_for, lena, sam, ticket, carl):
    add_collaborator(actor=sam, ticket=ticket, person=carl)
    content = page(client_for(lena), ticket)
    assert "Carl Colleague &lt;carl@example.test&gt;" in content
    assert url("cc_add", ticket) not in content and url("cc_remove", ticket, carl.pk) not in content


def test_adding_a_new_address_creates_the_contact_and_copies_it(sam_client, ticket):
    response = sam_client.post(url("cc_add", ticket), {"email": "bob@Example.test", "name": "Bob Boss"})
    assert response.status_code == 302 and response.url == url("ticket", ticket)
    bob = Requester.objects.get(email="bob@example.test")
    assert bob.name == "Bob Boss" and copied(ticket) == ["bob@example.test"]
    event = ticket.entries.filter(kind=EntryKind.EVENT).latest("id")
    bob = Requester.objects.get(email="bob@example.test")
    assert (event.event, event.data) == (
        Event.COLLABORATOR,
        {"requester": {"id": bob.pk, "name": "Bob Boss", "email": "bob@example.test"}},
    )
    content = sam_client.get(response.url).content.decode()
    assert "Bob Boss &lt;bob@example.test&gt; is now copied on this ticket." in content


def test_an_existing_contact_is_reused_and_adding_twice_is_harmless(sam_client, ticket, carl):
    for _ in range(2):
        response = sam_client.post(url("cc_add", ticket), {"email": "CARL@example.test", "name": "Other"})
        assert response.status_code == 302
    assert (
        copied(ticket) == ["carl@example.test"] and Requester.objects.get(pk=carl.pk).name == "Carl Colleague"
    )
    assert ticket.entries.filter(event=Event.COLLABORATOR).count() == 1
    assert "is already copied." in sam_client.get(response.url).content.decode()


def test_the_requester_cannot_be_copied_on_their_own_ticket(sam_client, ticket):
    response = sam_client.post(url("cc_add", ticket), {"email": "rita@example.test"})
    assert response.status_code == 400
    assert "Rita Requester is the requester of this ticket, not a collaborator." in response.content.decode()
    assert copied(ticket) == []


def test_a_bad_address_is_shown_with_400(sam_client, ticket):
    response = sam_client.post(url("cc_add", ticket), {"email": "not-an-address"})
    assert response.status_code == 400
    assert b"Enter a valid email address." in response.content
    assert copied(ticket) == []


def test_a_limited_agent_may_not_add_and_leaves_no_contact_behind(client_for, lena, ticket):
    response = client_for(lena).post(url("cc_add", ticket), {"email": "bob@example.test"})
    assert response.status_code == 403
    assert copied(ticket) == [] and not Requester.objects.filter(email="bob@example.test").exists()


def test_an_agent_removes_a_collaborator(sam_client, sam, ticket, carl):
    add_collaborator(actor=sam, ticket=ticket, person=carl)
    response = sam_client.post(url("cc_remove", ticket, carl.pk))
    assert response.status_code == 302 and response.url == url("ticket", ticket)
    assert copied(ticket) == []
    content = sam_client.get(response.url).content.decode()
    assert "Carl Colleague &lt;carl@example.test&gt; is no longer copied on this ticket." in content
    assert "Sam removed Carl Colleague &lt;carl@example.test&gt; as a collaborator" in content


def test_removing_needs_a_post_the_permission_and_a_collaborator(
    client_for, sam_client, sam, lena, ticket, carl
):
    add_collaborator(actor=sam, ticket=ticket, person=carl)
    assert sam_client.get(url("cc_remove", ticket, carl.pk)).status_code == 405
    assert client_for(lena).post(url("cc_remove", ticket, carl.pk)).status_code == 403
    assert sam_client.post(url("cc_remove", ticket, ticket.requester_id)).status_code == 404
    assert copied(ticket) == ["carl@example.test"]


def test_an_agent_outside_the_department_gets_404(client_for, ivan, sam, ticket, carl):
    add_collaborator(actor=sam, ticket=ticket, person=carl)
    ivan_client = client_for(ivan)
    assert ivan_client.post(url("cc_add", ticket), {"email": "bob@example.test"}).status_code == 404
    assert ivan_client.post(url("cc_remove", ticket, carl.pk)).status_code == 404
    assert copied(ticket) == ["carl@example.test"]


# CC on the new-ticket form


def new_ticket_data(support, **overrides):
    return {
        "email": "walter@example.test",
        "name": "Walter Walkin",
        "source": "phone",
        "department": support.pk,
        "subject": "Screen is dark",
        "body": "Says the screen is dark.",
        **overrides,
    }


def test_a_new_ticket_copies_the_cc_addresses(sam_client, support, carl):
    cc = " carl@example.test, bob@example.test,BOB@example.test ,, walter@example.test"
    response = sam_client.post(NEW, new_ticket_data(support, cc=cc))
    assert response.status_code == 302
    ticket = Ticket.objects.get()
    # Each address once; the requester is never their own collaborator.
    assert copied(ticket) == ["bob@example.test", "carl@example.test"]
    assert Requester.objects.get(email="bob@example.test").name == "bob"


def test_the_new_ticket_form_offers_a_cc_field(sam_client):
    assert 'id="new-cc"' in sam_client.get(NEW).content.decode()


@pytest.mark.parametrize(
    "cc,error",
    [
        ("carl@example.test, not-an-address", "not-an-address is not a valid email address."),
        (", ".join(f"cc{n}@example.test" for n in range(11)), "Copy at most 10 addresses."),
    ],
)
def test_bad_cc_input_opens_nothing(sam_client, support, cc, error):
    response = sam_client.post(NEW, new_ticket_data(support, cc=cc))
    assert response.status_code == 400
    assert error in response.content.decode()
    assert not Ticket.objects.exists() and not Requester.objects.exists()


def test_ten_cc_addresses_are_accepted(sam_client, support):
    cc = ", ".join(f"cc{n}@example.test" for n in range(10))
    assert sam_client.post(NEW, new_ticket_data(support, cc=cc)).status_code == 302
    assert len(copied(Ticket.objects.get())) == 10


# Deletion


@pytest.mark.parametrize("who,shown", [("sam", False), ("lena", False), ("mia", True), ("ada", True)])
def test_the_delete_button_is_shown_only_with_the_delete_permission(client_for, ticket, who, shown, request):
    content = page(client_for(request.getfixturevalue(who)), ticket)
    assert ('id="delete-ticket"' in content) is shown
    assert (f'action="{url("delete", ticket)}"' in content) is shown


def test_the_confirmation_page_shows_the_ticket_and_deletes_nothing(client_for, mia, ticket):
    response = client_for(mia).get(url("delete", ticket))
    assert response.status_code == 200
    content = response.content.decode()
    assert f"#{ticket.number}" in content and "Printer on fire" in content
    assert f'<form method="post" action="{url("delete", ticket)}"' in content
    assert ">Delete permanently</button>" in content
    assert f'href="{url("ticket", ticket)}"' in content and ">Cancel</a>" in content
    assert Ticket.objects.filter(pk=ticket.pk).exists()


@pytest.mark.parametrize("who", ["mia", "ada"])
def test_posting_deletes_and_returns_to_the_open_queue(client_for, ticket, who, request):
    client = client_for(request.getfixturevalue(who))
    response = client.post(url("delete", ticket))
    assert response.status_code == 302 and response.url == reverse("staff:queue", args=["open"])
    assert not Ticket.objects.filter(pk=ticket.pk).exists()
    content = client.get(response.url).content.decode()
    assert f"Ticket #{ticket.number} (Printer on fire) was deleted." in content
    assert client.get(url("ticket", ticket)).status_code == 404


@pytest.mark.parametrize("who", ["sam", "lena"])
def test_agents_without_the_delete_permission_get_403(client_for, ticket, who, request):
    client = client_for(request.getfixturevalue(who))
    for response in (client.get(url("delete", ticket)), client.post(url("delete", ticket))):
        assert response.status_code == 403
        assert "may not delete tickets on ticket" in response.content.decode()
    assert Ticket.objects.filter(pk=ticket.pk).exists()


def test_an_agent_who_cannot_see_the_ticket_gets_404(client_for, ivan, ticket):
    assert client_for(ivan).post(url("delete", ticket)).status_code == 404
    assert Ticket.objects.filter(pk=ticket.pk).exists()


def test_deleting_needs_csrf(mia, ticket):
    client = Client(enforce_csrf_checks=True)
    client.force_login(mia.user)
    assert client.post(url("delete", ticket)).status_code == 403
    assert Ticket.objects.filter(pk=ticket.pk).exists()
