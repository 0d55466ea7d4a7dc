from functools import cache
from pathlib import Path

from django.db import DatabaseError, connection
from django.http import HttpResponse, JsonResponse
from django.views.decorators.cache import cache_control, never_cache
from django.views.decorators.http import require_GET, require_safe

FAVICON = Path(__file__).resolve().parent / "static" / "helpline" / "favicon.ico"


@never_cache
@require_GET
def health(request):
    """200 when the database answers a query, 503 when it does not (for load balancers and monitors)."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return JsonResponse({"status": "unavailable", "database": "down"}, status=503)
    return JsonResponse({"status": "ok", "database": "up"})


@cache
def favicon_bytes() -> bytes:
    return FAVICON.read_bytes()


@require_safe
@cache_control(public=True, max_age=86400)
def favicon(request):
    """The icon browsers ask for at /favicon.ico whatever the page links (the pages link the SVG one).
    Its address carries no version, so it is cached for a day rather than for ever."""
    return HttpResponse(favicon_bytes(), content_type="image/x-icon")
