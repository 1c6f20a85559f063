"""How the APIs present money documents (companies' invoices and confirmations, the
participant's statements, the staff's drafts), and the PDF renderer they share. Output only:
the figures are the ones the rules stored."""

import json

from rest_framework import serializers
from rest_framework.renderers import BaseRenderer

from jobs import invoicing, money
from jobs.models import Invoice, OrderConfirmation
from participants.models import WageStatement


class PdfRenderer(BaseRenderer):
    """Lets a client ask for `Accept: application/pdf`. Listed after JSON, so that errors are
    JSON by default; the PDF views return the file themselves."""

    media_type = "application/pdf"
    format = "pdf"
    charset = None
    render_style = "binary"

    def render(self, data, accepted_media_type=None, renderer_context=None) -> bytes:
        if isinstance(data, bytes):
            return data
        return json.dumps(data, ensure_ascii=False).encode()


class TaxRateOut(serializers.Serializer):
    rate = serializers.IntegerField(
        help_text="Consumption tax rate in percent: 10, or 8 (reduced)."
    )
    amount_yen = serializers.IntegerField(
        source="amount", help_text="Lines at this rate, before tax."
    )
    tax_yen = serializers.IntegerField(
        source="tax", help_text="Tax at this rate, computed once on the rate's total, rounded down."
    )


class InvoiceLineOut(serializers.Serializer):
    id = serializers.IntegerField()
    order = serializers.IntegerField(source="order_id", allow_null=True)
    description = serializers.CharField()
    delivered_on = serializers.DateField(allow_null=True)
    quantity = serializers.IntegerField(allow_null=True)
    unit_label = serializers.CharField()
    unit_price_yen = serializers.IntegerField(allow_null=True)
    amount_yen = serializers.IntegerField(help_text="Before tax.")
    tax_rate = serializers.IntegerField()
    reduced_rate = serializers.BooleanField(source="is_reduced_rate")


class InvoiceOut(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.CharField(help_text="e.g. INV-2026-000123; empty until issued.")
    kind = serializers.ChoiceField(choices=Invoice.Kind.choices)
    original = serializers.SerializerMethodField(
        help_text="For a return invoice: the number of the invoice it corrects."
    )
    workshop = serializers.CharField(source="workshop.slug")
    workshop_registration_number = serializers.CharField(
        source="workshop.invoice_registration_number"
    )
    company = serializers.CharField(source="company.slug")
    issued_on = serializers.DateField(allow_null=True)
    period_start = serializers.DateField()
    period_end = serializers.DateField()
    due_date = serializers.DateField()
    reason = serializers.CharField()
    subtotal_yen = serializers.IntegerField()
    tax_yen = serializers.IntegerField()
    total_yen = serializers.IntegerField()
    by_rate = serializers.SerializerMethodField()
    lines = InvoiceLineOut(many=True)
    amount_due_yen = serializers.SerializerMethodField(
        help_text="Total less the issued return invoices that correct it."
    )
    paid_on = serializers.SerializerMethodField()

    def get_original(self, invoice: Invoice) -> str | None:
        return invoice.original.number if invoice.original_id else None

    def get_by_rate(self, invoice: Invoice) -> list[dict]:
        if invoice.is_issued:
            parts = [money.RateTotal(p["rate"], p["amount"], p["tax"]) for p in invoice.tax_summary]
        else:
            parts = money.tax_by_rate(invoice.lines.values_list("amount_yen", "tax_rate"))
        return TaxRateOut(parts, many=True).data

    def get_amount_due_yen(self, invoice: Invoice) -> int | None:
        if not invoice.is_issued or invoice.is_return:
            return None
        return invoicing.amount_due(invoice)

    def get_paid_on(self, invoice: Invoice) -> str | None:
        payment = getattr(invoice, "payment", None)
        return payment.paid_on.isoformat() if payment else None


class StaffInvoiceOut(InvoiceOut):
    status = serializers.ChoiceField(choices=Invoice.Status.choices)


class ConfirmationOut(serializers.Serializer):
    number = serializers.CharField()
    order = serializers.IntegerField(source="order_id")
    issued_on = serializers.DateField()
    ordered_on = serializers.DateField()
    title = serializers.CharField()
    description = serializers.CharField()
    quantity = serializers.IntegerField()
    unit_label = serializers.CharField()
    unit_price_yen = serializers.IntegerField(allow_null=True)
    total_price_yen = serializers.IntegerField(help_text="Before tax.")
    tax_rate = serializers.IntegerField()
    tax_yen = serializers.SerializerMethodField()
    delivery_date = serializers.DateField()
    delivery_method = serializers.CharField()
    payment_date = serializers.DateField()

    def get_tax_yen(self, confirmation: OrderConfirmation) -> int:
        return money.consumption_tax_yen(confirmation.total_price_yen, confirmation.tax_rate)


class StatementLineOut(serializers.Serializer):
    description = serializers.CharField()
    order = serializers.IntegerField(source="order_id", allow_null=True)
    unit_label = serializers.CharField()
    quantity = serializers.IntegerField()
    minutes = serializers.IntegerField()
    price_yen = serializers.IntegerField(
        help_text="Price per item = price_yen / price_per, exact (hourly: rate per 60 min)."
    )
    price_per = serializers.IntegerField()
    amount_yen = serializers.IntegerField(help_text="Rounded down to the yen, once per line.")


class DeductionOut(serializers.Serializer):
    id = serializers.IntegerField()
    amount_yen = serializers.IntegerField()
    reason = serializers.CharField()


class StatementOut(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.CharField()
    kind = serializers.ChoiceField(choices=WageStatement.Kind.choices)
    adjusts = serializers.SerializerMethodField(
        help_text="For an adjustment: the number of the statement it corrects."
    )
    month = serializers.DateField(help_text="The first day of the month.")
    pay_date = serializers.DateField()
    pay_mode = serializers.CharField()
    wage_share_percent = serializers.IntegerField()
    hourly_wage_yen = serializers.IntegerField()
    days_worked = serializers.IntegerField()
    minutes_worked = serializers.IntegerField()
    gross_yen = serializers.IntegerField()
    deductions_yen = serializers.IntegerField()
    total_yen = serializers.IntegerField(help_text="For an adjustment: the difference (±).")
    reason = serializers.CharField()
    lines = StatementLineOut(many=True)
    deductions = DeductionOut(many=True)

    def get_adjusts(self, statement: WageStatement) -> str | None:
        return statement.adjusts.number if statement.adjusts_id else None


class StaffStatementOut(StatementOut):
    status = serializers.ChoiceField(choices=WageStatement.Status.choices)
    participant = serializers.IntegerField(source="participant_id")
    nickname = serializers.CharField(source="participant.nickname")
