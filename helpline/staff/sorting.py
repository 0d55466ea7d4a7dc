"""How the staff lists sort: the sort keys, the columns' headers and the links that sort by them."""

from dataclasses import dataclass

from django.utils.http import urlencode

PAGE_SIZE = 25
DEFAULT_SORT = "-updated"
# Sort key -> (ordered field, the direction a first click on its header asks for).
SORTS = {
    "updated": ("updated_at", "-"),
    "created": ("created_at", "-"),
    "number": ("number", ""),
    "priority": ("urgency", "-"),
    "due": ("due_at", ""),
}
QUEUE_RELATIONS = ("requester", "department", "priority", "status", "assignee__user", "team")
# The table's columns in order; the key names the sort a header link asks for (empty: not sortable).
HEADERS = [
    ("number", "Number"),
    ("", "Subject"),
    ("", "Requester"),
    ("", "Department"),
    ("priority", "Priority"),
    ("", "Status"),
    ("", "Assigned to"),
    ("created", "Created"),
    ("updated", "Updated"),
    ("due", "Due"),
]


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    url: str  # empty for a column the table cannot be sorted by
    direction: str  # "ascending", "descending" or "" when the table is not sorted by this column


def parse_sort(raw: str | None, default: str = DEFAULT_SORT) -> tuple[str, bool]:
    """The sort key and whether it descends; anything unknown falls back to the default."""
    raw = raw or default
    key = raw.removeprefix("-")
    if key not in SORTS:
        return parse_sort(default)
    return key, raw.startswith("-")


def table_headers(
    queue_url: str,
    key: str,
    descending: bool,
    keep: dict[str, str] | None = None,
    hidden: frozenset[str] = frozenset(),
) -> list[Column]:
    """Header links: a click on the current column reverses it, on another sorts by its usual direction.
    ``keep``: the other parameters of the list (its filters), kept by every link; ``hidden``: columns left out
    (by their label)."""
    headers = []
    for name, label in HEADERS:
        if label in hidden:
            continue
        if not name:
            headers.append(Column(name, label, "", ""))
            continue
        if name == key:
            target = name if descending else f"-{name}"
            direction = "descending" if descending else "ascending"
        else:
            target, direction = f"{SORTS[name][1]}{name}", ""
        url = f"{queue_url}?{urlencode({**(keep or {}), 'sort': target})}"
        headers.append(Column(name, label, url, direction))
    return headers


# The columns a saved queue may leave out (number and subject are always shown), keyed by their label in
# the table's headers.
COLUMNS = [
    ("requester", "Requester"),
    ("department", "Department"),
    ("priority", "Priority"),
    ("status", "Status"),
    ("assignee", "Assigned to"),
    ("created", "Created"),
    ("updated", "Updated"),
    ("due", "Due"),
]
COLUMN_KEYS = [key for key, _label in COLUMNS]
