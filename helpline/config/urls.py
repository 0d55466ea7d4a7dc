from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

from helpline.core.views import health

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="portal:home", permanent=False)),
    path("health", health, name="health"),
    path("portal/", include("helpline.portal.urls")),
    path("staff/", include("helpline.staff.urls")),
    path("admin/", admin.site.urls),
]

handler404 = "helpline.core.views.page_not_found"
handler403 = "helpline.core.views.permission_denied"
