"""delete_ticket: the rows go in one transaction, the files only after it commits, the people stay."""

import logging

import pytest
from django.core.files.storage import FileSystemStorage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client

from helpline.audit.models import AuditEntry
from helpline.people.models import Agent, Requester, Role
from helpline.testsupport.factories import AgentFactory
from helpline.tickets.actions import add_note, delete_ticket, post_message, post_reply
from helpline.tickets.models import Attachment, Collaborator, Notification, ThreadEntry, Ticket
from helpline.tickets.notifications import deliver_notifications
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
    # Its own rows; the counts that span tickets (emails, notifications, audit records) move with the deletion.
    own = ("ticket", "entries", "collaborators", "attachments")
    assert {key: snapshot(other)[key] for key in own} == {key: before[key] for key in own}
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
    [logged] = [r for r in caplog.records if r.name == "helpline.audit"]
    assert (
        logged.getMessage() == f"Ticket #{ticket.number} 'Printer on fire' deleted by agent Mia (id {mia.pk})"
    )
    [entry] = AuditEntry.objects.all()
    assert (entry.action, entry.target_type, entry.target_id, entry.target_repr) == (
        "ticket.deleted",
        "ticket",
        ticket.number,
        f"#{ticket.number} Printer on fire",
    )
    assert (entry.actor_kind, entry.actor_id, entry.actor_name) == ("agent", mia.pk, "Mia")
    assert entry.data["requester"] == {
        "id": ticket.requester_id,
        "name": "Rita Requester",
        "email": "rita@example.test",
    }
    assert entry.data["department"] == {"id": ticket.department_id, "name": "Support"}
    assert (entry.data["number"], entry.data["subject"], entry.data["entries"]) == (
        ticket.number,
        "Printer on fire",
        2,
    )


def test_the_audit_record_of_a_deletion_names_the_address_it_came_from(ticket, mia):
    client = Client(REMOTE_ADDR="203.0.113.9")
    client.force_login(mia.user)
    response = client.post(f"/staff/tickets/{ticket.number}/delete/")
    assert response.status_code == 302 and not Ticket.objects.filter(pk=ticket.pk).exists()
    assert AuditEntry.objects.get(action="ticket.deleted").address == "203.0.113.9"


def test_a_refused_deletion_leaves_no_audit_record(ticket, sam):
    with pytest.raises(NotAllowed):
        delete_ticket(actor=sam, ticket=ticket)
    assert not AuditEntry.objects.exists()


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


def test_a_notification_still_queued_for_a_deleted_ticket_sends_nothing(
    busy, mia, sam, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):  # the task is queued, not yet run
        post_reply(actor=sam, ticket=busy, body="One more thing.")
    owed = list(Notification.objects.filter(ticket=busy, entry__body_text="One more thing."))
    assert [n.kind for n in owed] == ["response"]
    delete_ticket(actor=mia, ticket=busy)
    mailoutbox.clear()
    assert deliver_notifications([n.pk for n in owed]) == 0
    assert mailoutbox == [] and not Notification.objects.filter(pk__in=[n.pk for n in owed]).exists()
