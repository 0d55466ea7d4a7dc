"""What the staff panel tells a person after they act, in a way a screen reader and a keyboard get too:
the error summary after a failed submission, the confirmation after a redirect, the skip links."""

import re

from django.urls import reverse


def ticket_url(ticket, operation: str = "") -> str:
    if not operation:
        return reverse("staff:ticket", args=[ticket.number])
    return reverse(f"staff:{operation}", args=[ticket.number])


def error_summary(page: str) -> str:
    match = re.search(r'<div class="error-summary"[^>]*>.*?</div>', page, re.S)
    assert match, "the page has no error summary"
    return match.group(0)


def test_a_failed_reply_is_summed_up_at_the_top_focused_and_named_in_the_title(sam_client, ticket):
    response = sam_client.post(ticket_url(ticket, "reply"), {"body": ""})
    assert response.status_code == 400
    page = response.content.decode()
    assert re.search(r"<title>Error: #\d+ Printer on fire · Helpline</title>", page)
    summary = error_summary(page)
    assert 'tabindex="-1" autofocus' in summary
    assert '<a href="#reply-body">Reply: This field is required.</a>' in summary
    assert page.index("error-summary") < page.index('class="thread"')  # before the content, first in main


def test_an_error_of_the_whole_form_links_to_its_first_field_and_wins_the_focus(client, sam):
    response = client.post(reverse("staff:login"), {"username": "sam", "password": "wrong"})
    page = response.content.decode()
    assert "<title>Error: Agent sign in · Helpline</title>" in page
    summary = error_summary(page)
    assert '<a href="#id_username">Please enter a correct username and password.' in summary
    # Only the first autofocus in a document counts: the summary's comes before the username field's.
    assert page.index("autofocus") < page.index('id="id_username"')


def test_a_page_without_errors_has_no_summary_and_a_plain_title(sam_client, ticket):
    page = sam_client.get(ticket_url(ticket)).content.decode()
    assert "error-summary" not in page and "<title>Error:" not in page


def test_the_confirmation_after_a_redirect_is_focused_and_no_list_item_claims_a_role(sam_client, ticket):
    response = sam_client.post(ticket_url(ticket, "reply"), {"body": "On it."}, follow=True)
    page = response.content.decode()
    assert '<div class="messages" id="messages" role="status" tabindex="-1" autofocus>' in page
    assert '<li class="flash success">Reply posted.</li>' in page
    assert not re.search(r"<li[^>]*role=", page)


def test_skip_links_lead_past_the_navigation_to_the_content_and_the_reply(sam_client, ticket):
    page = sam_client.get(ticket_url(ticket)).content.decode()
    body = page.split("<body", 1)[1]
    assert re.search(r'^[^>]*>\s*<div class="skip-links">\s*<a class="skip-link" href="#main">', body)
    assert '<a class="skip-link" href="#reply">Skip to the reply</a>' in page
    assert '<main id="main" tabindex="-1">' in page
    assert 'id="reply" tabindex="-1"' in page and 'id="details" tabindex="-1"' in page


def test_the_search_box_has_a_label(sam_client):
    page = sam_client.get(reverse("staff:queue", args=["open"])).content.decode()
    assert re.search(r'<label for="search-q">Find<span class="visually-hidden"> a ticket', page)


def test_the_navigation_marks_the_current_queue(sam_client):
    page = sam_client.get(reverse("staff:queue", args=["pending"])).content.decode()
    nav = page.split('<nav aria-label="Queues"', 1)[1].split("</nav>", 1)[0]
    assert f'<a href="{reverse("staff:queue", args=["pending"])}" aria-current="page">Pending</a>' in nav
    assert nav.count("aria-current") == 1
