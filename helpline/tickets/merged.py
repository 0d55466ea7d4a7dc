"""Where a merged ticket leads: the ticket its conversation went to. Its staff page, its requesters' access
links and email replies to it all go on there."""

from helpline.tickets.models import Ticket

# Merging re-points the tickets merged into a ticket that is merged in its turn, so one step is the rule;
# the bound only keeps damaged data from looping.
MAX_STEPS = 10


def final_ticket(ticket: Ticket) -> Ticket:
    """``ticket`` itself, or the ticket it was merged into (following later merges to the last one). Costs
    a query per step, none for a ticket that was not merged."""
    for _ in range(MAX_STEPS):
        if ticket.merged_into_id is None:
            return ticket
        following = (
            Ticket.objects.select_related("status", "department", "priority", "requester")
            .filter(pk=ticket.merged_into_id)
            .first()
        )
        if following is None:
            return ticket
        ticket = following
    return ticket


def merged_number_target(number: str) -> Ticket | None:
    """The ticket a merged ticket's number leads to, or None when no merged ticket has that number."""
    merged = Ticket.objects.filter(number=number, merged_into__isnull=False).first()
    return final_ticket(merged) if merged is not None else None
