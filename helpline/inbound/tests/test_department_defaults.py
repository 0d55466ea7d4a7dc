"""Mail to a mailbox that names a department but no topic: the department's default topic routes it."""

from helpline.inbound.models import Mailbox
from helpline.inbound.tests.test_intake import email, pipe
from helpline.routing.models import DepartmentDefaults
from helpline.tickets.models import Ticket


def test_mail_without_a_topic_takes_the_departments_default_topic(support, support_topic, sla_plan):
    Mailbox.objects.create(
        name="Support desk", address="support@example.test", department=support, is_default=True
    )
    DepartmentDefaults.objects.create(department=support, default_topic=support_topic)
    assert pipe(email()) == 0
    ticket = Ticket.objects.get()
    assert (ticket.department, ticket.topic, ticket.sla_plan) == (support, support_topic, sla_plan)
