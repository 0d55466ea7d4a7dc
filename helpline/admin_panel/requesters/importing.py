"""Importing requesters from CSV, with a dry run that reports the rows it would refuse and why.

The real run makes the same checks; it is all or nothing: when any row is refused, nothing is imported (the
report says which rows to fix), otherwise every row is created in one transaction, with one audit entry.
Rows are only ever new requesters: an address that already is a requester's is refused, never overwritten.
"""

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models.functions import Lower

from helpline.audit.log import record
from helpline.core.text import one_line
from helpline.people.models import Agent, Organization, Requester, RequesterAddress
from helpline.people.requesters import normalize_email

MAX_BYTES = 2 * 1024 * 1024
MAX_ROWS = 10_000
LIMITS = {"name": 200, "email": 254, "phone": 40, "organization": 200}
LOOKUP_BATCH = 500


@dataclass(frozen=True)
class Refusal:
    line: int
    email: str
    reason: str


@dataclass(frozen=True)
class Row:
    line: int
    name: str
    email: str
    phone: str
    organization: str


@dataclass
class Report:
    rows: list[Row] = field(default_factory=list)
    refused: list[Refusal] = field(default_factory=list)
    new_organizations: list[str] = field(default_factory=list)
    error: str = ""
    imported: int = 0

    @property
    def acceptable(self) -> bool:
        return not self.error and not self.refused


def read_file(data: bytes) -> tuple[list[dict[str, str]], str]:
    """The file's rows keyed by lowercased column name, or an error for a file that cannot be read."""
    if len(data) > MAX_BYTES:
        return [], f"The file is larger than {MAX_BYTES // (1024 * 1024)} MB: split it."
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return [], "The file is not UTF-8 text: save it as CSV UTF-8."
    reader = csv.DictReader(io.StringIO(text, newline=""))
    columns = [(name or "").strip().lower() for name in reader.fieldnames or []]
    if not {"name", "email"} <= set(columns):
        return [], "The first line must name the columns, with at least “name” and “email”."
    reader.fieldnames = columns
    rows: list[dict[str, str]] = []
    try:
        for row in reader:
            if len(rows) == MAX_ROWS:
                return [], f"The file has more than {MAX_ROWS} rows: split it."
            rows.append({key: (value or "").strip() for key, value in row.items() if isinstance(value, str)})
    except csv.Error as error:
        return [], f"The file is not valid CSV (line {reader.line_num}): {error}"
    return rows, ""


def check(data: bytes, *, create_organizations: bool) -> Report:
    """Check every row: what would be created, what would be refused and why. A constant number of
    queries per ``LOOKUP_BATCH`` rows."""
    rows, error = read_file(data)
    report = Report(error=error)
    seen: set[str] = set()
    for line, values in enumerate(rows, start=2):
        reason, email = _row_refusal(values, seen)
        if reason:
            report.refused.append(Refusal(line, values.get("email", "")[:254], reason))
            continue
        seen.add(email.lower())
        row = Row(
            line,
            one_line(values["name"], LIMITS["name"]),
            email,
            one_line(values.get("phone", ""), LIMITS["phone"]),
            one_line(values.get("organization", ""), LIMITS["organization"]),
        )
        report.rows.append(row)
    _refuse_known_addresses(report)
    _check_organizations(report, create_organizations)
    return report


def _row_refusal(values: dict[str, str], seen: set[str]) -> tuple[str, str]:
    for column, limit in LIMITS.items():
        if len(values.get(column, "")) > limit:
            return f"The {column} is longer than {limit} characters.", ""
    if not values.get("name"):
        return "The name is missing.", ""
    try:
        email = normalize_email(values.get("email", ""))
    except ValidationError:
        return "The email is not an address.", ""
    if email.lower() in seen:
        return "The address is in the file more than once.", ""
    return "", email


def _lowered(model, column: str, values: list[str]) -> set[str]:
    """Which of the lowercased ``values`` are in ``column`` (any letter case), read in batches."""
    found: set[str] = set()
    for start in range(0, len(values), LOOKUP_BATCH):
        batch = values[start : start + LOOKUP_BATCH]
        rows = model.objects.annotate(low=Lower(column)).filter(low__in=batch).values_list("low", flat=True)
        found.update(rows)
    return found


def _refuse_known_addresses(report: Report) -> None:
    emails = [row.email.lower() for row in report.rows]
    known = _lowered(Requester, "email", emails) | _lowered(RequesterAddress, "email", emails)
    report.refused += [
        Refusal(r.line, r.email, "A requester has this address already.")
        for r in report.rows
        if r.email.lower() in known
    ]
    report.rows = [row for row in report.rows if row.email.lower() not in known]


def _check_organizations(report: Report, create: bool) -> None:
    named = {row.organization.lower(): row.organization for row in report.rows if row.organization}
    known = _lowered(Organization, "name", list(named))
    unknown = [named[name] for name in named if name not in known]
    if create:
        report.new_organizations = sorted(unknown)
        return
    refused = {name.lower() for name in unknown}
    reason = "No organization has this name (tick “create the organizations” to create it)."
    report.refused += [
        Refusal(r.line, r.email, reason) for r in report.rows if r.organization.lower() in refused
    ]
    report.rows = [row for row in report.rows if row.organization.lower() not in refused]
    report.refused.sort(key=lambda refusal: refusal.line)


def import_requesters(*, actor: Agent, data: bytes, create_organizations: bool) -> Report:
    """Check the file as the dry run does; when no row is refused, create every row in one transaction."""
    report = check(data, create_organizations=create_organizations)
    if not report.acceptable or not report.rows:
        return report
    try:
        with transaction.atomic():
            report.imported = _create(actor, report.rows, report.new_organizations)
    except IntegrityError:
        report.error = (
            "Someone added some of these requesters or organizations meanwhile: check the file again."
        )
    return report


def _create(actor: Agent, rows: Iterable[Row], new_organizations: list[str]) -> int:
    Organization.objects.bulk_create([Organization(name=name) for name in new_organizations])
    rows = list(rows)
    names = list({row.organization.lower() for row in rows if row.organization})
    ids: dict[str, int] = {}
    for start in range(0, len(names), LOOKUP_BATCH):
        batch = Organization.objects.annotate(low=Lower("name")).filter(
            low__in=names[start : start + LOOKUP_BATCH]
        )
        ids.update(batch.values_list("low", "pk"))
    Requester.objects.bulk_create(
        [
            Requester(
                name=row.name,
                email=row.email,
                phone=row.phone,
                organization_id=ids.get(row.organization.lower()) if row.organization else None,
            )
            for row in rows
        ],
        batch_size=LOOKUP_BATCH,
    )
    record(
        actor=actor,
        action="requesters.imported",
        target_type="requester",
        target_id="import",
        target_repr=f"{len(rows)} requesters imported from CSV",
        data={"imported": len(rows), "organizations_created": new_organizations},
    )
    return len(rows)
