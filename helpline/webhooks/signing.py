"""Standard Webhooks signatures (https://www.standardwebhooks.com): a secret per hook, and the three headers
a receiver checks.

The signature is the base64 of HMAC-SHA256 over ``"{webhook-id}.{webhook-timestamp}.{body}"`` keyed with the
secret's bytes, sent as ``v1,<signature>``. The standard library does this in a few lines; the reference
``standardwebhooks`` package verifies it in the tests, as a receiver would.
"""

import base64
import hashlib
import hmac
import secrets
import uuid

PREFIX = "whsec_"
KEY_BYTES = 32


def new_secret() -> str:
    return PREFIX + base64.b64encode(secrets.token_bytes(KEY_BYTES)).decode()


def new_message_id() -> str:
    return f"msg_{uuid.uuid4().hex}"


def signature(secret: str, message_id: str, timestamp: int, body: str) -> str:
    key = base64.b64decode(secret.removeprefix(PREFIX))
    signed = f"{message_id}.{timestamp}.{body}".encode()
    return "v1," + base64.b64encode(hmac.new(key, signed, hashlib.sha256).digest()).decode()


def signed_headers(secret: str, message_id: str, timestamp: int, body: str) -> dict[str, str]:
    return {
        "webhook-id": message_id,
        "webhook-timestamp": str(timestamp),
        "webhook-signature": signature(secret, message_id, timestamp, body),
    }
