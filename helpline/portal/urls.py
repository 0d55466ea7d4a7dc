from django.urls import path

from helpline.portal import status, views

app_name = "portal"
urlpatterns = [
    path("", views.open_ticket_view, name="home"),
    path("topic-fields/", views.topic_fields_view, name="topic_fields"),
    path("status/", status.status_view, name="status"),
    path("status/sent/", status.status_sent, name="status_sent"),
    path("t/<str:token>/", views.ticket_view, name="ticket"),
    path("t/<str:token>/created/", views.created, name="created"),
    path("t/<str:token>/reply/", views.reply, name="reply"),
    path("t/<str:token>/time-zone/", views.time_zone, name="time_zone"),
    path("t/<str:token>/close/", views.close, name="close"),
    path("t/<str:token>/reopen/", views.reopen, name="reopen"),
    path("t/<str:token>/attachments/<int:pk>/", views.attachment, name="attachment"),
]
