"""Tasks inside a ticket: agents who may edit the ticket add, change, tick and delete them, each change in
the thread; a task goes to an agent who may see the ticket; "My tasks" lists an agent's open ones."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from helpline.tickets.models import EntryKind, Task


def url(name, ticket, *args):
    return reverse(f"staff:{name}", args=[ticket.number, *args])


def events(ticket):
    return list(ticket.entries.filter(kind=EntryKind.EVENT).values_list("event", flat=True))


def add(client, ticket, title="Call Rita back", assignee=None, due_on=""):
    data = {"title": title, "assignee": assignee.pk if assignee else "", "due_on": due_on}
    return client.post(url("task_add", ticket), data)


def test_a_task_is_added_changed_ticked_and_deleted_each_with_its_event(sam_client, lena, ticket):
    assert add(sam_client, ticket, assignee=lena, due_on="2026-12-24").status_code == 302
    task = Task.objects.get()
    assert (task.ticket, task.assignee, task.due_on, task.is_done) == (
        ticket,
        lena,
        date(2026, 12, 24),
        False,
    )
    edit = {"title": "Call Rita back today", "assignee": lena.pk, "due_on": ""}
    assert sam_client.post(url("task_edit", ticket, task.pk), edit).status_code == 302
    assert sam_client.post(url("task_done", ticket, task.pk), {"done": "1"}).status_code == 302
    task.refresh_from_db()
    assert task.is_done and task.done_at is not None and task.due_on is None
    page = sam_client.get(url("ticket", ticket)).content.decode()
    assert "Sam added the task “Call Rita back” for Lena, due 2026-12-24" in page
    assert "Sam changed the task “Call Rita back today”: title was “Call Rita back”; no due date" in page
    assert "Sam marked the task “Call Rita back today” done" in page
    assert sam_client.post(url("task_delete", ticket, task.pk)).status_code == 302
    assert not Task.objects.exists()
    assert events(ticket)[-4:] == ["task_added", "task_changed", "task_done", "task_deleted"]
    assert (
        "Sam deleted the task “Call Rita back today”"
        in sam_client.get(url("ticket", ticket)).content.decode()
    )


def test_an_agent_who_may_not_edit_the_ticket_sees_its_tasks_but_changes_none(
    sam_client, client_for, lena, ticket
):
    add(sam_client, ticket, assignee=lena)
    task = Task.objects.get()
    lena_client = client_for(lena)  # the Limited role: view, reply and note only
    page = lena_client.get(url("ticket", ticket))
    assert "Call Rita back" in page.content.decode() and 'id="task-form"' not in page.content.decode()
    before = events(ticket)
    assert add(lena_client, ticket, title="Mine").status_code == 403
    assert lena_client.post(url("task_done", ticket, task.pk), {"done": "1"}).status_code == 403
    assert lena_client.post(url("task_delete", ticket, task.pk)).status_code == 403
    assert lena_client.get(url("task_edit", ticket, task.pk)).status_code == 403
    assert list(Task.objects.values_list("title", "is_done")) == [("Call Rita back", False)]
    assert events(ticket) == before


def test_a_task_goes_only_to_an_agent_who_may_see_the_ticket(sam_client, ivan, ticket):
    refused = add(sam_client, ticket, assignee=ivan)
    assert refused.status_code == 403 and "Ivan may not see ticket" in refused.content.decode()
    assert not Task.objects.exists()


def test_a_task_of_another_ticket_is_not_found_through_this_one(sam_client, lena, ticket, new_ticket):
    other = new_ticket("Other")
    add(sam_client, other, assignee=lena)
    task = Task.objects.get()
    assert sam_client.post(url("task_done", ticket, task.pk), {"done": "1"}).status_code == 404


@pytest.fixture
def many_tasks(sam_client, lena, new_ticket):
    made = []

    def make(count):
        for n in range(len(made), len(made) + count):
            made.append(n)
            ticket = new_ticket(f"Ticket {n}")
            due = f"2027-01-{n % 28 + 1:02d}" if n % 3 else ""
            add(sam_client, ticket, title=f"Task {n}", assignee=lena, due_on=due)

    return make


def test_my_tasks_lists_my_open_tasks_soonest_first_in_constant_queries(
    many_tasks, client_for, lena, sam, django_assert_max_num_queries
):
    many_tasks(4)
    lena_client = client_for(lena)
    with CaptureQueriesContext(connection) as few:
        lena_client.get(reverse("staff:my_tasks"))
    baseline = len(few.captured_queries)
    assert 0 < baseline <= 12
    many_tasks(26)  # 30 in all: more than a page
    Task.objects.filter(title="Task 1").update(is_done=True)
    Task.objects.filter(title="Task 2").update(assignee=sam)
    with django_assert_max_num_queries(baseline):
        first = lena_client.get(reverse("staff:my_tasks"))
    rows = [task for task, _visible in first.context["rows"]]
    assert len(rows) == 25 and first.context["next_url"]
    second = lena_client.get(first.context["next_url"])
    rows += [task for task, _visible in second.context["rows"]]
    titles = [task.title for task in rows]
    assert "Task 1" not in titles and "Task 2" not in titles and len(titles) == 28
    dues = [task.due_on for task in rows]
    dated = [due for due in dues if due is not None]
    assert dated == sorted(dated) and dues[: len(dated)] == dated  # dated first, soonest first; then undated
    assert 'id="nav-my-tasks"' in first.content.decode()


def test_my_tasks_pages_on_past_a_page_of_dated_tasks(sam_client, lena, new_ticket, client_for):
    for n in range(30):
        add(
            sam_client,
            new_ticket(f"Ticket {n}"),
            title=f"Task {n}",
            assignee=lena,
            due_on=f"2027-02-{n % 28 + 1:02d}",
        )
    lena_client = client_for(lena)
    first = lena_client.get(reverse("staff:my_tasks"))
    assert first.context["rows"][-1][0].due_on is not None  # the page ends on a dated task
    second = lena_client.get(first.context["next_url"])
    assert second.status_code == 200
    titles = [task.title for task, _visible in [*first.context["rows"], *second.context["rows"]]]
    assert sorted(titles) == sorted(f"Task {n}" for n in range(30))
