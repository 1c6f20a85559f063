"""The company portal's digital order pages, under /c/<company_slug>/digital/ (issue 9)."""

from django.urls import path

from companies import digital_views

app_name = "portal_digital"

urlpatterns = [
    path("<int:order_pk>/", digital_views.order, name="order"),
    path("<int:order_pk>/form/", digital_views.propose_form, name="propose_form"),
    path("<int:order_pk>/imports/", digital_views.upload, name="upload"),
    path("<int:order_pk>/imports/progress/", digital_views.import_progress, name="import_progress"),
]
