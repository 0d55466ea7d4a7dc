"""An agent's availability on their Preferences page: the away switch and vacation days that automatic
assignment respects, and the limit an administrator set, shown but not editable here."""

from datetime import date

from django.urls import reverse

from helpline.people.models import AssignmentStrategy
from helpline.routing.assignment import next_assignee
from helpline.tickets.workload import open_ticket_counts

URL = reverse("staff:preferences")


def test_an_agent_marks_themselves_away_and_automatic_assignment_skips_them(sam_client, sam, support):
    response = sam_client.post(URL, {"time_zone": "", "is_away": "on"}, follow=True)
    assert response.redirect_chain == [(URL, 302)]
    assert 'id="prefs-is_away" checked' in response.content.decode()
    sam.refresh_from_db()
    assert sam.is_away
    support.assignment_strategy = AssignmentStrategy.ROUND_ROBIN
    support.save()
    assert next_assignee(department=support, count_open=open_ticket_counts) is None
    sam_client.post(URL, {"time_zone": ""})
    sam.refresh_from_db()
    assert not sam.is_away
    assert next_assignee(department=support, count_open=open_ticket_counts).agent == sam


def test_vacation_days_are_saved_and_shown_again(sam_client, sam):
    sam_client.post(
        URL, {"time_zone": "Europe/Vienna", "vacation_from": "2026-12-20", "vacation_until": "2027-01-06"}
    )
    sam.refresh_from_db()
    assert (sam.time_zone, sam.vacation_from, sam.vacation_until) == (
        "Europe/Vienna",
        date(2026, 12, 20),
        date(2027, 1, 6),
    )
    content = sam_client.get(URL).content.decode()
    assert 'value="2026-12-20"' in content and 'value="2027-01-06"' in content
    sam_client.post(URL, {"time_zone": "Europe/Vienna"})
    sam.refresh_from_db()
    assert sam.vacation_from is None and sam.vacation_until is None


def test_a_vacation_that_ends_before_it_starts_is_refused(sam_client, sam):
    response = sam_client.post(
        URL, {"time_zone": "Asia/Tokyo", "vacation_from": "2026-12-20", "vacation_until": "2026-12-19"}
    )
    assert response.status_code == 400
    assert "The vacation&#x27;s last day comes before its first day." in response.content.decode()
    sam.refresh_from_db()
    assert (sam.time_zone, sam.vacation_from) == ("", None)


def test_a_date_that_is_not_one_is_refused(sam_client, sam):
    response = sam_client.post(URL, {"time_zone": "", "vacation_from": "next week"})
    assert response.status_code == 400 and "Enter a valid date." in response.content.decode()


def test_the_page_tells_the_agent_their_limit(sam_client, sam):
    assert "No limit on the open tickets you are given automatically." in sam_client.get(URL).content.decode()
    sam.open_ticket_limit = 5
    sam.save()
    assert "You are given at most 5 open tickets automatically" in sam_client.get(URL).content.decode()
    # The limit is the administrators' to set: posting one here changes nothing.
    sam_client.post(URL, {"time_zone": "", "open_ticket_limit": "50"})
    sam.refresh_from_db()
    assert sam.open_ticket_limit == 5
