"""Tasks inside a ticket: added, changed, ticked done (or not) and deleted by agents who may edit the
ticket, each with its thread event. A task goes to an agent who may see the ticket."""

from datetime import date

from django.db import transaction
from django.utils import timezone

from helpline.people.actors import Actor
from helpline.people.models import Agent
from helpline.people.permissions import Perm
from helpline.tickets.actions.base import lock_ticket, record_event, touch
from helpline.tickets.events import Ref, TaskAdded, TaskChanged, TaskDeleted, TaskDone
from helpline.tickets.models import Task, Ticket
from helpline.tickets.policy import require, require_task_assignee

MAX_TITLE = 200


def add_task(
    *, actor: Actor, ticket: Ticket, title: str, assignee: Agent | None = None, due_on: date | None = None
) -> Task:
    """Raises NotAllowed (no edit permission, or an assignee who may not see the ticket)."""
    with transaction.atomic():
        ticket = lock_ticket(ticket)
        require(actor, Perm.EDIT, ticket)
        require_task_assignee(assignee, ticket)
        now = timezone.now()
        task = Task.objects.create(
            ticket=ticket, title=title.strip()[:MAX_TITLE], assignee=assignee, due_on=due_on, created_at=now
        )
        event = TaskAdded(task=Ref.of(task), assignee=Ref.maybe(assignee), due_on=due_on)
        record_event(ticket, actor, event, now)
        touch(ticket, now)
    return task


def edit_task(*, actor: Actor, task: Task, title: str, assignee: Agent | None, due_on: date | None) -> bool:
    """Store the new title, assignee and due date. Returns whether anything changed."""
    with transaction.atomic():
        ticket, task = _locked(task)
        require(actor, Perm.EDIT, ticket)
        title = title.strip()[:MAX_TITLE]
        changes = []
        if title != task.title:
            changes.append(f"title was “{task.title}”")
        if (assignee.pk if assignee else None) != task.assignee_id:
            require_task_assignee(assignee, ticket)
            changes.append(f"for {assignee.display_name if assignee else 'nobody'}")
        if due_on != task.due_on:
            changes.append(f"due {due_on:%Y-%m-%d}" if due_on else "no due date")
        if not changes:
            return False
        task.title, task.assignee, task.due_on = title, assignee, due_on
        task.save(update_fields=["title", "assignee", "due_on"])
        now = timezone.now()
        record_event(ticket, actor, TaskChanged(task=Ref.of(task), changes=changes), now)
        touch(ticket, now)
    return True


def set_task_done(*, actor: Actor, task: Task, done: bool) -> bool:
    """Tick the task done, or open it again. Returns False when it was so already."""
    with transaction.atomic():
        ticket, task = _locked(task)
        require(actor, Perm.EDIT, ticket)
        if task.is_done == done:
            return False
        now = timezone.now()
        task.is_done, task.done_at = done, now if done else None
        task.save(update_fields=["is_done", "done_at"])
        record_event(ticket, actor, TaskDone(task=Ref.of(task), done=done), now)
        touch(ticket, now)
    return True


def delete_task(*, actor: Actor, task: Task) -> None:
    with transaction.atomic():
        ticket, task = _locked(task)
        require(actor, Perm.EDIT, ticket)
        event = TaskDeleted(task=Ref.of(task))
        task.delete()
        now = timezone.now()
        record_event(ticket, actor, event, now)
        touch(ticket, now)


def _locked(task: Task) -> tuple[Ticket, Task]:
    """The task's ticket under its lock, then the task as stored. Raises Task.DoesNotExist."""
    ticket = lock_ticket(task.ticket_id)
    return ticket, Task.objects.select_related("assignee__user").get(pk=task.pk, ticket=ticket)
