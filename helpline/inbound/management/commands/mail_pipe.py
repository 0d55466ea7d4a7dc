"""``manage.py mail_pipe [--mailbox NAME]``: take in one raw message from standard input, as Postfix (an alias
to a command) or Exim (a pipe transport) hands it over. Exit codes follow sysexits.h, which mail servers
understand: 0 accepted, 65 (EX_DATAERR) refused with the reason on stderr (the server bounces it), 75
(EX_TEMPFAIL) a temporary failure (the server keeps the message and tries again), 78 (EX_CONFIG) no such
mailbox."""

import sys

from django.core.management.base import BaseCommand
from django.db import DatabaseError

from helpline.inbound.intake import Outcome, receive_email
from helpline.inbound.models import Mailbox, RawMessage
from helpline.inbound.store import TooLarge

EX_DATAERR, EX_TEMPFAIL, EX_CONFIG = 65, 75, 78


class Command(BaseCommand):
    help = "Read one email (RFC 5322) on standard input and turn it into a ticket or a reply."
    requires_system_checks: list[str] = []  # the mail server waits: start as fast as possible
    stealth_options = ("stdin",)  # a binary file to read instead of standard input (tests)

    def add_arguments(self, parser):
        parser.add_argument("--mailbox", help="The mailbox whose department and help topic apply (its name).")

    def handle(self, *args, **options):
        source = options.get("stdin") or sys.stdin.buffer
        try:
            mailbox = self._mailbox(options.get("mailbox"))
            if options.get("mailbox") and mailbox is None:
                return self._exit(EX_CONFIG, f"No active mailbox is named {options['mailbox']!r}.")
            from django.conf import settings

            data = source.read(settings.HELPLINE_MAX_EMAIL_BYTES + 1)
            result = receive_email(data, source=RawMessage.Source.PIPE, mailbox=mailbox)
        except TooLarge as refusal:
            return self._exit(EX_DATAERR, str(refusal))
        except DatabaseError as error:
            return self._exit(
                EX_TEMPFAIL, f"Helpline cannot store the message now, try again later ({error})."
            )
        if result.outcome == Outcome.REJECTED and result.tell_sender:
            return self._exit(EX_DATAERR, result.reason)
        # Accepted: processed, kept as a duplicate, kept as a loop, or stored and to be retried.
        return None

    def _mailbox(self, name: str | None) -> Mailbox | None:
        if not name:
            return None
        return Mailbox.objects.filter(name=name, is_active=True).first()

    def _exit(self, code: int, message: str):
        if message:
            self.stderr.write(message)
        sys.exit(code)
