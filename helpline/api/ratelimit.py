"""Requests per credential and minute, counted in Django's cache (``HELPLINE_API_RATE_LIMIT``; 0: none).

A fixed window per minute: one ``add`` and one ``incr`` per request, nothing written to the database. With
the default local-memory cache each app-server process counts on its own; a shared cache (Redis) makes it
one limit across servers.
"""

import time

from django.conf import settings
from django.core.cache import cache

from helpline.api.errors import RateLimited

WINDOW_SECONDS = 60


def spend(label: str) -> None:
    """Count one request of ``label``; raises RateLimited (with the seconds to wait) past the limit."""
    limit = settings.HELPLINE_API_RATE_LIMIT
    if limit <= 0:
        return
    now = time.time()
    window = int(now // WINDOW_SECONDS)
    key = f"helpline.api.rate:{label}:{window}"
    cache.add(key, 0, timeout=WINDOW_SECONDS * 2)
    try:
        used = cache.incr(key)
    except ValueError:  # evicted between add and incr: count this request as the first
        cache.set(key, 1, timeout=WINDOW_SECONDS * 2)
        used = 1
    if used > limit:
        raise RateLimited(max(1, int((window + 1) * WINDOW_SECONDS - now + 0.999)))
