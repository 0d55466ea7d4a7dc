"""What opening a ticket from the staff form reads: a chosen topic brings its routing rows along."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from helpline.tickets.models import Ticket


def test_the_topics_routing_rows_are_read_with_the_topic(sam_client, support_topic):
    form = {"email": "walter@example.test", "topic": support_topic.pk, "source": "phone"}
    form |= {"subject": "Screen is dark", "body": "Says the screen is dark."}
    with CaptureQueriesContext(connection) as captured:
        assert sam_client.post(reverse("staff:ticket_new"), form).status_code == 302
    ticket = Ticket.objects.get()
    assert (ticket.topic, ticket.sla_plan) == (support_topic, support_topic.sla_plan)
    assert [q["sql"] for q in captured if 'FROM "sla_slaplan"' in q["sql"]] == []
