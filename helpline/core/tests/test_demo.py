"""``manage.py load_demo``: the demo office, made through the real actions, loaded once."""

import re
from datetime import time, timedelta
from io import StringIO

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command

from helpline.catalog.models import State
from helpline.people.models import Agent, Department, Membership, Organization, Requester, Team
from helpline.routing.models import HelpTopic
from helpline.sla.models import Schedule, SLAPlan
from helpline.testsupport.factories import AgentFactory
from helpline.tickets.models import EntryKind, Event, Source, ThreadEntry, Ticket
from helpline.tickets.queries import overdue_tickets, visible_tickets


def load_demo() -> str:
    out = StringIO()
    call_command("load_demo", stdout=out)
    return out.getvalue()


def counts() -> dict[str, int]:
    models = [get_user_model(), Agent, Department, Membership, Team, Organization, Requester]
    models += [HelpTopic, SLAPlan, Ticket, ThreadEntry]
    return {model.__name__: model.objects.count() for model in models}


@pytest.fixture
def office(db):
    return load_demo()


def test_the_office_has_departments_routing_and_plans(office):
    assert dict(Department.objects.values_list("name", "email")) == {
        "Support": "support@helpline.example",
        "IT": "it@helpline.example",
        "Sales": "sales@helpline.example",
        "Accounting": "accounting@helpline.example",
    }
    plans = SLAPlan.objects.values_list(
        "name", "schedule__name", "first_response_target", "resolution_target"
    )
    assert {name: (schedule, first, resolution) for name, schedule, first, resolution in plans} == {
        "Sev-A": (None, timedelta(minutes=15), timedelta(hours=1)),
        "Sev-B": (None, timedelta(hours=1), timedelta(hours=4)),
        "Sev-C": ("Business hours", timedelta(hours=2), timedelta(hours=8)),
    }
    business_hours = Schedule.objects.get(name="Business hours")
    assert business_hours.time_zone == settings.TIME_ZONE and not business_hours.is_24x7
    spans = business_hours.spans.values_list("weekday", "start", "end")
    assert list(spans) == [(day, time(9), time(17)) for day in range(5)]  # Monday to Friday
    routes = {
        topic.name: (topic.department.name, topic.priority.name, topic.sla_plan.name)
        for topic in HelpTopic.objects.select_related("department", "priority", "sla_plan")
    }
    assert routes["General inquiry"] == ("Support", "Normal", "Sev-C")
    assert routes["Report a problem"] == ("Support", "High", "Sev-B")
    assert routes["Network or VPN"] == ("IT", "High", "Sev-A")
    assert {routes[name][0] for name in ("Hardware request", "Quote or pricing", "Billing")} == {
        "IT",
        "Sales",
        "Accounting",
    }
    assert Organization.objects.count() == 2
    assert Requester.objects.filter(organization__isnull=False).count() >= 2


def test_the_office_has_its_people_with_the_printed_passwords(office):
    admin = get_user_model().objects.get(username="admin")
    assert admin.is_superuser and admin.is_staff and admin.check_password("helpline-admin")
    assert admin.agent.is_administrator
    roles = {
        (m.agent.user.username, m.department.name, m.role.name)
        for m in Membership.objects.select_related("agent__user", "department", "role")
    }
    assert roles == {
        ("sam", "Support", "Agent"),
        ("ivy", "IT", "Agent"),
        ("sean", "Sales", "Agent"),
        ("alex", "Accounting", "Manager"),
        ("lee", "Support", "Limited"),
    }
    for username in ("sam", "ivy", "sean", "alex", "lee"):
        user = get_user_model().objects.get(username=username)
        assert user.check_password(f"demo-{username}")
        assert not user.is_staff  # agents work in the staff panel, not the Django admin
    assert Department.objects.get(name="Accounting").manager.user.username == "alex"
    members = Team.objects.get(name="Escalations").members.values_list("user__username", flat=True)
    assert sorted(members) == ["ivy", "sam"]


def test_the_office_has_tickets_in_every_state(office):
    tickets = Ticket.objects.select_related("assignee__user", "team")
    states = sorted(tickets.values_list("state", flat=True))
    assert len(states) >= 8
    assert {State.OPEN, State.PENDING, State.RESOLVED, State.CLOSED} <= set(states)
    open_tickets = tickets.filter(state=State.OPEN)
    assert open_tickets.filter(assignee__isnull=True, team__isnull=True).exists()
    assert open_tickets.filter(assignee__isnull=False).exists()
    assert open_tickets.filter(team__name="Escalations").exists()
    pending = tickets.get(state=State.PENDING)
    assert pending.entries.filter(kind=EntryKind.RESPONSE).exists()
    # Exactly one is past its SLA, flagged by the overdue action; the others are still within it.
    overdue = overdue_tickets()
    assert overdue.count() == 1 and overdue.get().is_overdue
    assert overdue.get().entries.filter(event=Event.OVERDUE).exists()
    assert tickets.filter(source=Source.PHONE).exists()
    assert tickets.get(subject="Pricing for 25 seats").assignee.user.username == "sean"  # by its topic


def test_every_ticket_was_made_through_the_actions(office):
    for ticket in Ticket.objects.all():
        entries = list(ticket.entries.order_by("created_at", "id"))
        assert entries[0].event == Event.CREATED
        assert any(entry.kind == EntryKind.MESSAGE for entry in entries)
        assert ticket.created_at <= ticket.updated_at
    assert ThreadEntry.objects.filter(kind=EntryKind.NOTE).exists()
    # History is back-dated: the oldest ticket is days old, and times keep their order.
    oldest = Ticket.objects.order_by("created_at").first()
    assert oldest.closed_at and oldest.created_at < oldest.first_response_at < oldest.closed_at


def test_agents_see_their_departments_and_teams(office):
    ivy = Agent.objects.get(user__username="ivy")
    lee = Agent.objects.get(user__username="lee")
    ivy_sees = set(visible_tickets(ivy).values_list("department__name", flat=True))
    assert ivy_sees == {"IT", "Support"}  # Support only through the Escalations team's ticket
    assert set(visible_tickets(lee).values_list("department__name", flat=True)) == {"Support"}


def test_the_logins_are_printed(office):
    for text in ["/staff/login/", "/portal/", "/admin/"]:
        assert text in office
    # Each login on its own line, username then password ("admin" alone is in "/admin/" too).
    for username, password in [("admin", "helpline-admin"), ("sam", "demo-sam"), ("lee", "demo-lee")]:
        assert re.search(rf"^ +{username} +/ {password} ", office, re.MULTILINE), office
    assert "/portal/t/" in office  # a requester's access link to try the portal with


def test_a_second_run_creates_nothing(office):
    before = counts()
    output = load_demo()
    assert "Demo data already present" in output
    assert "demo-sam" in output
    assert counts() == before


def test_a_help_desk_in_use_is_left_alone(db):
    AgentFactory()
    output = load_demo()
    assert "already has agents or tickets" in output
    assert not Department.objects.filter(name="Sales").exists()


def test_the_demo_notifications_go_out_after_the_commit(db, django_capture_on_commit_callbacks, mailoutbox):
    with django_capture_on_commit_callbacks(execute=True):
        load_demo()
    recipients = {address for mail in mailoutbox for address in mail.to}
    assert {"rita@northwind.example", "support@helpline.example", "ivy@helpline.example"} <= recipients
