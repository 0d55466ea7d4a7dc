"""Nested help topics: the full name kept for each topic and those under it, no cycles, a new ticket's
status on the open state, and the topic lists of the portal and the staff panel as a tree."""

import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from helpline.catalog.models import State, TicketStatus
from helpline.routing.models import HelpTopic
from helpline.testsupport.factories import HelpTopicFactory


@pytest.fixture
def tree(it_department):
    hardware = HelpTopicFactory(name="Hardware request", department=it_department)
    monitor = HelpTopicFactory(name="Monitor", parent=hardware, department=it_department)
    cable = HelpTopicFactory(name="Cable", parent=monitor, department=it_department)
    return hardware, monitor, cable


def test_a_topic_is_named_with_its_parents(tree):
    hardware, monitor, cable = tree
    assert [str(t) for t in tree] == [
        "Hardware request",
        "Hardware request / Monitor",
        "Hardware request / Monitor / Cable",
    ]
    assert [t.depth for t in tree] == [0, 1, 2]


def test_renaming_or_moving_a_topic_renames_the_topics_under_it(tree, it_department):
    hardware, monitor, cable = tree
    hardware.name = "Equipment"
    hardware.save()
    assert HelpTopic.objects.get(pk=cable.pk).full_name == "Equipment / Monitor / Cable"
    desk = HelpTopicFactory(name="Desk", department=it_department)
    monitor.parent = desk
    monitor.save()
    assert list(HelpTopic.objects.values_list("full_name", flat=True)) == [
        "Desk",
        "Desk / Monitor",
        "Desk / Monitor / Cable",
        "Equipment",
    ]


@pytest.mark.parametrize("under", ["itself", "its child", "its grandchild"])
def test_a_topic_cannot_be_put_under_itself(tree, under):
    hardware, monitor, cable = tree
    hardware.parent = {"itself": hardware, "its child": monitor, "its grandchild": cable}[under]
    with pytest.raises(ValidationError) as refused:
        hardware.full_clean()
    assert refused.value.message_dict["parent"] == [
        "A topic cannot be placed under itself or under a topic below it."
    ]
    with pytest.raises(ValueError, match="cannot be placed under itself"):
        hardware.save()
    assert HelpTopic.objects.get(pk=hardware.pk).parent is None


def test_a_name_has_no_slash_and_a_new_tickets_status_is_an_open_one(it_department):
    pending = TicketStatus.objects.get(state=State.PENDING, is_default=True)
    topic = HelpTopic(name="Hard/ware", department=it_department, status=pending)
    with pytest.raises(ValidationError) as refused:
        topic.full_clean()
    assert set(refused.value.message_dict) == {"name", "status"}
    assert "cannot contain “/”" in refused.value.message_dict["name"][0]
    assert refused.value.message_dict["status"] == [
        "A new ticket starts open: choose a status on the open state."
    ]


def test_two_topics_may_share_a_name_under_different_parents(tree, it_department):
    software = HelpTopicFactory(name="Software", department=it_department)
    HelpTopic.objects.create(name="Monitor", parent=software, department=it_department)
    twin = HelpTopic(name="Monitor", parent=tree[0], department=it_department)
    with pytest.raises(ValidationError, match="Another topic has this name at the same place"):
        twin.full_clean()


def options(page: str) -> list[str]:
    select = re.search(r'<select name="topic"[^>]*>(.*?)</select>', page, re.S)
    assert select, page
    return [label.strip() for label in re.findall(r"<option[^>]*>([^<]*)</option>", select.group(1))]


def test_the_portal_offers_the_topics_as_a_tree_with_their_full_names(
    client, tree, support_topic, it_department
):
    hardware, monitor, cable = tree
    # Sorted as text, "(" comes before "/" and capitals before small letters: as a tree, neither matters.
    HelpTopicFactory(name="Hardware request (old)", department=it_department)
    HelpTopicFactory(name="billing", department=it_department)
    HelpTopicFactory(name="Internal", parent=hardware, department=it_department, is_public=False)
    assert options(client.get("/portal/").content.decode()) == [
        "Choose a topic",
        "billing",
        "General inquiry",
        "Hardware request",
        "Hardware request / Monitor",
        "Hardware request / Monitor / Cable",
        "Hardware request (old)",
    ]


def test_the_staff_new_ticket_form_offers_the_topics_as_a_tree(
    client, tree, support_topic, ivan, it_department
):
    HelpTopicFactory(name="Hardware request (old)", department=it_department)
    client.force_login(ivan.user)
    page = client.get(reverse("staff:ticket_new")).content.decode()
    # Ivan works in IT only: Support's topic is not offered to him.
    assert options(page) == [
        "No help topic",
        "Hardware request",
        "Hardware request / Monitor",
        "Hardware request / Monitor / Cable",
        "Hardware request (old)",
    ]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_migration_gives_existing_topics_their_names_as_full_names(support, migrator):
    then = migrator.to(("routing", "0003_priority_from_catalog"))
    then.get_model("routing", "HelpTopic").objects.create(name="Billing", department_id=support.pk)
    migrator.to_latest()
    topic = HelpTopic.objects.get()
    assert (topic.full_name, topic.parent, topic.status, topic.auto_response) == ("Billing", None, None, True)
