"""Admin for money documents: read only, for everyone, operators included. Issued documents
never change (DESIGN.md invariant 4) and drafts change only through the rules in
jobs/invoicing.py, participants/wages.py and jobs/books.py, which number them and write the
event rows. Bank accounts are not here at all: every export of them is audited, and the admin
would be a way around that."""

from django.contrib import admin

from jobs.models import (
    Credit,
    DocumentEvent,
    Invoice,
    InvoiceLine,
    InvoicePayment,
    OrderConfirmation,
    ProductionCost,
)
from participants.models import WageDeduction, WageStatement, WageStatementLine
from workshop.admin import ReadOnlyAdmin, ScopedInline


class ReadOnlyInline(ScopedInline):
    writable = False
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class InvoiceLineInline(ReadOnlyInline):
    model = InvoiceLine
    fields = ["description", "delivered_on", "quantity", "unit_price_yen", "amount_yen", "tax_rate"]
    readonly_fields = fields


@admin.register(Invoice)
class InvoiceAdmin(ReadOnlyAdmin):
    list_display = ["number", "kind", "company", "workshop", "status", "issued_on", "total_yen"]
    list_filter = ["status", "kind"]
    search_fields = ["number", "company__name"]
    list_select_related = ["company", "workshop"]
    inlines = [InvoiceLineInline]


@admin.register(InvoicePayment)
class InvoicePaymentAdmin(ReadOnlyAdmin):
    workshop_lookup = "invoice__workshop"
    list_display = ["invoice", "paid_on", "amount_yen"]


@admin.register(OrderConfirmation)
class OrderConfirmationAdmin(ReadOnlyAdmin):
    list_display = ["number", "order", "company", "issued_on", "total_price_yen"]
    search_fields = ["number", "title"]


@admin.register(ProductionCost)
class ProductionCostAdmin(ReadOnlyAdmin):
    list_display = ["spent_on", "workshop", "category", "description", "amount_yen"]
    list_filter = ["category"]


@admin.register(Credit)
class CreditAdmin(ReadOnlyAdmin):
    list_display = ["approved_at", "unit", "participant", "quantity", "minutes"]


@admin.register(DocumentEvent)
class DocumentEventAdmin(ReadOnlyAdmin):
    list_display = ["at", "document_type", "document_id", "from_status", "to_status", "actor"]
    list_filter = ["document_type", "to_status"]


class StatementLineInline(ReadOnlyInline):
    model = WageStatementLine
    fields = ["description", "quantity", "minutes", "price_yen", "price_per", "amount_yen"]
    readonly_fields = fields


class DeductionInline(ReadOnlyInline):
    model = WageDeduction
    fields = ["amount_yen", "reason", "entered_by", "entered_at"]
    readonly_fields = fields


@admin.register(WageStatement)
class WageStatementAdmin(ReadOnlyAdmin):
    list_display = ["number", "participant", "month", "kind", "status", "total_yen"]
    list_filter = ["status", "kind"]
    search_fields = ["number", "participant__nickname"]
    list_select_related = ["participant"]
    inlines = [StatementLineInline, DeductionInline]
