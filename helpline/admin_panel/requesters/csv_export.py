"""Requesters as CSV: streamed page by page, so memory stays bounded however many there are."""

import csv
from collections.abc import Iterator

from django.http import StreamingHttpResponse
from django.views.decorators.http import require_GET

from helpline.admin_panel.access import AdministratorRequest, administrator_required
from helpline.people.models import Requester

COLUMNS = ("name", "email", "phone", "organization")
CHUNK = 1000
# A cell that starts with one of these is a formula to a spreadsheet (CSV injection, OWASP).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")


def cell(value: str | None) -> str:
    """The value as a spreadsheet shows it and never runs it: a formula's start is quoted away."""
    value = value or ""
    return "'" + value if value.startswith(FORMULA_STARTS) else value


class _Echo:
    """What ``csv.writer`` writes to: each row handed back as it is written."""

    def write(self, value: str) -> str:
        return value


def export_rows() -> Iterator[str]:
    """The header, then every requester by id, read ``CHUNK`` at a time after the last id seen."""
    writer = csv.writer(_Echo())
    yield writer.writerow(COLUMNS)
    after = 0
    while True:
        rows = list(
            Requester.objects.filter(pk__gt=after)
            .order_by("pk")
            .values_list("pk", "name", "email", "phone", "organization__name")[:CHUNK]
        )
        for _pk, *values in rows:
            yield writer.writerow([cell(value) for value in values])
        if len(rows) < CHUNK:
            return
        after = rows[-1][0]


@require_GET
@administrator_required
def requesters_export(request: AdministratorRequest) -> StreamingHttpResponse:
    response = StreamingHttpResponse(export_rows(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="requesters.csv"'
    return response
