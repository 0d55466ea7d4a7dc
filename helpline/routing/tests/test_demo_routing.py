"""The demo office's routing: nested topics, the "In progress" status on the open state, and an example
filter rule that makes outages emergencies."""

from io import StringIO

import pytest
from django.core.management import call_command

from helpline.catalog.models import State, TicketStatus
from helpline.people.access import works_in
from helpline.routing.models import Channel, Event, HelpTopic
from helpline.routing.rules import Facts, decide
from helpline.tickets.models import Ticket


@pytest.fixture
def office(db):
    call_command("load_demo", stdout=StringIO())


def test_the_demo_has_nested_topics_a_status_in_progress_and_an_outage_rule(office):
    laptop = HelpTopic.objects.get(full_name="Hardware request / Laptop")
    assert laptop.department.name == "IT" and laptop.parent.name == "Hardware request"
    assert HelpTopic.objects.filter(full_name="Hardware request / Monitor").exists()
    assert Ticket.objects.filter(topic=laptop).exists()
    in_progress = TicketStatus.objects.get(name="In progress")
    assert in_progress.state == State.OPEN and not in_progress.is_default
    assert Ticket.objects.get(subject="VPN disconnects every few minutes").status == in_progress
    decision = decide(
        Facts(channel=Channel.WEB, subject="Online banking outage"), event=Event.TICKET, works_in=works_in
    )
    assert (decision.priority.name, decision.sla_plan.name) == ("Emergency", "Sev-A")
    assert [r.rule_name for r in decision.matched] == ["Outages are emergencies"]
    assert decide(Facts(channel=Channel.WEB, subject="Printer jams"), event=Event.TICKET).matched == []
