"""Two agents take the same ticket at the same moment (real threads, committing for real): one gets it,
the other is told it is taken, and the thread records one taking."""

import pytest

from helpline.testsupport.threads import at_the_same_moment
from helpline.tickets.actions import claim_ticket
from helpline.tickets.models import Event, Ticket
from helpline.tickets.policy import NotClaimable

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_of_two_agents_taking_a_ticket_at_once_one_gets_it(ticket, sam, mia):
    def take(agent) -> str:
        try:
            claim_ticket(actor=agent, ticket=Ticket.objects.get(pk=ticket.pk))
        except NotClaimable:
            return "refused"
        return "took"

    outcomes = at_the_same_moment([lambda: take(sam), lambda: take(mia)])
    assert sorted(outcomes) == ["refused", "took"]
    ticket.refresh_from_db()
    assert ticket.assignee == (sam if outcomes[0] == "took" else mia)
    assert ticket.entries.filter(event=Event.ASSIGNED).count() == 1
