from django.urls import path
from django.views.generic import RedirectView

from helpline.staff import views

app_name = "staff"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path(
        "queues/",
        RedirectView.as_view(pattern_name="staff:queue", permanent=False),
        {"queue": "open"},
        name="queue_default",
    ),
    path("login/", views.StaffLoginView.as_view(), name="login"),
    path("logout/", views.StaffLogoutView.as_view(), name="logout"),
    path("queues/<slug:queue>/", views.queue, name="queue"),
    path("search/", views.search, name="search"),
    path("preferences/", views.preferences, name="preferences"),
    path("tickets/new/", views.ticket_new, name="ticket_new"),
    path("tickets/<str:number>/", views.ticket_detail, name="ticket"),
    path("tickets/<str:number>/reply/", views.reply, name="reply"),
    path("tickets/<str:number>/note/", views.note, name="note"),
    path("tickets/<str:number>/assign/", views.assign, name="assign"),
    path("tickets/<str:number>/take/", views.claim, name="claim"),
    path("tickets/<str:number>/transfer/", views.transfer, name="transfer"),
    path("tickets/<str:number>/priority/", views.priority, name="priority"),
    path("tickets/<str:number>/sla/", views.sla, name="sla"),
    path("tickets/<str:number>/status/", views.status, name="status"),
    path("tickets/<str:number>/cc/", views.cc_add, name="cc_add"),
    path("tickets/<str:number>/cc/<int:requester_id>/remove/", views.cc_remove, name="cc_remove"),
    path("tickets/<str:number>/delete/", views.ticket_delete, name="delete"),
    path("tickets/<str:number>/release-mail/", views.release_mail, name="release_mail"),
    path("attachments/<int:pk>/", views.attachment, name="attachment"),
    path("nav/counts/", views.nav_counts, name="nav_counts"),
    path("tickets/<str:number>/updates/", views.ticket_updates, name="ticket_updates"),
]
