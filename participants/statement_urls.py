"""The participant's pay statements, mounted at /statements/ (see workshop/urls.py)."""

from django.urls import path

from participants import statement_views

app_name = "statements"

urlpatterns = [
    path("", statement_views.statement_list, name="list"),
    path("<int:pk>/", statement_views.statement_detail, name="detail"),
    path("<int:pk>/pdf/", statement_views.statement_pdf, name="pdf"),
]
