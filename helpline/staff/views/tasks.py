"""Tasks on the ticket page (add, edit, tick done, delete: each through its action) and the agent's own
list of open tasks."""

from typing import Any

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from helpline.core.pagination import keyset_page
from helpline.people.permissions import Perm
from helpline.staff.task_forms import TaskForm
from helpline.staff.views.base import AgentRequest, agent_required, visible_ticket_or_404
from helpline.staff.views.ticket import offered_agents
from helpline.staff.views.ticket_actions import handle
from helpline.tickets.actions import add_task, delete_task, edit_task, set_task_done
from helpline.tickets.models import Task, Ticket
from helpline.tickets.policy import can, require

PAGE_SIZE = 25


def _task(ticket: Ticket, pk: int) -> Task:
    return get_object_or_404(Task.objects.select_related("assignee__user"), pk=pk, ticket=ticket)


def _back(ticket: Ticket) -> str:
    return reverse("staff:ticket", args=[ticket.number]) + "#tasks"


@require_POST
@agent_required
def task_add(request: AgentRequest, number: str) -> HttpResponse:
    ticket = visible_ticket_or_404(request.agent, number)

    def operation(data: dict[str, Any]) -> tuple[str, str]:
        add_task(
            actor=request.agent,
            ticket=ticket,
            title=data["title"],
            assignee=data["assignee"],
            due_on=data["due_on"],
        )
        return f"Task “{data['title']}” added.", _back(ticket)

    return handle(request, ticket, "task", TaskForm(request.POST, offered=offered_agents(ticket)), operation)


@require_http_methods(["GET", "POST"])
@agent_required
def task_edit(request: AgentRequest, number: str, pk: int) -> HttpResponse:
    ticket = visible_ticket_or_404(request.agent, number)
    task = _task(ticket, pk)
    require(request.agent, Perm.EDIT, ticket)
    offered = offered_agents(ticket)
    if request.method != "POST":
        initial = {"title": task.title, "assignee": task.assignee_id, "due_on": task.due_on}
        form = TaskForm(initial=initial, offered=offered)
    else:
        form = TaskForm(request.POST, offered=offered)
        if form.is_valid():
            data = form.cleaned_data
            changed = edit_task(
                actor=request.agent,
                task=task,
                title=data["title"],
                assignee=data["assignee"],
                due_on=data["due_on"],
            )
            messages.success(request, "Task saved." if changed else "Nothing changed.")
            return redirect(_back(ticket))
    context = {"ticket": ticket, "task": task, "form": form}
    return render(request, "staff/task_edit.html", context, status=400 if form.is_bound else 200)


@require_POST
@agent_required
def task_done(request: AgentRequest, number: str, pk: int) -> HttpResponse:
    ticket = visible_ticket_or_404(request.agent, number)
    task = _task(ticket, pk)
    done = request.POST.get("done") == "1"
    set_task_done(actor=request.agent, task=task, done=done)
    messages.success(request, f"Task “{task.title}” {'done' if done else 'open again'}.")
    return redirect(_back(ticket))


@require_POST
@agent_required
def task_delete(request: AgentRequest, number: str, pk: int) -> HttpResponse:
    ticket = visible_ticket_or_404(request.agent, number)
    task = _task(ticket, pk)
    delete_task(actor=request.agent, task=task)
    messages.success(request, f"Task “{task.title}” deleted.")
    return redirect(_back(ticket))


@require_GET
@agent_required
def my_tasks(request: AgentRequest) -> HttpResponse:
    """The agent's open tasks, soonest due first (those without a due date last), by keyset: one range of
    the (assignee, is_done, due_on, id) index per page, and the tickets in the same query."""
    agent = request.agent
    tasks = Task.objects.filter(assignee=agent, is_done=False).select_related("ticket")
    page = keyset_page(
        tasks, field="due_on", descending=False, cursor=request.GET.get("after"), size=PAGE_SIZE
    )
    # A ticket transferred away since is named no more; the task stays the agent's to hand back.
    rows = [(task, can(agent, Perm.VIEW, task.ticket)) for task in page.rows]
    next_url = f"{request.path}?{urlencode({'after': page.next_cursor})}" if page.next_cursor else ""
    return render(request, "staff/my_tasks.html", {"rows": rows, "next_url": next_url})
