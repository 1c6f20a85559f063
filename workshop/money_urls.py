"""The staff's money pages, under /w/<workshop_slug>/money/ (see workshop/urls.py): 工賃
statements, invoices, order confirmations and slips as PDF, the month's books, settings."""

from django.urls import path

from workshop import books_views, invoice_views, statement_views

app_name = "console_money"

urlpatterns = [
    path("", statement_views.statements, name="statements"),
    path("statements/run/", statement_views.start_run, name="start_run"),
    path("statements/run/progress/", statement_views.run_progress, name="run_progress"),
    path("statements/issue-checked/", statement_views.issue_checked, name="issue_checked"),
    path("statements/transfers.csv", statement_views.transfers_csv, name="transfers_csv"),
    path("statements/transfers.txt", statement_views.transfers_zengin, name="transfers_zengin"),
    path("statements/<int:pk>/", statement_views.statement_detail, name="statement"),
    path("statements/<int:pk>/pdf/", statement_views.statement_pdf, name="statement_pdf"),
    path("statements/<int:pk>/redraft/", statement_views.redraft, name="statement_redraft"),
    path("statements/<int:pk>/check/", statement_views.check, name="statement_check"),
    path(
        "statements/<int:pk>/back-to-draft/",
        statement_views.back_to_draft,
        name="statement_back_to_draft",
    ),
    path("statements/<int:pk>/issue/", statement_views.issue, name="statement_issue"),
    path(
        "statements/<int:pk>/deductions/",
        statement_views.add_deduction,
        name="statement_add_deduction",
    ),
    path(
        "statements/<int:pk>/deductions/<int:deduction_pk>/remove/",
        statement_views.remove_deduction,
        name="statement_remove_deduction",
    ),
    path("statements/<int:pk>/adjust/", statement_views.adjust, name="statement_adjust"),
    path(
        "statements/<int:pk>/lines/",
        statement_views.add_adjustment_line,
        name="statement_add_line",
    ),
    path(
        "people/<int:participant_pk>/bank-account/",
        statement_views.bank_account,
        name="bank_account",
    ),
    path("invoices/", invoice_views.invoices, name="invoices"),
    path("invoices/month/", invoice_views.invoice_month, name="invoice_month"),
    path("invoices/for-order/<int:order_pk>/", invoice_views.invoice_order, name="invoice_order"),
    path("invoices/<int:pk>/", invoice_views.invoice_detail, name="invoice"),
    path("invoices/<int:pk>/pdf/", invoice_views.invoice_pdf, name="invoice_pdf"),
    path("invoices/<int:pk>/lines/", invoice_views.add_line, name="invoice_add_line"),
    path(
        "invoices/<int:pk>/lines/<int:line_pk>/remove/",
        invoice_views.remove_line,
        name="invoice_remove_line",
    ),
    path("invoices/<int:pk>/check/", invoice_views.check, name="invoice_check"),
    path(
        "invoices/<int:pk>/back-to-draft/",
        invoice_views.back_to_draft,
        name="invoice_back_to_draft",
    ),
    path("invoices/<int:pk>/issue/", invoice_views.issue, name="invoice_issue"),
    path("invoices/<int:pk>/discard/", invoice_views.discard, name="invoice_discard"),
    path("invoices/<int:pk>/paid/", invoice_views.mark_paid, name="invoice_paid"),
    path("invoices/<int:pk>/return/", invoice_views.start_return, name="invoice_return"),
    path(
        "orders/<int:order_pk>/confirmation/",
        invoice_views.confirmation,
        name="confirmation",
    ),
    path(
        "orders/<int:order_pk>/confirmation/pdf/",
        invoice_views.confirmation_pdf,
        name="confirmation_pdf",
    ),
    path(
        "orders/<int:order_pk>/confirmation/issue/",
        invoice_views.issue_confirmation,
        name="confirmation_issue",
    ),
    path(
        "orders/<int:order_pk>/deliveries/<int:number>/slip.pdf",
        invoice_views.slip_pdf,
        name="slip_pdf",
    ),
    path("books/", books_views.month_books, name="books"),
    path("books/books.csv", books_views.books_csv, name="books_csv"),
    path("books/costs/", books_views.add_cost, name="add_cost"),
    path("books/costs/<int:pk>/remove/", books_views.remove_cost, name="remove_cost"),
    path("books/costs/<int:pk>/receipt/", books_views.receipt, name="receipt"),
    path("settings/", books_views.money_settings, name="settings"),
]
