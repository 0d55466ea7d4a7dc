"""Turn the EMAIL_URL setting into Django 6.1's MAILERS dictionary."""

from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

from django.core.exceptions import ImproperlyConfigured

SMTP_TIMEOUT = 20


def mailers_from_url(url: str, data_dir: Path) -> dict:
    """``smtp://``/``smtps://`` (with ``?tls=1``), ``file:///dir``, ``console:``; empty = files in data_dir."""
    if not url:
        return _mailer("filebased", file_path=str(data_dir / "sent-mail"))
    parts = urlsplit(url)
    if parts.scheme == "console":
        return _mailer("console")
    if parts.scheme == "file":
        return _mailer("filebased", file_path=unquote(parts.path))
    if parts.scheme in {"smtp", "smtps"}:
        query = parse_qs(parts.query)
        options = {
            "host": parts.hostname or "localhost",
            "port": parts.port or (465 if parts.scheme == "smtps" else 25),
            "username": unquote(parts.username or ""),
            "password": unquote(parts.password or ""),
            "use_ssl": parts.scheme == "smtps",
            "use_tls": query.get("tls", ["0"])[0] in {"1", "true", "yes"},
            "timeout": SMTP_TIMEOUT,
        }
        return _mailer("smtp", **options)
    raise ImproperlyConfigured(
        f"EMAIL_URL has an unknown scheme {parts.scheme!r} (smtp, smtps, file, console)"
    )


def _mailer(kind: str, **options) -> dict:
    backend = f"django.core.mail.backends.{kind}.EmailBackend"
    return {"default": {"BACKEND": backend, "OPTIONS": options}}
