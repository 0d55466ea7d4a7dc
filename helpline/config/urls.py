from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

from helpline.core.views import favicon, health

# Rendered without the request, so they work with the database down (503) and a request nothing can read.
handler400 = "helpline.core.errors.bad_request"
handler500 = "helpline.core.errors.server_error"
# In the look of the part of the site they answer for, with its landmarks and navigation.
handler404 = "helpline.core.views.page_not_found"
handler403 = "helpline.core.views.permission_denied"

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="portal:home", permanent=False)),
    path("health", health, name="health"),
    path("favicon.ico", favicon, name="favicon"),
    path("portal/", include("helpline.portal.urls")),
    path("staff/admin/", include("helpline.admin_panel.urls")),
    path("staff/api-tokens/", include("helpline.api.token_pages")),
    path("staff/", include("helpline.staff.urls")),
    path("admin/", admin.site.urls),
    path("api/", include("helpline.api.urls")),
    path("api/", include("helpline.api.osticket.urls")),
]
