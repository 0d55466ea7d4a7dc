"""What opening a ticket from the portal reads: the chosen topic brings its routing rows along, so the
ticket's transaction (which holds SQLite's write lock) reads none of them one by one."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from helpline.portal.protection import ONE_TIME_FIELD
from helpline.portal.tests.helpers import form_token
from helpline.tickets.models import Ticket


def test_the_topics_routing_rows_are_read_with_the_topic(client, support_topic):
    form = {
        "name": "Nora Newcomer",
        "email": "nora@example.test",
        "topic": support_topic.pk,
        "subject": "VPN drops every hour",
        "message": "Since Monday.",
        "website": "",
        ONE_TIME_FIELD: form_token(),
    }
    with CaptureQueriesContext(connection) as captured:
        assert client.post("/portal/", form).status_code == 302
    ticket = Ticket.objects.get()
    assert (ticket.department, ticket.sla_plan) == (support_topic.department, support_topic.sla_plan)
    separate = [
        q["sql"]
        for q in captured
        if 'FROM "people_department"' in q["sql"] or 'FROM "sla_slaplan"' in q["sql"]
    ]
    assert separate == []
