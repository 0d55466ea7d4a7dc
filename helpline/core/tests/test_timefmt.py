"""Writing times: one format with the zone shown, relative spans near now, a person's zone per request."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.template import Context, Template
from django.utils import timezone

from helpline.core.timefmt import format_relative, format_when, validate_time_zone, zone_or_default

# Dates are written in the desk's date format, which is a row: these tests read it.
pytestmark = pytest.mark.django_db

WINTER = datetime(2026, 12, 1, 15, 23, tzinfo=UTC)
SUMMER = datetime(2026, 7, 1, 15, 23, tzinfo=UTC)


@pytest.mark.parametrize(
    ("moment", "zone", "written"),
    [
        (WINTER, "UTC", "1 Dec 2026, 15:23 UTC"),
        (WINTER, "Europe/Berlin", "1 Dec 2026, 16:23 CET"),
        (SUMMER, "Europe/Berlin", "1 Jul 2026, 17:23 CEST"),
        (WINTER, "America/New_York", "1 Dec 2026, 10:23 EST"),
        (WINTER, "Pacific/Kiritimati", "2 Dec 2026, 05:23 UTC+14"),  # the database has no abbreviation
        (WINTER, ZoneInfo("Asia/Kolkata"), "1 Dec 2026, 20:53 IST"),
    ],
)
def test_a_time_is_written_in_the_zone_asked_for_with_the_zone_shown(moment, zone, written):
    assert format_when(moment, zone) == written


def test_without_a_zone_the_active_one_is_used_and_the_desks_by_default(settings):
    settings.TIME_ZONE = "Europe/Lisbon"
    assert format_when(SUMMER) == "1 Jul 2026, 16:23 WEST"
    with timezone.override(ZoneInfo("Asia/Tokyo")):
        assert format_when(SUMMER) == "2 Jul 2026, 00:23 JST"
        assert format_when(SUMMER, "") == "2 Jul 2026, 00:23 JST"


@pytest.mark.parametrize(
    ("offset", "written"),
    [
        (timedelta(seconds=20), "just now"),
        (timedelta(seconds=-59), "just now"),
        (timedelta(minutes=25, seconds=30), "in 25 min"),
        (-timedelta(minutes=1), "1 min ago"),
        (timedelta(hours=1, minutes=40), "in 1 h 40 min"),
        (timedelta(hours=2), "in 2 h"),
        (-timedelta(hours=3, minutes=59), "3 h ago"),
        (timedelta(hours=23, minutes=59), "in 23 h"),
        (-timedelta(days=1, hours=5), "1 day ago"),
        (timedelta(days=13, hours=23), "in 13 days"),
        (-timedelta(days=14), "17 Nov 2026"),
        (timedelta(days=40), "10 Jan 2027"),
    ],
)
def test_relative_times_round_down_and_give_way_to_the_date_after_two_weeks(offset, written):
    assert format_relative(WINTER + offset, now=WINTER, tz="UTC") == written


@pytest.mark.parametrize("name", ["", "UTC", "Europe/Berlin", "America/Argentina/Buenos_Aires"])
def test_known_zones_and_the_desks_are_accepted(name):
    validate_time_zone(name)


@pytest.mark.parametrize("name", ["Mars/Olympus_Mons", "US/Eastern", "Etc/GMT+5", "../../etc/passwd", "utc"])
def test_unknown_and_legacy_zone_names_are_refused(name):
    with pytest.raises(ValidationError):
        validate_time_zone(name)


def test_a_name_the_database_no_longer_knows_falls_back_to_the_desks_zone(settings):
    settings.TIME_ZONE = "Europe/Paris"
    assert zone_or_default("Atlantis/Capital").key == "Europe/Paris"
    assert zone_or_default("").key == "Europe/Paris"
    assert zone_or_default("Asia/Tokyo").key == "Asia/Tokyo"


def render(source: str, **context) -> str:
    return Template("{% load helpline_time %}" + source).render(Context(context))


def test_the_time_element_holds_the_exact_moment_and_names_the_zone_in_its_title():
    with timezone.override(ZoneInfo("Europe/Berlin")):
        html = render("{% time_tag moment %}", moment=WINTER)
    assert html == (
        '<time datetime="2026-12-01T16:23:00+01:00" title="1 Dec 2026, 16:23 CET (Europe/Berlin)">'
        "1 Dec 2026, 16:23 CET</time>"
    )


def test_relative_and_both_styles_keep_the_exact_time_in_the_title(time_machine):
    time_machine.move_to(WINTER - timedelta(hours=3), tick=False)
    relative = render('{% time_tag moment "relative" %}', moment=WINTER)
    both = render('{% time_tag moment "both" %}', moment=WINTER)
    assert (
        relative == '<time datetime="2026-12-01T15:23:00+00:00" title="1 Dec 2026, 15:23 UTC">in 3 h</time>'
    )
    assert both.endswith('1 Dec 2026, 15:23 UTC</time> <span class="relative">(in 3 h)</span>')
    time_machine.move_to(WINTER - timedelta(days=30), tick=False)
    assert "relative" not in render('{% time_tag moment "both" %}', moment=WINTER)


def test_an_email_writes_the_time_in_the_recipients_zone_or_the_desks(settings):
    settings.TIME_ZONE = "Europe/Berlin"
    template = "Due {% email_time moment %}"
    assert render(template, moment=WINTER, time_zone="America/New_York") == "Due 1 Dec 2026, 10:23 EST"
    assert render(template, moment=WINTER, time_zone="") == "Due 1 Dec 2026, 16:23 CET"
    assert render(template, moment=WINTER) == "Due 1 Dec 2026, 16:23 CET"
    with timezone.override(ZoneInfo("Asia/Tokyo")):  # a request's zone is not the recipient's
        assert render(template, moment=WINTER) == "Due 1 Dec 2026, 16:23 CET"
