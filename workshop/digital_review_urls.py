"""The staff's checking of digital work under /w/<workshop_slug>/checking/ (see workshop/urls.py):
a handed-in unit's answers, and the items whose two entries differ."""

from django.urls import path

from workshop import digital_review_views as views

app_name = "console_checking"

urlpatterns = [
    path("review/<int:pk>/", views.unit_review, name="unit"),
    path("review/<int:pk>/approve-all/", views.approve_all, name="approve_all"),
    path("review/<int:pk>/decide/", views.decide, name="decide"),
    path("disagreements/", views.disagreements, name="disagreements"),
    path("disagreements/<int:pk>/resolve/", views.resolve, name="resolve"),
    path("items/<int:pk>/image/", views.item_image, name="item_image"),
]
