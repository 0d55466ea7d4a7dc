"""Serving a stored file to someone already allowed to have it: always as a download, never as a page."""

from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404
from django.utils.cache import patch_cache_control

# Served with their own type only when a browser cannot mistake them for a page or a script (never SVG,
# which may carry script): these are also the images the staff thread previews.
INLINE_SAFE_TYPES = frozenset({"image/png", "image/jpeg", "image/gif", "image/webp"})


def download_response(file: FieldFile, *, filename: str, content_type: str) -> FileResponse:
    """A FileResponse with Content-Disposition: attachment, nosniff and private caching. A file missing
    from storage is a 404, like a file the person may not see."""
    try:
        handle = file.open("rb")
    except FileNotFoundError as missing:
        raise Http404("The file is gone") from missing
    served_type = content_type if content_type in INLINE_SAFE_TYPES else "application/octet-stream"
    response = FileResponse(handle, as_attachment=True, filename=filename, content_type=served_type)
    response["X-Content-Type-Options"] = "nosniff"
    patch_cache_control(response, private=True)
    return response
