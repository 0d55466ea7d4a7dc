"""SLA plans in the administration area: targets (per priority too), the schedule, the pending rule, the
warning and escalation steps, validated together; each change on the audit log; the due-time preview."""

from datetime import time, timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from helpline.admin_panel.tests.test_schedules import rows
from helpline.audit.models import AuditEntry
from helpline.catalog.models import Priority
from helpline.sla.models import EscalationStep, Schedule, ScheduleSpan, SLAPlan, SLATarget
from helpline.testsupport.factories import SLAPlanFactory, TeamFactory

LIST = reverse("admin_panel:sla_plans")
NEW = reverse("admin_panel:sla_plan_new")


def edit_url(plan):
    return reverse("admin_panel:sla_plan_edit", args=[plan.pk])


@pytest.fixture
def office(db):
    """Weekdays 09:00-17:00 in Berlin."""
    schedule = Schedule.objects.create(name="Business hours", time_zone="Europe/Berlin")
    for day in range(5):
        ScheduleSpan.objects.create(schedule=schedule, weekday=day, start=time(9), end=time(17))
    return schedule


def priority(name: str) -> Priority:
    return Priority.objects.get(name=name)


def plan_data(targets=(), steps=(), **fields) -> dict:
    values = {
        "name": "Sev-C",
        "schedule": "",
        "first_response_target": "",
        "resolution_target": "8 h",
        "pause_when_pending": "on",
        "warn_percent": "",
        "is_active": "on",
        "notes": "",
    } | fields
    values = {key: value for key, value in values.items() if value is not None}
    # A blank step row posts the order's initial 0, as a browser does.
    blank_step = {"sort": "0"}
    return (
        values
        | rows("targets", list(targets), extra=1)
        | rows("steps", list(steps), extra=1, blank=blank_step)
    )


def step(**fields) -> dict:
    values = {"target": "resolution", "trigger": "breach", "action": "raise_priority", "sort": "0"}
    return values | dict.fromkeys(("priority", "agent", "team", "department"), "") | fields


def test_a_plan_is_created_with_targets_per_priority_and_escalation_steps(admin_client, ada, office, sam):
    team = TeamFactory(name="Escalations")
    data = plan_data(
        targets=[{"priority": priority("Emergency").pk, "first_response": "15 min", "resolution": "2 h"}],
        steps=[
            step(trigger="warning", action="assign_team", team=team.pk),
            step(target="first_response", action="assign_agent", agent=sam.pk, priority=priority("Low").pk),
            step(action="set_priority", priority=priority("High").pk, sort="1"),
        ],
        schedule=office.pk,
        first_response_target="1 h 30 min",
        resolution_target="8",
        warn_percent="75",
        pause_when_pending=None,
    )
    response = admin_client.post(NEW, data)
    plan = SLAPlan.objects.get()
    assert response.status_code == 302 and response["Location"] == edit_url(plan)
    assert (plan.schedule, plan.first_response_target, plan.resolution_target) == (
        office,
        timedelta(hours=1, minutes=30),
        timedelta(hours=8),
    )
    assert (plan.warn_percent, plan.pause_when_pending, plan.is_active) == (75, False, True)
    target = SLATarget.objects.get()
    assert (target.priority.name, target.first_response, target.resolution) == (
        "Emergency",
        timedelta(minutes=15),
        timedelta(hours=2),
    )
    steps = list(EscalationStep.objects.order_by("id"))
    assert [(s.target, s.trigger, s.action) for s in steps] == [
        ("resolution", "warning", "assign_team"),
        ("first_response", "breach", "assign_agent"),
        ("resolution", "breach", "set_priority"),
    ]
    assert steps[0].team == team and steps[1].agent == sam
    assert steps[1].priority is None  # a field the action does not use is not kept
    assert steps[2].priority.name == "High"
    entry = AuditEntry.objects.get()
    assert (entry.action, entry.actor_id, entry.target_repr) == ("sla_plan.created", ada.pk, "Sev-C")
    after = entry.data["after"]
    assert after["first_response_target"] == "1 h 30 min" and after["resolution_target"] == "8 h"
    assert after["targets"] == ["Emergency: first response 15 min, resolution 2 h"]
    assert "On breach of resolution: Set the priority to High" in after["escalation_steps"]


def test_editing_records_before_and_after_and_an_unchanged_save_records_nothing(admin_client, office):
    plan = SLAPlanFactory(name="Sev-B", hours=4)
    page = admin_client.get(edit_url(plan)).content.decode()
    assert 'value="4 h"' in page
    data = plan_data(name="Sev-B", resolution_target="4 h", schedule=office.pk)
    assert admin_client.post(edit_url(plan), data).status_code == 302
    entry = AuditEntry.objects.get()
    assert entry.action == "sla_plan.changed"
    assert entry.data["before"] == {"schedule": None}
    assert entry.data["after"] == {"schedule": {"id": office.pk, "name": "Business hours"}}
    response = admin_client.post(edit_url(plan), data, follow=True)
    assert "unchanged: nothing to save" in response.content.decode()
    assert AuditEntry.objects.count() == 1


@pytest.mark.parametrize(
    ("changes", "field_error"),
    [
        ({"resolution_target": ""}, "This field is required"),
        ({"resolution_target": "eight hours"}, "“eight hours” is not a duration"),
        ({"resolution_target": "0 min"}, "A target must be longer than zero"),
        ({"resolution_target": "9000 h"}, "A target may be at most 366 days"),
        ({"first_response_target": "1.01 h"}, "is not a whole number of minutes"),
        ({"warn_percent": "100"}, "less than or equal to 99"),
    ],
)
def test_bad_targets_are_refused_on_their_field(admin_client, db, changes, field_error):
    response = admin_client.post(NEW, plan_data() | changes)
    assert response.status_code == 400 and field_error in response.content.decode()
    assert not SLAPlan.objects.exists()


@pytest.mark.parametrize(
    ("targets", "steps", "message"),
    [
        ([], [step(trigger="warning")], "A step on the warning needs a warning threshold"),
        ([], [step(target="first_response")], "The plan has no first-response target"),
        ([], [step(action="set_priority")], "Choose the priority for “Set the priority to”"),
        ([], [step(action="assign_agent")], "Choose the agent for “Assign to an agent”"),
        ([], [step(action="transfer")], "Choose the department for “Transfer to a department”"),
        ([{"priority": "High", "first_response": "", "resolution": ""}], [], "Give a first-response or"),
        (
            [{"priority": "High", "resolution": "1 h"}, {"priority": "High", "resolution": "2 h"}],
            [],
            "Please correct the duplicate data for priority",
        ),
    ],
)
def test_steps_and_targets_that_cannot_work_are_refused(admin_client, db, targets, steps, message):
    for row in targets:
        row["priority"] = priority(row["priority"]).pk
    response = admin_client.post(NEW, plan_data(targets, steps))
    assert response.status_code == 400 and message in response.content.decode()
    assert not SLAPlan.objects.exists()


def test_a_first_response_step_may_watch_a_per_priority_target(admin_client, db):
    targets = [{"priority": priority("High").pk, "first_response": "30 min", "resolution": ""}]
    response = admin_client.post(NEW, plan_data(targets, [step(target="first_response")]))
    assert response.status_code == 302
    assert SLAPlan.objects.get().targets_for(priority("High")).first_response == timedelta(minutes=30)


def test_the_list_shows_every_plan_with_a_fixed_number_of_queries(admin_client, office):
    SLAPlanFactory(name="Sev-A", hours=1, first_response_target=timedelta(minutes=15))
    with CaptureQueriesContext(connection) as few:
        content = admin_client.get(LIST).content.decode()
    assert "Sev-A" in content and "15 min" in content and "1 h" in content and "24x7" in content
    for n in range(3):
        plan = SLAPlanFactory(name=f"Plan {n}", schedule=office)
        SLATarget.objects.create(plan=plan, priority=priority("High"), resolution=timedelta(hours=2))
        EscalationStep.objects.create(
            plan=plan, target="resolution", trigger="breach", action="raise_priority"
        )
    with CaptureQueriesContext(connection) as many:
        content = admin_client.get(LIST).content.decode()
    assert "Plan 2" in content and "Business hours" in content
    assert len(many) == len(few)


def test_the_plan_page_reads_its_rows_with_a_fixed_number_of_queries(admin_client, office, sam):
    plan = SLAPlanFactory(name="Sev-C", schedule=office)

    def add_rows() -> None:
        for name in ("Low", "High"):
            SLATarget.objects.get_or_create(plan=plan, priority=priority(name), resolution=timedelta(hours=3))
        EscalationStep.objects.create(
            plan=plan, target="resolution", trigger="breach", action="assign_agent", agent=sam
        )

    add_rows()
    admin_client.get(
        edit_url(plan)
    )  # the plan made is a configuration change: the first page reloads what is kept
    with CaptureQueriesContext(connection) as few:
        admin_client.get(edit_url(plan))
    for _ in range(4):
        add_rows()
    with CaptureQueriesContext(connection) as many:
        assert admin_client.get(edit_url(plan)).content.decode().count("Assign to an agent</option>") > 5
    assert len(many) == len(few)


@pytest.fixture
def sev_c(office):
    plan = SLAPlanFactory(
        name="Sev-C", schedule=office, first_response_target=timedelta(hours=2), hours=8, warn_percent=75
    )
    SLATarget.objects.create(plan=plan, priority=priority("High"), resolution=timedelta(hours=4))
    return plan


def test_the_preview_shows_the_due_times_a_ticket_opened_then_would_get(admin_client, sev_c):
    content = admin_client.get(edit_url(sev_c), {"preview-start": "2026-11-20T16:00"}).content.decode()
    # Friday 16:00 in Berlin: 1 h on Friday, the rest from Monday 09:00.
    assert (
        '<dd id="preview-start">Friday 20 Nov 2026, 16:00 CET <code>2026-11-20T16:00:00+01:00</code>'
        in content
    )
    assert "Monday 23 Nov 2026, 10:00 CET <code>2026-11-23T10:00:00+01:00</code> (2 h; warning at" in content
    assert (
        "Monday 23 Nov 2026, 16:00 CET <code>2026-11-23T16:00:00+01:00</code> (8 h; warning at Monday"
        in content
    )
    high = {"preview-start": "2026-11-20T15:00Z", "preview-priority": priority("High").pk}
    content = admin_client.get(edit_url(sev_c), high).content.decode()
    assert "<code>2026-11-20T16:00:00+01:00</code>" in content  # an offset is converted to the zone
    assert "<code>2026-11-23T12:00:00+01:00</code> (4 h;" in content  # High's own resolution target
    assert not AuditEntry.objects.exists()


def test_the_preview_starts_now_by_default(admin_client, sev_c):
    with time_machine.travel("2026-11-23T08:30Z", tick=False):  # Monday 09:30 in Berlin
        content = admin_client.get(edit_url(sev_c)).content.decode()
    assert 'value="2026-11-23T09:30"' in content
    assert "<code>2026-11-23T17:30:00+01:00</code>" not in content
    assert "<code>2026-11-23T11:30:00+01:00</code> (2 h" in content
    assert "<code>2026-11-24T09:30:00+01:00</code> (8 h" in content  # 7.5 h on Monday, 30 min on Tuesday


def test_a_preview_start_that_cannot_be_read_is_said_on_the_form(admin_client, sev_c):
    response = admin_client.get(edit_url(sev_c), {"preview-start": "next Friday"})
    assert response.status_code == 400
    assert "“next Friday” is not a date and time" in response.content.decode()


def test_only_administrators_see_or_change_plans(client, sam, sev_c):
    pages = [LIST, NEW, edit_url(sev_c)]
    for url in pages:
        assert client.get(url).status_code == 302
    client.force_login(sam.user)
    for url in pages:
        assert client.get(url).status_code == 403
    for url in pages[1:]:
        assert client.post(url, plan_data(name="Taken over")).status_code == 403
    assert list(SLAPlan.objects.values_list("name", flat=True)) == ["Sev-C"]


def test_the_index_leads_to_schedules_and_plans(admin_client, db):
    content = admin_client.get(reverse("admin_panel:index")).content.decode()
    assert reverse("admin_panel:schedules") in content and reverse("admin_panel:sla_plans") in content
