"""``{% ticket_rows %}``: a list's rows, rendered by the Jinja2 engine (see ``core.jinja_pages``)."""

from django import template
from django.utils.safestring import SafeString

from helpline.core.jinja_pages import render_part

register = template.Library()

# What the rows read of the list's context (staff.views.lists.list_context and the bulk bar).
ROW_CONTEXT = ("tickets", "bulk", "hide", "claimable", "here", "now")


@register.simple_tag(takes_context=True)
def ticket_rows(context: template.Context) -> SafeString:
    values = {name: context.get(name) for name in ROW_CONTEXT}
    return render_part("staff/_ticket_rows.html", values, context.get("request"))
