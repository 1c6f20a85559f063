"""API tokens of one company, under /c/<company_slug>/api-tokens/ (company administrators only)."""

from django.urls import path

from companies import token_views

app_name = "api_tokens"

urlpatterns = [
    path("", token_views.token_list, name="list"),
    path("new/", token_views.token_create, name="create"),
    path("<int:pk>/created/", token_views.token_created, name="created"),
    path("<int:pk>/", token_views.token_revoke_confirm, name="revoke_confirm"),
    path("<int:pk>/revoke/", token_views.token_revoke, name="revoke"),
]
