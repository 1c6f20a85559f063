"""The staff console's digital order pages, under /w/<workshop_slug>/digital/ (issue 9)."""

from django.urls import path

from workshop import digital_views

app_name = "console_digital"

urlpatterns = [
    path("<int:order_pk>/", digital_views.order, name="order"),
    path("<int:order_pk>/form/", digital_views.form_editor, name="form"),
    path("<int:order_pk>/form/save/", digital_views.form_save, name="form_save"),
    path(
        "<int:order_pk>/form-proposals/<int:pk>/accept/",
        digital_views.accept_proposal,
        name="accept_proposal",
    ),
    path(
        "<int:order_pk>/form-proposals/<int:pk>/decline/",
        digital_views.decline_proposal,
        name="decline_proposal",
    ),
    path("<int:order_pk>/imports/", digital_views.upload, name="upload"),
    path("<int:order_pk>/imports/progress/", digital_views.import_progress, name="import_progress"),
    path("<int:order_pk>/checking/", digital_views.checking, name="checking"),
]
