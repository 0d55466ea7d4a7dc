"""Timing the pages people use most, through the real URL routing, middleware and templates."""

import html
import re
import statistics
import time
from dataclasses import dataclass

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from helpline.benchmarks.seed import LONG_THREAD_ENTRIES, LONG_THREAD_NUMBER, long_thread_ticket
from helpline.catalog.models import Priority, State
from helpline.people.models import Agent, Department
from helpline.testsupport.second_factor import sign_in_verified
from helpline.tickets.access import access_token
from helpline.tickets.models import Ticket

# The pager's link to the next page, as the queue templates write it.
NEXT_LINK = re.compile(r'<a href="(?P<url>[^"]+)" rel="next"')


@dataclass
class Result:
    name: str
    median_ms: float
    p95_ms: float
    queries: int
    status: int


def time_url(client: Client, name: str, url: str, repeat: int) -> Result:
    """The server's time for a page, then its queries counted in one more request: counting wraps every
    query in Django's debug cursor, which adds its own time (a millisecond on a page of twenty queries)."""
    client.get(url)  # warm caches (templates, SQLite pages) before measuring
    timings = []
    for _ in range(repeat):
        start = time.perf_counter()
        response = client.get(url)
        timings.append((time.perf_counter() - start) * 1000)
    with CaptureQueriesContext(connection) as captured:
        client.get(url)
    timings.sort()
    p95 = timings[min(len(timings) - 1, int(len(timings) * 0.95))]
    return Result(name, statistics.median(timings), p95, len(captured.captured_queries), response.status_code)


def agent_client(username: str) -> Client:
    client = Client(HTTP_HOST="127.0.0.1")
    sign_in_verified(client, Agent.objects.get(user__username=username).user)
    return client


def run(repeat: int) -> list[Result]:
    results = []
    agent = agent_client("bench0")
    for queue in ("open", "mine", "unassigned", "overdue", "closed"):
        results.append(time_url(agent, f"agent queue {queue}", f"/staff/queues/{queue}/", repeat))
    results.append(
        time_url(agent, "agent queue closed, sort by due", "/staff/queues/closed/?sort=due", repeat)
    )
    results.append(
        time_url(agent, "agent queue open, by priority", "/staff/queues/open/?sort=-priority", repeat)
    )
    counts = "/staff/nav/counts/?current=open&tabs=open"
    results.append(time_url(agent, "queue counts (navigation, tabs)", counts, repeat))
    results += _filtered_lists(agent, repeat)
    deep = _deep_cursor(agent)
    if deep:
        results.append(time_url(agent, "agent queue closed, page 50", deep, repeat))
    ticket = (
        Ticket.objects.filter(state=State.OPEN, assignee__isnull=False)
        .exclude(number=LONG_THREAD_NUMBER)
        .order_by("-pk")
        .first()
    )
    results.append(
        time_url(
            agent_client(ticket.assignee.user.username),
            "ticket page",
            f"/staff/tickets/{ticket.number}/",
            repeat,
        )
    )
    results.append(
        time_url(agent_client(ticket.assignee.user.username), "agent dashboard", "/staff/", repeat)
    )
    long_thread = long_thread_ticket()
    results.append(
        time_url(
            agent_client(long_thread.assignee.user.username),
            f"ticket page, {LONG_THREAD_ENTRIES} entries",
            f"/staff/tickets/{long_thread.number}/",
            repeat,
        )
    )
    portal = Client(HTTP_HOST="127.0.0.1")
    token = access_token(ticket, ticket.requester)
    results.append(time_url(portal, "portal ticket page", f"/portal/t/{token}/", repeat))
    results.append(time_url(portal, "portal open-ticket form", "/portal/", repeat))
    results += search_results(agent, agent_client("benchadmin"), repeat)
    results += api_results(repeat)
    return results


def api_results(repeat: int) -> list[Result]:
    """The API's ticket list (first page, and filtered to one department's closed tickets) and one ticket,
    with a read key made for the run and revoked after it."""
    from helpline.api.keys import issue_key
    from helpline.api.models import ApiKey, Scope

    key, raw = issue_key("Benchmark reader", [Scope.READ])
    client = Client(HTTP_HOST="127.0.0.1", headers={"Authorization": f"Bearer {raw}"})
    department = Department.objects.order_by("pk").first()
    ticket = Ticket.objects.exclude(number=LONG_THREAD_NUMBER).order_by("-pk").first()
    assert department is not None and ticket is not None
    try:
        return [
            time_url(client, "API list of tickets", "/api/v1/tickets", repeat),
            time_url(
                client,
                "API list, one department's closed",
                f"/api/v1/tickets?state=closed&department={department.pk}",
                repeat,
            ),
            time_url(client, "API one ticket", f"/api/v1/tickets/{ticket.number}", repeat),
        ]
    finally:
        ApiKey.objects.filter(pk=key.pk).delete()


def search_results(agent: Client, admin: Client, repeat: int) -> list[Result]:
    """Full-text search for a word in 5% of the tickets and for one in a single ticket, as an agent of one
    department and as an administrator (who sees them all: the most matches to rank)."""
    from helpline.benchmarks.seed import RARE_WORD

    results = []
    for who, client in (("agent", agent), ("admin", admin)):
        for label, word in (("common word", "printer"), ("rare word", RARE_WORD)):
            url = f"/staff/search/?q={word}"
            results.append(time_url(client, f"{who} search, {label}", url, repeat))
    return results


def _filtered_lists(agent: Client, repeat: int) -> list[Result]:
    """Filtered queues (staff.filters): one column within a state, and several filters at once."""
    urgent = Priority.objects.order_by("-urgency").first()
    department = Department.objects.order_by("pk").first()
    assert urgent is not None and department is not None
    one = f"/staff/queues/closed/?department={department.pk}"
    lists = {
        "agent queue open, most urgent and unassigned": f"/staff/queues/open/?priority={urgent.pk}&assignee=none",
        "agent queue closed, one department": one,
        "agent queue closed, one department, created in 2025": f"{one}&created_from=2025-01-01&created_to=2025-12-31",
    }
    return [time_url(agent, name, url, repeat) for name, url in lists.items()]


def _deep_cursor(client: Client) -> str | None:
    """Follow 'Next page' 49 times, as someone paging far back would, and return the 50th page's URL."""
    url = "/staff/queues/closed/"
    for _ in range(49):
        found = NEXT_LINK.search(client.get(url).content.decode())
        if found is None:
            return None
        url = html.unescape(found["url"])
    return url
