"""Checks on uploaded files before they are stored: size, count, and types never accepted."""

import mimetypes
from collections.abc import Sequence

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat

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
    limit = settings.HELPLINE_MAX_ATTACHMENTS
    if len(files) > limit:
        raise ValidationError(f"At most {limit} files may be attached at once.")
    errors = []
    for upload in files:
        name = clean_filename(upload.name or "")
        extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
        if upload.size is None or upload.size > settings.HELPLINE_MAX_ATTACHMENT_BYTES:
            errors.append(f"{name} is larger than {filesizeformat(settings.HELPLINE_MAX_ATTACHMENT_BYTES)}.")
        elif extension in BLOCKED_EXTENSIONS or mimetypes.guess_type(name)[0] in BLOCKED_TYPES:
            errors.append(f"{name}: .{extension} files are not accepted.")
        elif upload.size == 0:
            errors.append(f"{name} is empty.")
    if errors:
        raise ValidationError(errors)
