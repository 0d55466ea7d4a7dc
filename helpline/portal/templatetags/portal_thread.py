"""How the portal shows an entry's body: an email's own images in place, other sites' images never loaded."""

from django import template
from django.template.defaultfilters import linebreaksbr
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from helpline.core.email_html import show_email_html
from helpline.tickets.models import ThreadEntry

register = template.Library()


@register.simple_tag
def entry_body(entry: ThreadEntry, token: str) -> SafeString:
    if not entry.body_html:
        return format_html('<div class="body">{}</div>', linebreaksbr(entry.body_text, autoescape=True))
    inline = {
        a.content_id: reverse("portal:attachment", args=[token, a.pk])
        for a in entry.attachments.all()
        if a.content_id
    }
    shown = show_email_html(entry.body_html, inline_urls=inline, load_remote=False)
    # body_html is sanitized when stored (core.sanitize); it is the only markup rendered as is.
    return format_html('<div class="body html">{}</div>', mark_safe(shown.html))  # noqa: S308
