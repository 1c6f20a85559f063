"""The staff console of one workshop, under /w/<workshop_slug>/."""

from django.urls import path

from workshop import views

app_name = "console"

urlpatterns = [
    path("", views.console_home, name="home"),
]
