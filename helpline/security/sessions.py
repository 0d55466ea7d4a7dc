"""Agents' signed-in sessions: recorded at sign-in, seen again at most once a minute, listed, ended one by
one or all at once; and the idle and absolute lifetimes, kept in each session from the policy."""

import time
from datetime import timedelta
from importlib import import_module

from django.conf import settings
from django.contrib.auth.models import User
from django.http import HttpRequest
from django.utils import timezone

from helpline.core.client_ip import client_ip
from helpline.security.models import AgentSession, SignInPolicy

SIGNED_IN_KEY = "helpline_signed_in"  # epoch seconds of the sign-in
SEEN_KEY = "helpline_seen"  # epoch seconds of the last request recorded
IDLE_KEY = "helpline_idle"  # seconds without a request that end the session
ABSOLUTE_KEY = "helpline_absolute"  # seconds after sign-in that end the session
SEEN_EVERY = 60  # seconds: how often a busy session's "last seen" is written


def _store():
    return import_module(settings.SESSION_ENGINE).SessionStore


def _live(keys: list[str]) -> set[str]:
    """Which of these session keys still name a session (one query with the database engine)."""
    if settings.SESSION_ENGINE == "django.contrib.sessions.backends.db":
        from django.contrib.sessions.models import Session

        alive = Session.objects.filter(session_key__in=keys, expire_date__gt=timezone.now())
        return set(alive.values_list("session_key", flat=True))
    store = _store()
    return {key for key in keys if store().exists(key)}


def _lifetimes(request: HttpRequest) -> None:
    policy = SignInPolicy.current()
    request.session[IDLE_KEY] = policy.idle_minutes * 60
    request.session[ABSOLUTE_KEY] = policy.absolute_hours * 3600


def record_sign_in(request: HttpRequest, user: User) -> None:
    """After ``login()`` (which gave the session a new key): note the session, and forget the user's sessions
    that have ended since (expired ones leave their row behind)."""
    now = timezone.now()
    request.session[SIGNED_IN_KEY] = request.session[SEEN_KEY] = int(time.time())
    _lifetimes(request)
    if request.session.session_key is None:
        request.session.save()
    # Rows whose session has gone without a sign-out (rotated by this sign-in, expired, flushed).
    keys = list(AgentSession.objects.filter(user=user).values_list("session_key", flat=True)[:500])
    AgentSession.objects.filter(session_key__in=set(keys) - _live(keys)).delete()
    AgentSession.objects.update_or_create(
        session_key=request.session.session_key,
        defaults={
            "user": user,
            "user_agent": request.headers.get("User-Agent", "")[:300],
            "address": client_ip(request),
            "signed_in_at": now,
            "last_seen_at": now,
        },
    )


def expired(request: HttpRequest, now: float) -> str | None:
    """Why the session has ended by the lifetimes it carries ("idle", "absolute"), or None."""
    session = request.session
    signed_in, seen = session.get(SIGNED_IN_KEY), session.get(SEEN_KEY)
    if signed_in is None or seen is None:
        return None  # a session from before the lifetimes were kept: it gets them at its next sign-in
    if now - signed_in > session.get(ABSOLUTE_KEY, 0):
        return "absolute"
    # "Last seen" is written at most every SEEN_EVERY seconds, so idleness is measured to within that.
    if now - seen > session.get(IDLE_KEY, 0) + SEEN_EVERY:
        return "idle"
    return None


def touch(request: HttpRequest, now: float) -> None:
    """Note a request, at most once a minute: the session's own clock, its row, and the policy's current
    lifetimes (so a shorter lifetime reaches sessions already signed in within a minute)."""
    if now - request.session.get(SEEN_KEY, 0) < SEEN_EVERY:
        return
    request.session[SEEN_KEY] = int(now)
    _lifetimes(request)
    key = request.session.session_key
    if key:
        AgentSession.objects.filter(session_key=key).update(last_seen_at=timezone.now())


def rotate_session(request: HttpRequest) -> None:
    """A new session key for the same session (after a change of privilege), and its row follows."""
    old = request.session.session_key
    request.session.cycle_key()
    if old:
        AgentSession.objects.filter(session_key=old).update(session_key=request.session.session_key)


def forget(session_key: str | None) -> None:
    if session_key:
        AgentSession.objects.filter(session_key=session_key).delete()


def active_sessions(user: User) -> list[AgentSession]:
    policy = SignInPolicy.current()
    now = timezone.now()
    return list(
        AgentSession.objects.filter(
            user=user,
            signed_in_at__gte=now - timedelta(hours=policy.absolute_hours),
            last_seen_at__gte=now - timedelta(minutes=policy.idle_minutes, seconds=SEEN_EVERY),
        ).order_by("-last_seen_at")[:100]
    )


def end_session(user: User, pk: int) -> str | None:
    """Sign the user's session ``pk`` out. Returns its key, None when the user has no such session."""
    row = AgentSession.objects.filter(user=user, pk=pk).first()
    if row is None:
        return None
    _store()().delete(row.session_key)
    row.delete()
    return row.session_key


def end_all_sessions(user: User, *, keep: str | None = None) -> int:
    """Sign the user out of every session (but ``keep``). Returns how many ended."""
    rows = AgentSession.objects.filter(user=user)
    if keep:
        rows = rows.exclude(session_key=keep)
    store = _store()
    keys = list(rows.values_list("session_key", flat=True))
    for key in keys:
        store().delete(key)
    rows.delete()
    return len(keys)
