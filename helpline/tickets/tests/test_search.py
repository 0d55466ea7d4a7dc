from helpline.testsupport.factories import RequesterFactory
from helpline.tickets.search import search_tickets


def test_a_number_finds_its_ticket_with_or_without_hash(ticket, sam):
    assert list(search_tickets(sam, ticket.number)) == [ticket]
    assert list(search_tickets(sam, f"  #{ticket.number} ")) == [ticket]


def test_an_email_finds_the_requesters_tickets_in_any_letter_case(open_for, rita, support_topic, sam):
    first, second = open_for(rita, support_topic), open_for(rita, support_topic, subject="Again")
    other = open_for(RequesterFactory(email="someone@example.test"), support_topic)
    found = set(search_tickets(sam, "RITA@Example.test"))
    assert found == {first, second}
    assert other not in found


def test_search_never_finds_what_the_agent_may_not_see(ticket, ivan, rita):
    assert not search_tickets(ivan, ticket.number).exists()
    assert not search_tickets(ivan, rita.email).exists()


def test_a_requester_searching_finds_only_their_own(ticket, rita, open_for, support_topic):
    other = open_for(RequesterFactory(), support_topic)
    assert list(search_tickets(rita, ticket.number)) == [ticket]
    assert not search_tickets(rita, other.number).exists()


def test_nothing_to_search_finds_nothing(ticket, sam):
    assert not search_tickets(sam, "").exists()
    assert not search_tickets(sam, ' " * - ( ) ').exists()
