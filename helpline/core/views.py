from functools import cache
from pathlib import Path

from django.db import DatabaseError, connection
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import cache_control, never_cache
from django.views.decorators.csrf import requires_csrf_token
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


# Sections of the site with error pages of their own (``staff/404.html``), in their look and navigation;
# named by the first part of the path. Elsewhere the project-wide ``404.html`` and ``403.html`` answer.
ERROR_PAGE_SECTIONS = frozenset({"staff", "portal"})


def _error_page(request, status: int):
    section = request.path_info.lstrip("/").split("/", 1)[0]
    names = [f"{section}/{status}.html"] if section in ERROR_PAGE_SECTIONS else []
    return render(request, [*names, f"{status}.html"], status=status)


@requires_csrf_token
def page_not_found(request, exception):
    """``handler404``: Django's page is bare HTML, without the landmarks and the way back that ours have."""
    return _error_page(request, 404)


@requires_csrf_token
def permission_denied(request, exception):
    """``handler403``, for the same reason."""
    return _error_page(request, 403)
