"""Two agents press "Assign to me" at the same moment on pages of the same version (real threads,
committing for real): one gets the ticket, the other is refused with what the first did."""

import pytest

from helpline.testsupport.threads import at_the_same_moment
from helpline.tickets.actions import assign_ticket
from helpline.tickets.conflicts import ChangedMeanwhile
from helpline.tickets.models import Event, Ticket

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_of_two_agents_assigning_themselves_at_once_on_the_same_version_one_wins(ticket, sam, mia):
    fresh = Ticket.objects.get(pk=ticket.pk)
    seen = {"expected_version": fresh.version, "seen_entry_id": fresh.entries.order_by("id").last().pk}

    def assign_to_me(agent) -> str:
        try:
            assign_ticket(actor=agent, ticket=Ticket.objects.get(pk=ticket.pk), agent=agent, **seen)
        except ChangedMeanwhile as refusal:
            return str(refusal)
        return "assigned"

    outcomes = at_the_same_moment([lambda: assign_to_me(sam), lambda: assign_to_me(mia)])
    ticket.refresh_from_db()
    winner, loser = (sam, mia) if outcomes[0] == "assigned" else (mia, sam)
    assert ticket.assignee == winner
    assert outcomes[[sam, mia].index(loser)] == f"Since you opened this page: {winner.display_name} took it."
    assert ticket.entries.filter(event=Event.ASSIGNED).count() == 1
    assert ticket.version == fresh.version + 1
