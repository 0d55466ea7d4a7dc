"""``{% ticket_rows %}``: a list's rows, rendered by the Jinja2 engine (see ``core.jinja_pages``)."""

from functools import cache

from django import template
from django.template import engines
from django.utils.safestring import SafeString, mark_safe

register = template.Library()

# What the rows read of the list's context (staff.views.lists.list_context and the bulk bar).
ROW_CONTEXT = ("tickets", "bulk", "hide", "claimable", "here", "now")


@cache
def _rows_template():
    return engines["rows"].get_template("staff/_ticket_rows.html")


@register.simple_tag(takes_context=True)
def ticket_rows(context: template.Context) -> SafeString:
    values = {name: context.get(name) for name in ROW_CONTEXT}
    return mark_safe(_rows_template().render(values, context.get("request")))  # noqa: S308 - autoescaped
