"""Events recorded names (``{"agent": "Sam Porter"}``); they now record ids with the names as they were
(``{"agent": {"id": 3, "name": "Sam Porter"}}``), one shape per event kind (``tickets.events``). Stored events
are rewritten in that shape: a name is matched to its row where the name is unique (departments, teams,
priorities, statuses, SLA plans; requesters by their address), else the id is left empty."""

import re

from django.db import migrations

EMAIL = re.compile(r"<([^<>@\s]+@[^<>\s]+)>\s*$")


class Lookup:
    def __init__(self, apps):
        self.apps = apps
        self.cache = {}

    def by_name(self, model, name, field="name"):
        if not name:
            return None
        key = (model, field, name)
        if key not in self.cache:
            rows = list(self.apps.get_model(*model.split(".")).objects.filter(**{field: name})[:2])
            self.cache[key] = rows[0] if len(rows) == 1 else None
        return self.cache[key]

    def ref(self, model, name):
        if not name:
            return None
        row = self.by_name(model, name)
        return {"id": row.pk if row else None, "name": name}

    def agent(self, name):
        if not name:
            return None
        if "agents" not in self.cache:
            by_name = {}
            for agent in self.apps.get_model("people", "Agent").objects.select_related("user"):
                shown = f"{agent.user.first_name} {agent.user.last_name}".strip() or agent.user.username
                by_name.setdefault(shown, []).append(agent.pk)
            self.cache["agents"] = by_name
        matches = self.cache["agents"].get(name, [])
        return {"id": matches[0] if len(matches) == 1 else None, "name": name}

    def person(self, text):
        match = EMAIL.search(text or "")
        email = match.group(1) if match else ""
        name = text[: match.start()].strip() if match else (text or "")
        Requester = self.apps.get_model("people", "Requester")
        row = Requester.objects.filter(email__iexact=email).first() if email else None
        return {"id": row.pk if row else None, "name": name, "email": email}

    def topic_of(self, ticket_id):
        Ticket = self.apps.get_model("tickets", "Ticket")
        topic = Ticket.objects.filter(pk=ticket_id).values_list("topic_id", "topic__name").first()
        return {"id": topic[0], "name": topic[1] or "the help topic"} if topic else None

    def status(self, name):
        row = self.by_name("catalog.TicketStatus", name)
        return {"id": row.pk if row else None, "name": name or ""}, (row.state if row else None)


def convert(entry, lookup):
    data, event = entry.data or {}, entry.event
    if event == "created":
        entered = data.get("entered_by")
        actor = None
        if entered:
            kind = "agent" if entry.author_agent_id else "channel"
            actor = {"kind": kind, "id": entry.author_agent_id, "name": entered, "channel": ""}
        return event, {"source": data.get("source", "web"), "entered_by": actor}
    if event == "assigned":
        return event, {
            "agent": lookup.agent(data.get("agent")),
            "team": lookup.ref("people.Team", data.get("team")),
            "previous_agent": None,
            "previous_team": None,
            "topic": lookup.topic_of(entry.ticket_id) if data.get("auto") else None,
        }
    if event == "unassigned":
        return event, {"previous_agent": None, "previous_team": None}
    if event == "transferred":
        return event, {
            "department": lookup.ref("people.Department", data.get("department")) or {"id": None, "name": ""},
            "previous": lookup.ref("people.Department", data.get("previous")) or {"id": None, "name": ""},
        }
    if event == "priority":
        return event, {
            "priority": lookup.ref("catalog.Priority", data.get("priority")) or {"id": None, "name": ""},
            "previous": lookup.ref("catalog.Priority", data.get("previous")) or {"id": None, "name": ""},
        }
    if event == "sla":
        return event, {
            "sla_plan": lookup.ref("sla.SLAPlan", data.get("sla_plan")),
            "previous": lookup.ref("sla.SLAPlan", data.get("previous")),
            "due_at": data.get("due_at"),
        }
    if event in ("status", "reopened"):
        status, state = lookup.status(data.get("status"))
        previous, previous_state = lookup.status(data.get("previous"))
        if event == "reopened":
            state = state if state in ("open", "pending") else "open"
            previous_state = previous_state if previous_state in ("resolved", "closed") else "closed"
        return event, {
            "status": status,
            "previous": previous,
            "state": state or "open",
            "previous_state": previous_state or "open",
        }
    if event == "overdue":
        return event, {"due_at": data.get("due_at")}
    if event == "collaborator":
        if "removed" in data:
            return "collaborator_removed", {"requester": lookup.person(data["removed"])}
        return event, {"requester": lookup.person(data.get("added", ""))}
    return event, data


def forwards(apps, schema_editor):
    ThreadEntry = apps.get_model("tickets", "ThreadEntry")
    lookup = Lookup(apps)
    changed = []
    for entry in ThreadEntry.objects.filter(kind="event").only(
        "id", "event", "data", "author_agent_id", "ticket_id"
    ).iterator(
        chunk_size=2000
    ):
        event, data = convert(entry, lookup)
        if (event, data) != (entry.event, entry.data):
            entry.event, entry.data = event, data
            changed.append(entry)
        if len(changed) >= 2000:
            ThreadEntry.objects.bulk_update(changed, ["event", "data"])
            changed = []
    ThreadEntry.objects.bulk_update(changed, ["event", "data"])


class Migration(migrations.Migration):
    dependencies = [
        ("tickets", "0007_notifications"),
        ("people", "0002_default_roles"),
        ("catalog", "0002_tables_of_their_own"),
        ("sla", "0001_initial"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
