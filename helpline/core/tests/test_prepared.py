"""Queries compiled once and run with new values (core.prepared), on both databases."""

import pytest
from django.db.models import Q

from helpline.core.prepared import PreparedIn, PreparedQuery
from helpline.people.models import Membership, Role
from helpline.testsupport.factories import DepartmentFactory
from helpline.tickets.models import Ticket


def _memberships(agent_id: int):
    return (
        Membership.objects.filter(agent_id=agent_id)
        .values_list("department__name", "role__permissions")
        .order_by("department__name")
    )


def test_rows_are_those_of_the_queryset_with_its_conversions(sam, ivan, ada):
    query = PreparedQuery(_memberships)
    for agent in (sam, ivan, ada):
        assert query.rows(agent.pk) == list(_memberships(agent.pk))
    (name, permissions), *_ = query.rows(sam.pk)
    assert name == "Support" and isinstance(permissions, list)  # the JSON column decoded, as the ORM does


def test_the_sql_is_compiled_once_and_each_run_is_one_query(sam, ivan, django_assert_num_queries):
    built = []

    def build(agent_id: int):
        built.append(agent_id)
        return _memberships(agent_id)

    query = PreparedQuery(build)
    query.rows(sam.pk)
    expected = list(_memberships(ivan.pk))
    with django_assert_num_queries(1):
        assert query.rows(ivan.pk) == expected
    assert len(built) == 1 and built[0] not in (sam.pk, ivan.pk)  # built with a stand-in, not a real id


def test_several_values_each_go_to_their_place(sam, ivan):
    query = PreparedQuery(
        lambda first, second: (
            Membership.objects.filter(agent_id__in=[first, second])
            .values_list("agent_id", flat=False)
            .order_by("agent_id")
        ),
        kinds=(int, int),
    )
    assert query.rows(sam.pk, ivan.pk) == sorted([(sam.pk,), (ivan.pk,)])
    assert query.rows(ivan.pk, ivan.pk) == [(ivan.pk,)]


def test_a_role_change_is_seen_at_once_as_nothing_is_cached_but_the_sql(sam):
    query = PreparedQuery(_memberships)
    query.rows(sam.pk)
    role = Membership.objects.get(agent=sam).role
    Role.objects.filter(pk=role.pk).update(permissions=["view"])
    assert query.rows(sam.pk)[0][1] == ["view"]


def test_values_must_be_of_the_kinds_given(sam):
    query = PreparedQuery(_memberships)
    for bad in ((), (sam.pk, sam.pk), ("1",), (True,), (None,)):
        with pytest.raises(TypeError):
            query.rows(*bad)
    with pytest.raises(TypeError):
        PreparedQuery(_memberships, kinds=(float,))


def test_model_instances_come_with_the_relations_they_select(ticket, sam, django_assert_num_queries):
    Ticket.objects.filter(pk=ticket.pk).update(assignee=sam)
    query = PreparedQuery(
        lambda number: Ticket.objects.select_related("requester", "assignee__user", "team").filter(
            number=number
        ),
        kinds=(str,),
    )
    query.objects(ticket.number)
    with django_assert_num_queries(1):
        (found,) = query.objects(ticket.number)
        assert found.requester.email == ticket.requester.email
        assert found.assignee.user.username == sam.user.username
        assert found.team is None
    assert found == ticket and found.subject == ticket.subject and found.created_at == ticket.created_at
    found.subject = "Saved as any other"
    found.save(update_fields=["subject"])  # loaded as from the database: an update, not an insert
    assert Ticket.objects.get(pk=ticket.pk).subject == "Saved as any other"
    assert query.objects("no such number") == []


def test_a_value_the_sql_does_not_carry_is_refused_when_compiling(db):
    query = PreparedQuery(lambda agent_id: Membership.objects.values_list("pk"))
    with pytest.raises(ValueError, match="do not appear"):
        query.rows(1)
    rewritten = PreparedQuery(lambda words: Ticket.objects.filter(subject__contains=words), kinds=(str,))
    with pytest.raises(ValueError, match="do not appear"):
        rewritten.objects("printer")


def test_a_number_no_column_can_hold_finds_nothing(sam, django_assert_num_queries):
    query = PreparedQuery(_memberships)
    query.rows(sam.pk)
    with django_assert_num_queries(0):
        assert query.rows(2**70) == [] and query.rows(-(2**64)) == []


def test_a_big_integer_column_is_compared_as_the_orm_compares_it(db):
    """On PostgreSQL the ORM passes a BigIntegerField's value wrapped in psycopg's Int8: the stand-in is
    found in its wrapper, and each value goes in wrapped the same way."""
    from helpline.mail.models import OutboundEmail

    for ticket_id in (7, 7, 8, 2**40):
        OutboundEmail.objects.create(
            to=["x@example.test"], subject="s", body_text="", reason="test", ticket_id=ticket_id
        )
    query = PreparedQuery(
        lambda ticket_id: (
            OutboundEmail.objects.filter(ticket_id=ticket_id).order_by("pk").values_list("ticket_id")
        )
    )
    assert query.rows(7) == [(7,), (7,)]
    assert query.rows(2**40) == [(2**40,)]
    assert query.rows(9) == []


def test_rows_of_one_value_or_several_are_those_of_the_queryset(sam, ivan, ada, django_assert_num_queries):
    """``PreparedIn``: one value through the SQL compiled once, several through ``__in``; the same rows."""
    built: list[Q] = []

    def build(which: Q):
        built.append(which)
        return Membership.objects.filter(which).order_by("agent_id", "pk")

    query = PreparedIn("agent_id", build)
    everyone = [sam.pk, ivan.pk, ada.pk]
    assert query.objects(everyone) == list(
        Membership.objects.filter(agent_id__in=everyone).order_by("agent_id", "pk")
    )
    query.objects([sam.pk])
    compiled = len(built)
    expected = list(Membership.objects.filter(agent_id=ivan.pk).order_by("pk"))
    with django_assert_num_queries(1):
        assert query.objects([ivan.pk]) == expected
    assert len(built) == compiled  # the one value's SQL was not built again
    names = PreparedIn(
        "agent_id", lambda which: Membership.objects.filter(which).order_by("pk").values_list("agent_id")
    )
    assert names.rows([ada.pk]) == [(ada.pk,)] * Membership.objects.filter(agent=ada).count()
    assert sorted(names.rows(everyone)) == sorted(
        Membership.objects.filter(agent_id__in=everyone).values_list("agent_id")
    )


def test_first_is_the_first_instance_in_the_querysets_order_or_none(sam, ivan, django_assert_num_queries):
    existing = Membership.objects.filter(agent=sam).first()
    Membership.objects.create(agent=sam, department=DepartmentFactory(), role=existing.role)
    query = PreparedQuery(lambda agent_id: Membership.objects.filter(agent_id=agent_id).order_by("-pk"))
    newest = Membership.objects.filter(agent=sam).order_by("-pk").first()
    assert Membership.objects.filter(agent=sam).count() > 1
    query.first(sam.pk)
    with django_assert_num_queries(1):
        assert query.first(sam.pk) == newest
    assert query.first(-1) is None
