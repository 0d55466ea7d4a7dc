"""Set-up and operations: migrations, the deployment check, createsuperuser, backups by dumpdata."""

import os
import secrets
import subprocess
import sys
from io import StringIO

from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.db import connection

from helpline.tickets.models import Ticket

DEMO_APPS = ["auth", "people", "tickets", "routing", "sla", "mail"]


def test_no_model_change_lacks_a_migration(db):
    call_command("makemigrations", "--check", "--dry-run", stdout=StringIO())  # exits 1 if one is missing


def test_the_production_settings_pass_the_deployment_check(tmp_path):
    """Production settings (DEBUG unset, a real key, one host) give no warning from ``check --deploy``."""
    result = deploy_check(tmp_path, EMAIL_URL="smtp://helpline:secret@mail.helpline.example:587?tls=1")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_the_deployment_check_asks_for_a_real_mail_transport(tmp_path):
    """Without EMAIL_URL mail goes to files in the data directory: right for ``make run``, flagged here."""
    result = deploy_check(tmp_path)
    assert result.returncode == 1
    assert "mail.E001" in result.stderr


def deploy_check(data_dir, **extra: str) -> subprocess.CompletedProcess:
    """``manage.py check --deploy`` with the production settings: DEBUG unset, a random 60-character key,
    one host, and nothing else of this process's configuration."""
    ours = ("DEBUG", "DATABASE_URL", "HELPLINE_", "SECRET_KEY", "SECURE_", "BEHIND_PROXY", "EMAIL_URL")
    env = {name: value for name, value in os.environ.items() if not name.startswith(ours)}
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)  # the browser tests' setting, never a deployment's
    env |= {
        "DJANGO_SETTINGS_MODULE": "helpline.config.settings",
        "SECRET_KEY": secrets.token_urlsafe(45),
        "ALLOWED_HOSTS": "helpline.example",
        "HELPLINE_DATA_DIR": str(data_dir),
        **extra,
    }
    return subprocess.run(  # noqa: S603 - our own interpreter and manage.py
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_createsuperuser_makes_a_helpline_administrator(db, monkeypatch, client):
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", "a long and unusual passphrase")
    call_command(
        "createsuperuser", "--noinput", username="boss", email="boss@helpline.example", stdout=StringIO()
    )
    user = apps.get_model("auth", "User").objects.get(username="boss")
    assert user.check_password("a long and unusual passphrase")
    assert user.agent.is_administrator
    # Signs in to the staff panel with the password, as a person would, and to the Django admin.
    signed_in = client.post(
        "/staff/login/", {"username": "boss", "password": "a long and unusual passphrase"}
    )
    assert signed_in.status_code == 302
    assert client.get("/staff/queues/open/").status_code == 200
    assert client.get("/admin/").status_code == 200


def test_the_demo_data_survives_dumpdata_flush_and_loaddata(db, tmp_path):
    call_command("load_demo", stdout=StringIO())
    before = row_counts()
    tickets = ticket_rows()
    dump = tmp_path / "helpline.json"
    call_command(
        "dumpdata",
        "--natural-foreign",
        "--natural-primary",
        "--exclude=contenttypes",
        "--exclude=auth.permission",
        "--exclude=admin.logentry",
        "--exclude=sessions",
        f"--output={dump}",
        stdout=StringIO(),
    )
    flush()
    assert not Ticket.objects.exists()
    call_command("loaddata", str(dump), stdout=StringIO())
    assert row_counts() == before
    assert ticket_rows() == tickets


def flush() -> None:
    """``manage.py flush`` inside the test's transaction. PostgreSQL's TRUNCATE refuses tables with
    foreign-key checks still pending, so they run first; deferred again after, as loaddata expects."""
    postgres = connection.vendor == "postgresql"
    if postgres:
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    call_command("flush", "--noinput", stdout=StringIO())
    if postgres:
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")


def ticket_rows() -> list[tuple]:
    # JSON fixtures keep times to the millisecond (Django's JSON encoder drops the microseconds).
    rows = Ticket.objects.values_list("number", "state", "assignee__user__username", "due_at", "is_overdue")
    return sorted(
        (*row[:3], row[3] and row[3].replace(microsecond=row[3].microsecond // 1000 * 1000), row[4])
        for row in rows
    )


def row_counts() -> dict[str, int]:
    return {
        model._meta.label: model._default_manager.count()
        for label in DEMO_APPS
        for model in apps.get_app_config(label).get_models(include_auto_created=True)
    }
