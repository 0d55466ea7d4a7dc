"""The demo office's mailbox: Support's address, fed by the mail server's pipe, and the default for piped mail
that names no mailbox, so that ``make run`` users can send the desk an email at once (see the README)."""

from helpline.inbound.models import Mailbox
from helpline.people.models import Department

DEMO_ADDRESS = "support@helpline.example"


def add_demo_mailbox() -> Mailbox | None:
    """Add the mailbox once, when the demo's Support department exists; returns it (None without one)."""
    support = Department.objects.filter(name="Support").first()
    if support is None:
        return None
    mailbox, _ = Mailbox.objects.get_or_create(
        address=DEMO_ADDRESS,
        defaults={
            "name": "Support desk",
            "department": support,
            "protocol": Mailbox.Protocol.PIPE,
            "is_default": not Mailbox.objects.filter(is_default=True).exists(),
        },
    )
    if not support.reply_address:  # notifications about Support's tickets come from, and are answered to, it
        support.reply_address = mailbox.address
        support.save(update_fields=["reply_address"])
    return mailbox
