"""delete_ticket: the rows go in one transaction, the files only after it commits, the people stay."""

import logging

import pytest
from django.core.files.storage import FileSystemStorage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

from helpline.mail.models import OutboundEmail
from helpline.people.models import Agent, Requester, Role
from helpline.testsupport.factories import AgentFactory
from helpline.tickets.actions import add_note, delete_ticket, post_message, post_reply
from helpline.tickets.models import Attachment, Collaborator, ThreadEntry, Ticket
from helpline.tickets.notifications import send_notification
from helpline.tickets.policy import NotAllowed
from helpline.tickets.tests.helpers import snapshot


class Boom(Exception):
    pass


def upload(name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, f"contents of {name}".encode(), content_type="text/plain")


@pytest.fixture
def busy(open_for, rita, carl, support_topic, sam):
    """Rita's ticket with a collaborator, a response, a note and a message, three files among them."""
    ticket = open_for(rita, support_topic, collaborators=[carl], attachments=[upload("first.txt")])
    post_reply(actor=sam, ticket=ticket, body="Send a photo.")
    add_note(actor=sam, ticket=ticket, body="Internal.", attachments=[upload("note.txt")])
    post_message(actor=carl, ticket=ticket, body="Here it is.", attachments=[upload("photo.txt")])
    return ticket


def stored_files(ticket) -> list:
    return [(a.file.storage, a.file.name) for a in Attachment.objects.filter(entry__ticket=ticket)]


def all_exist(files) -> bool:
    return all(storage.exists(name) for storage, name in files)


def none_exist(files) -> bool:
    return not any(storage.exists(name) for storage, name in files)


def test_a_manager_deletes_a_ticket_with_everything_on_it(
    busy, mia, rita, carl, sam, django_capture_on_commit_callbacks
):
    files = stored_files(busy)
    assert len(files) == 3 and all_exist(files)
    with django_capture_on_commit_callbacks(execute=True):
        assert delete_ticket(actor=mia, ticket=busy) == busy.number
    assert not Ticket.objects.filter(pk=busy.pk).exists()
    assert not ThreadEntry.objects.filter(ticket_id=busy.pk).exists()
    assert not Collaborator.objects.filter(ticket_id=busy.pk).exists()
    assert not Attachment.objects.exists()
    assert none_exist(files)
    # The people the thread pointed to (protected references) are all still there.
    assert set(Requester.objects.filter(pk__in=[rita.pk, carl.pk])) == {rita, carl}
    assert set(Agent.objects.filter(pk__in=[sam.pk, mia.pk])) == {sam, mia}


def test_other_tickets_are_left_alone(busy, open_for, rita, support_topic, mia):
    other = open_for(rita, support_topic, subject="Other", attachments=[upload("other.txt")])
    files = stored_files(other)
    before = snapshot(other)
    delete_ticket(actor=mia, ticket=busy)
    assert snapshot(other) == {**before, "emails": OutboundEmail.objects.count()}
    assert all_exist(files)


def test_an_administrator_may_delete(ticket, ada):
    assert delete_ticket(actor=ada, ticket=ticket) == ticket.number
    assert not Ticket.objects.filter(pk=ticket.pk).exists()


def test_the_files_go_only_after_the_commit(busy, mia, django_capture_on_commit_callbacks):
    files = stored_files(busy)
    with django_capture_on_commit_callbacks() as callbacks:
        delete_ticket(actor=mia, ticket=busy)
    assert not Ticket.objects.filter(pk=busy.pk).exists()
    assert all_exist(files)  # deleted rows, not yet committed: the files wait
    for callback in callbacks:
        callback()
    assert none_exist(files)


def test_a_rolled_back_deletion_leaves_the_rows_and_the_files(busy, mia, django_capture_on_commit_callbacks):
    files = stored_files(busy)
    before = snapshot(busy)
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(Boom),
        transaction.atomic(),
    ):
        delete_ticket(actor=mia, ticket=busy)
        raise Boom
    assert callbacks == []
    assert snapshot(busy) == before
    assert all_exist(files)


def test_the_deletion_is_on_the_audit_record(ticket, mia, caplog, django_capture_on_commit_callbacks):
    with (
        caplog.at_level(logging.INFO, logger="helpline.audit"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        delete_ticket(actor=mia, ticket=ticket)
    [record] = [r for r in caplog.records if r.name == "helpline.audit"]
    message = record.getMessage()
    assert f"#{ticket.number}" in message and "Printer on fire" in message and "agent mia" in message


def test_a_file_that_cannot_be_removed_does_not_stop_the_others(
    busy, mia, monkeypatch, caplog, django_capture_on_commit_callbacks
):
    files = stored_files(busy)
    storage, stuck = files[0]
    real_delete = FileSystemStorage.delete

    def delete(self, name):
        if name == stuck:
            raise PermissionError(name)
        real_delete(self, name)

    monkeypatch.setattr(FileSystemStorage, "delete", delete)
    with django_capture_on_commit_callbacks(execute=True):
        delete_ticket(actor=mia, ticket=busy)
    assert storage.exists(stuck) and none_exist(files[1:])
    assert any(stuck in record.getMessage() for record in caplog.records if record.levelno == logging.ERROR)


@pytest.mark.parametrize("who", ["sam", "lena", "ivan", "rita", "carl"])
def test_refusals_leave_everything(busy, who, request, django_capture_on_commit_callbacks):
    """Sam's Agent role has every permission but delete; Lena is Limited; Ivan works in IT; requesters
    never delete."""
    files = stored_files(busy)
    before = snapshot(busy)
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(NotAllowed):
        delete_ticket(actor=request.getfixturevalue(who), ticket=busy)
    assert snapshot(busy) == before
    assert all_exist(files)


def test_a_manager_of_another_department_may_not_delete(ticket, it_department):
    manager = AgentFactory(departments=[it_department], departments__role=Role.objects.get(name="Manager"))
    with pytest.raises(NotAllowed):
        delete_ticket(actor=manager, ticket=ticket)
    assert Ticket.objects.filter(pk=ticket.pk).exists()


def test_a_notification_still_queued_for_a_deleted_ticket_sends_nothing(busy, mia, mailoutbox):
    entry_id = busy.entries.latest("id").pk
    ticket_id = busy.pk
    delete_ticket(actor=mia, ticket=busy)
    mailoutbox.clear()
    assert send_notification("response", ticket_id, entry_id=entry_id) == 0
    assert send_notification("message_alert", ticket_id) == 0
    assert mailoutbox == []
