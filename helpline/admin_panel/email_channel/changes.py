"""The changes an administrator makes to the email channel, each in one transaction with its audit record.

The records name what changed (before and after) and never a password: a mailbox's record says whether a
password is stored and whether it was replaced, nothing more.
"""

from typing import Any

from django.db import IntegrityError, transaction

from helpline.audit.log import record
from helpline.inbound.intake import Result, process_stored
from helpline.inbound.models import BannedAddress, Mailbox, RawMessage
from helpline.inbound.secrets import encrypt_password
from helpline.people.models import Agent, Department

# What an administrator sets on a mailbox, as the form does; the fetch status columns (last success, last
# error, next fetch) belong to the fetcher, and a save from the form never writes them back.
SETTINGS = [
    "name",
    "address",
    "department",
    "topic",
    "protocol",
    "host",
    "port",
    "security",
    "username",
    "folder",
    "after_fetch",
    "move_to",
    "fetch_every_minutes",
    "cc_as_collaborators",
    "note_tag",
    "is_default",
    "is_active",
]
RELATIONS = ("department", "topic")
DISCARDABLE = (RawMessage.Status.REJECTED, RawMessage.Status.FAILED)


class Conflict(Exception):
    """Another change, saved at the same moment, makes this one impossible (the same address, another new
    default mailbox, the same banned pattern). Nothing was saved; the person may look again and retry."""


class Refused(Exception):
    """The change is not allowed in the record's present state; the message says why."""


def settings_of(mailbox: Mailbox) -> dict[str, Any]:
    """The mailbox's settings as the audit log keeps them: plain values, relations by id and name, and
    whether a password is stored (never the password, nor its encrypted form)."""
    values: dict[str, Any] = {}
    for name in SETTINGS:
        value = getattr(mailbox, name)
        values[name] = {"id": value.pk, "name": value.name} if name in RELATIONS and value else value
    values["password"] = "stored" if mailbox.password_encrypted else "none"
    return values


def _ref(mailbox: Mailbox) -> dict[str, Any]:
    return {"id": mailbox.pk, "name": mailbox.name}


def save_mailbox(*, actor: Agent, mailbox: Mailbox, password: str, make_default: bool) -> bool:
    """Create ``mailbox`` (no pk) or save the settings a form put on it; ``password`` replaces the stored one
    unless empty. ``make_default`` takes the default flag from the mailbox that holds it, in the same
    transaction. Returns whether anything changed (an unchanged save writes nothing and records nothing).
    Raises Conflict when a concurrent change breaks a constraint."""
    try:
        with transaction.atomic():
            before = None
            if mailbox.pk:
                stored = (
                    Mailbox.objects.select_for_update(of=("self",))
                    .select_related(*RELATIONS)
                    .get(pk=mailbox.pk)
                )
                before = settings_of(stored)
                mailbox.password_encrypted = stored.password_encrypted
            if password:
                mailbox.password_encrypted = encrypt_password(password)
            held = bool(before and before["is_default"])
            taken_from = _take_default(mailbox) if make_default and not held else None
            mailbox.is_default = make_default
            after = settings_of(mailbox)
            if before is None:
                mailbox.save()
                _record(actor, "mailbox.created", mailbox, {"after": after}, taken_from)
                _give_department_its_address(mailbox)
                return True
            changed = [key for key in after if after[key] != before[key]]
            if not changed and not password:
                return False
            mailbox.save(update_fields=[*SETTINGS, "password_encrypted"])
            data = {
                "before": {key: before[key] for key in changed},
                "after": {key: after[key] for key in changed},
                "password_replaced": bool(password),
            }
            _record(actor, "mailbox.changed", mailbox, data, taken_from)
            return True
    except IntegrityError as error:
        raise Conflict(str(error)) from error


def _give_department_its_address(mailbox: Mailbox) -> None:
    """A department's first mailbox becomes its reply address: the emails about its tickets come from it and
    replies to them reach it. A department that has one keeps it."""
    Department.objects.filter(pk=mailbox.department_id, reply_address="").update(
        reply_address=mailbox.address
    )


def _take_default(mailbox: Mailbox) -> Mailbox | None:
    """Clear the flag of the mailbox that holds it (before this one takes it: the constraint allows one)."""
    holder = Mailbox.objects.select_for_update().filter(is_default=True).exclude(pk=mailbox.pk).first()
    if holder is not None:
        Mailbox.objects.filter(pk=holder.pk).update(is_default=False)
    return holder


def _record(
    actor: Agent, action: str, mailbox: Mailbox, data: dict[str, Any], taken_from: Mailbox | None
) -> None:
    if taken_from is not None:
        data["default_taken_from"] = _ref(taken_from)
    record(
        actor=actor,
        action=action,
        target_type="mailbox",
        target_id=mailbox.pk,
        target_repr=str(mailbox),
        data=data,
    )


def deactivate_mailbox(*, actor: Agent, mailbox_id: int) -> bool:
    """Stop reading the mailbox. Returns False when it was inactive already. Raises Refused for the default
    mailbox (piped mail addressed to no mailbox would have nowhere to go) and Mailbox.DoesNotExist."""
    with transaction.atomic():
        mailbox = Mailbox.objects.select_for_update().get(pk=mailbox_id)
        if not mailbox.is_active:
            return False
        if mailbox.is_default:
            raise Refused(
                f"“{mailbox.name}” is the default mailbox: make another one the default before deactivating it."
            )
        mailbox.is_active = False
        mailbox.save(update_fields=["is_active"])
        data = {"before": {"is_active": True}, "after": {"is_active": False}}
        _record(actor, "mailbox.deactivated", mailbox, data, None)
    return True


def ban_sender(*, actor: Agent, pattern: str, reason: str) -> BannedAddress:
    """Refuse mail from an address or a whole @domain (``pattern`` already validated). Raises Conflict when
    the same pattern was banned meanwhile."""
    try:
        with transaction.atomic():
            banned = BannedAddress.objects.create(pattern=pattern, reason=reason)
            record(
                actor=actor,
                action="banned_address.added",
                target_type="banned_address",
                target_id=banned.pk,
                target_repr=pattern,
                data={"pattern": pattern, "reason": reason},
            )
    except IntegrityError as error:
        raise Conflict(f"{pattern} is banned already.") from error
    return banned


def unban_sender(*, actor: Agent, banned_id: int) -> BannedAddress | None:
    """Accept mail from the pattern again. Returns the removed row, or None when it was gone already."""
    with transaction.atomic():
        banned = BannedAddress.objects.select_for_update().filter(pk=banned_id).first()
        if banned is None:
            return None
        record(
            actor=actor,
            action="banned_address.removed",
            target_type="banned_address",
            target_id=banned.pk,
            target_repr=banned.pattern,
            data={
                "pattern": banned.pattern,
                "reason": banned.reason,
                "added_at": banned.created_at.isoformat(),
            },
        )
        banned.delete()
    return banned


def discard_message(*, actor: Agent, raw_id: int) -> RawMessage:
    """Mark a rejected or failed message as discarded: it stays stored, and stops asking for attention.
    Raises Refused for a message in another state (processed, still to be processed, discarded already)
    and RawMessage.DoesNotExist."""
    with transaction.atomic():
        raw = (
            RawMessage.objects.select_for_update(of=("self",))
            .defer("data")
            .select_related("mailbox")
            .get(pk=raw_id)
        )
        if raw.status not in DISCARDABLE:
            raise Refused(
                f"Only a rejected or failed message can be discarded; this one is {raw.get_status_display().lower()}."
            )
        before = raw.status
        raw.status = RawMessage.Status.DISCARDED
        raw.save(update_fields=["status"])
        record(
            actor=actor,
            action="raw_message.discarded",
            target_type="raw_message",
            target_id=raw.pk,
            target_repr=f"{raw.sender or 'no sender'}: {raw.subject or '(no subject)'}",
            data={
                "before": {"status": before},
                "after": {"status": raw.status},
                "message_id": raw.message_id,
                "mailbox": _ref(raw.mailbox) if raw.mailbox else None,
                "outcome": raw.outcome,
                "reason": raw.reason,
            },
        )
    return raw


RETRYABLE = (RawMessage.Status.REJECTED, RawMessage.Status.FAILED, RawMessage.Status.DISCARDED)


def retry_message(*, actor: Agent, raw_id: int) -> Result:
    """Process a refused, failed or discarded message again (after banning was lifted, a mailbox added, a fault
    mended), as if it had just arrived: the intake's rules apply as they are now. The retry is on the audit
    record with the outcome. Raises Refused for a message processed already, RawMessage.DoesNotExist."""
    with transaction.atomic():
        raw = RawMessage.objects.select_for_update(of=("self",)).defer("data").get(pk=raw_id)
        if raw.status not in RETRYABLE:
            raise Refused(f"This message is {raw.get_status_display().lower()}: there is nothing to retry.")
        before = {"status": raw.status, "outcome": raw.outcome, "reason": raw.reason}
        RawMessage.objects.filter(pk=raw.pk).update(status=RawMessage.Status.RECEIVED)
    result = process_stored(RawMessage.objects.get(pk=raw_id))
    record(
        actor=actor,
        action="raw_message.retried",
        target_type="raw_message",
        target_id=raw_id,
        target_repr=f"{raw.sender or 'no sender'}: {raw.subject or '(no subject)'}",
        data={"before": before, "after": {"outcome": result.outcome.value, "reason": result.reason}},
    )
    return result
