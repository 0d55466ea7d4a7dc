"""How many tickets each agent has to work: what automatic assignment balances and limits."""

from collections.abc import Iterable

from django.db.models import Count

from helpline.catalog.models import ACTIVE_STATES
from helpline.tickets.models import Ticket


def open_ticket_counts(agent_ids: Iterable[int]) -> dict[int, int]:
    """Agent id -> open or pending tickets assigned to them, in every department; an agent with none is
    absent. One grouped query on the (assignee, state) index."""
    ids = list(agent_ids)
    if not ids:
        return {}
    rows = (
        Ticket.objects.filter(assignee_id__in=ids, state__in=ACTIVE_STATES)
        .order_by()
        .values_list("assignee_id")
        .annotate(count=Count("pk"))
    )
    return dict(rows)
