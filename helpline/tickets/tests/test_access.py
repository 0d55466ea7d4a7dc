"""Private access links: each participant's token resolves to the ticket and to them, and only while valid."""

from datetime import timedelta

import time_machine
from django.core import signing

from helpline.tickets.access import SALT, access_token, access_url, resolve_token
from helpline.tickets.models import Collaborator


def test_a_token_resolves_to_its_ticket_and_requester(open_for, rita, carl, support_topic):
    ticket = open_for(rita, support_topic, collaborators=[carl])
    assert resolve_token(access_token(ticket, rita)) == (ticket, rita)
    assert resolve_token(access_token(ticket, carl)) == (ticket, carl)
    assert access_token(ticket, rita) != access_token(ticket, carl)
    assert access_url(ticket, rita).endswith(f"/{access_token(ticket, rita)}/")


def test_rotating_the_secret_revokes_every_link(ticket, rita):
    token = access_token(ticket, rita)
    ticket.access_secret = "rotated-secret-value"
    ticket.save(update_fields=["access_secret"])
    assert resolve_token(token) is None


def test_a_removed_collaborators_link_stops_working(open_for, rita, carl, support_topic):
    ticket = open_for(rita, support_topic, collaborators=[carl])
    token = access_token(ticket, carl)
    Collaborator.objects.filter(ticket=ticket, requester=carl).delete()
    assert resolve_token(token) is None


def test_forged_and_malformed_tokens_resolve_to_nothing(ticket, rita, olga):
    assert resolve_token(access_token(ticket, rita)[:-2] + "xx") is None
    assert resolve_token("") is None
    signed_here = signing.Signer(salt=SALT)  # properly signed tokens, so only the content is wrong
    forged = signing.Signer(salt="another-salt").sign_object([ticket.pk, rita.pk, ticket.access_secret[:12]])
    assert resolve_token(forged) is None
    assert resolve_token(signed_here.sign_object({"ticket": ticket.pk})) is None
    assert resolve_token(signed_here.sign_object([ticket.pk, olga.pk, ticket.access_secret[:12]])) is None
    assert resolve_token(signed_here.sign_object([ticket.pk, rita.pk, "wrong-secret"])) is None
    assert resolve_token(signed_here.sign_object([ticket.pk, rita.pk, ticket.access_secret[:12]])) is not None


def test_the_link_is_the_same_every_time_it_is_sent(ticket, rita):
    first = access_token(ticket, rita)
    with time_machine.travel(ticket.created_at + timedelta(days=3)):
        assert access_token(ticket, rita) == first
