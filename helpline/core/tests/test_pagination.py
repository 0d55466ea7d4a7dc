"""keyset_page: walking every page of a queryset, in either direction, never skips or repeats a row."""

import base64
import json
from datetime import UTC, datetime, timedelta

import pytest
from django.db.models import Q
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from helpline.core.pagination import decode_cursor, encode_cursor, keyset_page
from helpline.mail.models import OutboundEmail

T0 = datetime(2025, 3, 3, 9, 0, tzinfo=UTC)
# Few distinct moments, so ties are common; a microsecond apart must still sort apart.
MOMENTS = [T0, T0 + timedelta(microseconds=1), T0 + timedelta(seconds=1), T0 + timedelta(days=400)]
examples = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


def make_rows(values: list, field: str, reasons: list[str] | None = None) -> list[int]:
    OutboundEmail.objects.all().delete()
    reasons = reasons or ["test"] * len(values)
    rows = OutboundEmail.objects.bulk_create(
        OutboundEmail(to=["x@example.test"], subject="s", body_text="", reason=reason, **{field: value})
        for value, reason in zip(values, reasons, strict=True)
    )
    return [row.pk for row in rows]


def walk(field: str, descending: bool, size: int, branches: list[Q] | None = None) -> list[list[int]]:
    """Follow next_cursor from the first page to the last; the pages' primary keys."""
    pages, cursor = [], None
    for _ in range(OutboundEmail.objects.count() + 2):
        page = keyset_page(
            OutboundEmail.objects.all(),
            field=field,
            descending=descending,
            cursor=cursor,
            size=size,
            branches=branches or (),
        )
        pages.append([row.pk for row in page.rows])
        cursor = page.next_cursor
        if cursor is None:
            return pages
    raise AssertionError("the walk did not end")


def expected_order(pks: list[int], values: list, descending: bool) -> list[int]:
    """Nulls last in either direction; ties broken by primary key in the same direction."""
    sign = -1 if descending else 1
    present = sorted(
        ((value, pk) for pk, value in zip(pks, values, strict=True) if value is not None),
        key=lambda pair: (pair[0], pair[1]),
        reverse=descending,
    )
    nulls = sorted(
        (pk for pk, value in zip(pks, values, strict=True) if value is None), key=lambda pk: sign * pk
    )
    return [pk for _, pk in present] + nulls


def check_walk(values: list, field: str, descending: bool, size: int) -> None:
    pks = make_rows(values, field)
    pages = walk(field, descending, size)
    assert [pk for page in pages for pk in page] == expected_order(pks, values, descending)
    assert all(len(page) == size for page in pages[:-1])
    assert len(pages[-1]) <= size and (len(pages[-1]) > 0 or not values)


@examples
@given(
    values=st.lists(st.one_of(st.none(), st.sampled_from(MOMENTS)), max_size=20),
    descending=st.booleans(),
    size=st.integers(1, 6),
)
def test_walking_a_nullable_datetime_field(db, values, descending, size):
    check_walk(values, "next_attempt_at", descending, size)


@examples
@given(values=st.lists(st.integers(0, 3), max_size=20), descending=st.booleans(), size=st.integers(1, 6))
def test_walking_a_non_null_field_with_ties(db, values, descending, size):
    check_walk(values, "attempts", descending, size)


# Branches that overlap ("b" is in both) and together hold every row.
BRANCHES = [Q(reason__in=["a", "b"]), Q(reason__in=["b", "c"])]


@examples
@given(
    rows=st.lists(
        st.tuples(st.one_of(st.none(), st.sampled_from(MOMENTS)), st.sampled_from("abc")), max_size=20
    ),
    descending=st.booleans(),
    size=st.integers(1, 6),
)
def test_a_page_read_in_branches_is_the_page_read_whole(db, rows, descending, size):
    values = [value for value, _ in rows]
    pks = make_rows(values, "next_attempt_at", [reason for _, reason in rows])
    pages = walk("next_attempt_at", descending, size, BRANCHES)
    assert pages == walk("next_attempt_at", descending, size)
    assert [pk for page in pages for pk in page] == expected_order(pks, values, descending)


@pytest.mark.parametrize("descending", [False, True])
def test_nulls_come_last_in_both_directions(db, descending):
    values = [None, T0, None, T0 + timedelta(hours=1)]
    pks = make_rows(values, "next_attempt_at")
    [page] = walk("next_attempt_at", descending, size=10)
    dated = [pks[1], pks[3]] if not descending else [pks[3], pks[1]]
    nulls = [pks[0], pks[2]] if not descending else [pks[2], pks[0]]
    assert page == dated + nulls


def test_a_cursor_round_trips_datetimes_and_plain_values():
    assert decode_cursor(encode_cursor(T0 + timedelta(microseconds=7), 42)) == (
        T0 + timedelta(microseconds=7),
        42,
    )
    assert decode_cursor(encode_cursor(None, 3)) == (None, 3)
    assert decode_cursor(encode_cursor("subject", 5)) == ("subject", 5)


def b64(value) -> str:
    return base64.urlsafe_b64encode(json.dumps(value).encode()).decode()


MALFORMED = [
    "",
    "!!!",
    "not base64 at all",
    base64.urlsafe_b64encode(b"\xff\xfe").decode(),
    b64("just a string"),
    b64([1, 2, 3]),
    b64([1, "2"]),
    b64([[1], 2]),
    b64([{"dt": "yesterday"}, 2]),
    b64([{"x": 1}, 2]),
    b64({"a": 1, "b": 2}),
    b64(["not a moment", 2]),  # well-formed, but the value does not fit the field
    b64([12.5, 2]),
]


@pytest.mark.parametrize("cursor", MALFORMED)
def test_a_malformed_cursor_gives_the_first_page(db, cursor):
    make_rows([T0, None, T0 + timedelta(hours=1)], "next_attempt_at")
    first = keyset_page(
        OutboundEmail.objects.all(), field="next_attempt_at", descending=True, cursor=None, size=2
    )
    page = keyset_page(
        OutboundEmail.objects.all(), field="next_attempt_at", descending=True, cursor=cursor, size=2
    )
    assert page == first


@examples
@example(
    cursor=b64([34364, 4])
)  # beyond a small integer column: PostgreSQL's range check, found by this test
@given(
    cursor=st.text(max_size=60)
    | st.builds(b64, st.lists(st.none() | st.integers() | st.text(max_size=8), max_size=3))
)
def test_no_cursor_makes_paging_fail(db, cursor):
    for field in ("next_attempt_at", "attempts"):
        page = keyset_page(OutboundEmail.objects.all(), field=field, descending=False, cursor=cursor, size=3)
        assert isinstance(page.rows, list)
