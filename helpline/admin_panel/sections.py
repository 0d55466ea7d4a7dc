"""The sections of the administration area, in the order its navigation lists them.

Each page of the area belongs to one section; a new kind of configuration (mailboxes, filter rules, roles)
is a new entry here and its views.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    url_name: str
    summary: str


SECTIONS = [
    Section(
        "departments",
        "Departments",
        "admin_panel:departments",
        "Who answers for which tickets: each department's manager, alert and reply addresses; deactivated, "
        "never deleted.",
    ),
    Section(
        "teams",
        "Teams",
        "admin_panel:teams",
        "Groups of agents across departments that tickets are assigned to, with their lead.",
    ),
    Section(
        "agents",
        "Agents",
        "admin_panel:agents",
        "The staff: invitations by email, each agent's departments and roles, teams, the administrator flag, "
        "deactivation without losing their history.",
    ),
    Section(
        "roles",
        "Roles",
        "admin_panel:roles",
        "What an agent may do on a department's tickets: view, reply, assign, close and the rest.",
    ),
    Section(
        "priorities",
        "Priorities",
        "admin_panel:priorities",
        "How urgent a ticket is: the names, the order queues sort by, a colour, and the default.",
    ),
    Section(
        "desk_settings",
        "Desk settings",
        "admin_panel:desk_settings",
        "The help desk's name, default time zone and date format, ticket numbers, attachment limits, "
        "whether requesters open tickets in the portal, and how long a closed ticket may be reopened.",
    ),
    Section(
        "mailboxes",
        "Mailboxes",
        "admin_panel:mailboxes",
        "The addresses the desk receives mail at, how it fetches them, and how each one's last fetch went.",
    ),
    Section(
        "received",
        "Received mail",
        "admin_panel:received",
        "Every message that reached the desk; the ones that could not become a ticket or a reply wait here "
        "with their reason, to be read raw, processed again or discarded.",
    ),
    Section(
        "banned",
        "Banned senders",
        "admin_panel:banned",
        "Addresses and domains whose mail is refused (and kept, with that reason).",
    ),
    Section(
        "assignment",
        "Assignment",
        "admin_panel:assignment",
        "How each department and team hands out new tickets (manually, round-robin, or to the least busy), "
        "and each agent's availability (away, on vacation) and open-ticket limit.",
    ),
    Section(
        "email_templates",
        "Notification emails",
        "admin_panel:email_templates",
        "What the emails about tickets say, to requesters and to agents: subject, plain text and HTML, "
        "with a preview and the way back to the shipped text.",
    ),
    Section(
        "schedules",
        "Schedules",
        "admin_panel:schedules",
        "The business hours SLA plans count on: a time zone, open spans per weekday (across midnight too), "
        "holidays once or every year, and a country's public holidays.",
    ),
    Section(
        "sla_plans",
        "SLA plans",
        "admin_panel:sla_plans",
        "First-response and resolution targets, per priority where they differ, the schedule they count on, "
        "the pending rule, the warning and the escalation steps; with a preview of the due times.",
    ),
    Section(
        "help_topics",
        "Help topics",
        "admin_panel:help_topics",
        "What requesters choose when they open a ticket, nested under each other, and where each sends the "
        "ticket: department, priority, SLA plan, first status, assignment, the confirmation email.",
    ),
    Section(
        "statuses",
        "Ticket statuses",
        "admin_panel:statuses",
        "The names a ticket's state goes by (open, pending, resolved, closed), in the order agents see them, "
        "and which one each state starts with.",
    ),
    Section(
        "filter_rules",
        "Filter rules",
        "admin_panel:filter_rules",
        "Ordered rules that route, prioritize, assign or reject new tickets (and messages) by who sent "
        "them and what they say, with a page to try them on a sample.",
    ),
    Section(
        "canned_responses",
        "Canned responses",
        "admin_panel:canned_responses",
        "Each department's ready-made replies, with variables (the requester's name, the ticket's number, "
        "its links) and files, that its agents insert into a reply.",
    ),
    Section(
        "webhooks",
        "Webhooks",
        "admin_panel:webhooks",
        "URLs other systems give for ticket events (created, replied, assigned, closed...): signed "
        "deliveries, retried, with each attempt's answer and a re-send.",
    ),
    Section(
        "requesters",
        "Requesters",
        "admin_panel:requesters",
        "The people the desk serves: find them by name or address, edit them, merge two who are one person, "
        "import and export them as CSV.",
    ),
    Section(
        "organizations",
        "Organizations",
        "admin_panel:organizations",
        "The organizations requesters belong to, and who belongs to each.",
    ),
    Section(
        "sign_in_security",
        "Sign-in security",
        "admin_panel:sign_in_security",
        "Who must sign in with a second factor (everyone, or by role; administrators always), how long a "
        "session lasts, and each agent's second factor, with a way to reset it.",
    ),
    Section(
        "api_keys",
        "API keys",
        "admin_panel:api_keys",
        "Keys other systems use to open and follow tickets through the API: their scopes, the networks "
        "they may come from, when they expire and when each was last used; revoked here.",
    ),
    Section(
        "custom_forms",
        "Custom forms",
        "admin_panel:custom_forms",
        "Forms of extra fields (text, choices, dates, numbers, checkboxes, addresses) that help topics ask "
        "on new tickets, seen by the requester or internal to agents; agents filter and list by them.",
    ),
    Section(
        "choice_lists",
        "Choice lists",
        "admin_panel:choice_lists",
        "The choices that choice fields offer, in order, each list reusable by several fields.",
    ),
    Section(
        "audit",
        "Audit log",
        "admin_panel:audit_log",
        "Who did what, when and from where: deletions and configuration changes. Nothing here can be edited.",
    ),
]
