"""Revoking a ticket's private access links: the links in every email sent about it, or about a ticket
merged into it, stop opening it.

For a link that reached someone it should not have (a forwarded email, a shared screen). The ticket gets a
new access secret (``tickets.access``), so every participant's next email carries a new link, and a
requester who needs one sooner asks the portal's status page for it, which sends it to their own address.
"""

from django.db import transaction
from django.utils import timezone

from helpline.people.actors import Actor
from helpline.people.permissions import Perm
from helpline.tickets.actions.base import lock_ticket, record_event, touch
from helpline.tickets.events import AccessLinksRevoked
from helpline.tickets.models import Ticket
from helpline.tickets.models.ticket import new_access_secret
from helpline.tickets.policy import require


def revoke_access_links(*, actor: Actor, ticket: Ticket) -> Ticket:
    """Replace the ticket's access secret (the edit permission), recorded on its thread; conflicts with no
    change made meanwhile. Returns the ticket as saved. Raises NotAllowed."""
    with transaction.atomic():
        ticket = lock_ticket(ticket)
        require(actor, Perm.EDIT, ticket)
        ticket.access_secret = new_access_secret()
        now = timezone.now()
        touch(ticket, now, "access_secret")
        # A link to a ticket merged into this one leads here (``tickets.access``): those die too, in one
        # UPDATE (a token is signed with its ticket's id, so sharing a secret lets no link open another
        # ticket). Merging leaves no chains, so one level is all there is.
        Ticket.objects.filter(merged_into=ticket).update(access_secret=new_access_secret())
        record_event(ticket, actor, AccessLinksRevoked(), now)
    return ticket
