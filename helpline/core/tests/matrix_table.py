"""The permission matrix's table: for every URL pattern of the staff panel, the administration area and the
portal, who may GET it and who may POST to it (the personas of ``matrix_world``).

A new URL pattern is one entry here: ``page`` (GET only), ``form`` (GET and POST), ``action`` (POST only),
with the personas allowed and the arguments its URL takes. An entry with ``data`` posts it: a valid change,
which an allowed persona makes (the database changes) and a refused one does not (nothing changes; a 400
counts as a refusal there, the form refusing what this persona may not choose). Without ``data`` the post is
empty, and a 400 (the form's errors) shows the view was reached.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from helpline.core.tests.matrix_world import PERSONAS, World

Args = Callable[[World, str], dict[str, Any]]
Data = Callable[[World], dict[str, Any]]

# What each persona may do on the ticket (its department is Support), as declared, not as computed.
MANAGER = {"view", "reply", "note", "assign", "claim", "transfer", "status", "close", "edit", "create"}
TICKET_PERMS: dict[str, set[str]] = {
    "admin": MANAGER | {"delete", "merge"},
    "manager": MANAGER | {"delete", "merge"},
    "agent": MANAGER | {"merge"},
    "limited": {"view", "reply", "note"},
    "assignee": {"view", "reply", "note", "status", "close"},  # outside the department, assigned
    "team_member": {"view", "reply", "note", "status", "close"},  # outside the department, its team's
}

EVERYONE = frozenset(PERSONAS)
NOBODY: frozenset[str] = frozenset()
AGENTS = frozenset({"admin", "manager", "agent", "limited", "outsider", "assignee", "team_member"})
OPENERS = AGENTS - {"limited"}  # agents whose roles open tickets somewhere
ADMIN = frozenset({"admin"})
REQUESTER = frozenset({"requester"})
OWNER = frozenset({"agent"})  # Sam owns the saved queue and the canned response of his own


def may(perm: str) -> frozenset[str]:
    return frozenset(persona for persona, perms in TICKET_PERMS.items() if perm in perms)


@dataclass(frozen=True)
class Expect:
    get: frozenset[str] | None  # who may GET; None: the URL takes no GET (405 or a refusal for everyone)
    post: frozenset[str] | None
    args: Args = lambda world, persona: {}
    data: Data | None = None
    query: dict[str, str] = field(default_factory=dict)


def page(who: frozenset[str], args: Args | None = None, **extra) -> Expect:
    return Expect(get=who, post=None, **({"args": args} if args else {}), **extra)


def form(
    who: frozenset[str], args: Args | None = None, post: frozenset[str] | None = None, **extra
) -> Expect:
    return Expect(
        get=who, post=post if post is not None else who, **({"args": args} if args else {}), **extra
    )


def action(who: frozenset[str], args: Args | None = None, **extra) -> Expect:
    return Expect(get=None, post=who, **({"args": args} if args else {}), **extra)


def ticket(world: World, persona: str) -> dict[str, Any]:
    return {"number": world.ticket.number}


def record(key: str, name: str = "pk", on_ticket: bool = False) -> Args:
    def args(world: World, persona: str) -> dict[str, Any]:
        found = {name: world.records[key]}
        return found | ({"number": world.ticket.number} if on_ticket else {})

    return args


def token(world: World, persona: str) -> dict[str, Any]:
    return {"token": world.token(persona)}


def own_session(world: World, persona: str) -> dict[str, Any]:
    """The persona's own session on another device; those with none (the requester, the anonymous visitor)
    name Sam's, which they must not end."""
    sessions = world.records["sessions"]
    return {"pk": sessions.get(persona, sessions["agent"])}


def rec(key: str) -> Data:
    """A post naming one record by ``key`` (the field has the same name)."""
    return lambda world: {key: world.records[key]}


VIEW = may("view")


def new_ticket(world: World) -> dict[str, Any]:
    """A ticket opened by phone for a new requester in Support."""
    return {
        "email": "dora@example.test",
        "name": "Dora",
        "department": world.records["department"],
        "source": "phone",
        "subject": "Call about the printer",
        "body": "She called.",
    }


STAFF: dict[str, Expect] = {
    "dashboard": page(AGENTS),
    "queue_default": form(EVERYONE),  # a plain redirect (whatever the method) to the open queue, which checks
    "login": form(EVERYONE),
    # Signing out ends on the sign-in page, for everyone (a visitor not signed in has nothing to end).
    "logout": action(EVERYONE),
    # Public by design: the way in. With SSO off (the tests' settings) its two pages answer 404.
    "oidc_start": form(NOBODY),
    "oidc_callback": form(NOBODY),
    "password_reset": form(EVERYONE),
    "password_reset_sent": page(EVERYONE),
    # A link with a bad token: the page saying so, for whoever follows it.
    "password_reset_confirm": form(EVERYONE, lambda world, persona: {"uidb64": "MQ", "token": "bad-token"}),
    "password_reset_complete": page(EVERYONE),
    # The sign-up link of an invited agent; a bad token answers 404 to everyone.
    "join": form(NOBODY, lambda world, persona: {"token": "bad-token"}),
    # An agent's own second factor and sessions: every active agent, on their own account only.
    "two_factor_verify": form(AGENTS),  # no code owed: on to the panel
    "two_factor_setup": page(AGENTS),
    "two_factor_start": action(AGENTS, data=lambda world: {}),  # a pending authenticator of their own
    "two_factor_confirm": action(AGENTS),  # nothing pending: back to the set-up
    "recovery_codes_renew": action(AGENTS),  # no second factor yet: back to the account page
    "two_factor_disable": action(AGENTS),
    "account_security": page(AGENTS),
    # Each agent ends their own other session; the requester and visitor name Sam's and end nothing.
    "session_end": action(AGENTS, own_session, data=lambda world: {}),
    "sign_out_everywhere": action(AGENTS, data=lambda world: {}),
    "queue": page(AGENTS, lambda world, persona: {"queue": "open"}),
    "search": page(AGENTS, query={"q": "printer"}),
    "saved_queues": page(AGENTS),
    "saved_queue_new": action(AGENTS, data=lambda world: {"name": "Fires", "base": "open"}),
    "saved_queue": page(OWNER, record("saved_queue")),
    "saved_queue_edit": form(OWNER, record("saved_queue")),
    "saved_queue_delete": action(OWNER, record("saved_queue"), data=lambda world: {}),
    "preferences": form(AGENTS),
    # The page shows the departments the agent may open tickets in; the post is refused outside them. An
    # agent whose roles open tickets nowhere (the Limited role) is refused the page (403, not a form error).
    "ticket_new": form(OPENERS, post=may("create"), data=new_ticket),
    "ticket_new_fields": page(OPENERS),  # the fields of a topic they may open tickets under
    "bulk": action(AGENTS),
    "ticket": page(VIEW, ticket),
    "reply": action(may("reply"), ticket, data=lambda world: {"body": "Hello again."}),
    "note": action(may("note"), ticket, data=lambda world: {"body": "A note."}),
    "assign": action(may("assign"), ticket, data=lambda world: {"agent": world.people["agent"].pk}),
    "claim": action(
        may("claim"), lambda world, persona: {"number": world.other.number}, data=lambda world: {}
    ),
    "transfer": action(
        may("transfer"),
        ticket,
        data=lambda world: {"department": world.people["outsider"].memberships.get().department_id},
    ),
    "priority": action(may("status"), ticket, data=rec("priority")),
    "sla": action(may("edit"), ticket),
    "ticket_fields": action(may("edit"), ticket, data=lambda world: {world.records["field_input"]: "A-1"}),
    "status": action(may("status"), ticket, data=lambda world: {"status": world.records["pending"]}),
    "cc_add": action(may("edit"), ticket, data=lambda world: {"email": "dora@example.test"}),
    "cc_remove": action(
        may("edit"), record("collaborator", "requester_id", on_ticket=True), data=lambda world: {}
    ),
    "delete": form(may("delete"), ticket, data=lambda world: {}),
    "release_mail": action(may("edit"), ticket),
    "revoke_links": action(may("edit"), ticket, data=lambda world: {}),
    "follow": action(VIEW, ticket),
    "unfollow": action(VIEW, ticket),
    "replying": action(may("reply"), ticket),
    "replying_stop": action(may("reply"), ticket),
    "new_entries": page(VIEW, lambda world, persona: {"number": world.ticket.number, "seen": 0}),
    "link_add": action(may("edit"), ticket, data=lambda world: {"other": world.records["third"]}),
    "link_remove": action(
        may("edit"),
        lambda world, persona: {"number": world.ticket.number, "other": world.other.number},
        data=lambda world: {},
    ),
    "split": action(may("edit"), ticket, data=rec("entry")),
    "attachment": page(VIEW, record("attachment")),
    # A department's responses are its own agents' (an assignee from outside it replies without them).
    "canned_insert": page(may("reply") - {"assignee", "team_member"}, record("canned", on_ticket=True)),
    "task_add": action(may("edit"), ticket, data=lambda world: {"title": "Call back"}),
    "task_edit": form(may("edit"), record("task", on_ticket=True)),
    "task_done": action(may("edit"), record("task", on_ticket=True), data=lambda world: {"done": "1"}),
    "task_delete": action(may("edit"), record("task", on_ticket=True), data=lambda world: {}),
    "my_tasks": page(AGENTS),
    "my_responses": page(AGENTS),
    "my_response_new": form(AGENTS),
    "my_response_edit": form(OWNER, record("own_response")),
    "my_response_deactivate": action(OWNER, record("own_response"), data=lambda world: {}),
    "nav_counts": page(AGENTS),
    "ticket_updates": page(VIEW, ticket, query={"after": "0"}),
}

PORTAL: dict[str, Expect] = {
    "home": form(EVERYONE),
    "topic_fields": page(EVERYONE),  # the public fields of a topic, for the open form
    "status": form(EVERYONE),
    "status_sent": page(EVERYONE),
    "ticket": page(REQUESTER, token),
    "created": page(REQUESTER, token),
    "reply": action(REQUESTER, token, data=lambda world: {"message": "Any news?"}),
    "time_zone": action(REQUESTER, token),
    "close": action(REQUESTER, token, data=lambda world: {}),
    "reopen": action(REQUESTER, token),
    "attachment": page(
        REQUESTER, lambda world, persona: token(world, persona) | {"pk": world.records["attachment"]}
    ),
}


def _admin(kind: str, key: str = "", data: Data | None = None) -> Expect:
    args = record(key) if key else None
    if kind == "page":
        return page(ADMIN, args)
    if kind == "form":
        return form(ADMIN, args)
    return action(ADMIN, args, data=data)


ADMIN_PANEL: dict[str, Expect] = {
    "index": _admin("page"),
    "audit_log": _admin("page"),
    "mailboxes": _admin("page"),
    "mailbox_new": _admin("form"),
    "mailbox_edit": _admin("form", "mailbox"),
    "mailbox_deactivate": _admin("action", "mailbox", data=lambda world: {}),
    "banned": _admin("page"),
    "banned_add": _admin("action", data=lambda world: {"pattern": "@spam.example.test", "reason": "Spam"}),
    "banned_remove": _admin("action", "banned", data=lambda world: {}),
    "received": _admin("page"),
    "received_detail": _admin("page", "raw"),
    "received_download": _admin("page", "raw"),
    "received_discard": _admin("action", "raw", data=lambda world: {}),
    "received_retry": _admin("action", "raw"),
    "assignment": _admin("page"),
    "department_strategy": _admin(
        "action", "department", data=lambda world: {"assignment_strategy": "least_open"}
    ),
    "team_strategy": _admin("action", "team", data=lambda world: {"assignment_strategy": "least_open"}),
    "agent_availability": _admin("page"),
    "agent_availability_edit": form(ADMIN, lambda world, persona: {"pk": world.people["agent"].pk}),
    "email_templates": _admin("page"),
    "email_template": form(ADMIN, record("kind", "kind")),
    "email_template_reset": action(ADMIN, record("kind", "kind")),
    "schedules": _admin("page"),
    "schedule_new": _admin("form"),
    "schedule_edit": _admin("form", "schedule"),
    "sla_plans": _admin("page"),
    "sla_plan_new": _admin("form"),
    "sla_plan_edit": _admin("form", "sla_plan"),
    "help_topics": _admin("page"),
    "help_topic_new": _admin("form"),
    "help_topic_edit": _admin("form", "topic"),
    "help_topic_deactivate": _admin("action", "topic", data=lambda world: {}),
    "statuses": _admin("page"),
    "status_new": _admin("form"),
    "status_edit": _admin("form", "status"),
    "status_move": _admin("action", "status"),
    "status_make_default": action(ADMIN, record("pending")),
    "filter_rules": _admin("page"),
    "filter_rule_new": _admin("form"),
    "filter_rule_test": _admin("form"),
    "filter_rule_edit": _admin("form", "rule"),
    "filter_rule_move": _admin("action", "rule"),
    "filter_rule_deactivate": _admin("action", "rule", data=lambda world: {}),
    "canned_responses": _admin("page"),
    "canned_response_new": _admin("form"),
    "canned_response_edit": _admin("form", "canned"),
    "canned_response_deactivate": _admin("action", "canned", data=lambda world: {}),
    "requesters": _admin("page"),
    "requester_new": _admin("form"),
    "requesters_export": _admin("page"),
    "requesters_import": _admin("form"),
    "requester_edit": _admin("form", "requester"),
    "requester_merge": form(ADMIN, lambda world, persona: {"pk": world.records["requester"]}),
    "organizations": _admin("page"),
    "organization_new": _admin("form"),
    "organization_edit": _admin("form", "organization"),
    "sign_in_security": _admin("form"),
    "second_factor_reset": _admin("action", "agent", data=lambda world: {}),
    "api_keys": _admin("page"),
    "api_key_new": _admin("action", data=lambda world: {"name": "Reports", "scopes": ["read"]}),
    "api_key_revoke": _admin("action", "api_key", data=lambda world: {}),
    "departments": _admin("page"),
    "department_new": _admin("form"),
    "department_edit": _admin("form", "department"),
    "teams": _admin("page"),
    "team_new": _admin("form"),
    "team_edit": _admin("form", "team"),
    "agents": _admin("page"),
    "agent_invite": _admin("form"),
    "agent_edit": _admin("form", "agent"),
    "agent_deactivate": _admin("action", "agent", data=lambda world: {}),
    "agent_reactivate": _admin("action", "inactive_agent", data=lambda world: {}),
    "agent_resend": _admin("action", "invited", data=lambda world: {}),
    "roles": _admin("page"),
    "role_new": _admin("form"),
    "role_edit": _admin("form", "role"),
    "role_delete": _admin("action", "role", data=lambda world: {}),
    "priorities": _admin("page"),
    "priority_new": _admin("form"),
    "priority_edit": _admin("form", "priority"),
    "desk_settings": _admin("form"),
    "webhooks": _admin("page"),
    "webhook_new": _admin("form"),
    "webhook_edit": _admin("form", "webhook"),
    "webhook_rotate": _admin("action", "webhook", data=lambda world: {}),
    "webhook_delivery_resend": action(
        ADMIN,
        lambda world, persona: {"pk": world.records["webhook"], "delivery_pk": world.records["delivery"]},
        data=lambda world: {},
    ),
    "custom_forms": _admin("page"),
    "custom_form_new": _admin("form"),
    "custom_form_edit": _admin("form", "custom_form"),
    "custom_field_new": form(ADMIN, record("custom_form", "form_pk")),
    "custom_field_edit": _admin("form", "custom_field"),
    "choice_lists": _admin("page"),
    "choice_list_new": _admin("form"),
    "choice_list_edit": _admin("form", "choice_list"),
}

# Each namespace the matrix walks, with its table. Another door (the API's pages, say) is one line here.
TABLES: dict[str, dict[str, Expect]] = {"staff": STAFF, "portal": PORTAL, "admin_panel": ADMIN_PANEL}
