import pytest
from django.urls import reverse

from helpline.people.models import Requester
from helpline.routing.models import ActionKind, ConditionField, Operator
from helpline.testsupport.factories import DepartmentFactory
from helpline.tickets.models import EntryKind, Event, Source, Ticket

NEW = reverse("staff:ticket_new")


def form_data(**overrides):
    return {
        "email": "walter@example.test",
        "name": "Walter Walkin",
        "phone": "+1 555 0199",
        "topic": "",
        "department": "",
        "source": Source.PHONE,
        "priority": "",
        "subject": "Screen is dark",
        "body": "Called at 9:05.\nSays the screen is dark.",
        **overrides,
    }


def test_the_page_offers_the_departments_the_agent_may_open_tickets_in(sam_client, support, it_department):
    DepartmentFactory(name="Closed down", is_active=False)
    response = sam_client.get(NEW)
    assert response.status_code == 200
    assert list(response.context["form"].fields["department"].queryset) == [support]
    content = response.content.decode()
    for control in ("new-email", "new-name", "new-phone", "new-topic", "new-department", "new-source"):
        assert f'id="{control}"' in content
    sources = [value for value, _label in response.context["form"].fields["source"].choices]
    assert set(sources) == {Source.PHONE, Source.EMAIL, Source.AGENT}


def test_an_administrator_may_open_in_every_active_department(client_for, ada, support, it_department):
    response = client_for(ada).get(NEW)
    assert set(response.context["form"].fields["department"].queryset) == {support, it_department}


def test_an_agent_opens_a_ticket_for_a_new_requester(
    sam_client, sam, support, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = sam_client.post(NEW, form_data(department=support.pk, assign_to_me="on"))
    ticket = Ticket.objects.get()
    assert response.status_code == 302 and response.url == reverse("staff:ticket", args=[ticket.number])
    requester = Requester.objects.get(email="walter@example.test")
    assert (requester.name, requester.phone) == ("Walter Walkin", "+1 555 0199")
    assert (ticket.requester, ticket.department, ticket.source, ticket.assignee) == (
        requester,
        support,
        Source.PHONE,
        sam,
    )
    message = ticket.entries.get(kind=EntryKind.MESSAGE)
    assert message.author_requester == requester
    created = ticket.entries.get(event=Event.CREATED)
    assert created.data["entered_by"] == {
        "kind": "agent",
        "id": created.author_agent_id,
        "name": "Sam",
        "channel": "",
    }
    assert "walter@example.test" in [address for mail in mailoutbox for address in mail.to]
    content = sam_client.get(response.url).content.decode()
    assert f"Ticket #{ticket.number} opened for Walter Walkin." in content
    assert "Sam opened this ticket for the requester (source: Phone)" in content


def test_an_existing_requester_is_reused_and_a_topic_routes_the_ticket(
    sam_client, rita, support_topic, sla_plan
):
    response = sam_client.post(NEW, form_data(email="RITA@example.test", topic=support_topic.pk))
    assert response.status_code == 302
    ticket = Ticket.objects.get()
    assert ticket.requester == rita and ticket.topic == support_topic
    assert (ticket.department, ticket.sla_plan, ticket.assignee) == (support_topic.department, sla_plan, None)
    assert Requester.objects.count() == 1


def test_a_department_or_a_topic_is_required(sam_client, support):
    response = sam_client.post(NEW, form_data())
    assert response.status_code == 400
    assert b"Choose a department or a help topic." in response.content
    assert not Ticket.objects.exists() and not Requester.objects.exists()


@pytest.mark.parametrize(
    "field,value,error",
    [
        ("email", "not-an-address", b"Enter a valid email address."),
        ("subject", "", b"This field is required."),
        ("body", "", b"This field is required."),
        ("source", Source.WEB, b"Select a valid choice."),
    ],
)
def test_invalid_input_is_shown_with_400(sam_client, support, field, value, error):
    response = sam_client.post(NEW, form_data(department=support.pk, **{field: value}))
    assert response.status_code == 400
    assert error in response.content
    assert not Ticket.objects.exists()


def test_a_department_the_agent_may_not_open_in_is_refused(sam_client, it_department):
    response = sam_client.post(NEW, form_data(department=it_department.pk))
    assert response.status_code == 400
    assert b"Select a valid choice." in response.content
    assert not Ticket.objects.exists() and not Requester.objects.exists()


def test_a_limited_agent_has_no_department_to_open_in_and_is_told_so(client_for, lena, support):
    client = client_for(lena)
    for response in (client.get(NEW), client.post(NEW, form_data(department=support.pk))):
        assert response.status_code == 403
        assert b"Your roles open tickets in no department" in response.content
    assert client.get(reverse("staff:ticket_new_fields")).status_code == 403
    assert not Ticket.objects.exists()


def test_a_bad_attachment_opens_nothing(sam_client, support, upload):
    data = form_data(department=support.pk, attachments=[upload("run.exe", b"MZ")])
    response = sam_client.post(NEW, data)
    assert response.status_code == 400
    assert b"run.exe: .exe files are not accepted." in response.content
    assert not Ticket.objects.exists() and not Requester.objects.exists()


def test_attachments_go_on_the_first_message(sam_client, support, upload):
    response = sam_client.post(
        NEW, form_data(department=support.pk, attachments=[upload("photo.jpg", b"\xff\xd8")])
    )
    assert response.status_code == 302
    message = Ticket.objects.get().entries.get(kind=EntryKind.MESSAGE)
    assert [a.filename for a in message.attachments.all()] == ["photo.jpg"]


def test_a_filter_rules_rejection_names_the_rule(sam_client, support, make_rule):
    make_rule(
        "Walk-ins go to reception",
        conditions=[(ConditionField.SUBJECT, Operator.CONTAINS, "screen")],
        actions=[(ActionKind.REJECT, "Please see reception.")],
    )
    response = sam_client.post(NEW, form_data(department=support.pk))
    assert response.status_code == 400
    page = response.content.decode()
    assert "The filter rule Walk-ins go to reception rejects this ticket." in page
    assert "Please see reception." in page
    assert not Ticket.objects.exists() and not Requester.objects.exists()
