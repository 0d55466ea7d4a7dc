"""Who a received message is from and for: the mailbox it reaches, the desk's own addresses, a sender that
can be answered (not banned), and whether it may get an automatic reply."""

from datetime import timedelta
from email.utils import parseaddr

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Q

from helpline.core.throttle import take
from helpline.inbound.message import ParsedMessage
from helpline.inbound.models import BannedAddress, Mailbox
from helpline.inbound.outcomes import Refused
from helpline.people.requesters import Contact, normalize_email


def choose_mailbox(parsed: ParsedMessage) -> Mailbox | None:
    """The active mailbox whose address is among the recipients, else the default one: mail reaches a desk
    through aliases and Bcc, so an unknown To is no reason to refuse it."""
    recipients = set(parsed.recipients)
    for mailbox in Mailbox.objects.filter(is_active=True).select_related("department"):
        if mailbox.address.lower() in recipients or _tagged_to(mailbox, recipients):
            return mailbox
    return Mailbox.objects.filter(is_active=True, is_default=True).select_related("department").first()


def _tagged_to(mailbox: Mailbox, recipients: set[str]) -> bool:
    local, _, domain = mailbox.address.lower().partition("@")
    return any(r.startswith(local + "+") and r.endswith("@" + domain) for r in recipients)


def own_addresses() -> frozenset[str]:
    """Addresses the desk sends or receives at: mail from them is mail from Helpline itself."""
    addresses = {address.lower() for address in Mailbox.objects.values_list("address", flat=True)}
    addresses.add(_address_of(settings.DEFAULT_FROM_EMAIL))
    return frozenset(address for address in addresses if address)


def _address_of(header: str) -> str:
    return parseaddr(header)[1].lower()


def usable_sender(parsed: ParsedMessage) -> Contact:
    if parsed.sender is None:
        raise Refused("The message has no sender (no usable From address).")
    try:
        email = normalize_email(parsed.sender.email)
    except ValidationError:
        raise Refused(
            f"The sender's address is not a usable address: {parsed.sender.email[:100]!r}."
        ) from None
    return Contact(email=email, name=parsed.sender.name)


def refuse_banned(sender: Contact) -> None:
    address = sender.email.lower()
    domain = "@" + address.rpartition("@")[2]
    banned = BannedAddress.objects.filter(Q(pattern__iexact=address) | Q(pattern__iexact=domain)).first()
    if banned is not None:
        raise Refused(
            f"The sender is banned ({banned.pattern}{': ' + banned.reason if banned.reason else ''})."
        )


def may_auto_reply(sender: Contact) -> bool:
    """Automatic replies are rate-limited per sender, so two auto-responders cannot keep each other busy."""
    limit = settings.HELPLINE_AUTOREPLIES_PER_HOUR
    if not limit:
        return True
    return take("autoreply", sender.email.lower(), limit=limit, period=timedelta(hours=1)) is None
