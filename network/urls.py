"""The coordinator's area, under /n/<network_slug>/ (see workshop/urls.py)."""

from django.urls import path

from network import views

app_name = "network"

urlpatterns = [
    path("", views.home, name="home"),
    path("<slug:table>.csv", views.export, name="export"),
]
