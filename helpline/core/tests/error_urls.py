"""The project's URLs plus views that refuse, to reach the 403 handler from outside any door's own checks."""

from django.core.exceptions import PermissionDenied
from django.urls import path

from helpline.config.urls import handler403, handler404, urlpatterns  # noqa: F401


def refuse(request):
    raise PermissionDenied


urlpatterns = [
    *urlpatterns,
    path("portal/refused/", refuse),
    path("staff/refused/", refuse),
    path("refused/", refuse),
]
