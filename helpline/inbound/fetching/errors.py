"""What went wrong with a mailbox, in a sentence an administrator can act on, and the TLS every connection
uses: the system's certificate authorities (or ``HELPLINE_MAIL_CA_FILE``), host names checked, always."""

import imaplib
import poplib
import socket
import ssl
from email.parser import BytesHeaderParser
from email.policy import compat32

from django.conf import settings

# OpenSSL's X509_V_ERR_HOSTNAME_MISMATCH: the certificate is trusted but names another host.
HOSTNAME_MISMATCH = 62


class FetchError(Exception):
    """A fetch failed; the message is the sentence recorded on the mailbox as its last error."""


def tls_context() -> ssl.SSLContext:
    """Verification on (certificate and host name); the trusted authorities are the system's unless
    HELPLINE_MAIL_CA_FILE names a PEM file of its own."""
    ca_file = settings.HELPLINE_MAIL_CA_FILE or None
    try:
        return ssl.create_default_context(cafile=ca_file)
    except (OSError, ssl.SSLError) as error:
        raise FetchError(
            f"The certificate authorities in HELPLINE_MAIL_CA_FILE cannot be read: {error}"
        ) from None


def connect_failure(error: OSError, host: str, port: int) -> FetchError:
    """The sentence for an error while connecting (or starting TLS) to ``host:port``."""
    where = f"{host}:{port}"
    if isinstance(error, ssl.SSLCertVerificationError):
        if error.verify_code == HOSTNAME_MISMATCH:
            return FetchError(f"Certificate not valid for {host}: {error.verify_message}")
        return FetchError(f"Certificate not trusted ({where}): {error.verify_message}")
    if isinstance(error, ssl.SSLError):
        return FetchError(f"TLS failed with {where}: {error.reason or error}")
    if isinstance(error, socket.gaierror):
        return FetchError(f"Could not find the mail server {host}: {error.strerror}")
    if isinstance(error, TimeoutError):
        return FetchError(
            f"Could not connect to {where}: no answer within {settings.HELPLINE_MAIL_TIMEOUT} seconds"
        )
    return FetchError(f"Could not connect to {where}: {error.strerror or error}")


def session_failure(error: Exception, host: str, port: int) -> FetchError:
    """The sentence for an error once connected and signed in."""
    where = f"{host}:{port}"
    if isinstance(error, TimeoutError):
        return FetchError(
            f"{where} stopped answering (no answer within {settings.HELPLINE_MAIL_TIMEOUT} seconds)"
        )
    if isinstance(error, imaplib.IMAP4.abort):
        return FetchError(f"{where} closed the connection: {text(error)}")
    if isinstance(error, imaplib.IMAP4.error | poplib.error_proto):
        return FetchError(f"{where} refused a command: {text(error)}")
    if isinstance(error, OSError):
        return FetchError(f"The connection to {where} failed: {error.strerror or error}")
    return FetchError(f"Unexpected error while fetching from {where}: {type(error).__name__}: {error}")


def text(error: Exception) -> str:
    """A protocol error's server text, decoded (imaplib and poplib carry bytes or str)."""
    value = error.args[0] if error.args else error
    if isinstance(value, bytes):
        value = value.decode("utf-8", "replace")
    return str(value).removeprefix("-ERR ").strip()


def describe_headers(head: bytes) -> str:
    """``from x@example.com, “Subject”`` from a header block, for naming a message left on the server."""
    try:
        headers = BytesHeaderParser(policy=compat32).parsebytes(head[:16384])
        sender, subject = str(headers.get("From", "")), str(headers.get("Subject", ""))
    except Exception:  # noqa: BLE001 - only a description: a header block it cannot read has none
        return ""
    parts = [f"from {' '.join(sender.split())[:100]}"] if sender.strip() else []
    if subject.strip():
        parts.append(f"“{' '.join(subject.split())[:100]}”")
    return ", ".join(parts)
