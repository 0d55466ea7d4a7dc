"""The permission matrix: every URL pattern of the staff panel, the administration area and the portal, read
from the URL resolver, asked by every persona (each role in the ticket's department, an agent outside it, the
ticket's assignee and a member of its team, an inactive agent, a requester, an anonymous visitor) with GET
and with POST, against the expectation declared in ``matrix_table``.

Allowed: the view answers (a page, a redirect other than to the sign-in, a form's 400). Refused: 403, 404,
405 or being sent to sign in (the sign-in page with ``?next=``; a sign-out ends on the bare one). A refused POST leaves every table as it was; an allowed POST of an entry's ``data``
changes something. A URL pattern the table does not name fails ``test_every_url_pattern_has_an_expectation``
by name, so a page without a declared check fails the build.
"""

import hashlib

import pytest
from django.db import connection, transaction
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from helpline.core.tests.matrix_table import TABLES, Expect
from helpline.core.tests.matrix_world import PERSONAS, ROLE_PERSONAS, World, build_world
from helpline.people.models import Role

# Tables that change on any request, allowed or not: the sessions, the sign-in throttle's records.
UNWATCHED = ("django_session", "axes_")


def url_names(namespace: str) -> set[str]:
    """Every named pattern under the namespace, as the resolver has them."""
    resolver = get_resolver()
    found: set[str] = set()

    def walk(patterns, inside: bool) -> None:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, inside or pattern.namespace == namespace)
            elif isinstance(pattern, URLPattern) and inside:
                assert pattern.name, f"An unnamed URL pattern in {namespace}: {pattern.pattern}"
                found.add(pattern.name)

    walk(resolver.url_patterns, False)
    return found


@pytest.mark.parametrize("namespace", sorted(TABLES))
def test_every_url_pattern_has_an_expectation(namespace):
    names = url_names(namespace)
    missing = sorted(names - set(TABLES[namespace]))
    assert not missing, (
        f"No permission expectation for {namespace}: {', '.join(missing)} (add it to matrix_table)"
    )
    assert not set(TABLES[namespace]) - names, "matrix_table names URLs that no longer exist"


def test_every_role_has_a_persona(db):
    assert set(Role.objects.values_list("name", flat=True)) == set(ROLE_PERSONAS)


def fingerprint() -> str:
    """A digest of every watched table's rows."""
    digest = hashlib.sha256()
    with connection.cursor() as cursor:
        for table in sorted(connection.introspection.table_names(cursor)):
            if table.startswith(UNWATCHED):
                continue
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608 - known names
            digest.update(table.encode() + repr(sorted(map(repr, cursor.fetchall()))).encode())
    return digest.hexdigest()


class Rollback(Exception):
    """Undoes one request's changes, so every persona meets the same world."""


def outcome(response, method: str) -> str:
    if response.status_code in (403, 404, 405):
        return "refused"
    if method == "GET" and response.status_code == 204 and not response.content:
        return "refused"  # what a background poll gets once the session is over: nothing
    # Sent to sign in names the page asked for (``?next=``); a sign-out ends on the bare sign-in page.
    location = response.get("Location", "")
    if response.status_code in (301, 302, 303) and location.startswith(reverse("staff:login") + "?next="):
        return "refused"
    return "allowed"


def ask(
    world: World, clients: dict, baseline: str, persona: str, name: str, expect: Expect, method: str
) -> str:
    """One request; returns what went wrong, or an empty string. ``baseline`` is the world's fingerprint,
    the same before every request (each one is rolled back)."""
    url = reverse(name, kwargs=expect.args(world, persona))
    allowed = (expect.get if method == "GET" else expect.post) or frozenset()
    wanted = "allowed" if persona in allowed else "refused"
    try:
        with transaction.atomic():
            if method == "GET":
                response = clients[persona].get(url, expect.query)
            else:
                data = expect.data(world) if expect.data else {}
                response = clients[persona].post(url, data)
            got = outcome(response, method)
            if expect.data and response.status_code == 400:
                got = "refused"  # the valid post's choices are refused to this persona (see matrix_table)
            after = fingerprint() if method == "POST" else baseline
            raise Rollback
    except Rollback:
        pass
    problem = ""
    if got != wanted:
        problem = f"{method} {url} as {persona}: {got} ({response.status_code}), expected {wanted}"
    elif method == "POST" and wanted == "refused" and baseline != after:
        problem = f"POST {url} as {persona}: refused ({response.status_code}) but the database changed"
    elif method == "POST" and wanted == "allowed" and expect.data and baseline == after:
        problem = f"POST {url} as {persona}: allowed ({response.status_code}) but nothing changed"
    return problem


def cases():
    for namespace, table in sorted(TABLES.items()):
        for name in sorted(table):
            yield pytest.param(f"{namespace}:{name}", table[name], id=f"{namespace}:{name}")


@pytest.fixture
def world(db, settings):
    settings.HELPLINE_MAX_OPEN_TICKETS = 0
    return build_world()


@pytest.mark.parametrize(("name", "expect"), list(cases()))
def test_who_may_get_and_post(world, name, expect):
    clients = {persona: world.client(persona) for persona in PERSONAS}
    baseline = fingerprint()
    problems = [
        ask(world, clients, baseline, persona, name, expect, method)
        for persona in PERSONAS
        for method in ("GET", "POST")
    ]
    assert not [problem for problem in problems if problem], "\n".join(filter(None, problems))
