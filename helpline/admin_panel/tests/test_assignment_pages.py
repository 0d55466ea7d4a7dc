"""The assignment pages of the administration area: each department's and team's strategy, each agent's
availability and open-ticket limit; for administrators only, by POST with CSRF, each change on the audit
log with what it was and what it became."""

from datetime import date

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from helpline.audit.models import AuditEntry
from helpline.people.models import Agent, AssignmentStrategy, Department, Team
from helpline.testsupport.factories import AgentFactory, TeamFactory
from helpline.tickets.actions import assign_ticket

PAGE = reverse("admin_panel:assignment")
AGENTS = reverse("admin_panel:agent_availability")


@pytest.fixture
def printers(db):
    return TeamFactory(name="Printers")


def strategy_url(pool) -> str:
    name = "team_strategy" if isinstance(pool, Team) else "department_strategy"
    return reverse(f"admin_panel:{name}", args=[pool.pk])


def edit_url(agent) -> str:
    return reverse("admin_panel:agent_availability_edit", args=[agent.pk])


def test_the_index_and_the_navigation_lead_to_the_assignment_pages(admin_client):
    content = admin_client.get(reverse("admin_panel:index")).content.decode()
    assert f'href="{PAGE}"' in content and "Assignment" in content
    assert f'href="{AGENTS}"' in admin_client.get(PAGE).content.decode()


def test_a_departments_and_a_teams_strategy_are_set_and_recorded(admin_client, ada, support, printers):
    content = admin_client.get(PAGE).content.decode()
    assert f'action="{strategy_url(support)}"' in content and f'action="{strategy_url(printers)}"' in content
    response = admin_client.post(strategy_url(support), {"assignment_strategy": "round_robin"}, follow=True)
    assert "Support now assigns by “Round-robin”." in response.content.decode()
    assert '<option value="round_robin" selected>' in response.content.decode()
    admin_client.post(strategy_url(printers), {"assignment_strategy": "least_open"})
    support.refresh_from_db()
    printers.refresh_from_db()
    assert support.assignment_strategy == AssignmentStrategy.ROUND_ROBIN
    assert printers.assignment_strategy == AssignmentStrategy.LEAST_OPEN
    entries = AuditEntry.objects.order_by("at", "id")
    assert [(e.action, e.actor_id, e.target_type, e.target_repr) for e in entries] == [
        ("department.assignment_changed", ada.pk, "department", "Support"),
        ("team.assignment_changed", ada.pk, "team", "Printers"),
    ]
    assert entries[0].data == {
        "before": {"assignment_strategy": "manual"},
        "after": {"assignment_strategy": "round_robin"},
    }
    log = admin_client.get(reverse("admin_panel:audit_log")).content.decode()
    assert "Department&#x27;s assignment changed" in log and "round_robin" in log


def test_the_same_strategy_again_records_nothing_and_an_unknown_one_is_refused(admin_client, support):
    response = admin_client.post(strategy_url(support), {"assignment_strategy": "manual"}, follow=True)
    assert "Support assigns by “Manual only” already." in response.content.decode()
    response = admin_client.post(strategy_url(support), {"assignment_strategy": "random"}, follow=True)
    assert "Choose one of the strategies offered." in response.content.decode()
    support.refresh_from_db()
    assert support.assignment_strategy == AssignmentStrategy.MANUAL
    assert not AuditEntry.objects.exists()


def test_an_unknown_department_or_team_is_404(admin_client, db):
    for name in ("department_strategy", "team_strategy"):
        url = reverse(f"admin_panel:{name}", args=[999_999])
        assert admin_client.post(url, {"assignment_strategy": "manual"}).status_code == 404
    assert admin_client.get(reverse("admin_panel:agent_availability_edit", args=[999_999])).status_code == 404


def test_an_agents_availability_and_limit_are_set_and_recorded(admin_client, ada, sam):
    assert f'href="{edit_url(sam)}"' in admin_client.get(AGENTS).content.decode()
    form = {
        "is_away": "on",
        "vacation_from": "2026-12-20",
        "vacation_until": "2027-01-06",
        "open_ticket_limit": "8",
    }
    response = admin_client.post(edit_url(sam), form, follow=True)
    assert response.redirect_chain == [(AGENTS, 302)]
    content = response.content.decode()
    assert "Availability of Sam saved." in content
    row = content.split(f'id="agent-{sam.pk}"')[1].split("</tr>")[0]
    assert "Away" in row and "20 Dec 2026 to 6 Jan 2027" in row and ">8<" in row
    sam.refresh_from_db()
    assert (sam.is_away, sam.vacation_from, sam.vacation_until, sam.open_ticket_limit) == (
        True,
        date(2026, 12, 20),
        date(2027, 1, 6),
        8,
    )
    entry = AuditEntry.objects.get()
    assert (entry.action, entry.actor_id, entry.target_repr) == ("agent.availability_changed", ada.pk, "Sam")
    assert entry.data == {
        "before": {
            "is_away": False,
            "vacation_from": None,
            "vacation_until": None,
            "open_ticket_limit": None,
        },
        "after": {
            "is_away": True,
            "vacation_from": "2026-12-20",
            "vacation_until": "2027-01-06",
            "open_ticket_limit": 8,
        },
    }
    # Only what changed is recorded; an unchanged save records nothing.
    admin_client.post(edit_url(sam), form | {"open_ticket_limit": ""})
    assert AuditEntry.objects.order_by("-id").first().data == {
        "before": {"open_ticket_limit": 8},
        "after": {"open_ticket_limit": None},
    }
    again = admin_client.post(edit_url(sam), form | {"open_ticket_limit": ""}, follow=True)
    assert "unchanged: nothing to save" in again.content.decode() and AuditEntry.objects.count() == 2


REFUSED = {
    "vacation out of order": (
        {"vacation_from": "2026-12-20", "vacation_until": "2026-12-01"},
        "The vacation&#x27;s last day comes before its first day.",
    ),
    "a negative limit": ({"open_ticket_limit": "-1"}, "Ensure this value is greater than or equal to 0."),
    "a limit that is not a number": ({"open_ticket_limit": "ten"}, "Enter a whole number."),
    "a date that is not one": ({"vacation_until": "soon"}, "Enter a valid date."),
}


@pytest.mark.parametrize("form, message", REFUSED.values(), ids=REFUSED.keys())
def test_bad_values_are_refused_with_a_clear_error(admin_client, sam, form, message):
    response = admin_client.post(edit_url(sam), form)
    assert response.status_code == 400 and message in response.content.decode()
    sam.refresh_from_db()
    assert (sam.vacation_from, sam.vacation_until, sam.open_ticket_limit) == (None, None, None)
    assert not AuditEntry.objects.exists()


def test_the_agents_list_shows_today_and_the_load_in_a_fixed_number_of_queries(
    admin_client, ada, sam, support, ticket, django_assert_num_queries
):
    assign_ticket(actor=ada, ticket=ticket, agent=sam)
    Agent.objects.filter(pk=sam.pk).update(vacation_from=date(2000, 1, 1))
    with CaptureQueriesContext(connection) as few:
        content = admin_client.get(AGENTS).content.decode()
    row = content.split(f'id="agent-{sam.pk}"')[1].split("</tr>")[0]
    assert "On vacation" in row and "from 1 Jan 2000" in row and '<td data-label="Open tickets">1</td>' in row
    for _ in range(10):
        AgentFactory(departments=[support], is_away=True)
    with django_assert_num_queries(len(few.captured_queries)):
        content = admin_client.get(AGENTS).content.decode()
    assert content.count('<span class="badge">Away</span>') == 10


def test_the_pages_are_for_administrators_only(client, sam, support, printers):
    pages = [PAGE, AGENTS, edit_url(sam)]
    posts = [
        (strategy_url(support), {"assignment_strategy": "round_robin"}),
        (strategy_url(printers), {"assignment_strategy": "round_robin"}),
        (edit_url(sam), {"is_away": "on", "open_ticket_limit": "1"}),
    ]
    for url in pages:
        assert client.get(url).status_code == 302, url
    client.force_login(sam.user)
    for url in pages:
        assert client.get(url).status_code == 403, url
    for url, data in posts:
        assert client.post(url, data).status_code == 403, url
        assert client.get(url).status_code in (403, 405)
    assert not AuditEntry.objects.exists()
    assert Department.objects.get(pk=support.pk).assignment_strategy == AssignmentStrategy.MANUAL
    assert not Agent.objects.get(pk=sam.pk).is_away


def test_every_change_needs_the_csrf_token_and_never_happens_on_get(ada, sam, support):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(ada.user)
    assert browser.post(strategy_url(support), {"assignment_strategy": "round_robin"}).status_code == 403
    assert browser.post(edit_url(sam), {"is_away": "on"}).status_code == 403
    assert browser.get(strategy_url(support)).status_code == 405
    assert Department.objects.get(pk=support.pk).assignment_strategy == AssignmentStrategy.MANUAL
    assert not Agent.objects.get(pk=sam.pk).is_away and not AuditEntry.objects.exists()
