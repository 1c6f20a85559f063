"""The participant's statements in the API, mounted at /api/v1/me/statements/."""

from django.urls import path

from participants import statement_api as api

app_name = "statement_api"

urlpatterns = [
    path("", api.StatementList.as_view(), name="list"),
    path("<int:pk>/", api.StatementDetail.as_view(), name="detail"),
    path("<int:pk>/pdf/", api.StatementPdf.as_view(), name="pdf"),
]
