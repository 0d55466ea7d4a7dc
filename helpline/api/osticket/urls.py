"""osTicket's ticket API at its own addresses, beside ``/api/v1/`` (included at ``api/`` after it)."""

from django.urls import path

from helpline.api.osticket import views

app_name = "osticket"

urlpatterns = [
    path("tickets.json", views.tickets_json, name="tickets-json"),
    path("tickets.xml", views.tickets_xml, name="tickets-xml"),
    path("tickets.email", views.tickets_email, name="tickets-email"),
]
