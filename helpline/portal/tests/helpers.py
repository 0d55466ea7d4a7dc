"""Helpers for the portal tests: access links as the portal builds them, and small uploads."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

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
