"""The ticket page beside the thread: the requester's other tickets, image previews, and the print view."""

import re

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from helpline.tickets.actions import add_note
from helpline.tickets.related import OTHER_TICKETS_SHOWN


def page(client, ticket, query=""):
    return client.get(reverse("staff:ticket", args=[ticket.number]) + query)


def other_tickets_block(content: str) -> str:
    return content.split('id="other-tickets"')[1].split("</section>")[0]


def test_the_requesters_other_tickets_are_listed_with_their_status(sam_client, ticket, new_ticket):
    older = new_ticket(subject="Toner is low")
    block = other_tickets_block(page(sam_client, ticket).content.decode())
    assert f"#{older.number} Toner is low" in block and "Open" in block
    assert f"#{ticket.number}" not in block  # not the ticket itself
    assert "other-tickets-all" not in block


def test_a_ticket_in_another_department_is_not_listed_to_a_support_agent(
    sam_client, client_for, ivan, ticket, open_for, rita, it_topic
):
    network = open_for(rita, it_topic, subject="The network is down")
    assert "The network is down" not in other_tickets_block(page(sam_client, ticket).content.decode())
    # Ivan in IT sees it on the IT ticket, and not the Support one.
    block = other_tickets_block(page(client_for(ivan), network).content.decode())
    assert "None that you can see." in block and "Printer on fire" not in block


def test_past_the_few_shown_a_link_leads_to_all_their_tickets(
    sam_client, ticket, new_ticket, django_assert_num_queries
):
    new_ticket(subject="First other")
    with CaptureQueriesContext(connection) as one:
        page(sam_client, ticket)
    for n in range(OTHER_TICKETS_SHOWN + 2):
        new_ticket(subject=f"Other {n}")
    with django_assert_num_queries(len(one.captured_queries)):
        content = page(sam_client, ticket).content.decode()
    block = other_tickets_block(content)
    assert block.count("<li>") == OTHER_TICKETS_SHOWN
    assert f'href="{reverse("staff:search")}?q=rita%40example.test" id="other-tickets-all"' in block


def test_image_attachments_are_previewed_through_the_attachment_view(sam_client, ticket, sam, upload):
    add_note(
        actor=sam,
        ticket=ticket,
        body="Files",
        attachments=[
            upload("photo.png", b"\x89PNG\r\n", "image/png"),
            upload("scan.bmp", b"BM", "image/bmp"),  # an image, but not of a type served as itself
            upload("notes.txt"),
        ],
    )
    files = {a.filename: a for a in ticket.entries.get(kind="note").attachments.all()}
    content = page(sam_client, ticket).content.decode()
    previews = re.findall(r'<img src="([^"]+)" alt="" loading="lazy" class="attachment-preview">', content)
    assert previews == [reverse("staff:attachment", args=[files["photo.png"].pk])]
    response = sam_client.get(previews[0])
    assert response["Content-Type"] == "image/png" and response["X-Content-Type-Options"] == "nosniff"


def test_the_print_view_shows_the_thread_without_the_forms(sam_client, ticket, sam):
    add_note(actor=sam, ticket=ticket, body="Checked the fuser.")
    response = page(sam_client, ticket, "?print=1")
    assert response.status_code == 200
    content = response.content.decode()
    assert "It is really on fire." in content and "Checked the fuser." in content
    main = content.split('<main id="main"')[1]
    assert "<form" not in main and 'id="reply-body"' not in main
    assert 'id="prop-status">Open</dd>' in main
    assert f'href="{reverse("staff:ticket", args=[ticket.number])}?print=1" id="print-view"' in (
        page(sam_client, ticket).content.decode()
    )


def test_each_select_is_read_once_and_only_the_forms_shown_are_built(sam_client, client_for, lena, ticket):
    # Sam sees every form: the page reads each list of choices (statuses once for both status selects,
    # priorities, departments, teams, SLA plans) and the assignable agents, once each.
    page(sam_client, ticket)
    with CaptureQueriesContext(connection) as sams:
        assert page(sam_client, ticket).status_code == 200
    statements = [query["sql"] for query in sams.captured_queries]
    assert len(statements) == len(set(statements)), "a query ran twice"
    for table in ("catalog_priority", "sla_slaplan", "people_team", "catalog_ticketstatus"):
        assert any(f'FROM "{table}"' in sql for sql in statements), table
    # Lena may only reply and write notes: no select of the property forms is read for her.
    lena_client = client_for(lena)
    page(lena_client, ticket)
    with CaptureQueriesContext(connection) as lenas:
        assert page(lena_client, ticket).status_code == 200
    for table in ("catalog_priority", "sla_slaplan"):  # (her teams are read: what she may see)
        assert not any(f'FROM "{table}"' in query["sql"] for query in lenas.captured_queries), table
