"""The staff console of one workshop, under /w/<workshop_slug>/."""

from django.urls import path

from companies import account_views
from workshop import invitation_views, views

app_name = "console"

urlpatterns = [
    path("", views.console_home, name="home"),
    path("participants/", invitation_views.participants, name="participants"),
    path("participants/invite/", invitation_views.invite, name="invite"),
    path(
        "participants/<int:pk>/link/",
        invitation_views.invitation_link,
        name="invitation_link",
    ),
    path("participants/<int:pk>/reissue/", invitation_views.reissue, name="reissue_invitation"),
    path("account-requests/", account_views.account_requests, name="account_requests"),
    path(
        "account-requests/<int:pk>/approve/",
        account_views.approve,
        name="approve_account_request",
    ),
    path(
        "account-requests/<int:pk>/reject/",
        account_views.reject,
        name="reject_account_request",
    ),
]
