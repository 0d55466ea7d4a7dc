from django.db import DatabaseError, connection
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import requires_csrf_token
from django.views.decorators.http import require_GET


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
