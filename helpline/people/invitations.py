"""Invitation links: how an invited agent proves, once and for a few days, that the invitation email reached
them. The link is signed (no table): it names the agent and a digest of the user's password field, so it
stops working once a password is set, and a new invitation (which sets a new unusable password) voids the
older links."""

from datetime import timedelta

from django.contrib.auth.hashers import make_password
from django.core import signing
from django.db import transaction
from django.urls import reverse
from django.utils.crypto import salted_hmac

from helpline.audit.log import record
from helpline.people.models import Agent

SALT = "helpline.people.invitation"
# Long enough for someone back from a week away, short enough that a forgotten email stops being a key.
VALID_FOR = timedelta(days=7)


def _state(agent: Agent) -> str:
    return salted_hmac(SALT, agent.user.password, algorithm="sha256").hexdigest()[:32]


def prepare(agent: Agent) -> None:
    """Give the agent's user a fresh unusable password (voiding earlier links) and save it. Precondition:
    the agent has no password of their own yet (see ``pending``)."""
    agent.user.password = make_password(None)
    agent.user.save(update_fields=["password"])


def token_for(agent: Agent) -> str:
    return signing.dumps({"agent": agent.pk, "state": _state(agent)}, salt=SALT, compress=True)


def link_for(agent: Agent, site_url: str) -> str:
    return site_url + reverse("staff:join", args=[token_for(agent)])


def pending(agent: Agent) -> bool:
    """Invited and not yet signed up: no usable password."""
    return not agent.user.has_usable_password()


def agent_of(token: str) -> Agent | None:
    """The agent the link invites, while it is valid: signed by us, at most VALID_FOR old, for an active
    agent who has not set a password since. None otherwise."""
    try:
        data = signing.loads(token, salt=SALT, max_age=VALID_FOR)
        agent = Agent.objects.select_related("user").get(pk=int(data["agent"]))
    except (signing.BadSignature, Agent.DoesNotExist, KeyError, TypeError, ValueError):
        return None
    if not agent.is_active or not pending(agent) or data.get("state") != _state(agent):
        return None
    return agent


def accept(*, agent: Agent, username: str, password: str) -> None:
    """The invited agent chose their username and password (validated by the caller): the link stops
    working and they may sign in. Recorded with the agent as the actor. Raises IntegrityError when the
    username was taken at the same moment."""
    with transaction.atomic():
        user = agent.user
        before = user.get_username()
        user.username = username
        user.set_password(password)
        user.save(update_fields=["username", "password"])
        data = {"before": {"username": before}, "after": {"username": username}} if before != username else {}
        record(
            actor=agent,
            action="agent.joined",
            target_type="agent",
            target_id=agent.pk,
            target_repr=agent.display_name,
            data=data,
        )
