"""The workshop's picture, under /w/<workshop_slug>/picture/ (see workshop/urls.py)."""

from django.urls import path

from participants import picture_views

app_name = "picture"

urlpatterns = [
    path("", picture_views.picture_page, name="page"),
    path("<slug:table>.csv", picture_views.export, name="export"),
]
