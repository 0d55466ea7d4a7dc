"""Times in templates, written by ``core.timefmt``: ``{% time_tag moment %}`` on pages, a ``<time>``
element whose ``datetime`` holds the exact moment and whose title names the zone; ``{% email_time moment %}``
in emails, in the recipient's zone; ``{{ moment|when }}`` for plain text in the active zone."""

from datetime import datetime

from django import template
from django.utils import timezone
from django.utils.html import format_html

from helpline.core.timefmt import RELATIVE_LIMIT, format_relative, format_when, local, zone_description

register = template.Library()

STYLES = ("exact", "relative", "both")


@register.filter
def when(moment: datetime | None, tz: str = "") -> str:
    """The exact time with its zone, in ``tz`` (a zone name; empty: the active zone)."""
    if not isinstance(moment, datetime):
        return ""
    return format_when(moment, tz or None)


@register.simple_tag(takes_context=True)
def email_time(context: template.Context, moment: datetime | None) -> str:
    """The exact time in the recipient's zone: the context's ``time_zone`` (a zone name), or the desk's
    zone when the context names none."""
    if not isinstance(moment, datetime):
        return ""
    return format_when(moment, context.get("time_zone") or timezone.get_default_timezone())


@register.simple_tag
def time_tag(moment: datetime | None, style: str = "exact") -> str:
    """``<time>`` showing the exact time ("exact"), the distance to now ("relative", where people scan a
    list), or both ("both", for a due time on its own). The exact time is always in the title."""
    if not isinstance(moment, datetime):
        return ""
    if style not in STYLES:
        raise template.TemplateSyntaxError(f"time_tag style must be one of {', '.join(STYLES)}")
    now, moment = timezone.now(), local(moment)  # in the active zone once, not once per part
    exact = format_when(moment, moment.tzinfo)
    relative = format_relative(moment, now, moment.tzinfo)
    text = relative if style == "relative" else exact
    html = format_html(
        '<time datetime="{}" title="{}">{}</time>', moment.isoformat(), zone_description(moment, exact), text
    )
    if style == "both" and abs(moment - now) < RELATIVE_LIMIT:
        html = format_html('{} <span class="relative">({})</span>', html, relative)
    return html
