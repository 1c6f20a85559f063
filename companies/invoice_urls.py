"""The company's documents in its portal, under /c/<company_slug>/ (see workshop/urls.py)."""

from django.urls import path

from companies import invoice_views

app_name = "portal_money"

urlpatterns = [
    path("invoices/", invoice_views.invoices, name="invoices"),
    path("invoices/<int:pk>/", invoice_views.invoice_detail, name="invoice"),
    path("invoices/<int:pk>/pdf/", invoice_views.invoice_pdf, name="invoice_pdf"),
    path("orders/<int:pk>/confirmation/", invoice_views.confirmation, name="confirmation"),
    path(
        "orders/<int:pk>/confirmation/pdf/",
        invoice_views.confirmation_pdf,
        name="confirmation_pdf",
    ),
    path(
        "orders/<int:pk>/deliveries/<int:number>/slip.pdf",
        invoice_views.slip_pdf,
        name="slip_pdf",
    ),
]
