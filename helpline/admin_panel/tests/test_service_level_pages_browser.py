"""The schedule and SLA plan pages as an administrator on a phone meets them, in a real Chromium at 390 px wide:
nothing scrolls sideways, axe-core finds no serious or critical violation, a refused schedule takes the focus
to its error summary, and the plan's preview answers without a script of its own."""

import re
from datetime import time, timedelta

import pytest
from playwright.sync_api import Page, expect

from helpline.catalog.models import Priority
from helpline.sla.models import EscalationStep, Holiday, Schedule, ScheduleSpan, SLATarget
from helpline.testsupport.browser import assert_accessible, assert_fits, load_axe
from helpline.testsupport.factories import SLAPlanFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def browser_context_args(browser_context_args):
    return {**browser_context_args, "viewport": {"width": 390, "height": 844}}


def check(page: Page) -> None:
    assert_fits(page)
    assert_accessible(page)


def test_the_service_level_pages_on_a_phone(live_server, page: Page, ada):
    schedule = Schedule.objects.create(name="Business hours", time_zone="Europe/Berlin", country="DE")
    for day in range(5):
        ScheduleSpan.objects.create(schedule=schedule, weekday=day, start=time(9), end=time(17))
    Holiday.objects.create(schedule=schedule, name="Christmas Eve", month=12, day=24)
    plan = SLAPlanFactory(
        name="Sev-C", schedule=schedule, first_response_target=timedelta(hours=2), warn_percent=75
    )
    SLATarget.objects.create(
        plan=plan, priority=Priority.objects.get(name="High"), resolution=timedelta(hours=4)
    )
    EscalationStep.objects.create(plan=plan, target="resolution", trigger="breach", action="raise_priority")
    base = live_server.url
    load_axe(page)
    page.goto(f"{base}/staff/login/")
    page.fill("#id_username", "ada")
    page.fill("#id_password", "correct horse battery")
    page.locator("main form button[type=submit]").click()
    expect(page.locator(".topbar")).to_contain_text("Sign out")
    for path in ("schedules/", f"schedules/{schedule.pk}/", "sla-plans/", "sla-plans/new/"):
        page.goto(f"{base}/staff/admin/{path}")
        check(page)

    page.goto(f"{base}/staff/admin/sla-plans/{plan.pk}/")
    page.fill("#id_preview-start", "2026-11-20T16:00")
    page.locator("#preview-submit").click()
    expect(page.locator("#preview-resolution")).to_contain_text("2026-11-23T16:00:00+01:00")
    check(page)

    # A schedule with no open time: the summary takes the focus and says why.
    page.goto(f"{base}/staff/admin/schedules/new/")
    page.fill("#id_name", "Never")
    page.select_option("#id_time_zone", "Europe/Berlin")
    page.locator("#schedule-submit").click()
    expect(page.locator("#error-summary")).to_be_focused()
    expect(page).to_have_title(re.compile(r"^Error: New schedule"))
    expect(page.locator("#error-summary")).to_contain_text("no open hours")
    check(page)
