"""The company portal of one company, under /c/<company_slug>/."""

from django.urls import path

from companies import views

app_name = "portal"

urlpatterns = [
    path("", views.portal_home, name="home"),
]
