"""Routes of this area; see workshop/urls.py for where they are mounted."""

from django.urls import path  # noqa: F401

app_name = "console_work"

urlpatterns: list = []
