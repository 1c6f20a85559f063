"""The workshop's side of introductions, under /w/<workshop_slug>/introductions/ (see
workshop/urls.py). The coordinator's side is in network/urls.py."""

from django.urls import path

from network import introduction_views as views

app_name = "introductions"

urlpatterns = [
    path("", views.staff_list, name="list"),
    path("<int:pk>/met/", views.staff_met, name="met"),
    path("<int:pk>/accept/", views.staff_accept, name="accept"),
    path("<int:pk>/cannot-now/", views.staff_cannot_now, name="cannot_now"),
]
