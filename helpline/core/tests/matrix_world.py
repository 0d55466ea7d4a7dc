"""The world the permission matrix asks its questions in: one of each persona and one of each record the
URLs name, made with the factories and the actions.

The ticket is the Support department's, opened by Rita, assigned to Asa (an IT agent, so outside the
department) and to the Escalations team (Tim, also of IT, is in it). A second Support ticket is linked to it and
nobody's (the one to take); a third is there to be linked. Every URL argument comes from here.
"""

from dataclasses import dataclass, field
from importlib import import_module
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from helpline.api.keys import issue_key
from helpline.catalog.models import Priority, State, TicketStatus
from helpline.custom_fields.models import ChoiceList, Form, Kind
from helpline.custom_fields.models import Field as CustomField
from helpline.custom_fields.values import form_name
from helpline.inbound.models import BannedAddress, Mailbox, RawMessage
from helpline.inbound.store import store_raw
from helpline.people.models import Agent, Organization, Requester, Role
from helpline.people.requesters import Contact
from helpline.routing.models import FilterRule, HelpTopic, TopicForm
from helpline.security.models import AgentSession
from helpline.sla.models import Schedule, SLAPlan
from helpline.staff.models import SavedQueue
from helpline.testsupport.factories import (
    AgentFactory,
    DepartmentFactory,
    HelpTopicFactory,
    RequesterFactory,
    SLAPlanFactory,
    TeamFactory,
    UserFactory,
)
from helpline.tickets.access import access_token
from helpline.tickets.actions import (
    Routing,
    add_collaborator,
    add_task,
    assign_ticket,
    link_tickets,
    open_ticket,
    post_reply,
    transfer_ticket,
)
from helpline.tickets.emails.kinds import KINDS
from helpline.tickets.models import Attachment, CannedResponse, Collaborator, Task, Ticket
from helpline.webhooks.models import Delivery, Webhook

# Who asks. The three shipped roles each have a persona in the ticket's department (ROLE_PERSONAS).
PERSONAS = (
    "admin",
    "manager",
    "agent",
    "limited",
    "outsider",
    "assignee",
    "team_member",
    "inactive",
    "requester",
    "anonymous",
)
ROLE_PERSONAS = {"Manager": "manager", "Agent": "agent", "Limited": "limited"}


@dataclass
class World:
    people: dict[str, Any]
    ticket: Ticket
    other: Ticket
    records: dict[str, Any] = field(default_factory=dict)

    def token(self, persona: str) -> str:
        """The portal link's token: the requester's own, for anyone else a forged one (a staff session is
        no way into a requester's ticket)."""
        real = access_token(self.ticket, self.people["requester"])
        return (
            real if persona == "requester" else real[:-4] + ("AAAA" if not real.endswith("AAAA") else "BBBB")
        )

    def client(self, persona: str) -> Client:
        client = Client()
        person = self.people.get(persona)
        if person is not None and person.user is not None:
            client.force_login(person.user)
        return client


def _agent(username: str, departments, role: str = "Agent", **fields) -> Agent:
    return AgentFactory(
        user=UserFactory(username=username, first_name=username.title(), **fields.pop("user", {})),
        departments=departments,
        departments__role=Role.objects.get(name=role),
        **fields,
    )


def build_world() -> World:
    support = DepartmentFactory(name="Support")
    it = DepartmentFactory(name="IT")
    team = TeamFactory(name="Escalations")
    rita = RequesterFactory(
        name="Rita Requester", email="rita@example.test", user=UserFactory(username="rita")
    )
    people: dict[str, Any] = {
        "admin": AgentFactory(user=UserFactory(username="ada", first_name="Ada"), is_admin=True),
        "manager": _agent("mia", [support], "Manager"),
        "agent": _agent("sam", [support]),
        "limited": _agent("lena", [support], "Limited"),
        "outsider": _agent("ivan", [it]),
        "assignee": _agent("asa", [it]),
        "team_member": _agent("tim", [it]),
        "inactive": _agent("ina", [support], user={"is_active": False}),
        "requester": rita,
        "anonymous": None,
    }
    people["team_member"].teams.add(team)
    topic = HelpTopicFactory(
        name="General inquiry", department=support, sla_plan=SLAPlanFactory(name="Sev-B")
    )
    admin = people["admin"]

    network = HelpTopicFactory(name="Network problem", department=it)

    def opened(subject: str, under: HelpTopic) -> Ticket:
        return open_ticket(
            actor=rita, requester=rita, subject=subject, body="It is on fire.", routing=Routing(topic=under)
        )

    ticket, other = opened("Printer on fire", network), opened("Scanner on fire", topic)
    # Assigned in IT, then moved to Support: the assignment is kept, now from outside the department.
    assign_ticket(actor=admin, ticket=ticket, agent=people["assignee"], team=team)
    transfer_ticket(actor=admin, ticket=ticket, department=support)
    link_tickets(actor=admin, ticket=ticket, other=other)
    add_collaborator(actor=admin, ticket=ticket, person=Contact(email="carl@example.test", name="Carl"))
    add_task(actor=admin, ticket=ticket, title="Order toner")
    upload = SimpleUploadedFile("notes.txt", b"toner", content_type="text/plain")
    post_reply(actor=admin, ticket=ticket, body="On its way.", attachments=[upload])
    world = World(people, Ticket.objects.get(pk=ticket.pk), Ticket.objects.get(pk=other.pk))
    world.records = _records(world, support, team) | {"third": opened("Copier on fire", topic).number}
    world.records |= _desk_records(world) | _field_records(world)
    return world


def _records(world: World, support, team) -> dict[str, Any]:
    """The records the administration and staff URLs name by id."""
    sam, now = world.people["agent"], timezone.now()
    mailbox = Mailbox.objects.create(name="Desk", address="desk@example.test", department=support)
    raw, _ = store_raw(
        b"From: a@example.test\r\nMessage-ID: <m1@example.test>\r\nSubject: Hi\r\n\r\nHello",
        source=RawMessage.Source.PIPE,
        mailbox=mailbox,
    )
    RawMessage.objects.filter(pk=raw.pk).update(status=RawMessage.Status.REJECTED)
    return {
        "collaborator": Collaborator.objects.get(ticket=world.ticket).requester_id,
        "task": Task.objects.get(ticket=world.ticket).pk,
        "attachment": Attachment.objects.get(entry__ticket=world.ticket).pk,
        "canned": CannedResponse.objects.create(
            title="Thanks", body="Thanks!", department=support, created_at=now, updated_at=now
        ).pk,
        "own_response": CannedResponse.objects.create(
            title="Mine", body="Hi", owner=sam, created_at=now, updated_at=now
        ).pk,
        "saved_queue": SavedQueue.objects.create(owner=sam, name="Mine", base="open").pk,
        "mailbox": mailbox.pk,
        "raw": raw.pk,
        "banned": BannedAddress.objects.create(pattern="spam@example.test").pk,
        "department": support.pk,
        "team": team.pk,
        "schedule": Schedule.objects.create(name="Office hours").pk,
        "sla_plan": SLAPlan.objects.get(name="Sev-B").pk,
        "topic": HelpTopic.objects.get(name="General inquiry").pk,
        "status": TicketStatus.objects.get(state=State.OPEN, is_default=True).pk,
        "pending": TicketStatus.objects.get(state=State.PENDING, is_default=True).pk,
        "priority": Priority.objects.order_by("-urgency").first().pk,
        "rule": FilterRule.objects.create(name="Spam").pk,
        "kind": next(iter(KINDS)),
        "entry": world.ticket.entries.filter(kind="message").first().pk,
        "requester": Requester.objects.get(email="rita@example.test").pk,
        "organization": Organization.objects.create(name="Acme").pk,
    }


def _desk_records(world: World) -> dict[str, Any]:
    """The records of the administration's desk pages (agents, roles, keys, webhooks) and of the agents'
    own sessions."""
    now = timezone.now()
    newcomer = AgentFactory(user=UserFactory(username="nico", email="nico@example.test"))
    newcomer.user.set_unusable_password()  # invited, not signed up yet: the link can be sent again
    newcomer.user.save(update_fields=["password"])
    hook = Webhook.objects.create(
        name="Chat", url="https://hooks.example.test/in", events=["ticket.created"], secret="s" * 32
    )
    delivery = Delivery.objects.create(
        webhook=hook, message_id="msg_1", event_type="ticket.created", body="{}", created_at=now
    )
    return {
        "agent": world.people["agent"].pk,
        "inactive_agent": world.people["inactive"].pk,
        "invited": newcomer.pk,
        "role": Role.objects.create(name="Spare").pk,  # nobody holds it, so it may be deleted
        "api_key": issue_key("Monitoring", ["read"])[0].pk,
        "webhook": hook.pk,
        "delivery": delivery.pk,
        "sessions": _sessions(world, now),
    }


def _sessions(world: World, now) -> dict[str, int]:
    """Each agent's session on another device (a live one: signing in forgets the rows of ended ones), so
    ending it changes something and the one the test is signed in with stays."""
    store = import_module(settings.SESSION_ENGINE).SessionStore
    found = {}
    for persona in (persona for persona in PERSONAS if persona not in ("requester", "anonymous")):
        session = store()
        session.create()
        found[persona] = AgentSession.objects.create(
            user=world.people[persona].user,
            session_key=session.session_key,
            user_agent="Phone",
            signed_in_at=now,
            last_seen_at=now,
        ).pk
    return found


def _field_records(world: World) -> dict[str, Any]:
    """A form of the ticket's help topic, with a choice list and an internal text field."""
    hardware = Form.objects.create(name="Hardware")
    TopicForm.objects.create(topic_id=world.ticket.topic_id, form=hardware, sort=10)
    devices = ChoiceList.objects.create(name="Devices", choices=["Laptop", "Printer"])
    tag = CustomField.objects.create(
        form=hardware, label="Asset tag", key="asset_tag", kind=Kind.TEXT, is_public=False, sort=10
    )
    return {
        "custom_form": hardware.pk,
        "custom_field": tag.pk,
        "field_input": form_name(tag),
        "choice_list": devices.pk,
    }
