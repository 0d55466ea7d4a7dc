"""The partials the staff pages poll with htmx: the navigation's queue counts and a ticket's new entries."""

from django.urls import reverse

from helpline.tickets.actions import add_note, post_message, post_reply


def updates(client, ticket, after):
    return client.get(reverse("staff:ticket_updates", args=[ticket.number]), {"after": after})


def last_entry_id(client, ticket) -> int:
    return client.get(reverse("staff:ticket", args=[ticket.number])).context["last_entry_id"]


def test_the_ticket_page_polls_for_entries_after_its_last_one(sam_client, ticket):
    last = ticket.entries.order_by("-pk").first()
    content = sam_client.get(reverse("staff:ticket", args=[ticket.number])).content.decode()
    poll = f'hx-get="{reverse("staff:ticket_updates", args=[ticket.number])}?after={last.pk}"'
    assert poll in content and 'hx-trigger="every 20s"' in content


def test_nothing_new_is_an_empty_answer(sam_client, ticket, django_assert_max_num_queries):
    after = last_entry_id(sam_client, ticket)
    with django_assert_max_num_queries(9):  # one of them the desk settings, read once per request
        response = updates(sam_client, ticket, after)
    assert response.status_code == 204 and response.content == b""


def test_a_new_message_shows_a_banner_with_its_author(sam_client, ticket, rita):
    after = last_entry_id(sam_client, ticket)
    entry = post_message(actor=rita, ticket=ticket, body="Now it smokes too.")
    response = updates(sam_client, ticket, after)
    assert response.status_code == 200
    content = response.content.decode()
    assert "New entry from Rita Requester" in content
    url = reverse("staff:ticket", args=[ticket.number])
    assert f'href="{url}?new={entry.pk}#entry-{entry.pk}"' in content


def test_several_entries_are_counted_and_the_latest_author_named(sam_client, client_for, mia, ticket, rita):
    after = last_entry_id(sam_client, ticket)
    post_message(actor=rita, ticket=ticket, body="Hello?")
    post_reply(actor=mia, ticket=ticket, body="On my way.")
    content = updates(sam_client, ticket, after).content.decode()
    assert "2 new entries, the latest from Mia" in content


def test_the_agents_own_entries_bring_no_banner(sam_client, ticket, sam):
    after = last_entry_id(sam_client, ticket)
    post_reply(actor=sam, ticket=ticket, body="Looking at it.")
    assert updates(sam_client, ticket, after).status_code == 204


def test_another_agents_note_is_news_to_an_agent(client_for, lena, mia, ticket):
    lena_client = client_for(lena)
    after = last_entry_id(lena_client, ticket)
    add_note(actor=mia, ticket=ticket, body="Between us.")
    assert "New entry from Mia" in updates(lena_client, ticket, after).content.decode()


def test_a_ticket_the_agent_cannot_see_is_not_found(client_for, ivan, ticket):
    assert updates(client_for(ivan), ticket, 0).status_code == 404


def test_a_bad_last_entry_id_is_refused_clearly(sam_client, ticket):
    response = updates(sam_client, ticket, "x")
    assert response.status_code == 400 and b"not a number" in response.content


def test_after_the_session_ends_a_poll_changes_nothing(client, ticket):
    assert updates(client, ticket, 0).status_code == 204
    assert client.get(reverse("staff:nav_counts")).status_code == 204


def test_pages_are_served_without_counts_and_poll_for_them(sam_client):
    content = sam_client.get(reverse("staff:preferences")).content.decode()
    nav = content.split('<ul id="queue-nav"')[1].split("</ul>")[0]
    assert f'hx-get="{reverse("staff:nav_counts")}?current=preferences"' in nav
    assert 'hx-trigger="load, every 45s"' in nav and 'class="count"' not in nav


def test_the_counts_partial_counts_each_queue(
    sam_client, ticket, new_ticket, sam, django_assert_max_num_queries
):
    new_ticket(subject="Second", assignee=sam)
    with django_assert_max_num_queries(15):  # one of them the desk settings, read once per request
        response = sam_client.get(reverse("staff:nav_counts"), {"current": "mine"})
    content = response.content.decode()
    assert '<span class="count" id="nav-count-open">2<' in content
    assert '<span class="count" id="nav-count-mine">1<' in content
    assert '<span class="count" id="nav-count-closed">0<' in content
    assert f'<a href="{reverse("staff:queue", args=["mine"])}" aria-current="page">' in content
    assert 'hx-trigger="every 45s"' in content


def test_the_counts_carry_the_queue_pages_tabs_only_when_asked(sam_client, ticket):
    plain = sam_client.get(reverse("staff:nav_counts"), {"current": "open"}).content.decode()
    assert 'id="queue-tabs"' not in plain
    with_tabs = sam_client.get(
        reverse("staff:nav_counts"), {"current": "open", "tabs": "open"}
    ).content.decode()
    assert '<ul class="tabs" id="queue-tabs" hx-swap-oob="true">' in with_tabs
    assert 'id="tab-count-open">1<' in with_tabs
    # The refreshed navigation keeps asking for the tabs, every 45 seconds.
    assert f'hx-get="{reverse("staff:nav_counts")}?current=open&amp;tabs=open"' in with_tabs
    unknown = sam_client.get(reverse("staff:nav_counts"), {"current": "open", "tabs": "everything"})
    assert 'id="queue-tabs"' not in unknown.content.decode()


def test_the_counts_stop_at_the_cap(sam_client, new_ticket, settings, monkeypatch):
    monkeypatch.setattr("helpline.staff.navigation.COUNT_CAP", 2)
    monkeypatch.setattr("helpline.tickets.queries.COUNT_CAP", 2)
    for n in range(4):
        new_ticket(subject=f"Ticket {n}")
    content = sam_client.get(reverse("staff:nav_counts")).content.decode()
    assert '<span class="count" id="nav-count-open">2+<' in content
