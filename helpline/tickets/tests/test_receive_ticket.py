"""receive_ticket: the one intake of every door. Who wrote, through which channel, routed how."""

import pytest
from django.core.exceptions import ValidationError

from helpline.people.models import Requester
from helpline.people.requesters import Contact
from helpline.tickets.actions import Routing, receive_ticket
from helpline.tickets.models import EntryKind, Event, Source, Ticket
from helpline.tickets.policy import NotAllowed, TooManyOpenTickets


def receive(**overrides):
    fields = {
        "sender": Contact(email="Nora@Example.TEST", name="Nora Newcomer", phone="+1 555 0101"),
        "channel": Source.WEB,
        "subject": "VPN drops",
        "body": "<p>Every <b>hour</b>.</p>",
        "body_format": "html",
    }
    return receive_ticket(**fields | overrides)


def test_a_new_sender_becomes_a_requester_and_opens_the_ticket_themselves(support_topic):
    ticket = receive(routing=Routing(topic=support_topic))
    nora = ticket.requester
    assert (nora.email, nora.name, nora.phone) == ("Nora@example.test", "Nora Newcomer", "+1 555 0101")
    created = ticket.entries.get(event=Event.CREATED)
    assert (created.author_requester, created.data["entered_by"]) == (nora, None)
    message = ticket.entries.get(kind=EntryKind.MESSAGE)
    assert message.body_html == "<p>Every <b>hour</b>.</p>" and message.body_text == "Every hour."


def test_a_known_sender_keeps_their_name(support_topic, rita):
    ticket = receive(
        sender=Contact(email="RITA@example.test", name="Mallory"), routing=Routing(topic=support_topic)
    )
    assert ticket.requester == rita
    rita.refresh_from_db()
    assert rita.name == "Rita Requester"


def test_an_agent_enters_it_for_the_sender_with_copies(sam, support):
    ticket = receive(
        channel=Source.PHONE,
        cc=[Contact(email="boss@example.test", name="Bea Boss"), Contact(email="nora@example.test")],
        routing=Routing(department=support, assignee=sam),
        entered_by=sam,
    )
    assert (ticket.source, ticket.assignee) == (Source.PHONE, sam)
    assert list(ticket.collaborators.values_list("email", flat=True)) == ["boss@example.test"]
    assert ticket.entries.get(event=Event.CREATED).data["entered_by"]["id"] == sam.pk


def test_a_refused_ticket_leaves_no_new_requester_behind(ivan, support, support_topic, settings, rita):
    with pytest.raises(NotAllowed):
        receive(routing=Routing(department=support), entered_by=ivan, cc=[Contact("copy@example.test")])
    settings.HELPLINE_MAX_OPEN_TICKETS = 1
    receive_ticket(
        sender=Contact(rita.email),
        channel=Source.WEB,
        subject="First",
        body="x",
        routing=Routing(topic=support_topic),
    )
    with pytest.raises(TooManyOpenTickets):
        receive_ticket(
            sender=Contact(rita.email),
            channel=Source.WEB,
            subject="Second",
            body="x",
            cc=[Contact("copy@example.test")],
            routing=Routing(topic=support_topic),
        )
    assert list(Requester.objects.values_list("email", flat=True)) == ["rita@example.test"]
    assert Ticket.objects.count() == 1


def test_a_bad_address_is_refused(support_topic):
    with pytest.raises(ValidationError):
        receive(
            sender=Contact(email="nora@example.test\nBcc: x@evil.test"), routing=Routing(topic=support_topic)
        )
    assert not Requester.objects.exists()


def test_the_sender_may_not_route_their_own_ticket(support_topic, it_department, sam):
    ticket = receive(routing=Routing(topic=support_topic, department=it_department, assignee=sam))
    assert (ticket.department, ticket.assignee) == (support_topic.department, None)
