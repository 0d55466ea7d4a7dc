from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from helpline.catalog.models import Priority
from helpline.testsupport.factories import RequesterFactory, TeamFactory
from helpline.tickets.actions import add_note, assign_ticket, post_message, post_reply, set_priority
from helpline.tickets.models import Collaborator
from helpline.tickets.tests.helpers import assign_from_elsewhere


def page(client, ticket):
    return client.get(reverse("staff:ticket", args=[ticket.number]))


def test_the_page_shows_the_ticket_properties(sam_client, ticket, sam, support_topic, sla_plan):
    ticket.requester.phone = "+1 555 0100"
    ticket.requester.save()
    Collaborator.objects.create(
        ticket=ticket, requester=RequesterFactory(name="Carl Copy", email="carl@example.test")
    )
    team = TeamFactory(name="Printers")
    assign_ticket(actor=sam, ticket=ticket, agent=sam, team=team)
    response = page(sam_client, ticket)
    assert response.status_code == 200
    content = response.content.decode()
    assert f"#{ticket.number}" in content and "Printer on fire" in content
    for text in (
        '<dd id="prop-status">Open</dd>',
        '<dd id="prop-priority">Normal</dd>',
        '<dd id="prop-department">Support</dd>',
        f"<dt>Help topic</dt><dd>{support_topic.name}</dd>",
        f'<dd id="prop-sla">{sla_plan.name}</dd>',
        '<dd id="prop-assignee">Sam</dd>',
        '<dd id="prop-team">Printers</dd>',
        '<dd id="prop-requester">Rita Requester</dd>',
        '<a href="mailto:rita@example.test">rita@example.test</a>',
        "<dt>Phone</dt><dd>+1 555 0100</dd>",
        "Carl Copy &lt;carl@example.test&gt;",
        # Each value in its own row: "Web portal" alone is in the thread's "opened" event too.
        "<dt>Source</dt><dd>Web portal</dd>",
        f'<dt>Resolution due</dt><dd id="prop-due"><time datetime="{ticket.due_at.isoformat()}"',
        '<dt>First response</dt><dd id="prop-first-response"><span class="muted">Not yet</span></dd>',
    ):
        assert text in content, text


def test_the_thread_shows_messages_responses_notes_and_events(sam_client, ticket, sam, rita):
    post_reply(
        actor=sam,
        ticket=ticket,
        body="<p>Have you tried <b>water</b>?</p><script>x()</script>",
        body_format="html",
    )
    add_note(actor=sam, ticket=ticket, body="Between us: <it is> the toner.\nSecond line.")
    post_message(actor=rita, ticket=ticket, body="Still burning")
    assign_ticket(actor=sam, ticket=ticket, agent=sam)
    set_priority(actor=sam, ticket=ticket, priority=Priority.objects.get(name="High"))
    content = page(sam_client, ticket).content.decode()
    assert "Rita Requester opened this ticket (source: Web portal)" in content
    assert "It is really on fire." in content and "Still burning" in content
    assert "<p>Have you tried <b>water</b>?</p>" in content and "<script>x()" not in content
    note = content.split('class="entry note"')[1].split("</article>")[0]
    assert "Internal note" in note
    assert "Between us: &lt;it is&gt; the toner.\nSecond line." in note
    assert "Sam took this ticket" in content
    assert "Priority changed from Normal to High by Sam" in content
    order = [content.index(text) for text in ("opened this ticket", "water", "Between us", "Still burning")]
    assert order == sorted(order)


def test_attachments_link_to_the_staff_download(sam_client, ticket, sam, upload):
    add_note(actor=sam, ticket=ticket, body="Log attached", attachments=[upload("printer.log")])
    attachment = ticket.entries.get(kind="note").attachments.get()
    content = page(sam_client, ticket).content.decode()
    assert f'<a href="{reverse("staff:attachment", args=[attachment.pk])}">printer.log</a>' in content


def test_an_invisible_ticket_looks_exactly_like_a_missing_one(client_for, ivan, ticket):
    ivan_client = client_for(ivan)
    hidden = page(ivan_client, ticket)
    missing = ivan_client.get(reverse("staff:ticket", args=["00000000"]))
    assert hidden.status_code == missing.status_code == 404
    for response in (hidden, missing):
        content = response.content.decode()
        assert "There is nothing here that you have access to." in content
        assert "Sign out" in content  # the panel's nav stays, so the agent can go on
        assert ticket.subject not in content and ticket.number not in content


def test_an_administrator_sees_every_ticket(client_for, ada, ticket):
    assert page(client_for(ada), ticket).status_code == 200


def test_an_agent_outside_the_department_sees_a_ticket_assigned_to_them(client_for, ivan, ada, ticket):
    assign_from_elsewhere(ticket, ivan, by=ada)
    assert page(client_for(ivan), ticket).status_code == 200


FORMS = {
    "reply": "Post reply",
    "note": "Add note",
    "assign": "Assign to me",
    "transfer": "Transfer",
    "priority": "Set priority",
    "sla": "Set SLA plan",
    "status": "Set status",
}


def test_an_agent_with_the_agent_role_gets_every_form(sam_client, ticket):
    content = page(sam_client, ticket).content.decode()
    for name, button in FORMS.items():
        assert f'action="{reverse(f"staff:{name}", args=[ticket.number])}"' in content, name
        assert f">{button}</button>" in content, name
    assert 'id="reply-body"' in content and 'id="reply-status"' in content and 'id="note-body"' in content


def test_a_limited_agent_gets_only_the_reply_and_note_forms(client_for, lena, ticket):
    content = page(client_for(lena), ticket).content.decode()
    for name in ("reply", "note"):
        assert f'action="{reverse(f"staff:{name}", args=[ticket.number])}"' in content
    for name in ("assign", "transfer", "priority", "sla", "status"):
        assert f'action="{reverse(f"staff:{name}", args=[ticket.number])}"' not in content, name
    assert 'id="reply-status"' not in content


def test_the_page_query_count_does_not_grow_with_the_thread(
    sam_client, ticket, sam, upload, django_assert_num_queries
):
    def grow(count):
        for n in range(count):
            add_note(actor=sam, ticket=ticket, body=f"note {n}", attachments=[upload(f"n{n}.txt")])

    grow(3)
    with CaptureQueriesContext(connection) as few:
        assert len(page(sam_client, ticket).context["entries"]) == 2 + 3
    grow(27)
    with django_assert_num_queries(len(few.captured_queries)):
        assert len(page(sam_client, ticket).context["entries"]) == 2 + 30
