"""Bulk seeding for the benchmark: many tickets, spread over departments, states, agents and time.

Rows are written with bulk_create straight into the tables (not through the actions): the point is a large
realistic table, fast. Everything the pages read is filled in as the actions would.
"""

import random
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from helpline.catalog.models import Priority, State, TicketStatus
from helpline.people.models import Agent, Department, Membership, Requester, Role, Team
from helpline.routing.models import HelpTopic
from helpline.sla.models import SLAPlan
from helpline.tickets.models import EntryKind, Event, ThreadEntry, Ticket
from helpline.tickets.search.indexing import index_tickets

BATCH = 5000
DEPARTMENTS = ["Support", "IT", "Sales", "Accounting", "Facilities", "HR"]
STATE_WEIGHTS = {State.OPEN: 0.15, State.PENDING: 0.05, State.RESOLVED: 0.10, State.CLOSED: 0.70}
# What the tickets are about: each of these twenty in 5% of the subjects, so a search for one of them
# ("printer") finds a common word; RARE_WORD is in one ticket's message only.
THINGS = [
    "printer",
    "laptop",
    "monitor",
    "keyboard",
    "mouse",
    "headset",
    "webcam",
    "router",
    "scanner",
    "projector",
    "phone",
    "tablet",
    "badge",
    "mailbox",
    "calendar",
    "invoice",
    "password",
    "license",
    "backup",
    "server",
]
SYMPTOMS = [
    "stopped working this morning",
    "makes a strange noise",
    "is very slow since the update",
    "shows an error message",
    "will not turn on",
    "keeps disconnecting",
]
RARE_WORD, RARE_TICKET = "quokka", 4242


def seed_people(rng: random.Random) -> dict:
    User = get_user_model()
    role = Role.objects.get(name="Agent")
    departments = [Department.objects.get_or_create(name=name)[0] for name in DEPARTMENTS]
    team, _ = Team.objects.get_or_create(name="Bench team")
    agents = []
    for index in range(30):
        user, created = User.objects.get_or_create(
            username=f"bench{index}", defaults={"first_name": f"Bench{index}"}
        )
        if created:
            user.set_password("bench")
            user.save(update_fields=["password"])
        agent, _ = Agent.objects.get_or_create(user=user)
        Membership.objects.get_or_create(
            agent=agent, department=departments[index % len(departments)], defaults={"role": role}
        )
        if index % 5 == 0:
            agent.teams.add(team)
        agents.append(agent)
    # An administrator sees every ticket: the widest search there is.
    admin, created = User.objects.get_or_create(username="benchadmin", defaults={"first_name": "Bench admin"})
    if created:
        admin.set_password("bench")
        admin.save(update_fields=["password"])
    Agent.objects.get_or_create(user=admin, defaults={"is_admin": True})
    plan, _ = SLAPlan.objects.get_or_create(
        name="Bench 8 h", defaults={"resolution_target": timedelta(hours=8)}
    )
    # The public topic the write path's portal posts choose.
    HelpTopic.objects.get_or_create(
        name="Bench topic", defaults={"department": departments[0], "sla_plan": plan}
    )
    return {"departments": departments, "agents": agents, "team": team, "plan": plan}


def seed_requesters(count: int) -> list[int]:
    existing = Requester.objects.count()
    Requester.objects.bulk_create(
        [
            Requester(name=f"Requester {n}", email=f"bench-requester-{n}@example.test")
            for n in range(existing, count)
        ],
        batch_size=BATCH,
    )
    return list(Requester.objects.values_list("pk", flat=True))


def seed_tickets(count: int, *, seed: int = 7, progress=None) -> None:
    """Add tickets until there are ``count``; each has a created event, a message and maybe a response."""
    rng = random.Random(seed)
    people = seed_people(rng)
    requester_ids = seed_requesters(max(1000, count // 10))
    statuses = {status.state: status for status in TicketStatus.objects.filter(is_default=True)}
    priorities = list(Priority.objects.all())
    states, weights = zip(*STATE_WEIGHTS.items(), strict=True)
    now = timezone.now()
    have = Ticket.objects.count()
    while have < count:
        size = min(BATCH, count - have)
        with transaction.atomic():
            tickets = [
                _ticket(rng, have + n, now, people, requester_ids, statuses, priorities, states, weights)
                for n in range(size)
            ]
            Ticket.objects.bulk_create(tickets, batch_size=BATCH)
            ThreadEntry.objects.bulk_create(
                [entry for ticket in tickets for entry in _entries(rng, ticket)], batch_size=BATCH
            )
            index_tickets([ticket.pk for ticket in tickets])
        have += size
        if progress:
            progress(have)


def _ticket(rng, n, now, people, requester_ids, statuses, priorities, states, weights) -> Ticket:
    created = now - timedelta(minutes=rng.randrange(0, 60 * 24 * 730))
    state = rng.choices(states, weights)[0]
    assignee = rng.choice(people["agents"]) if rng.random() < 0.7 else None
    priority = rng.choice(priorities)
    updated = created + timedelta(minutes=rng.randrange(0, 60 * 24 * 5))
    due = created + timedelta(hours=8)
    running = state == State.OPEN
    return Ticket(
        number=f"{10_000_000 + n}",
        subject=f"Benchmark ticket {n}: the {THINGS[n % len(THINGS)]} {SYMPTOMS[n % len(SYMPTOMS)]}",
        requester_id=rng.choice(requester_ids),
        department=rng.choice(people["departments"]),
        priority=priority,
        urgency=priority.urgency,
        sla_plan=people["plan"],
        assignee=assignee,
        team=people["team"] if rng.random() < 0.05 else None,
        status=statuses[state],
        state=state,
        due_at=due,
        # The clock as the actions leave it: open tickets run; those past due were flagged by the check
        # long ago, so only the few still ahead wait for it (a 24x7 plan of 8 h).
        sla_running_since=created if running else None,
        sla_consumed=timedelta(0) if running else timedelta(hours=8),
        is_overdue=running and due < now,
        sla_warned=running and due < now,
        next_sla_check_at=due if running and due >= now else None,
        created_at=created,
        updated_at=min(updated, now),
        last_message_at=created,
        closed_at=updated if state == State.CLOSED else None,
    )


def _entries(rng, ticket: Ticket) -> list[ThreadEntry]:
    at = ticket.created_at
    entries = [
        ThreadEntry(
            ticket=ticket, kind=EntryKind.EVENT, event=Event.CREATED, author_name="Portal", created_at=at
        ),
        ThreadEntry(
            ticket=ticket,
            kind=EntryKind.MESSAGE,
            author_requester_id=ticket.requester_id,
            author_name="Requester",
            created_at=at,
            body_text=f"It {rng.choice(SYMPTOMS)}, can you help?"
            + (
                f" The {RARE_WORD} sticker is peeling off."
                if ticket.number == str(10_000_000 + RARE_TICKET)
                else ""
            ),
        ),
    ]
    if ticket.assignee is not None:
        entries.append(
            ThreadEntry(
                ticket=ticket,
                kind=EntryKind.RESPONSE,
                author_agent=ticket.assignee,
                author_name=str(ticket.assignee),
                created_at=ticket.updated_at,
                body_text="Thanks, we are looking into it.",
            )
        )
    return entries


def index_unindexed(batch: int = BATCH, progress=None) -> int:
    """Index the tickets a database seeded before search had no text for (along the primary key)."""
    done, last = 0, 0
    while ids := list(
        Ticket.objects.filter(pk__gt=last, search_document__isnull=True)
        .order_by("pk")
        .values_list("pk", flat=True)[:batch]
    ):
        done += index_tickets(ids)
        last = ids[-1]
        if progress:
            progress(done)
    return done


LONG_THREAD_NUMBER = "90000050"
LONG_THREAD_ENTRIES = 50


def long_thread_ticket() -> Ticket:
    """An open ticket with a 50-entry thread (messages, responses, notes and events), made once: the
    ticket page's cost per entry shows on it."""
    found = Ticket.objects.filter(number=LONG_THREAD_NUMBER).first()
    if found is not None:
        return found
    template = Ticket.objects.filter(state=State.OPEN, assignee__isnull=False).order_by("pk").first()
    assert template is not None, "seed the tickets first"
    ticket = Ticket.objects.get(pk=template.pk)
    ticket.pk = None
    ticket.number = LONG_THREAD_NUMBER
    ticket.subject = "Benchmark ticket with a long thread"
    ticket.save(force_insert=True)
    at = ticket.created_at
    kinds = [EntryKind.MESSAGE, EntryKind.RESPONSE, EntryKind.NOTE, EntryKind.EVENT]
    entries = []
    for n in range(LONG_THREAD_ENTRIES):
        kind = kinds[n % len(kinds)]
        by_agent = kind in (EntryKind.RESPONSE, EntryKind.NOTE, EntryKind.EVENT)
        entries.append(
            ThreadEntry(
                ticket=ticket,
                kind=kind,
                event=Event.STATUS if kind == EntryKind.EVENT else "",
                author_agent=ticket.assignee if by_agent else None,
                author_requester_id=None if by_agent else ticket.requester_id,
                author_name=str(ticket.assignee) if by_agent else "Requester",
                created_at=at + timedelta(minutes=n),
                body_text="" if kind == EntryKind.EVENT else f"Entry {n}: still looking into it.\n" * 3,
            )
        )
    ThreadEntry.objects.bulk_create(entries)
    return ticket
