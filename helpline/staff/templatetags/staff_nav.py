"""The staff navigation: one link per queue, in the order the queues are defined."""

from django import template

from helpline.tickets.queries import QUEUES

register = template.Library()


@register.simple_tag
def staff_queues() -> list[tuple[str, str]]:
    return list(QUEUES.items())
