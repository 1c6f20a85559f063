"""The staff API for money, mounted at /api/v1/staff/ (see workshop/urls.py)."""

from django.urls import path

from workshop import money_api as api

app_name = "money_api"

w = "workshops/<slug:workshop_slug>/"

urlpatterns = [
    path(w + "statements/", api.StatementList.as_view(), name="statements"),
    path(w + "statements/runs/", api.RunCreate.as_view(), name="runs"),
    path(w + "statements/runs/<int:pk>/", api.RunDetail.as_view(), name="run"),
    path(w + "statements/<int:pk>/", api.StatementDetail.as_view(), name="statement"),
    path(
        w + "statements/<int:pk>/deductions/",
        api.StatementDeduction.as_view(),
        name="statement_deductions",
    ),
    path(w + "statements/<int:pk>/check/", api.StatementCheck.as_view(), name="statement_check"),
    path(w + "statements/<int:pk>/issue/", api.StatementIssue.as_view(), name="statement_issue"),
    path(
        w + "statements/<int:pk>/adjustments/",
        api.StatementAdjust.as_view(),
        name="statement_adjustments",
    ),
    path(w + "statements/<int:pk>/pdf/", api.StatementPdf.as_view(), name="statement_pdf"),
    path(w + "invoices/", api.InvoiceListCreate.as_view(), name="invoices"),
    path(w + "invoices/<int:pk>/", api.InvoiceDetail.as_view(), name="invoice"),
    path(w + "invoices/<int:pk>/lines/", api.InvoiceLineCreate.as_view(), name="invoice_lines"),
    path(w + "invoices/<int:pk>/check/", api.InvoiceCheck.as_view(), name="invoice_check"),
    path(w + "invoices/<int:pk>/issue/", api.InvoiceIssue.as_view(), name="invoice_issue"),
    path(w + "invoices/<int:pk>/payment/", api.InvoicePayment.as_view(), name="invoice_payment"),
    path(w + "invoices/<int:pk>/returns/", api.InvoiceReturn.as_view(), name="invoice_returns"),
    path(w + "invoices/<int:pk>/pdf/", api.InvoicePdf.as_view(), name="invoice_pdf"),
    path(w + "books/", api.Books.as_view(), name="books"),
]
