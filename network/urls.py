"""The coordinator's area, under /n/<network_slug>/ (see workshop/urls.py)."""

from django.urls import path

from network import desk_views, introduction_views, views

app_name = "network"

urlpatterns = [
    path("", views.home, name="home"),
    path("<slug:table>.csv", views.export, name="export"),
    path("introductions/", introduction_views.coordinator_list, name="introductions"),
    path("introductions/new/", introduction_views.coordinator_new, name="new_introduction"),
    path(
        "introductions/<int:pk>/withdraw/",
        introduction_views.coordinator_withdraw,
        name="withdraw_introduction",
    ),
    path("desk/", desk_views.desk_list, name="desk"),
    path("desk/<int:pk>/", desk_views.desk_detail, name="desk_order"),
    path("desk/<int:pk>/route/", desk_views.desk_route, name="desk_route"),
]
