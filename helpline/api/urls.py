from django.urls import path

from helpline.api.v1 import api

urlpatterns = [path("v1/", api.urls)]
