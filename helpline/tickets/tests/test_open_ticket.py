import pytest

from helpline.tickets.actions import open_ticket
from helpline.tickets.models import EntryKind, Event, State
from helpline.tickets.policy import NotAllowed


def test_a_requester_opens_a_ticket_routed_by_its_topic(ticket, support, sla_plan, mailoutbox):
    assert ticket.department == support
    assert ticket.state == State.OPEN and ticket.status.name == "Open"
    assert ticket.priority.name == "Normal"
    assert ticket.sla_plan == sla_plan
    assert ticket.due_at == sla_plan.due_from(ticket.created_at)
    assert len(ticket.number) == 8 and ticket.number.isdigit()
    kinds = list(ticket.entries.values_list("kind", "event"))
    assert kinds == [(EntryKind.EVENT, Event.CREATED), (EntryKind.MESSAGE, "")]
    recipients = sorted(address for mail in mailoutbox for address in mail.to)
    assert recipients == ["rita@example.test", "sam@staff.example.test", "support-team@example.test"]


def test_numbers_are_not_sequential(open_for, rita, support_topic):
    numbers = [open_for(rita, support_topic).number for _ in range(5)]
    assert len(set(numbers)) == 5
    assert sorted(numbers) != numbers or sorted(numbers, reverse=True) != numbers


def test_a_requester_cannot_open_for_someone_else(rita, support_topic, db):
    from helpline.testsupport.factories import RequesterFactory

    other = RequesterFactory()
    with pytest.raises(NotAllowed):
        open_ticket(actor=rita, requester=other, topic=support_topic, subject="x", body="y")


def test_an_agent_cannot_open_in_a_department_they_are_not_in(ivan, rita, support_topic):
    with pytest.raises(NotAllowed):
        open_ticket(actor=ivan, requester=rita, topic=support_topic, subject="x", body="y")
