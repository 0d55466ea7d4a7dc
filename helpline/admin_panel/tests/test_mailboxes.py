"""Mailboxes in the administration area: listed with their last fetch, created and edited with every
setting, validated field by field, the password write-only, the default flag moved in one step, each change
on the audit log."""

import html
import json
from datetime import timedelta

import pytest
from cryptography.fernet import Fernet
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from helpline.admin_panel.email_channel.changes import Conflict, save_mailbox
from helpline.audit.models import AuditEntry
from helpline.inbound.models import Mailbox
from helpline.inbound.secrets import decrypt_password, encrypt_password
from helpline.testsupport.factories import HelpTopicFactory

LIST = reverse("admin_panel:mailboxes")
NEW = reverse("admin_panel:mailbox_new")
PASSWORD = "Tr0ub4dor&3-never-shown"


def edit_url(mailbox):
    return reverse("admin_panel:mailbox_edit", args=[mailbox.pk])


def form_data(department, **changes):
    """What the form posts for an IMAP mailbox; a value of None leaves the field out (an unticked box)."""
    data = {
        "name": "Support desk",
        "address": "help@example.test",
        "department": department.pk,
        "topic": "",
        "protocol": "imap",
        "host": "imap.example.test",
        "port": "",
        "security": "ssl",
        "username": "help",
        "password": PASSWORD,
        "folder": "INBOX",
        "after_fetch": "mark_read",
        "move_to": "",
        "fetch_every_minutes": "5",
        "cc_as_collaborators": "on",
        "note_tag": "note",
        "is_active": "on",
    } | changes
    return {key: value for key, value in data.items() if value is not None}


def test_the_list_shows_each_mailbox_and_how_its_last_fetch_went(admin_client, make_mailbox):
    failing = make_mailbox(
        name="Support IMAP",
        address="support@example.test",
        protocol="imap",
        host="imap.example.test",
        last_fetch_at=timezone.now(),
        last_error="Sign-in refused: [AUTHENTICATIONFAILED] Invalid credentials\n" + "trace line\n" * 40,
    )
    make_mailbox(name="Sales POP3", protocol="pop3", host="pop.example.test", security="starttls", port=None)
    make_mailbox(name="Piped", is_default=True, last_success_at=timezone.now())
    content = admin_client.get(LIST).content.decode()
    assert "Support IMAP" in content and "support@example.test" in content and "Support" in content
    assert "imap.example.test:993" in content and "pop.example.test:110" in content  # the standard ports
    assert "Sign-in refused: [AUTHENTICATIONFAILED] Invalid credentials" in content
    assert "The whole error" in content  # the long trace is folded away, one click from the summary
    assert content.count("never") == 2  # neither fetching mailbox has succeeded yet
    assert "default" in content and reverse("admin_panel:mailbox_edit", args=[failing.pk]) in content


def test_a_mailbox_is_created_with_every_setting_and_recorded(admin_client, support, support_topic, ada):
    data = form_data(
        support,
        topic=support_topic.pk,
        port="10993",
        after_fetch="move",
        move_to="Done",
        fetch_every_minutes="15",
        cc_as_collaborators=None,
        note_tag="internal",
        is_default="on",
    )
    response = admin_client.post(NEW, data)
    assert response.status_code == 302 and response["Location"] == LIST
    mailbox = Mailbox.objects.get()
    assert (mailbox.name, mailbox.address, mailbox.department, mailbox.topic) == (
        "Support desk",
        "help@example.test",
        support,
        support_topic,
    )
    assert (mailbox.protocol, mailbox.host, mailbox.port, mailbox.security, mailbox.username) == (
        "imap",
        "imap.example.test",
        10993,
        "ssl",
        "help",
    )
    assert (mailbox.folder, mailbox.after_fetch, mailbox.move_to, mailbox.fetch_every_minutes) == (
        "INBOX",
        "move",
        "Done",
        15,
    )
    assert (mailbox.cc_as_collaborators, mailbox.note_tag, mailbox.is_default, mailbox.is_active) == (
        False,
        "internal",
        True,
        True,
    )
    assert (
        PASSWORD not in mailbox.password_encrypted
        and decrypt_password(mailbox.password_encrypted) == PASSWORD
    )
    entry = AuditEntry.objects.get()
    assert (entry.action, entry.actor_id, entry.target_id) == ("mailbox.created", ada.pk, str(mailbox.pk))
    assert entry.data["after"]["department"] == {"id": support.pk, "name": "Support"}
    assert entry.data["after"]["password"] == "stored" and entry.data["after"]["port"] == 10993


def test_the_password_is_never_shown_nor_recorded(admin_client, support, make_mailbox):
    pages = [admin_client.post(NEW, form_data(support), follow=True)]
    mailbox = Mailbox.objects.get(name="Support desk")
    token = mailbox.password_encrypted
    pages.append(admin_client.get(edit_url(mailbox)))
    # A refused edit with a new password: the form comes back without it.
    pages.append(admin_client.post(edit_url(mailbox), form_data(support, password="An0ther-s3cret", host="")))
    pages.append(
        admin_client.post(edit_url(mailbox), form_data(support, password="An0ther-s3cret"), follow=True)
    )
    pages.append(admin_client.get(reverse("admin_panel:audit_log")))
    assert [page.status_code for page in pages] == [200, 200, 400, 200, 200]
    assert 'name="password"' in pages[1].content.decode()
    for page in pages:
        content = page.content.decode()
        assert PASSWORD not in content and "An0ther-s3cret" not in content and token not in content
    records = json.dumps([entry.data for entry in AuditEntry.objects.all()])
    assert AuditEntry.objects.count() == 2 and PASSWORD not in records and "An0ther-s3cret" not in records
    mailbox.refresh_from_db()
    assert mailbox.password_encrypted not in records and token not in records


def test_an_empty_password_keeps_the_stored_one_and_a_new_one_replaces_it(
    admin_client, support, make_mailbox
):
    mailbox = make_mailbox(
        protocol="imap", host="imap.example.test", username="u", password_encrypted=encrypt_password("old")
    )
    data = form_data(support, name=mailbox.name, address=mailbox.address, password="", port="1143")
    assert admin_client.post(edit_url(mailbox), data).status_code == 302
    mailbox.refresh_from_db()
    assert decrypt_password(mailbox.password_encrypted) == "old" and mailbox.port == 1143
    change = AuditEntry.objects.get()
    assert change.action == "mailbox.changed" and change.data["password_replaced"] is False
    assert change.data["before"]["port"] is None and change.data["after"]["port"] == 1143
    assert "name" not in change.data["after"]  # only what changed
    assert admin_client.post(edit_url(mailbox), data | {"password": "new"}).status_code == 302
    mailbox.refresh_from_db()
    assert decrypt_password(mailbox.password_encrypted) == "new"
    assert AuditEntry.objects.filter(action="mailbox.changed").first().data["password_replaced"] is True


def test_a_stored_password_that_the_key_cannot_read_must_be_entered_again(
    admin_client, support, make_mailbox, settings
):
    mailbox = make_mailbox(
        protocol="imap", host="h.example.test", username="u", password_encrypted=encrypt_password("x")
    )
    settings.HELPLINE_MAILBOX_KEY = Fernet.generate_key().decode()  # the key changed since
    assert "cannot be read with the current key" in admin_client.get(edit_url(mailbox)).content.decode()
    data = form_data(support, name=mailbox.name, address=mailbox.address, password="")
    response = admin_client.post(edit_url(mailbox), data)
    assert response.status_code == 400 and "enter it again" in response.content.decode()


REFUSALS = {
    "a move without a folder": (
        {"after_fetch": "move", "move_to": " "},
        "Name the folder to move fetched mail to.",
    ),
    "a move into the fetched folder": (
        {"after_fetch": "move", "move_to": "INBOX"},
        "Choose a folder other than",
    ),
    "POP3 marking read": (
        {"protocol": "pop3", "after_fetch": "mark_read"},
        "POP3 can neither mark messages read",
    ),
    "POP3 moving": ({"protocol": "pop3", "after_fetch": "move", "move_to": "Done"}, "POP3 can neither mark"),
    "no server": ({"host": ""}, "Enter the server to fetch from."),
    "a URL for a server": ({"host": "imap://imap.example.test:993"}, "host name only"),
    "no user name": ({"username": ""}, "Enter the user name to sign in"),
    "no password": ({"password": ""}, "Enter the password to sign in to the server with."),
    "an inactive default": ({"is_default": "on", "is_active": None}, "The default mailbox must be active."),
    "a note tag with a space": (
        {"note_tag": "my note"},
        "Letters, digits, dots, hyphens and underscores only",
    ),
    "no interval": ({"fetch_every_minutes": "0"}, "greater than or equal to 1"),
    "a port out of range": ({"port": "70000"}, "less than or equal to 65535"),
    "not an address": ({"address": "help desk"}, "Enter a valid email address."),
}


@pytest.mark.parametrize("changes, message", REFUSALS.values(), ids=REFUSALS.keys())
def test_a_refused_setting_is_named_on_its_field(admin_client, support, changes, message):
    response = admin_client.post(NEW, form_data(support, **changes))
    assert response.status_code == 400 and not Mailbox.objects.exists()
    content = response.content.decode()
    assert message in content and "There is a problem" in content
    assert "has-errors" in content  # on the field, not only in the summary


def test_the_pipe_needs_no_server(admin_client, support):
    data = form_data(support, protocol="pipe", host="", username="", password="", after_fetch="mark_read")
    assert admin_client.post(NEW, data).status_code == 302
    assert Mailbox.objects.get().password_encrypted == ""


def test_an_address_is_unique_whatever_its_case(admin_client, support, make_mailbox):
    make_mailbox(name="Existing", address="help@example.test")
    response = admin_client.post(NEW, form_data(support, address="HELP@Example.TEST"))
    assert response.status_code == 400
    assert "The mailbox “Existing” already has this address." in response.content.decode()
    same_name = admin_client.post(NEW, form_data(support, name="Existing", address="other@example.test"))
    assert "Another mailbox already has this name." in same_name.content.decode()


def test_the_topic_is_one_of_the_departments(admin_client, support, it_topic):
    response = admin_client.post(NEW, form_data(support, topic=it_topic.pk))
    assert response.status_code == 400
    refusal = "“Network problem” belongs to IT: choose one of Support's topics, or none."
    assert refusal in html.unescape(response.content.decode())
    assert "IT: Network problem" in admin_client.get(NEW).content.decode()  # each topic names its department


def test_choosing_a_new_default_takes_the_flag_from_the_old_one(admin_client, support, make_mailbox):
    old = make_mailbox(name="Old default", is_default=True)
    assert admin_client.post(NEW, form_data(support, is_default="on")).status_code == 302
    new = Mailbox.objects.get(name="Support desk")
    old.refresh_from_db()
    assert new.is_default and not old.is_default
    created = AuditEntry.objects.get(action="mailbox.created")
    assert created.data["default_taken_from"] == {"id": old.pk, "name": "Old default"}


def test_the_default_flag_moves_in_one_transaction(support, make_mailbox, ada):
    """A save that fails after the old default gave up its flag leaves it where it was."""
    old = make_mailbox(name="Old default", address="old@example.test", is_default=True)
    clash = Mailbox(name="Clash", address="OLD@example.test", department=support)  # not through the form
    with pytest.raises(Conflict):
        save_mailbox(actor=ada, mailbox=clash, password="", make_default=True)
    old.refresh_from_db()
    assert old.is_default and not AuditEntry.objects.exists()


def test_a_save_keeps_what_others_wrote_since_the_form_was_loaded(support, make_mailbox, ada):
    """The fetcher's columns, and a password another administrator set meanwhile."""
    mailbox = make_mailbox(protocol="pipe")
    loaded = Mailbox.objects.get(pk=mailbox.pk)  # as the form loaded it
    fetched = timezone.now() - timedelta(minutes=1)
    Mailbox.objects.filter(pk=mailbox.pk).update(
        last_success_at=fetched, last_error="", password_encrypted=encrypt_password("set meanwhile")
    )
    loaded.fetch_every_minutes = 10
    assert save_mailbox(actor=ada, mailbox=loaded, password="", make_default=False) is True
    mailbox.refresh_from_db()
    assert mailbox.last_success_at == fetched and mailbox.fetch_every_minutes == 10
    assert decrypt_password(mailbox.password_encrypted) == "set meanwhile"


def test_an_unchanged_save_records_nothing(admin_client, support, make_mailbox):
    mailbox = make_mailbox(name="Piped", address="piped@example.test", protocol="pipe")
    data = form_data(
        support,
        name="Piped",
        address="piped@example.test",
        protocol="pipe",
        host="",
        username="",
        password="",
    )
    response = admin_client.post(edit_url(mailbox), data, follow=True)
    assert "unchanged" in response.content.decode() and not AuditEntry.objects.exists()


def test_deactivation_stops_reading_the_mailbox_and_is_recorded(admin_client, make_mailbox, ada):
    mailbox = make_mailbox(name="Old desk")
    url = reverse("admin_panel:mailbox_deactivate", args=[mailbox.pk])
    assert admin_client.get(url).status_code == 405  # never a change on GET
    response = admin_client.post(url, follow=True)
    assert "Mailbox “Old desk” deactivated" in response.content.decode()
    mailbox.refresh_from_db()
    assert not mailbox.is_active
    entry = AuditEntry.objects.get()
    assert (entry.action, entry.data) == (
        "mailbox.deactivated",
        {"before": {"is_active": True}, "after": {"is_active": False}},
    )
    again = admin_client.post(url, follow=True)
    assert "was inactive already" in again.content.decode() and AuditEntry.objects.count() == 1
    assert admin_client.post(reverse("admin_panel:mailbox_deactivate", args=[9999])).status_code == 404


def test_the_default_mailbox_is_not_deactivated(admin_client, make_mailbox):
    mailbox = make_mailbox(name="Main", is_default=True)
    response = admin_client.post(reverse("admin_panel:mailbox_deactivate", args=[mailbox.pk]), follow=True)
    assert "make another one the default before deactivating it" in response.content.decode()
    mailbox.refresh_from_db()
    assert mailbox.is_active and not AuditEntry.objects.exists()


def test_the_edit_page_shows_the_settings_and_the_last_fetch(admin_client, make_mailbox):
    mailbox = make_mailbox(
        name="Support IMAP", protocol="pop3", host="pop.example.test", security="ssl", last_error="Timed out"
    )
    content = admin_client.get(edit_url(mailbox)).content.decode()
    assert 'value="pop.example.test"' in content and 'placeholder="995"' in content
    assert "Timed out" in content and "Deactivate mailbox" in content


def count_queries(client, url):
    client.get(url)  # a mailbox made is a configuration change: the first page after it reloads what is kept
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_list_takes_as_many_queries_for_30_mailboxes_as_for_3(
    admin_client, make_mailbox, support, it_department
):
    for n in range(3):
        make_mailbox(department=support if n % 2 else it_department, last_success_at=timezone.now())
    three = count_queries(admin_client, LIST)
    for n in range(27):
        make_mailbox(department=support if n % 2 else it_department, protocol="imap", host="h.example.test")
    assert count_queries(admin_client, LIST) == three
    assert admin_client.get(LIST).content.decode().count("<tr>") == 31
    edit = make_mailbox(topic=HelpTopicFactory(department=support))
    assert count_queries(admin_client, edit_url(edit)) <= 8
