"""Who is writing a reply to a ticket right now: a soft lock that informs and never blocks.

An agent who starts a reply takes the ticket's lock for ``HELPLINE_REPLY_LOCK_MINUTES``; the staff page
renews it while they type and releases it when they cancel (sending releases it in ``post_reply``). Others
see "Sam is replying (since 10:42)" and may still reply: the collision warning (``tickets.conflicts``) is
what keeps two replies from crossing. The lock is a row (``ReplyLock``), so every app server sees it; one
past its expiry means nothing and is deleted the next time anyone takes a lock.
"""

from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from helpline.core.prepared import PreparedQuery
from helpline.people.models import Agent
from helpline.people.permissions import Perm
from helpline.tickets.models import ReplyLock, Ticket
from helpline.tickets.policy import require


def hold_reply_lock(*, agent: Agent, ticket: Ticket) -> ReplyLock:
    """Take the ticket's reply lock, or renew the one the agent holds; returns the live lock, which is
    someone else's when another agent holds it (then nothing changes: the first writer keeps it until they
    stop). The agent must be allowed to reply. Raises NotAllowed."""
    require(agent, Perm.REPLY, ticket)
    now = timezone.now()
    expires = now + timedelta(minutes=settings.HELPLINE_REPLY_LOCK_MINUTES)
    with transaction.atomic():
        ReplyLock.objects.filter(expires_at__lte=now).delete()  # lazily: an indexed range, usually empty
        lock = ReplyLock.objects.select_for_update().filter(ticket=ticket).first()
        if lock is None:
            try:
                with transaction.atomic():
                    return ReplyLock.objects.create(ticket=ticket, agent=agent, since=now, expires_at=expires)
            except IntegrityError:  # taken by someone else at this very moment
                return ReplyLock.objects.get(ticket=ticket)
        if lock.agent_id == agent.pk:
            lock.expires_at = expires
            lock.save(update_fields=["expires_at"])
        return lock


def release_reply_lock(*, agent: Agent, ticket: Ticket) -> bool:
    """The agent stops replying; returns whether they held the lock."""
    removed, _ = ReplyLock.objects.filter(ticket=ticket, agent=agent).delete()
    return bool(removed)


# Read on every ticket page: compiled once (core.prepared); a ticket has one lock at most.
_LOCK = PreparedQuery(
    lambda ticket_id: ReplyLock.objects.filter(ticket_id=ticket_id).select_related("agent__user")
)


def live_reply_lock(ticket: Ticket) -> ReplyLock | None:
    """The lock as others should see it, with its agent: None when nobody holds one or it expired."""
    now = timezone.now()
    return next((lock for lock in _LOCK.objects(ticket.pk) if lock.expires_at > now), None)
