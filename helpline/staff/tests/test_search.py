import pytest
from django.urls import reverse

from helpline.catalog.models import Priority
from helpline.testsupport.factories import RequesterFactory
from helpline.tickets.actions import set_priority
from helpline.tickets.models import Ticket

SEARCH = reverse("staff:search")


def test_a_ticket_number_goes_straight_to_the_ticket(sam_client, ticket):
    response = sam_client.get(SEARCH, {"q": f"#{ticket.number}"})
    assert response.status_code == 302
    assert response.url == reverse("staff:ticket", args=[ticket.number])


def test_an_email_lists_the_requesters_tickets(sam_client, ticket, rita):
    response = sam_client.get(SEARCH, {"q": rita.email.upper()})
    assert response.status_code == 200
    assert [t.number for t in response.context["tickets"]] == [ticket.number]
    assert f'id="ticket-{ticket.number}"'.encode() in response.content


def test_a_ticket_the_agent_may_not_see_is_not_found(client, ivan, ticket):
    client.force_login(ivan.user)
    response = client.get(SEARCH, {"q": ticket.number})
    assert response.status_code == 200
    assert b'id="no-results"' in response.content
    assert ticket.subject.encode() not in response.content


def test_search_results_cost_the_same_queries_for_few_and_many(
    sam_client, open_for, support_topic, django_assert_max_num_queries, settings
):
    settings.HELPLINE_MAX_OPEN_TICKETS = 0  # one requester with many open tickets, on purpose
    requester = RequesterFactory(email="many@example.test")
    for _ in range(3):
        open_for(requester, support_topic)
    # The page, its filter panel's choices (six lists) and the navigation's saved queues.
    with django_assert_max_num_queries(15) as few:
        sam_client.get(SEARCH, {"q": requester.email})
    for _ in range(20):
        open_for(requester, support_topic)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = sam_client.get(SEARCH, {"q": requester.email})
    assert len(response.context["tickets"]) == 23


def test_anonymous_visitors_go_to_the_login(client, db):
    response = client.get(SEARCH, {"q": "1"})
    assert response.status_code == 302
    assert reverse("staff:login") in response.url


def test_the_search_box_is_in_the_navigation(sam_client):
    assert b'id="search-q"' in sam_client.get(reverse("staff:queue", args=["open"])).content


def _open_many(open_for, support_topic, settings, count, body):
    settings.HELPLINE_MAX_OPEN_TICKETS = 0
    requester = RequesterFactory()
    return [open_for(requester, support_topic, subject=f"Request {n}", body=body) for n in range(count)]


def test_words_list_the_tickets_with_the_passage_that_matched(sam_client, open_for, support_topic, rita):
    ticket = open_for(
        rita, support_topic, subject="Desk phone", body="The handset crackles & hums <i>loudly</i>."
    )
    response = sam_client.get(SEARCH, {"q": "handset"})
    assert response.status_code == 200
    assert [t.number for t in response.context["tickets"]] == [ticket.number]
    page = response.content.decode()
    assert f'id="ticket-{ticket.number}"' in page
    assert "<mark>handset</mark>" in page
    assert "crackles &amp; hums" in page
    assert "<i>" not in page  # escaped on SQLite; PostgreSQL's headline leaves tags out


def test_results_come_most_relevant_first(sam_client, open_for, support_topic, rita, settings):
    settings.HELPLINE_MAX_OPEN_TICKETS = 0
    in_subject = open_for(rita, support_topic, subject="Webcam is dead", body="Since Monday.")
    in_body = open_for(rita, support_topic, subject="Meeting room", body="The webcam there is dead.")
    response = sam_client.get(SEARCH, {"q": "webcam dead"})
    assert [t.number for t in response.context["tickets"]] == [in_subject.number, in_body.number]


def test_next_page_continues_the_ranking(sam_client, open_for, support_topic, settings):
    tickets = _open_many(open_for, support_topic, settings, 27, "The stapler is jammed.")
    first = sam_client.get(SEARCH, {"q": "stapler"})
    assert len(first.context["tickets"]) == 25
    second = sam_client.get(first.context["next_url"])
    assert len(second.context["tickets"]) == 2
    assert not second.context["next_url"]
    shown = [t.pk for t in first.context["tickets"]] + [t.pk for t in second.context["tickets"]]
    assert sorted(shown) == sorted(t.pk for t in tickets)


def test_pages_stop_at_the_cap(sam_client, open_for, support_topic, settings, monkeypatch):
    from helpline.tickets import search

    _open_many(open_for, support_topic, settings, 3, "The shredder is full.")
    monkeypatch.setattr(search, "MAX_RESULTS", 50)  # two pages of 25
    response = sam_client.get(SEARCH, {"q": "shredder", "page": "9"})
    assert response.status_code == 200
    assert response.context["page"] == 2


@pytest.mark.parametrize(
    "q", ['"', "NEAR(a b)", "* -x (", "a\x00b", "'; --", "{subject}: x", "x" * 1000, "\\"]
)
def test_any_input_gets_a_page_not_an_error(sam_client, ticket, q):
    response = sam_client.get(SEARCH, {"q": q, "page": "nonsense"})
    assert response.status_code == 200


def test_full_text_results_cost_the_same_queries_for_few_and_many(
    sam_client, open_for, support_topic, settings, django_assert_max_num_queries
):
    _open_many(open_for, support_topic, settings, 2, "The kettle leaks.")
    with django_assert_max_num_queries(16) as few:
        sam_client.get(SEARCH, {"q": "kettle"})
    _open_many(open_for, support_topic, settings, 30, "The kettle leaks again.")
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = sam_client.get(SEARCH, {"q": "kettle"})
    assert len(response.context["tickets"]) == 25


def test_filters_narrow_the_ranked_results_and_a_header_sorts_them(
    sam_client, sam, open_for, support_topic, settings
):
    high, *_ = _open_many(open_for, support_topic, settings, 3, "The kettle leaks.")
    emergency = Priority.objects.get(name="Emergency")
    set_priority(actor=sam, ticket=high, priority=emergency)
    ranked = sam_client.get(SEARCH, {"q": "kettle", "priority": emergency.pk})
    assert [hit.ticket for hit in ranked.context["hits"]] == [high]
    assert "Sort by a column instead" in ranked.content.decode()
    by_column = sam_client.get(SEARCH, {"q": "kettle", "sort": "-created"})
    assert "hits" not in by_column.context
    assert list(by_column.context["tickets"]) == list(Ticket.objects.order_by("-created_at", "-pk"))


def test_a_page_that_is_no_number_shows_the_first(sam_client, ticket, rita):
    for page in ("²", "0", "-1", "x"):
        response = sam_client.get(SEARCH, {"q": rita.email, "page": page})
        assert response.status_code == 200
        assert [t.number for t in response.context["tickets"]] == [ticket.number]
