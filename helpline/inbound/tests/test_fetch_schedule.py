"""The task queue fetches each mailbox on its interval: a periodic task claims the mailboxes that are due
with a lease, so a second worker never fetches a mailbox that another one holds."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from helpline.inbound.fetching import LEASE, claim
from helpline.inbound.models import Mailbox, RawMessage
from helpline.inbound.tasks import fetch_due_mailboxes
from helpline.inbound.tests.conftest import email
from helpline.testsupport.threads import at_the_same_moment


def fetched_from() -> set[str]:
    return set(RawMessage.objects.values_list("mailbox__name", flat=True))


def mailbox_with_mail(mailbox_on, dovecot, name, protocol="imap", **fields):
    mailbox, user = mailbox_on("imap", "ssl", "delete", name=name, **fields)
    Mailbox.objects.filter(pk=mailbox.pk).update(protocol=protocol)  # a pipe mailbox with IMAP settings
    dovecot.deliver(user, email(name))
    return mailbox


@pytest.mark.django_db
def test_the_periodic_fetch_takes_due_mailboxes_only_and_not_one_another_worker_holds(mailbox_on, dovecot):
    now = timezone.now()
    mailbox_with_mail(mailbox_on, dovecot, "Never fetched")
    mailbox_with_mail(mailbox_on, dovecot, "Due", next_fetch_at=now - timedelta(minutes=1))
    later = mailbox_with_mail(mailbox_on, dovecot, "Not due yet", next_fetch_at=now + timedelta(minutes=3))
    held = mailbox_with_mail(mailbox_on, dovecot, "Held")
    mailbox_with_mail(mailbox_on, dovecot, "Inactive", is_active=False)
    mailbox_with_mail(mailbox_on, dovecot, "Pipe only", protocol=Mailbox.Protocol.PIPE)
    assert claim(held.pk) is True  # another worker is fetching it
    assert claim(held.pk) is False  # ...so no second one takes it

    assert fetch_due_mailboxes.call_local() == 2
    assert fetched_from() == {"Never fetched", "Due"}
    assert Mailbox.objects.get(pk=held.pk).next_fetch_at > now + LEASE - timedelta(minutes=1)
    assert Mailbox.objects.get(pk=later.pk).next_fetch_at == later.next_fetch_at

    with time_machine.travel(now + LEASE + timedelta(minutes=1)):  # the other worker died: its lease ran out
        assert fetch_due_mailboxes.call_local() == 4  # the first two are due again, with nothing new
    assert fetched_from() == {"Never fetched", "Due", "Not due yet", "Held"}
    assert RawMessage.objects.count() == 4


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_workers_at_once_fetch_each_due_mailbox_once(mailbox_on, dovecot):
    names = {f"Mailbox {n}" for n in range(4)}
    for name in names:
        mailbox_with_mail(mailbox_on, dovecot, name)

    claimed = at_the_same_moment([fetch_due_mailboxes.call_local, fetch_due_mailboxes.call_local])
    assert sum(claimed) == len(names)  # each claimed by one worker only
    assert fetched_from() == names and RawMessage.objects.count() == len(names)
    assert not Mailbox.objects.filter(last_success_at=None).exists()
