"""A digital order's results in the companies' API, under /api/v1/ (see workshop/urls.py)."""

from django.urls import path

from companies import results_api as api

app_name = "results_api"

urlpatterns = [
    path("orders/<int:pk>/results/", api.ResultList.as_view(), name="results"),
    path("orders/<int:pk>/results/csv/", api.ResultCsv.as_view(), name="results-csv"),
    path("orders/<int:pk>/results/jsonl/", api.ResultJsonLines.as_view(), name="results-jsonl"),
]
