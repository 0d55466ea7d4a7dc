"""``manage.py load_demo``: the demo office for trying Helpline out. Safe to run on every start."""

from django.conf import settings
from django.core.management.base import BaseCommand
from django.urls import reverse

from helpline.inbound.demo import add_demo_mailbox
from helpline.tickets import demo
from helpline.tickets.access import access_url


class Command(BaseCommand):
    help = (
        "Create a small demo office (departments, help topics, agents, requesters, tickets in every state) "
        "and print its logins. Does nothing when the demo is already there, or when the database already "
        "holds a help desk of its own."
    )

    def handle(self, *args, **options) -> None:
        if demo.demo_present():
            self.stdout.write("Demo data already present.")
        elif demo.desk_in_use():
            self.stdout.write(
                "This database already has agents or tickets of its own: the demo office is only added to "
                "an empty help desk."
            )
            return
        else:
            demo.load_demo()
            self.stdout.write(self.style.SUCCESS("Demo office created."))
        mailbox = add_demo_mailbox() if demo.demo_present() else None
        self.print_logins()
        if mailbox is not None:
            self.stdout.write(
                f"Email the desk: pipe a message to `manage.py mail_pipe` (addressed to {mailbox.address}), e.g.\n"
                f"  printf 'From: You <you@example.com>\\nTo: {mailbox.address}\\nSubject: Hello\\n\\nIt works.\\n' "
                "| .venv/bin/python manage.py mail_pipe\n"
            )

    def print_logins(self) -> None:
        site = settings.SITE_URL
        width = max(len(login.username) for login in demo.LOGINS)
        lines = [
            "",
            f"Staff panel:   {site}{reverse('staff:login')}",
            f"Django admin:  {site}{reverse('admin:index')} (admin only)",
            "Demo logins (username / password):",
        ]
        lines += [
            f"  {login.username:<{width}} / {login.password:<16} {login.description}" for login in demo.LOGINS
        ]
        lines.append(f"Client portal: {site}{reverse('portal:home')}")
        sample = demo.portal_sample()
        if sample is not None:
            ticket, requester = sample
            lines.append(
                f"  Link for {requester.name} to ticket #{ticket.number}: {access_url(ticket, requester)}"
            )
        lines.append("")
        self.stdout.write("\n".join(lines))
