"""Helpers for the staff panel tests: clients signed in as the personas, and quick tickets."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from conftest import open_with_hints


@pytest.fixture
def client_for():
    """A test client signed in as ``agent``."""

    def _client(agent) -> Client:
        client = Client()
        client.force_login(agent.user)
        return client

    return _client


@pytest.fixture
def sam_client(client_for, sam):
    return client_for(sam)


@pytest.fixture
def new_ticket(sam, rita, support):
    """Open a Support ticket for Rita as Sam (no on-commit work: quick, for bulk set-ups)."""

    def _new(subject="Printer on fire", requester=None, department=None, **extra):
        return open_with_hints(
            actor=sam,
            requester=requester or rita,
            department=department or support,
            subject=subject,
            body="It is really on fire.",
            **extra,
        )

    return _new


@pytest.fixture
def upload():
    def _upload(name="notes.txt", content=b"hello", content_type="text/plain"):
        return SimpleUploadedFile(name, content, content_type=content_type)

    return _upload
