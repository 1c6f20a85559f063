"""Pages for companies that have no account yet, under /companies/."""

from django.urls import path

from companies import account_views

app_name = "companies"

urlpatterns = [
    path("request/", account_views.request_form, name="request_account"),
    path("request/send/", account_views.submit_request, name="submit_account_request"),
    path("request/sent/", account_views.request_sent, name="request_sent"),
]
