"""Routes of staff's page of records kept on phones, mounted at the site's root; see
workshop/urls.py."""

from django.urls import path

from participants import unsent_views

app_name = "unsent"

urlpatterns = [
    path("staff/<slug:workshop_slug>/unsent/", unsent_views.unsent_list, name="list"),
    path(
        "staff/<slug:workshop_slug>/unsent/<int:pk>/record/",
        unsent_views.record_by_hand,
        name="record",
    ),
    path("staff/<slug:workshop_slug>/unsent/<int:pk>/close/", unsent_views.close, name="close"),
]
