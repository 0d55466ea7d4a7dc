from django.urls import path

from helpline.admin_panel import views

app_name = "admin_panel"
urlpatterns = [
    path("", views.index, name="index"),
    path("audit/", views.audit_log, name="audit_log"),
]
