"""API keys: issued once and stored hashed, refused when revoked, expired or used from elsewhere, acting
with the ticket permissions of their scopes; ``manage.py create_api_key``."""

from datetime import timedelta
from io import StringIO

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.utils import timezone

from helpline.api.keys import InvalidKey, authenticate_key, issue_key, revoke
from helpline.api.models import ApiKey, Scope
from helpline.people.actors import ActorKind, Channel
from helpline.people.requesters import Contact
from helpline.tickets.actions import Routing, post_reply, receive_ticket
from helpline.tickets.models import EntryKind, Source
from helpline.tickets.policy import NotAllowed
from helpline.tickets.queries import visible_tickets

pytestmark = pytest.mark.django_db


def test_a_key_is_shown_once_and_stored_only_as_a_hash():
    key, raw = issue_key("Monitoring", [Scope.CREATE])
    stored = ApiKey.objects.filter(pk=key.pk).values().get()
    secret = raw.split("_", 2)[2]
    assert raw.startswith(f"hlk_{key.prefix}_") and len(secret) >= 40
    assert not any(secret in str(value) for value in stored.values())
    assert authenticate_key(raw, "192.0.2.1") == key


def test_a_wrong_secret_or_an_unknown_prefix_is_refused():
    key, raw = issue_key("Monitoring", [Scope.CREATE])
    assert authenticate_key(raw[:-1] + ("A" if raw[-1] != "A" else "B"), "192.0.2.1") is None
    assert authenticate_key("hlk_000000000000_" + raw.split("_", 2)[2], "192.0.2.1") is None
    assert authenticate_key("not a key", "192.0.2.1") is None


def test_a_revoked_key_is_refused():
    key, raw = issue_key("Monitoring", [Scope.CREATE])
    revoke(key)
    assert authenticate_key(raw, "192.0.2.1") is None


def test_an_expired_key_is_refused():
    key, raw = issue_key("Monitoring", [Scope.CREATE], expires_at=timezone.now() + timedelta(days=1))
    assert authenticate_key(raw, "192.0.2.1") == key
    with time_machine.travel(timezone.now() + timedelta(days=2)):
        assert authenticate_key(raw, "192.0.2.1") is None


def test_a_key_with_networks_works_from_them_only():
    key, raw = issue_key("CRM", [Scope.READ], networks=["10.1.2.3/16", "2001:db8::/32"])
    assert key.networks == ["10.1.0.0/16", "2001:db8::/32"]
    assert authenticate_key(raw, "10.1.200.7") == key
    assert authenticate_key(raw, "2001:db8::5") == key
    assert authenticate_key(raw, "10.2.0.1") is None
    assert authenticate_key(raw, None) is None


def test_the_last_use_is_recorded():
    key, raw = issue_key("Monitoring", [Scope.CREATE])
    authenticate_key(raw, "192.0.2.9")
    key.refresh_from_db()
    assert key.last_used_ip == "192.0.2.9" and key.last_used_at is not None


def test_unknown_scopes_and_bad_networks_are_refused():
    with pytest.raises(InvalidKey, match="Unknown scope"):
        issue_key("x", ["admin"])
    with pytest.raises(InvalidKey, match="at least one scope"):
        issue_key("x", [])
    with pytest.raises(InvalidKey, match="not a network"):
        issue_key("x", [Scope.READ], networks=["10.0.0.0/40"])
    assert not ApiKey.objects.exists()


def open_through(key, support):
    return receive_ticket(
        sender=Contact(email="monitor@example.test", name="Monitor"),
        channel=Source.API,
        subject="Disk full",
        body="/var is full.",
        routing=Routing(department=support),
        entered_by=key.actor(),
    )


def test_a_create_key_opens_tickets_in_its_name_and_sees_none(support, ticket):
    key, _ = issue_key("Monitoring", [Scope.CREATE])
    opened = open_through(key, support)
    ref = key.actor().actor_ref()
    assert (ref.kind, ref.channel, ref.id, ref.name) == (
        ActorKind.CHANNEL,
        Channel.API,
        key.pk,
        "API key Monitoring",
    )
    assert opened.entries.get(event="created").data["entered_by"]["name"] == "API key Monitoring"
    assert not visible_tickets(key.actor()).exists()


def test_a_read_key_sees_every_department_but_changes_nothing(support, it_department, ticket):
    key, _ = issue_key("CRM", [Scope.READ])
    assert list(visible_tickets(key.actor())) == [ticket]
    with pytest.raises(NotAllowed):
        open_through(key, support)
    with pytest.raises(NotAllowed):
        post_reply(ticket=ticket, actor=key.actor(), body="Hello")


def test_a_write_key_replies_but_reads_no_internal_notes(ticket):
    key, _ = issue_key("Deploy", [Scope.WRITE])
    entry = post_reply(ticket=ticket, actor=key.actor(), body="Fixed by the deployment.")
    assert (entry.kind, entry.author_name) == (EntryKind.RESPONSE, "API key Deploy")
    assert not key.actor().reads_internal


def test_the_command_prints_a_working_key_on_its_last_line():
    out = StringIO()
    call_command(
        "create_api_key",
        "Nagios",
        "--scope",
        "tickets:create",
        "--scope",
        "read",
        "--ip",
        "10.0.0.0/8",
        "--expires",
        "2999-12-31",
        stdout=out,
    )
    raw = out.getvalue().strip().splitlines()[-1]
    key = authenticate_key(raw, "10.9.9.9")
    assert key is not None and key.name == "Nagios"
    assert key.scopes == ["tickets:create", "read"]
    assert timezone.localtime(key.expires_at).date().isoformat() == "2999-12-31"
    assert authenticate_key(raw, "192.0.2.1") is None


def test_the_command_defaults_to_creating_tickets_and_refuses_bad_input():
    out = StringIO()
    call_command("create_api_key", "Pipe", stdout=out)
    assert authenticate_key(out.getvalue().strip().splitlines()[-1], "192.0.2.1").scopes == ["tickets:create"]
    with pytest.raises(CommandError, match="not a network"):
        call_command("create_api_key", "Bad", "--ip", "nowhere", stdout=StringIO())
    with pytest.raises(CommandError, match="not a date"):
        call_command("create_api_key", "Bad", "--expires", "soon", stdout=StringIO())
