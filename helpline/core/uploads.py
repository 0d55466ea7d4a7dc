"""Checks on uploaded files before they are stored: size, count, and types never accepted."""

import mimetypes
from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat

from helpline.core.desk import Desk, deployment, desk
from helpline.core.sanitize import clean_filename

# Types that run code when opened or served: refused whatever the content type claims.
BLOCKED_EXTENSIONS = frozenset(
    [
        "bat",
        "cmd",
        "com",
        "cpl",
        "dll",
        "exe",
        "hta",
        "htaccess",
        "htm",
        "html",
        "js",
        "jse",
        "jar",
        "lnk",
        "msi",
        "msp",
        "php",
        "phtml",
        "pl",
        "ps1",
        "py",
        "reg",
        "scr",
        "sh",
        "svg",
        "vb",
        "vbe",
        "vbs",
        "ws",
        "wsf",
        "xhtml",
    ]
)


# The same by the type a name maps to, for the extensions the list misses (.shtml, .xht, .svgz, .mjs, ...).
BLOCKED_TYPES = frozenset(
    ["text/html", "application/xhtml+xml", "image/svg+xml", "text/javascript", "application/javascript"]
)


def validate_uploads(files: Sequence[UploadedFile]) -> None:
    """Raise ValidationError naming every file that may not be attached, and why."""
    limits = desk()
    if len(files) > limits.max_attachments:
        raise ValidationError(f"At most {limits.max_attachments} files may be attached at once.")
    errors = [reason for upload in files if (reason := refusal(upload.name or "", upload.size, limits))]
    if errors:
        raise ValidationError(errors)


def refusal(name: str, size: int | None, limits: Desk | None = None) -> str | None:
    """Why a file of this name and size may not be attached (under its clean name), or None when it may.
    The one rule for every way a file arrives: the forms and the parts of received email, with the desk
    settings' ``limits`` (``inbound.parts.attachment_limits``); without them, the deployment's."""
    name = clean_filename(name)
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    limits = limits or deployment()
    if size is None or size > limits.max_attachment_bytes:
        return f"{name} is larger than {filesizeformat(limits.max_attachment_bytes)}."
    if extension in BLOCKED_EXTENSIONS or mimetypes.guess_type(name)[0] in BLOCKED_TYPES:
        return f"{name}: .{extension} files are not accepted."
    if limits.allowed_extensions and extension not in limits.allowed_extensions:
        return f"{name}: only these types are accepted: {', '.join(sorted(limits.allowed_extensions))}."
    if size == 0:
        return f"{name} is empty."
    return None
