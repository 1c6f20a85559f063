"""The company's openings in its portal, under /c/<company_slug>/openings/ (see
workshop/urls.py)."""

from django.urls import path

from companies import opening_views as views

app_name = "portal_openings"

urlpatterns = [
    path("", views.opening_list, name="list"),
    path("post/", views.post, name="post"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/close/", views.close, name="close"),
    path("proposals/<int:pk>/trial-held/", views.trial_held, name="trial_held"),
    path("proposals/<int:pk>/hired/", views.hired, name="hired"),
    path("proposals/<int:pk>/declined/", views.declined, name="declined"),
]
