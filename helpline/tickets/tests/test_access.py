"""Private access links: each participant's token resolves to the ticket and to them, and only while valid."""

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
    forged = signing.dumps([ticket.pk, rita.pk, ticket.access_secret[:12]], salt="another-salt")
    assert resolve_token(forged) is None
    wrong_shape = signing.dumps({"ticket": ticket.pk}, salt=SALT)
    assert resolve_token(wrong_shape) is None
    not_a_participant = signing.dumps([ticket.pk, olga.pk, ticket.access_secret[:12]], salt=SALT)
    assert resolve_token(not_a_participant) is None
