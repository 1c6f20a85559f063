"""A person's own settings, under /accounts/ beside allauth's pages (see workshop/urls.py)."""

from django.urls import path

from workshop import account_views

app_name = "account_settings"

urlpatterns = [
    path("notifications/", account_views.notifications, name="notifications"),
    path("notifications/save/", account_views.save_notifications, name="save_notifications"),
]
