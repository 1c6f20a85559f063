"""Invoices and documents in the companies' API, under /api/v1/ (see workshop/urls.py)."""

from django.urls import path

from companies import invoice_api as api

app_name = "invoice_api"

urlpatterns = [
    path("invoices/", api.InvoiceList.as_view(), name="invoices"),
    path("invoices/<int:pk>/", api.InvoiceDetail.as_view(), name="invoice"),
    path("invoices/<int:pk>/pdf/", api.InvoicePdf.as_view(), name="invoice-pdf"),
    path("orders/<int:pk>/confirmation/", api.ConfirmationDetail.as_view(), name="confirmation"),
    path(
        "orders/<int:pk>/confirmation/pdf/",
        api.ConfirmationPdf.as_view(),
        name="confirmation-pdf",
    ),
    path(
        "orders/<int:pk>/deliveries/<int:number>/slip/pdf/",
        api.SlipPdf.as_view(),
        name="slip-pdf",
    ),
]
