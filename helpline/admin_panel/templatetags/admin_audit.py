"""The details of an audit record, as a person reads them: a reference to a row by its name, a change as
what it was and what it became, nested values as nested lists."""

from typing import Any

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

register = template.Library()

REF_KEYS = {"id", "name", "email"}
MAX_DEPTH = 3


def _is_ref(value: Any) -> bool:
    """A row named in the record (``tickets.events.Ref``, ``PersonRef``): an id and a name, maybe an email."""
    return isinstance(value, dict) and {"id", "name"} <= set(value) <= REF_KEYS


def _html(value: Any, depth: int) -> SafeString:
    if _is_ref(value):
        email = format_html(" &lt;{}&gt;", value["email"]) if value.get("email") else ""
        number = format_html(" (#{})", value["id"]) if value.get("id") is not None else ""
        return format_html("{}{}{}", value["name"], email, number)
    if isinstance(value, dict) and depth < MAX_DEPTH:
        items = ((key, _html(item, depth + 1)) for key, item in value.items())
        return format_html(
            '<dl class="details">{}</dl>', format_html_join("", "<dt>{}</dt><dd>{}</dd>", items)
        )
    if isinstance(value, list) and depth < MAX_DEPTH:
        return format_html_join(", ", "{}", ((_html(item, depth + 1),) for item in value))
    if value is None or value == "":
        return format_html("{}", "—")
    if isinstance(value, bool):
        return format_html("{}", "yes" if value else "no")
    return format_html("{}", value)


@register.filter
def audit_value(value: Any) -> SafeString:
    return _html(value, 0)
