from django.urls import reverse

from helpline.testsupport.factories import RequesterFactory

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
