"""Help topics in the administration area: the tree with where each routes, created and edited with every
setting, validated field by field (no cycles, agents of the department only), deactivated, each change on
the audit log."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from helpline.admin_panel.tests.conftest import submitted
from helpline.audit.models import AuditEntry
from helpline.catalog.models import Priority, State, TicketStatus
from helpline.routing.models import HelpTopic
from helpline.testsupport.factories import HelpTopicFactory, SLAPlanFactory, TeamFactory

LIST = reverse("admin_panel:help_topics")
NEW = reverse("admin_panel:help_topic_new")


def edit_url(topic):
    return reverse("admin_panel:help_topic_edit", args=[topic.pk])


@pytest.fixture
def hardware(it_department):
    return HelpTopicFactory(name="Hardware request", department=it_department)


def form_data(department, **changes):
    data = {
        "name": "Monitor",
        "parent": "",
        "department": department.pk,
        "is_public": "on",
        "priority": "",
        "sla_plan": "",
        "status": "",
        "auto_response": "on",
        "assign_to_agent": "",
        "assign_to_team": "",
        "is_active": "on",
    } | changes
    return {key: value for key, value in data.items() if value is not None}


def test_the_list_shows_the_topics_as_a_tree(admin_client, hardware, it_department, support_topic):
    monitor = HelpTopicFactory(name="Monitor", parent=hardware, department=it_department, is_public=False)
    HelpTopicFactory(name="Hardware requests", department=it_department, is_active=False)
    content = admin_client.get(LIST).content.decode()
    names = re.findall(r'<th scope="row"[^>]*><a href="[^"]+">([^<]+)</a>', content)
    assert names == ["General inquiry", "Hardware request", "Monitor", "Hardware requests"]
    row = content[content.index(f'id="topic-{monitor.pk}"') :]
    assert 'class="title depth-1"' in row and "under Hardware request" in row and "internal" in row
    assert "inactive" in content and f"?parent={hardware.pk}" in content


def test_a_topic_is_created_under_another_with_every_setting_and_recorded(
    admin_client, hardware, it_department, ivan, ada
):
    emergency, plan, team = (
        Priority.objects.get(name="Emergency"),
        SLAPlanFactory(name="Sev-A"),
        TeamFactory(name="Desk"),
    )
    in_progress = TicketStatus.objects.create(name="In progress", state=State.OPEN, sort=5)
    # The "add under" link starts the form under the parent, in its department.
    start = admin_client.get(NEW, {"parent": hardware.pk})
    assert start.context["form"]["parent"].value() == hardware.pk
    assert start.context["form"]["department"].value() == it_department.pk
    data = form_data(
        it_department,
        parent=hardware.pk,
        priority=emergency.pk,
        sla_plan=plan.pk,
        status=in_progress.pk,
        auto_response=None,
        is_public=None,
        assign_to_agent=ivan.pk,
        assign_to_team=team.pk,
    )
    response = admin_client.post(NEW, data)
    assert response.status_code == 302 and response["Location"] == LIST
    topic = HelpTopic.objects.get(name="Monitor")
    assert (topic.full_name, topic.department, topic.priority, topic.sla_plan, topic.status) == (
        "Hardware request / Monitor",
        it_department,
        emergency,
        plan,
        in_progress,
    )
    assert (topic.auto_response, topic.is_public, topic.assign_to_agent, topic.assign_to_team) == (
        False,
        False,
        ivan,
        team,
    )
    entry = AuditEntry.objects.get()
    assert (entry.action, entry.actor_id, entry.target_repr) == (
        "help_topic.created",
        ada.pk,
        "Hardware request / Monitor",
    )
    assert entry.data["after"]["parent"] == {"id": hardware.pk, "name": "Hardware request"}
    assert entry.data["after"]["status"] == {"id": in_progress.pk, "name": "In progress"}


def test_renaming_a_topic_renames_those_under_it_and_records_the_change(
    admin_client, hardware, it_department
):
    monitor = HelpTopicFactory(name="Monitor", parent=hardware, department=it_department)
    page = admin_client.get(edit_url(hardware))
    data = submitted(page.context["form"]) | {"name": "  Equipment   request "}
    response = admin_client.post(edit_url(hardware), data)
    assert response.status_code == 302
    assert HelpTopic.objects.get(pk=monitor.pk).full_name == "Equipment request / Monitor"
    entry = AuditEntry.objects.get()
    assert (entry.action, entry.data) == (
        "help_topic.changed",
        {"before": {"name": "Hardware request"}, "after": {"name": "Equipment request"}},
    )
    # Saving it again unchanged records nothing.
    again = admin_client.post(edit_url(hardware), data, follow=True)
    assert "unchanged: nothing to save" in again.content.decode() and AuditEntry.objects.count() == 1


def test_a_topic_is_never_offered_a_place_under_itself(admin_client, hardware, it_department):
    monitor = HelpTopicFactory(name="Monitor", parent=hardware, department=it_department)
    cable = HelpTopicFactory(name="Cable", parent=monitor, department=it_department)
    HelpTopicFactory(name="Desk", department=it_department)
    form = admin_client.get(edit_url(hardware)).context["form"]
    assert [label for value, label in form.fields["parent"].choices if value] == ["Desk"]
    form = admin_client.get(edit_url(cable)).context["form"]
    assert [label for value, label in form.fields["parent"].choices if value] == [
        "Desk",
        "Hardware request",
        "Hardware request / Monitor",
    ]
    response = admin_client.post(
        edit_url(hardware), form_data(it_department, name="Hardware request", parent=cable.pk)
    )
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()
    assert HelpTopic.objects.get(pk=hardware.pk).parent is None and not AuditEntry.objects.exists()


REFUSED = {
    "a slash in the name": ({"name": "Hard/ware"}, "name", "cannot contain “/”"),
    "no name": ({"name": "  "}, "name", "This field is required."),
    "the same name at the same place": (
        {"name": "hardware REQUEST"},
        "name",
        "There is a topic “Hardware request” already.",
    ),
    "an agent of another department": (
        {"assign_to_agent": "sam"},
        "assign_to_agent",
        "Sam does not work in IT",
    ),
    "a status on another state": ({"status": "pending"}, "status", "Select a valid choice"),
}


@pytest.mark.parametrize("changes, field, message", REFUSED.values(), ids=REFUSED.keys())
def test_a_setting_that_cannot_be_is_refused_on_its_field(
    admin_client, hardware, it_department, sam, changes, field, message
):
    if changes.get("assign_to_agent") == "sam":
        changes = {"assign_to_agent": sam.pk}
    if changes.get("status") == "pending":
        changes = {"status": TicketStatus.objects.get(state=State.PENDING, is_default=True).pk}
    response = admin_client.post(NEW, form_data(it_department, **changes))
    assert response.status_code == 400
    assert any(message in error for error in response.context["form"].errors[field]), response.context[
        "form"
    ].errors
    assert "There is a problem" in response.content.decode()
    assert HelpTopic.objects.count() == 1 and not AuditEntry.objects.exists()


def test_deactivating_a_topic_is_recorded_once(admin_client, hardware, ada):
    url = reverse("admin_panel:help_topic_deactivate", args=[hardware.pk])
    response = admin_client.post(url, follow=True)
    assert "deactivated: it is offered nowhere now" in response.content.decode()
    assert not HelpTopic.objects.get(pk=hardware.pk).is_active
    again = admin_client.post(url, follow=True)
    assert "inactive already" in again.content.decode()
    entry = AuditEntry.objects.get()
    assert (entry.action, entry.data) == (
        "help_topic.deactivated",
        {"before": {"is_active": True}, "after": {"is_active": False}},
    )
    assert admin_client.post(reverse("admin_panel:help_topic_deactivate", args=[999999])).status_code == 404


def count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_list_takes_as_many_queries_for_30_topics_as_for_3(admin_client, it_department, ivan):
    team, plan = TeamFactory(name="Desk"), SLAPlanFactory(name="Sev-A")

    def add(n):
        parent = None
        for i in range(n):
            parent = HelpTopicFactory(
                name=f"Topic {n}-{i}",
                department=it_department,
                parent=parent if i % 3 else None,
                assign_to_agent=ivan,
                assign_to_team=team,
                sla_plan=plan,
                priority=Priority.objects.get(name="High"),
            )

    add(3)
    three = count_queries(admin_client, LIST)
    add(27)
    assert count_queries(admin_client, LIST) == three


def test_a_parent_that_is_no_id_starts_a_topic_without_one(admin_client):
    for given in ("²", "9" * 30):
        start = admin_client.get(NEW, {"parent": given})
        assert start.status_code == 200
        assert start.context["form"]["parent"].value() is None
