"""A workshop's shares of joint orders, under /w/<workshop_slug>/shares/ (see workshop/urls.py)."""

from django.urls import path

from network import desk_views as views

app_name = "shares"

urlpatterns = [
    path("", views.share_list, name="list"),
    path("<int:pk>/", views.share_detail, name="share"),
    path("<int:pk>/accept/", views.share_accept, name="accept"),
    path("<int:pk>/decline/", views.share_decline, name="decline"),
]
