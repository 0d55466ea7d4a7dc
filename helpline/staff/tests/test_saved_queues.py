"""Saved queues through HTTP: saving a filtered list, opening it from the navigation, renaming and
deleting one's own, shared queues made by administrators, and who may see and change which."""

import re
from urllib.parse import urlencode

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from helpline.catalog.models import Priority
from helpline.staff.models import NAV_LIMIT, SavedQueue
from helpline.testsupport.factories import AgentFactory
from helpline.tickets.actions import assign_ticket
from helpline.tickets.models import Source, Ticket

NEW = reverse("staff:saved_queue_new")
OPEN = reverse("staff:queue", args=["open"])


def page_url(saved: SavedQueue) -> str:
    return reverse("staff:saved_queue", args=[saved.pk])


def numbers(response) -> list[str]:
    return [ticket.number for ticket in response.context["tickets"]]


def save(client, name="High ones", base="open", params="", follow=False, **extra):
    return client.post(NEW, {"name": name, "base": base, "params": params, **extra}, follow=follow)


@pytest.fixture
def high(db):
    return Priority.objects.get(name="High")


@pytest.fixture
def tickets(new_ticket, high, sam):
    made = {
        "high": new_ticket("Urgent", priority=high),
        "high2": new_ticket("Also urgent", priority=high),
        "normal": new_ticket("Normal one"),
        "phone": new_ticket("Phoned in", source=Source.PHONE),
    }
    assign_ticket(actor=sam, ticket=made["high2"], agent=sam)
    return {name: Ticket.objects.get(pk=t.pk) for name, t in made.items()}


def test_saving_a_filtered_list_makes_a_queue_with_its_filters_sort_and_columns(
    sam_client, sam, tickets, high
):
    params = urlencode({"priority": high.pk, "sort": "created"})
    response = save(sam_client, params=params, columns=["priority", "due"])
    saved = SavedQueue.objects.get()
    assert response.status_code == 302 and response.url == page_url(saved)
    assert (saved.owner, saved.base, saved.sort, saved.is_shared) == (sam, "open", "created", False)
    assert saved.filters == {"priority": str(high.pk)} and saved.columns == ["priority", "due"]
    page = sam_client.get(page_url(saved))
    assert numbers(page) == [tickets["high"].number, tickets["high2"].number]
    content = page.content.decode()
    assert 'data-label="Priority"' in content and 'data-label="Due"' in content
    assert 'data-label="Requester"' not in content and ">Requester<" not in content
    assert "Saved the queue “High ones”" in content


def test_a_saved_queue_is_in_its_owners_navigation_with_a_count_and_nobody_elses(
    sam_client, client_for, lena, tickets, high
):
    save(sam_client, params=urlencode({"priority": high.pk}))
    saved = SavedQueue.objects.get()
    nav = sam_client.get(OPEN).content.decode()
    assert f'href="{page_url(saved)}" id="saved-{saved.pk}">High ones<span class="count">2</span>' in nav
    other = client_for(lena)
    assert f'id="saved-{saved.pk}"' not in other.get(OPEN).content.decode()
    assert other.get(page_url(saved)).status_code == 404
    assert other.get(reverse("staff:saved_queue_edit", args=[saved.pk])).status_code == 404
    assert other.post(reverse("staff:saved_queue_delete", args=[saved.pk])).status_code == 404
    assert SavedQueue.objects.filter(pk=saved.pk).exists()


def test_the_change_filters_link_opens_the_list_it_was_saved_from(sam_client, tickets, high):
    save(sam_client, params=urlencode({"priority": high.pk, "assignee": "me", "sort": "-number"}))
    saved = SavedQueue.objects.get()
    link = sam_client.get(page_url(saved)).context["edit_filters_url"]
    assert link == f"{OPEN}?priority={high.pk}&assignee=me&sort=-number"
    assert numbers(sam_client.get(link)) == [tickets["high2"].number]
    assert numbers(sam_client.get(page_url(saved))) == [tickets["high2"].number]


def test_a_search_can_be_saved_with_its_words(sam_client, tickets, rita):
    params = urlencode({"q": rita.email, "source": "phone"})
    save(sam_client, name="Rita by phone", base="search", params=params)
    saved = SavedQueue.objects.get()
    assert (saved.base, saved.words, saved.sort) == ("search", rita.email, "-created")
    assert numbers(sam_client.get(page_url(saved))) == [tickets["phone"].number]


@pytest.mark.parametrize(
    ("base", "params"),
    [("everything", ""), ("open", "priority=oops"), ("search", "source=phone"), ("open", "due_from=never")],
)
def test_a_list_that_cannot_be_saved_says_so(sam_client, base, params):
    response = save(sam_client, base=base, params=params, follow=True)
    assert "This list cannot be saved" in response.content.decode()
    assert not SavedQueue.objects.exists()


def test_a_queue_needs_a_name_of_its_own(sam_client, tickets):
    assert save(sam_client, name="  ").status_code == 400
    save(sam_client, name="Mine")
    response = save(sam_client, name="mine ")
    assert response.status_code == 400
    assert "You already have a queue named “mine”" in response.content.decode()
    assert SavedQueue.objects.count() == 1


def test_an_agent_renames_and_deletes_their_own_queue(sam_client, tickets):
    save(sam_client, name="Old name")
    saved = SavedQueue.objects.get()
    edit = reverse("staff:saved_queue_edit", args=[saved.pk])
    assert sam_client.get(edit).status_code == 200
    response = sam_client.post(edit, {"name": "New name", "columns": ["status"]})
    assert response.status_code == 302
    saved.refresh_from_db()
    assert (saved.name, saved.columns) == ("New name", ["status"])
    response = sam_client.post(reverse("staff:saved_queue_delete", args=[saved.pk]))
    assert response.status_code == 302 and not SavedQueue.objects.exists()


def test_only_administrators_share_a_queue(sam_client, client_for, ada, tickets):
    save(sam_client, name="Not shared", shared="on")
    assert SavedQueue.objects.get().is_shared is False
    save(client_for(ada), name="Everyone's open", shared="on")
    assert SavedQueue.objects.get(name="Everyone's open").is_shared is True


def test_a_shared_queue_shows_each_agent_what_they_may_see(
    client_for, ada, sam, ivan, tickets, it_department
):
    it_ticket = tickets["normal"]
    Ticket.objects.filter(pk=it_ticket.pk).update(department=it_department)
    save(client_for(ada), name="All open", shared="on")
    saved = SavedQueue.objects.get()
    sam_page = client_for(sam).get(page_url(saved))
    assert set(numbers(sam_page)) == {t.number for name, t in tickets.items() if name != "normal"}
    ivan_client = client_for(ivan)
    ivan_page = ivan_client.get(page_url(saved))
    assert numbers(ivan_page) == [it_ticket.number]
    assert f'id="saved-{saved.pk}" aria-current="page">All open<span class="count">1</span>' in (
        ivan_page.content.decode()
    )


def test_agents_cannot_change_a_shared_queue_and_administrators_can(sam_client, client_for, ada, tickets):
    save(client_for(ada), name="Shared one", shared="on")
    saved = SavedQueue.objects.get()
    edit = reverse("staff:saved_queue_edit", args=[saved.pk])
    delete = reverse("staff:saved_queue_delete", args=[saved.pk])
    assert sam_client.get(edit).status_code == 403
    assert sam_client.post(edit, {"name": "Taken over"}).status_code == 403
    assert sam_client.post(delete).status_code == 403
    assert b'id="saved-rename"' not in sam_client.get(page_url(saved)).content
    saved.refresh_from_db()
    assert saved.name == "Shared one"
    other_admin = client_for(AgentFactory(is_admin=True))
    assert other_admin.post(edit, {"name": "Renamed", "shared": "on"}).status_code == 302
    saved.refresh_from_db()
    assert (saved.name, saved.is_shared) == ("Renamed", True)
    assert other_admin.post(delete).status_code == 302
    assert not SavedQueue.objects.exists()


def test_changing_a_queue_takes_a_post(sam_client, tickets):
    save(sam_client)
    saved = SavedQueue.objects.get()
    assert sam_client.get(reverse("staff:saved_queue_delete", args=[saved.pk])).status_code == 405
    assert sam_client.get(NEW).status_code == 405


def test_the_navigation_costs_the_same_queries_for_one_saved_queue_and_many(sam_client, tickets, high):
    save(sam_client, name="first", params=urlencode({"priority": high.pk}))
    with CaptureQueriesContext(connection) as one:
        sam_client.get(OPEN)
    for n in range(NAV_LIMIT + 2):
        params = urlencode({"source": "phone"} if n % 2 else {"assignee": "me", "overdue": "1"})
        save(sam_client, name=f"queue {n}", params=params, base="open" if n % 3 else "pending")
    with CaptureQueriesContext(connection) as many:
        content = sam_client.get(OPEN).content.decode()
    assert len(many.captured_queries) == len(one.captured_queries)
    assert len(re.findall(r'id="saved-\d+"', content)) == NAV_LIMIT
    assert 'id="saved-all">All saved queues' in content
    listing = sam_client.get(reverse("staff:saved_queues")).content.decode()
    assert listing.count("staff/saved/") >= NAV_LIMIT + 3


def test_a_saved_queue_page_costs_the_same_queries_for_few_and_many_rows(
    sam_client, new_ticket, high, django_assert_num_queries
):
    for n in range(2):
        new_ticket(f"t{n}", priority=high)
    save(sam_client, params=urlencode({"priority": high.pk, "created_from": "2000-01-01"}))
    saved = SavedQueue.objects.get()
    with CaptureQueriesContext(connection) as few:
        assert len(numbers(sam_client.get(page_url(saved)))) == 2
    for n in range(30):
        new_ticket(f"more {n}", priority=high)
    with django_assert_num_queries(len(few.captured_queries)):
        assert len(numbers(sam_client.get(page_url(saved)))) == 25


def test_a_search_saved_with_a_nul_in_its_words_keeps_the_words_without_it(sam_client, tickets):
    save(sam_client, name="Fires", base="search", params=urlencode({"q": "fire\x00x"}))
    assert SavedQueue.objects.get().words == "firex"
