"""The message an outbox row is sent as: Django's ``EmailMultiAlternatives``, composed by the standard
library's ``email`` package as Django composes it, with two of that package's costs taken out.

Composing and serializing the emails was two fifths of the worker's time on a new ticket (profiled):

- ``email.headerregistry.HeaderRegistry`` builds a new class for every header it parses (``type()`` on
  each call, a tenth of the composing time for the twenty-odd headers of a message). The registry here
  builds each header's class once and hands it out again: the same class, made of the same bases.
- To pick a multipart boundary the generator draws a random number and compiles a regular expression
  (new for each number) to check that no line of the text already holds it. Here the boundary is 128
  random bits from ``secrets``, drawn after the text was written, which no text can hold but by chance.

Everything else (what each header is parsed as, how it is folded and encoded, the bodies' transfer
encoding) is the package's own, under whichever policy the mail backend asks for.
"""

import secrets
from email.headerregistry import HeaderRegistry
from email.message import EmailMessage
from email.policy import EmailPolicy, Policy, default
from functools import cache

from django.core.mail import EmailMultiAlternatives

from helpline.mail.models import OutboundEmail


class _OnceHeaderRegistry(HeaderRegistry):
    """A ``HeaderRegistry`` that builds the class of each header name once."""

    def __init__(self):
        super().__init__()
        self._classes: dict[str, type] = {}

    def __getitem__(self, name: str) -> type:
        key = name.lower()
        made = self._classes.get(key)
        if made is None:
            made = self._classes.setdefault(key, super().__getitem__(name))
        return made

    def map_to_type(self, name: str, cls: type) -> None:
        super().map_to_type(name, cls)
        self._classes.pop(name.lower(), None)


_REGISTRY = _OnceHeaderRegistry()


@cache
def with_once_registry(policy: EmailPolicy) -> EmailPolicy:
    """The policy, with the header registry above (policies are immutable, and hashed by identity: each
    is cloned once)."""
    return policy.clone(header_factory=_REGISTRY)


class OutboxMessage(EmailMultiAlternatives):
    def message(self, *, policy: Policy | None = None) -> EmailMessage:
        policy = default if policy is None else policy
        # Only the modern policies parse headers through a registry (compat32 keeps them as strings).
        composed = super().message(
            policy=with_once_registry(policy) if isinstance(policy, EmailPolicy) else policy
        )
        for part in composed.walk():
            if part.is_multipart() and part.get_boundary() is None:
                part.set_boundary(f"=_{secrets.token_hex(16)}")
        return composed


def message_of(email: OutboundEmail) -> OutboxMessage:
    """The message an outbox row is sent as."""
    message = OutboxMessage(
        subject=email.subject,
        body=email.body_text,
        from_email=email.from_email or None,
        to=email.to,
        reply_to=[email.reply_to] if email.reply_to else None,
        headers=sent_headers(email),
    )
    if email.body_html:
        message.attach_alternative(email.body_html, "text/html")
    return message


def sent_headers(email: OutboundEmail) -> dict[str, str]:
    """The row's headers, with its stored Message-ID: the one a reply names is the one the row keeps."""
    headers = dict(email.headers)
    if email.message_id:
        headers["Message-ID"] = email.message_id
    return headers
