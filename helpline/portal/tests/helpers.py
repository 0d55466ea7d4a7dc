"""Helpers for the portal tests: access links as the portal builds them, form tokens, and small uploads."""

import time

import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from helpline.portal.protection import issue_form_token
from helpline.tickets.access import access_token


def portal_url(name: str, ticket, requester, *args) -> str:
    return reverse(f"portal:{name}", args=[access_token(ticket, requester), *args])


def upload(name: str = "notes.txt", content: bytes = b"some notes", content_type: str = "text/plain"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def assert_private(response, referrer_policy: str = "no-referrer") -> None:
    """Token pages never pass the token on: no referrer at all, or only the origin where the page holds
    forms (a form post from a "no-referrer" page carries "Origin: null", which fails the CSRF check)."""
    assert response["Referrer-Policy"] == referrer_policy
    assert response["Cache-Control"] == "private, no-store"


def form_token(age: float = 60.0) -> str:
    """The open form's one-time token as issued ``age`` seconds ago (a person takes a while to fill it in)."""
    with time_machine.travel(time.time() - age, tick=False):
        return issue_form_token()
