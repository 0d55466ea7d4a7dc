"""Schedules in the administration area: listed, created and edited with their spans and holidays, refused
when they would never be open or name an unknown zone or country, each change on the audit log."""

from datetime import date, time, timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from helpline.audit.models import AuditEntry
from helpline.sla.models import Holiday, Schedule, ScheduleSpan
from helpline.testsupport.factories import SLAPlanFactory

LIST = reverse("admin_panel:schedules")
NEW = reverse("admin_panel:schedule_new")


def edit_url(schedule):
    return reverse("admin_panel:schedule_edit", args=[schedule.pk])


def rows(prefix: str, items: list[dict], initial: int = 0, extra: int = 0, blank: dict | None = None) -> dict:
    """A formset's fields as the page posts them: ``items`` filled rows, then ``extra`` blank ones (with the
    initial values of ``blank``)."""
    data = {
        f"{prefix}-TOTAL_FORMS": str(len(items) + extra),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }
    for n, item in enumerate(items + [blank or {}] * extra):
        data |= {f"{prefix}-{n}-{key}": value for key, value in item.items()}
    return data


def schedule_data(spans=(), holidays=(), **settings) -> dict:
    values = {"name": "Office", "time_zone": "Europe/Berlin", "country": "", "subdivision": ""} | settings
    values = {key: value for key, value in values.items() if value is not None}
    return values | rows("spans", list(spans), extra=1) | rows("holidays", list(holidays), extra=1)


WEEKDAYS_9_TO_5 = [{"weekday": str(day), "start": "09:00", "end": "17:00"} for day in range(5)]


def test_a_schedule_is_created_with_spans_across_midnight_holidays_and_a_country(admin_client, ada):
    spans = [
        {"weekday": "0", "start": "08:00", "end": "12:00"},
        {"weekday": "0", "start": "13:00", "end": "17:00"},
        {"weekday": "4", "start": "22:00", "end": "06:00"},
        {"weekday": "5", "start": "18:00", "end": "24:00"},
    ]
    holidays = [
        {"name": "Company day", "date": "2026-12-24", "month": "", "day": ""},
        {"name": "Christmas", "date": "", "month": "12", "day": "25"},
    ]
    data = schedule_data(spans, holidays, country="de", subdivision="by")
    response = admin_client.post(NEW, data)
    assert response.status_code == 302 and response["Location"] == LIST
    schedule = Schedule.objects.get()
    assert (schedule.name, schedule.time_zone, schedule.is_24x7) == ("Office", "Europe/Berlin", False)
    assert (schedule.country, schedule.subdivision) == ("DE", "BY")
    assert list(schedule.spans.values_list("weekday", "start", "end")) == [
        (0, time(8), time(12)),
        (0, time(13), time(17)),
        (4, time(22), time(6)),
        (5, time(18), time(0)),  # 24:00 is stored as midnight, the end of the day
    ]
    assert sorted(schedule.holidays.values_list("name", "date", "month", "day")) == [
        ("Christmas", None, 12, 25),
        ("Company day", date(2026, 12, 24), None, None),
    ]
    entry = AuditEntry.objects.get()
    assert (entry.action, entry.actor_id, entry.target_id) == ("schedule.created", ada.pk, str(schedule.pk))
    assert "Friday 22:00–06:00 (next day)" in entry.data["after"]["spans"]
    assert "Saturday 18:00–24:00" in entry.data["after"]["spans"]
    assert "Christmas (every year on 25 December)" in entry.data["after"]["holidays"]


def test_the_list_shows_each_schedule_with_a_fixed_number_of_queries(admin_client, db):
    def add(name: str) -> None:
        schedule = Schedule.objects.create(name=name, time_zone="America/New_York", country="US")
        ScheduleSpan.objects.create(schedule=schedule, weekday=2, start=time(9), end=time(17))
        Holiday.objects.create(schedule=schedule, name="Founders", month=3, day=1)
        SLAPlanFactory(schedule=schedule)

    add("East coast")
    with CaptureQueriesContext(connection) as few:
        content = admin_client.get(LIST).content.decode()
    assert "East coast" in content and "America/New_York" in content and "Wednesday 09:00–17:00" in content
    assert "US public holidays" in content
    for n in range(3):
        add(f"Branch {n}")
    with CaptureQueriesContext(connection) as many:
        assert "Branch 2" in admin_client.get(LIST).content.decode()
    assert len(many) == len(few)


def test_editing_replaces_spans_and_records_what_changed(admin_client, db):
    schedule = Schedule.objects.create(name="Office", time_zone="Europe/Berlin")
    monday = ScheduleSpan.objects.create(schedule=schedule, weekday=0, start=time(9), end=time(17))
    tuesday = ScheduleSpan.objects.create(schedule=schedule, weekday=1, start=time(9), end=time(17))
    page = admin_client.get(edit_url(schedule)).content.decode()
    assert 'value="09:00"' in page and 'value="17:00"' in page
    kept = {"id": str(monday.pk), "weekday": "0", "start": "09:00", "end": "17:00"}
    removed = {"id": str(tuesday.pk), "weekday": "1", "start": "09:00", "end": "17:00", "DELETE": "on"}
    added = {"weekday": "2", "start": "10:00", "end": "14:00"}
    data = schedule_data(time_zone="Europe/Vienna") | rows("spans", [kept, removed, added], initial=2)
    assert admin_client.post(edit_url(schedule), data).status_code == 302
    spans = Schedule.objects.get().spans.values_list("weekday", "start", "end")
    assert list(spans) == [(0, time(9), time(17)), (2, time(10), time(14))]
    entry = AuditEntry.objects.get()
    assert entry.action == "schedule.changed"
    assert entry.data["before"] == {
        "time_zone": "Europe/Berlin",
        "spans": ["Monday 09:00–17:00", "Tuesday 09:00–17:00"],
    }
    assert entry.data["after"] == {
        "time_zone": "Europe/Vienna",
        "spans": ["Monday 09:00–17:00", "Wednesday 10:00–14:00"],
    }
    # The same form again changes nothing and records nothing.
    monday_only = {"id": str(monday.pk), "weekday": "0", "start": "09:00", "end": "17:00"}
    wednesday = ScheduleSpan.objects.get(weekday=2)
    same = {"id": str(wednesday.pk), "weekday": "2", "start": "10:00", "end": "14:00"}
    data = schedule_data(time_zone="Europe/Vienna") | rows("spans", [monday_only, same], initial=2)
    response = admin_client.post(edit_url(schedule), data, follow=True)
    assert "unchanged: nothing to save" in response.content.decode()
    assert AuditEntry.objects.count() == 1


def test_a_schedule_that_would_never_be_open_is_refused(admin_client, db):
    response = admin_client.post(NEW, schedule_data())
    assert response.status_code == 400
    assert "no open hours: add a span, or make it 24x7" in response.content.decode()
    # 24x7 needs no span; its holidays still close their days.
    assert admin_client.post(NEW, schedule_data(is_24x7="on")).status_code == 302
    # Open on Mondays only, and every Monday for more than two years is a holiday: never open.
    mondays = [
        {
            "name": f"Monday {n}",
            "date": (date(2026, 11, 23) + timedelta(weeks=n)).isoformat(),
            "month": "",
            "day": "",
        }
        for n in range(110)
    ]
    monday = [{"weekday": "0", "start": "09:00", "end": "17:00"}]
    with time_machine.travel("2026-11-20T12:00Z", tick=False):
        response = admin_client.post(NEW, schedule_data(monday, mondays, name="Closed"))
    assert response.status_code == 400 and "is not open on any day" in response.content.decode()
    assert list(Schedule.objects.values_list("name", flat=True)) == ["Office"]


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"time_zone": "Mars/Olympus_Mons"}, "Select a valid choice"),
        ({"time_zone": ""}, "This field is required"),
        ({"country": "XX"}, "“XX” is not a country code with a holiday calendar"),
        ({"country": "DE", "subdivision": "ZZ"}, "DE has no subdivision “ZZ”"),
        ({"subdivision": "BY"}, "A subdivision needs a country"),
        ({"spans-0-end": "09:00"}, "The span ends when it starts"),
        ({"spans-0-start": "25:00"}, "Write the time as HH:MM"),
        ({"spans-0-weekday": "7"}, "Select a valid choice"),
    ],
)
def test_bad_settings_and_spans_are_refused_on_their_field(admin_client, db, changes, message):
    response = admin_client.post(NEW, schedule_data(WEEKDAYS_9_TO_5) | changes)
    assert response.status_code == 400 and message in response.content.decode()
    assert not Schedule.objects.exists()


@pytest.mark.parametrize(
    ("holiday", "message"),
    [
        ({"date": "2026-12-24", "month": "12", "day": "24"}, "Give either a date, or a month and a day"),
        ({"date": "", "month": "12", "day": ""}, "Give either a date, or a month and a day"),
        ({"date": "", "month": "2", "day": "30"}, "That month has no such day"),
        ({"date": "", "month": "13", "day": "1"}, "less than or equal to 12"),
    ],
)
def test_bad_holidays_are_refused(admin_client, db, holiday, message):
    data = schedule_data(WEEKDAYS_9_TO_5, [{"name": "Day off"} | holiday])
    response = admin_client.post(NEW, data)
    assert response.status_code == 400 and message in response.content.decode()
    assert not Schedule.objects.exists()


def test_the_page_lists_the_country_holidays_of_the_coming_year(admin_client, db):
    schedule = Schedule.objects.create(
        name="Munich", time_zone="Europe/Berlin", country="DE", subdivision="BY"
    )
    ScheduleSpan.objects.create(schedule=schedule, weekday=0, start=time(9), end=time(17))
    with time_machine.travel("2026-11-20T12:00Z", tick=False):
        content = admin_client.get(edit_url(schedule)).content.decode()
    assert "Public holidays in the coming year" in content
    assert "Fri 25 Dec 2026" in content and "Erster Weihnachtstag" in content
    assert "Thu 27 May 2027</dt><dd>Fronleichnam" in content  # Corpus Christi, a holiday in Bavaria
    assert "2026</dt><dd>Fronleichnam" not in content  # 4 June 2026 is before the coming year


def test_only_administrators_see_or_change_schedules(client, sam, db):
    schedule = Schedule.objects.create(name="Office", time_zone="UTC", is_24x7=True)
    pages = [LIST, NEW, edit_url(schedule)]
    for url in pages:
        assert client.get(url).status_code == 302
    client.force_login(sam.user)
    for url in pages:
        assert client.get(url).status_code == 403
    for url in pages[1:]:
        assert client.post(url, schedule_data(WEEKDAYS_9_TO_5, name="Taken over")).status_code == 403
    assert list(Schedule.objects.values_list("name", flat=True)) == ["Office"]


def test_a_change_needs_the_csrf_token(ada, db):
    from django.test import Client

    browser = Client(enforce_csrf_checks=True)
    browser.force_login(ada.user)
    assert browser.post(NEW, schedule_data(WEEKDAYS_9_TO_5)).status_code == 403
    assert not Schedule.objects.exists()
