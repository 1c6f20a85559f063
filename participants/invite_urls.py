"""The participant's side of an invitation link, under /invite/<token>/."""

from django.urls import path

from participants import invite_views

urlpatterns = [
    path("", invite_views.welcome, name="invite"),
    path("account/", invite_views.accept_with_email, name="invite_accept_with_email"),
    path("this-phone/", invite_views.accept_on_this_phone, name="invite_accept_on_this_phone"),
]
