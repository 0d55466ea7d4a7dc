"""The demo office that ``manage.py load_demo`` builds: a small help desk with departments, routing, agents,
requesters and tickets in every state.

Tickets are made through the real actions (open, assign, reply, note, status, priority), so their threads,
events and notifications are what real use produces. The only shortcut is demo back-dating
(``_time_passes``): after a step, the ticket's timestamps are moved into the past with a queryset update, so
the office looks lived-in (one ticket is overdue) without a clock that runs at another speed.
"""

from dataclasses import dataclass
from datetime import time, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import F

from helpline.catalog.models import Priority, State, TicketStatus
from helpline.people.models import Agent, Department, Membership, Organization, Requester, Role, Team
from helpline.routing.models import ActionKind, Channel, ConditionField, FilterRule, HelpTopic, Operator
from helpline.sla.models import Schedule, ScheduleSpan, SLAPlan
from helpline.tickets.actions import (
    Routing,
    add_note,
    assign_ticket,
    check_sla_targets,
    open_ticket,
    post_message,
    post_reply,
    set_priority,
    set_status,
)
from helpline.tickets.models import Collaborator, Source, ThreadEntry, Ticket


@dataclass(frozen=True)
class DemoLogin:
    username: str
    password: str
    description: str


ADMIN = DemoLogin(
    "admin",
    "helpline-admin",
    "administrator (staff panel and the Django admin); sets up an authenticator app at the first sign-in",
)
LOGINS = [
    ADMIN,
    DemoLogin("sam", "demo-sam", "Support, Agent role; team Escalations"),
    DemoLogin("ivy", "demo-ivy", "IT, Agent role; team Escalations"),
    DemoLogin("sean", "demo-sean", "Sales, Agent role"),
    DemoLogin("alex", "demo-alex", "Accounting, Manager role; manager of Accounting"),
    DemoLogin("lee", "demo-lee", "Support, Limited role (view, reply, note)"),
]
DEPARTMENTS = {
    "Support": "support@helpline.example",
    "IT": "it@helpline.example",
    "Sales": "sales@helpline.example",
    "Accounting": "accounting@helpline.example",
}
# name: (on the "Business hours" schedule, else 24x7; first-response hours; resolution hours; notes)
SLA_PLANS = {
    "Sev-A": (False, 0.25, 1, "Around the clock: a first answer within 15 minutes, resolved within 1 hour."),
    "Sev-B": (False, 1, 4, "Around the clock: a first answer within 1 hour, resolved within 4 hours."),
    "Sev-C": (
        True,
        2,
        8,
        "On business hours (Monday to Friday, 09:00 to 17:00): a first answer within 2 business hours, resolved within 8.",
    ),
}
# name: (department, priority, SLA plan, auto-assigned agent)
TOPICS = {
    "General inquiry": ("Support", "Normal", "Sev-C", None),
    "Report a problem": ("Support", "High", "Sev-B", None),
    "Network or VPN": ("IT", "High", "Sev-A", None),
    "Hardware request": ("IT", "Normal", "Sev-C", None),
    "Quote or pricing": ("Sales", "Normal", "Sev-C", "sean"),
    "Billing": ("Accounting", "Normal", "Sev-B", None),
}
# Topics under another: name: (parent, priority, SLA plan); they route to their parent's department.
SUBTOPICS = {
    "Monitor": ("Hardware request", "Normal", "Sev-C"),
    "Laptop": ("Hardware request", "High", "Sev-B"),
}
# A status of the demo's own on the open state, after the shipped one.
IN_PROGRESS = "In progress"
# The example filter rule: (name, subject contains, priority, SLA plan).
OUTAGE_RULE = ("Outages are emergencies", "outage", "Emergency", "Sev-A")
# username: (first name, last name, department, role)
AGENTS = {
    "sam": ("Sam", "Porter", "Support", "Agent"),
    "ivy": ("Ivy", "Chen", "IT", "Agent"),
    "sean": ("Sean", "Murphy", "Sales", "Agent"),
    "alex": ("Alex", "Novak", "Accounting", "Manager"),
    "lee": ("Lee", "Jordan", "Support", "Limited"),
}
# The portal link printed after loading: this requester's view of this ticket.
PORTAL_SAMPLE = ("rita@northwind.example", "Pricing for 25 seats")


def demo_present() -> bool:
    return Department.objects.filter(name="Support", email=DEPARTMENTS["Support"]).exists()


def desk_in_use() -> bool:
    """Whether the database already holds a help desk of its own (agents or tickets), which the demo
    office must not be mixed into."""
    return Agent.objects.exists() or Ticket.objects.exists()


def portal_sample() -> tuple[Ticket, Requester] | None:
    email, subject = PORTAL_SAMPLE
    ticket = (
        Ticket.objects.filter(requester__email=email, subject=subject).select_related("requester").first()
    )
    return (ticket, ticket.requester) if ticket else None


def load_demo() -> None:
    """Build the whole office in one transaction. Precondition: neither ``demo_present()`` nor
    ``desk_in_use()``; the caller checks (the management command does)."""
    with transaction.atomic():
        office = _Office()
        office.build_people()
        office.build_routing()
        office.build_tickets()


class _Office:
    def __init__(self) -> None:
        self.departments: dict[str, Department] = {}
        self.agents: dict[str, Agent] = {}
        self.requesters: dict[str, Requester] = {}
        self.topics: dict[str, HelpTopic] = {}
        self.status = {state: TicketStatus.default_for(state) for state in State.values}
        self.priority = {priority.name: priority for priority in Priority.objects.all()}

    # People -------------------------------------------------------------------------------------------

    def build_people(self) -> None:
        for name, email in DEPARTMENTS.items():
            self.departments[name] = Department.objects.create(name=name, email=email)
        passwords = {login.username: login.password for login in LOGINS}
        admin_user = _user("admin", "Ada", "Admin", passwords["admin"], superuser=True)
        # Superusers get their administrator profile from helpline.people.signals.
        self.agents["admin"] = Agent.objects.get(user=admin_user)
        roles = {role.name: role for role in Role.objects.all()}
        for username, (first, last, department, role) in AGENTS.items():
            agent = Agent.objects.create(user=_user(username, first, last, passwords[username]))
            Membership.objects.create(agent=agent, department=self.departments[department], role=roles[role])
            self.agents[username] = agent
        accounting = self.departments["Accounting"]
        accounting.manager = self.agents["alex"]
        accounting.save(update_fields=["manager"])
        escalations = Team.objects.create(name="Escalations", lead=self.agents["ivy"])
        escalations.members.add(self.agents["sam"], self.agents["ivy"])
        self.escalations = escalations

        northwind = Organization.objects.create(name="Northwind Traders")
        blue_harbor = Organization.objects.create(name="Blue Harbor Clinic")
        for name, email, organization, phone in [
            ("Rita Ramos", "rita@northwind.example", northwind, "+1 555 0101"),
            ("Omar Haddad", "omar@northwind.example", northwind, ""),
            ("Grace Lin", "grace@blueharbor.example", blue_harbor, "+1 555 0142"),
            ("Paul Becker", "paul.becker@mail.example", None, ""),
        ]:
            requester = Requester.objects.create(
                name=name, email=email, organization=organization, phone=phone
            )
            self.requesters[name.split()[0].lower()] = requester

    # Routing ------------------------------------------------------------------------------------------

    def build_routing(self) -> None:
        business_hours = Schedule.objects.create(name="Business hours", time_zone=settings.TIME_ZONE)
        ScheduleSpan.objects.bulk_create(
            ScheduleSpan(schedule=business_hours, weekday=day, start=time(9), end=time(17))
            for day in range(5)
        )
        plans = {
            name: SLAPlan.objects.create(
                name=name,
                schedule=business_hours if on_business_hours else None,
                first_response_target=timedelta(hours=first),
                resolution_target=timedelta(hours=resolution),
                warn_percent=75,
                notes=notes,
            )
            for name, (on_business_hours, first, resolution, notes) in SLA_PLANS.items()
        }
        for name, (department, priority, plan, agent) in TOPICS.items():
            self.topics[name] = HelpTopic.objects.create(
                name=name,
                department=self.departments[department],
                priority=self.priority[priority],
                sla_plan=plans[plan],
                assign_to_agent=self.agents[agent] if agent else None,
            )
        for name, (parent, priority, plan) in SUBTOPICS.items():
            under = self.topics[parent]
            self.topics[f"{parent} / {name}"] = HelpTopic.objects.create(
                name=name,
                parent=under,
                department=under.department,
                priority=self.priority[priority],
                sla_plan=plans[plan],
            )
        last = TicketStatus.objects.filter(state=State.OPEN).order_by("-sort").first()
        self.in_progress = TicketStatus.objects.create(
            name=IN_PROGRESS, state=State.OPEN, sort=(last.sort if last else 0) + 10
        )
        name, words, priority, plan = OUTAGE_RULE
        rule = FilterRule.objects.create(name=name, order=10, channels=list(Channel.values))
        rule.conditions.create(field=ConditionField.SUBJECT, operator=Operator.CONTAINS, value=words)
        rule.actions.create(kind=ActionKind.SET_PRIORITY, priority=self.priority[priority], position=0)
        rule.actions.create(kind=ActionKind.SET_SLA_PLAN, sla_plan=plans[plan], position=1)

    # Tickets ------------------------------------------------------------------------------------------

    def build_tickets(self) -> None:
        agents, people, topics, status = self.agents, self.requesters, self.topics, self.status
        sam, ivy, sean, alex, lee = (agents[name] for name in ("sam", "ivy", "sean", "alex", "lee"))
        rita, omar, grace, paul = (people[name] for name in ("rita", "omar", "grace", "paul"))

        # Closed: a laptop for a new hire, delivered last week.
        ticket = self.open(
            omar,
            "Hardware request / Laptop",
            "Laptop for a new hire starting Monday",
            "Priya joins the finance team on Monday and needs a laptop with the usual setup.",
        )
        _time_passes(ticket, hours=3)
        assign_ticket(actor=ivy, ticket=ticket, agent=ivy)
        post_reply(
            actor=ivy,
            ticket=ticket,
            status=status[State.RESOLVED],
            body="The laptop is imaged and waiting at the front desk, labelled for Priya.",
        )
        _time_passes(ticket, days=2)
        set_status(actor=ivy, ticket=ticket, status=status[State.CLOSED])
        _time_passes(ticket, days=3)

        # Resolved: a duplicate charge, refunded by the Accounting manager.
        ticket = self.open(
            paul,
            "Billing",
            "Charged twice for invoice 2291",
            "My card statement shows invoice 2291 twice, both on the 3rd.",
        )
        _time_passes(ticket, hours=5)
        assign_ticket(actor=alex, ticket=ticket, agent=alex)
        post_reply(
            actor=alex,
            ticket=ticket,
            status=status[State.RESOLVED],
            body="You are right: the second charge is refunded and shows on your card in 3-5 days.",
        )
        _time_passes(ticket, days=1, hours=20)

        # Pending: Support asked a question and waits for the requester.
        ticket = self.open(
            grace,
            "General inquiry",
            "Two more people on our account",
            "Two new nurses start next week. Can they get access to the booking system?",
        )
        _time_passes(ticket, hours=2)
        assign_ticket(actor=sam, ticket=ticket, agent=sam)
        post_reply(
            actor=sam,
            ticket=ticket,
            status=status[State.PENDING],
            body="Happy to set them up. Could you send their full names and email addresses?",
        )
        _time_passes(ticket, hours=22)

        # Open, a conversation: auto-assigned to Sales by its topic, a collaborator copied.
        ticket = self.open(
            rita,
            "Quote or pricing",
            "Pricing for 25 seats",
            "We are growing to 25 people. What would the yearly plan cost?",
            collaborators=[omar],
        )
        _time_passes(ticket, hours=1)
        post_reply(
            actor=sean,
            ticket=ticket,
            body="For 25 seats the yearly plan is 4,500 EUR, onboarding included on request.",
        )
        _time_passes(ticket, minutes=50)
        post_message(actor=rita, ticket=ticket, body="Thanks! Does that include onboarding for two sites?")
        _time_passes(ticket, minutes=20)

        # Open and in progress, assigned in IT, raised to Emergency, with an internal note.
        ticket = self.open(
            omar,
            "Network or VPN",
            "VPN disconnects every few minutes",
            "Since this morning the VPN drops every few minutes for the whole sales team.",
        )
        _time_passes(ticket, minutes=5)
        assign_ticket(actor=ivy, ticket=ticket, agent=ivy)
        set_priority(actor=ivy, ticket=ticket, priority=self.priority["Emergency"])
        set_status(actor=ivy, ticket=ticket, status=self.in_progress)
        add_note(actor=ivy, ticket=ticket, body="Same on three laptops; checking the concentrator logs.")
        _time_passes(ticket, minutes=15)

        # Open, taken by phone and handed to Lee, who notes the call-back.
        ticket = open_ticket(
            actor=sam,
            requester=paul,
            routing=Routing(topic=topics["General inquiry"], priority=self.priority["Low"]),
            source=Source.PHONE,
            subject="Password reset for the portal",
            body="Paul called: the password reset email never arrives.",
        )
        assign_ticket(actor=sam, ticket=ticket, agent=lee)
        _time_passes(ticket, minutes=25)
        add_note(actor=lee, ticket=ticket, body="Called back and left a voicemail; will try again at 3 pm.")
        _time_passes(ticket, minutes=10)

        # Open and unassigned: a fresh problem report.
        ticket = self.open(
            rita,
            "Report a problem",
            "Printer on the 3rd floor jams on every job",
            "Every print job jams after the first page, on both trays.",
        )
        _time_passes(ticket, minutes=40)

        # Overdue: the Escalations team has it, the SLA (Sev-B, 4 h) ran out two hours ago.
        ticket = self.open(
            grace,
            "Report a problem",
            "Shared mailbox stopped receiving mail",
            "Nothing has arrived in reception@blueharbor.example since yesterday evening.",
        )
        _time_passes(ticket, minutes=30)
        assign_ticket(actor=sam, ticket=ticket, team=self.escalations)
        add_note(actor=sam, ticket=ticket, body="Looks like the mail routing change; Escalations please.")
        _time_passes(ticket, hours=5, minutes=30)
        check_sla_targets(ticket_id=ticket.pk)

    def open(self, requester: Requester, topic: str, subject: str, body: str, **extra) -> Ticket:
        """A requester opens a ticket in the portal under a public topic."""
        return open_ticket(
            actor=requester,
            requester=requester,
            routing=Routing(topic=self.topics[topic]),
            subject=subject,
            body=body,
            **extra,
        )


def _user(username: str, first: str, last: str, password: str, *, superuser: bool = False):
    user = get_user_model()(
        username=username,
        first_name=first,
        last_name=last,
        email=f"{username}@helpline.example",
        is_staff=superuser,
        is_superuser=superuser,
    )
    user.set_password(password)
    user.save()
    return user


TICKET_TIMES = [
    "created_at",
    "updated_at",
    "due_at",
    "first_response_due_at",
    "sla_running_since",
    "sla_warn_at",
    "next_sla_check_at",
    "pending_since",
    "first_response_at",
    "last_message_at",
    "last_response_at",
    "resolved_at",
    "closed_at",
]


def _time_passes(ticket: Ticket, **delta: float) -> None:
    """Demo back-dating: move every timestamp of the ticket and its thread ``delta`` into the past, as if
    that much time had passed since its last step. Unset times stay unset."""
    shift = timedelta(**delta)
    Ticket.objects.filter(pk=ticket.pk).update(**{name: F(name) - shift for name in TICKET_TIMES})
    ThreadEntry.objects.filter(ticket=ticket).update(created_at=F("created_at") - shift)
    Collaborator.objects.filter(ticket=ticket).update(added_at=F("added_at") - shift)
