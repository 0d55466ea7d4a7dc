"""``manage.py mail_fetch [--mailbox NAME]``: fetch every active mailbox once, or the one named."""

from django.core.management.base import BaseCommand, CommandError

from helpline.inbound.fetching import fetch_now
from helpline.inbound.models import Mailbox


class Command(BaseCommand):
    help = (
        "Fetch mail from every active IMAP or POP3 mailbox once (or from the one named), one line per "
        "mailbox. Fails when the named mailbox fails or, without --mailbox, when every mailbox fails."
    )

    def add_arguments(self, parser):
        parser.add_argument("--mailbox", metavar="NAME", help="Fetch only this mailbox (even if inactive).")

    def handle(self, *args, mailbox=None, **options):
        if mailbox is not None:
            chosen = Mailbox.objects.filter(name=mailbox).first()
            if chosen is None:
                raise CommandError(f"No mailbox is named “{mailbox}”.")
            if not chosen.fetches:
                raise CommandError(f"Mailbox “{mailbox}” is fed by the mail server's pipe, not fetched.")
            mailboxes = [chosen]
        else:
            mailboxes = list(Mailbox.objects.filter(is_active=True).exclude(protocol=Mailbox.Protocol.PIPE))
            if not mailboxes:
                self.stdout.write("No active mailbox is fetched over IMAP or POP3.")
                return
        failed = 0
        for each in mailboxes:
            result = fetch_now(each)
            style = self.style.ERROR if result.error else self.style.SUCCESS
            self.stdout.write(f"{each.name}: " + style(result.summary()))
            failed += not result.ok
        if mailbox is not None and failed:
            raise CommandError(f"Mailbox “{mailbox}” could not be fetched.")
        if failed == len(mailboxes):
            raise CommandError("No mailbox could be fetched.")
