"""Administrators change what the notification emails say: through the administration area's pages, with
each kind's variables shown, a preview, templates that must compile, the way back to the shipped text, a
fallback when an edited template fails at send time, and every change in the audit log."""

import logging

import pytest
from django.test import Client
from django.urls import reverse

from helpline.audit.models import AuditEntry
from helpline.tickets.actions import assign_ticket, post_reply
from helpline.tickets.emails.editing import shipped_sources
from helpline.tickets.models import NotificationTemplate

LIST = reverse("admin_panel:email_templates")
RESPONSE = reverse("admin_panel:email_template", args=["response"])
RESET = reverse("admin_panel:email_template_reset", args=["response"])
EDITED = {
    "subject": "Answer on {{ ticket.token }}: {{ ticket.subject }}",
    "body_text": "Dear {{ requester.name }},\n\n{{ entry.author }} says:\n{{ entry.body_text }}\n\n{{ url }}\n",
    "body_html": "<p>Dear {{ requester.name }}, {{ entry.author }} says:</p>{{ entry.body_html }}",
}


@pytest.fixture
def admin_client(ada):
    client = Client()
    client.force_login(ada.user)
    return client


@pytest.fixture
def reply(sam, django_capture_on_commit_callbacks, mailoutbox):
    """Post a reply on the ticket and return the email Rita got for it."""

    def _reply(ticket, body="Unplug it, then plug it back in."):
        mailoutbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            post_reply(actor=sam, ticket=ticket, body=body)
        [mail] = [mail for mail in mailoutbox if mail.to == ["rita@example.test"]]
        return mail

    return _reply


@pytest.fixture
def run(django_capture_on_commit_callbacks):
    def _run(action, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return action(**kwargs)

    return _run


def save(client, kind="response", **parts):
    return client.post(reverse("admin_panel:email_template", args=[kind]), {**EDITED, **parts, "save": "1"})


def test_only_administrators_see_or_change_the_emails(client, sam, ada, db):
    assert client.get(LIST).status_code == 302
    assert client.post(RESPONSE, {**EDITED, "save": "1"}).status_code == 302
    client.force_login(sam.user)
    for response in (
        client.get(LIST),
        client.get(RESPONSE),
        client.post(RESPONSE, {**EDITED, "save": "1"}),
        client.post(RESET),
    ):
        assert response.status_code == 403
    assert not NotificationTemplate.objects.exists() and not AuditEntry.objects.exists()


def test_the_list_names_every_kind_and_which_are_edited(admin_client, django_assert_max_num_queries):
    save(admin_client, "overdue", subject="Late: {{ ticket.token }}")
    with django_assert_max_num_queries(6):
        page = admin_client.get(LIST).content.decode()
    for label in ("New ticket auto-reply", "New ticket alert", "New message alert", "Assignment", "Transfer"):
        assert label in page
    for label in (
        "Response",
        "Due soon",
        "Overdue",
        "Resolved",
        "Closed",
        "Reopened",
        "Followed ticket update",
        "Mentioned in a note",
    ):
        assert label in page
    assert page.count("Edited ") == 1 and page.count(">Shipped<") == 12


def test_the_edit_page_shows_the_shipped_text_its_variables_and_a_preview(admin_client):
    page = admin_client.get(RESPONSE)
    assert page.context["form"].initial == shipped_sources("response").parts()
    content = page.content.decode()
    assert "{{ finished_state }}" in content and "{{ requester.name }}" in content
    assert "{{ note_address }}" not in content  # an agent alert's, not the requester's
    assert "Re: [#12345678] Printer on fire" in content  # the sample ticket
    assert "Back to the shipped text" not in content
    alert = admin_client.get(reverse("admin_panel:email_template", args=["message_alert"])).content.decode()
    assert "{{ note_address }}" in alert and "{{ finished_state }}" not in alert


def test_a_preview_renders_what_was_typed_and_stores_nothing(admin_client):
    response = admin_client.post(
        RESPONSE, {**EDITED, "body_html": "<p>{{ ticket.subject }}</p><script>x</script>", "preview": "1"}
    )
    assert response.status_code == 200
    content = response.content.decode()
    assert "Answer on [#12345678]: Printer on fire" in content
    assert "Dear Rita Requester," in content and "Sam Agent says:" in content
    assert "<script>x</script>" not in content  # the HTML preview is sanitized
    assert not NotificationTemplate.objects.exists() and not AuditEntry.objects.exists()


def test_a_saved_template_is_what_the_next_email_says(admin_client, ticket, reply):
    response = save(admin_client)
    assert response.status_code == 302
    mail = reply(ticket)
    assert mail.subject == f"Answer on [#{ticket.number}]: Printer on fire"
    assert mail.body.startswith("Dear Rita Requester,\n\nSam says:\nUnplug it, then plug it back in.")
    [(html, _)] = mail.alternatives
    assert html == "<p>Dear Rita Requester, Sam says:</p><p>Unplug it, then plug it back in.</p>"


def test_a_change_is_recorded_with_the_text_before_and_after(admin_client, ada):
    shipped = shipped_sources("response")
    save(admin_client)
    save(admin_client, body_text="Short.\n")
    first, second = AuditEntry.objects.order_by("at", "id")
    assert (first.action, first.target_id, first.actor_id) == (
        "notification_template.changed",
        "response",
        ada.pk,
    )
    assert first.target_repr == "Response email"
    assert first.data == {"before": shipped.parts(), "after": EDITED}
    assert second.data == {"before": {"body_text": EDITED["body_text"]}, "after": {"body_text": "Short.\n"}}
    log = admin_client.get(reverse("admin_panel:audit_log")).content.decode()
    assert "Notification email changed" in log and "Short." in log


def test_a_template_that_does_not_compile_is_refused_with_the_reason(admin_client):
    response = save(admin_client, body_text="{% if requester.name %}Hello", body_html="{% load static %}")
    assert response.status_code == 400
    content = response.content.decode()
    assert "There is a problem" in content
    assert "Unclosed tag on line 1: &#x27;if&#x27;" in content
    assert "&#x27;static&#x27; is not a registered tag library" in content
    assert not NotificationTemplate.objects.exists() and not AuditEntry.objects.exists()


def test_an_empty_part_is_refused(admin_client):
    response = save(admin_client, subject="   ")
    assert response.status_code == 400 and "This part cannot be empty." in response.content.decode()


def test_back_to_the_shipped_text(admin_client, ticket, reply):
    save(admin_client)
    page = admin_client.get(RESPONSE).content.decode()
    assert "Back to the shipped text" in page
    response = admin_client.post(RESET)
    assert response.status_code == 302 and response.url == RESPONSE
    assert not NotificationTemplate.objects.exists()
    assert reply(ticket).subject == f"Re: [#{ticket.number}] Printer on fire"
    reset = AuditEntry.objects.get(action="notification_template.reset")
    assert reset.data == {"before": EDITED, "after": shipped_sources("response").parts()}
    assert admin_client.get(RESET).status_code == 405  # no change on GET
    admin_client.post(RESET)
    assert AuditEntry.objects.filter(action="notification_template.reset").count() == 1


def test_saving_the_shipped_text_again_keeps_no_copy_of_it(admin_client):
    save(admin_client)
    save(admin_client, **shipped_sources("response").parts())
    assert not NotificationTemplate.objects.exists()
    assert AuditEntry.objects.count() == 2


def test_a_template_failing_at_send_time_falls_back_to_the_shipped_one(admin_client, ticket, reply, caplog):
    save(admin_client, body_text='Dear {{ requester.name }} {% include "base.html" %}', subject="{{ '' }}")
    with caplog.at_level(logging.ERROR, logger="helpline.tickets.emails.rendering"):
        mail = reply(ticket)
    assert mail.subject == f"Re: [#{ticket.number}] Printer on fire"  # the edited one rendered empty
    assert mail.body.startswith(f"Sam replied to your ticket [#{ticket.number}]:")
    [(html, _)] = mail.alternatives
    assert html.startswith("<p>Dear Rita Requester, Sam says:")  # the edited HTML still works
    assert "The edited body_text of the response email failed to render" in caplog.text
    assert "TemplateDoesNotExist: base.html" in caplog.text
    assert "The edited subject of the response email rendered empty" in caplog.text


def test_a_template_reaches_nothing_but_its_variables(admin_client, ticket, reply):
    save(
        admin_client,
        body_text=(
            "[{{ ticket.access_secret }}][{{ ticket.requester.user }}][{{ entry.ticket }}]"
            "[{{ requester.tickets }}][{{ ticket.pk }}][{{ settings.SECRET_KEY }}]{% debug %}"
        ),
    )
    assert reply(ticket).body == "[][][][][][]"


def test_the_html_is_escaped_and_the_text_is_not(admin_client, open_for, rita, support_topic, reply):
    ticket = open_for(rita, support_topic, subject="Fish & <chips>")
    save(admin_client, body_text="{{ ticket.subject }}", body_html="<p>{{ ticket.subject }}</p>")
    mail = reply(ticket)
    assert mail.body == "Fish & <chips>"
    assert mail.alternatives[0][0] == "<p>Fish &amp; &lt;chips&gt;</p>"


def test_an_unknown_kind_is_not_found(admin_client):
    assert admin_client.get(reverse("admin_panel:email_template", args=["nope"])).status_code == 404
    assert admin_client.post(reverse("admin_panel:email_template_reset", args=["nope"])).status_code == 404


def test_a_subject_without_the_token_gets_it_in_front(admin_client, ticket, reply):
    save(admin_client, subject="Answer: {{ ticket.subject }}")
    assert reply(ticket).subject == f"[#{ticket.number}] Answer: Printer on fire"


def test_a_kind_is_given_only_the_variables_it_documents(admin_client, ticket, sam, ada, mailoutbox, run):
    # An assignment reports an event entry; its templates are not given it.
    save(admin_client, "assigned", body_text="[{{ entry.author }}][{{ requester.name }}][{{ note_address }}]")
    mailoutbox.clear()
    run(assign_ticket, actor=ada, ticket=ticket, agent=sam)
    [mail] = mailoutbox
    assert mail.body == "[][][]"
