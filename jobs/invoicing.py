"""Invoices to companies (適格請求書) and return invoices (返還インボイス). Staff draft an invoice
for one order the company accepted (検収), or one for the month for a company, check it, and
issue it; issuing gives it its number, fixes the tax per rate and marks the orders invoiced.
An issued invoice never changes: payment is recorded beside it, and a correction is a return
invoice that names it. Every step writes a DocumentEvent. The figures come from jobs/money.py.

Due date: an invoice for one order is due on that order's payment date; a month's invoice on
the earliest payment date among its orders, so that no order is paid later than agreed."""

import datetime
from collections import defaultdict

from django.db import transaction
from django.db.models import Max, Min, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from companies.models import Company
from jobs import money, numbering, orders
from jobs.models import (
    Delivery,
    DocumentEvent,
    Invoice,
    InvoiceLine,
    InvoicePayment,
    Order,
)
from jobs.money_models import DocumentKind
from workshop.models import Workshop
from workshop.rules import RuleError

Status = Invoice.Status
MAX_TEXT = 200
MAX_AMOUNT = 10**11  # ¥100 billion: far beyond any workshop, well inside the columns


class InvoiceError(RuleError):
    """A rule about invoices was not met; `code` is for machines (the API), the message for
    people. `wrong_state` (409) when the invoice is no longer a draft, or already issued."""


def _event(invoice: Invoice, *, by, to: str, from_status: str = "", note: str = "") -> None:
    DocumentEvent.objects.create(
        workshop_id=invoice.workshop_id,
        document_type="invoice",
        document_id=invoice.pk,
        actor=by,
        from_status=from_status,
        to_status=to,
        note=note,
    )


def invoiceable_orders(workshop: Workshop, company: Company | None = None) -> QuerySet[Order]:
    """Orders the company accepted (検収) that are on no invoice yet (a draft counts)."""
    billed = InvoiceLine.objects.filter(
        invoice__kind=Invoice.Kind.INVOICE, order__isnull=False
    ).values("order")
    found = Order.objects.filter(
        workshop=workshop, status=Order.Status.ACCEPTED_BY_COMPANY
    ).exclude(pk__in=billed)
    if company is not None:
        found = found.filter(company=company)
    return found


def _lock_draft(invoice: Invoice) -> Invoice:
    locked = Invoice.objects.select_for_update().filter(pk=invoice.pk).first()
    if locked is None or locked.status != Status.DRAFT:
        raise InvoiceError(
            _("Only a draft can be changed; this invoice has been checked or issued."),
            code="wrong_state",
        )
    return locked


def _refresh_totals(invoice: Invoice) -> None:
    """Recompute a draft's totals from its lines (tax once per rate, jobs/money.py)."""
    totals = money.invoice_totals(invoice.lines.values_list("amount_yen", "tax_rate"))
    Invoice.objects.filter(pk=invoice.pk).update(
        subtotal_yen=totals.subtotal,
        tax_yen=totals.tax,
        total_yen=totals.total,
        tax_summary=[{"rate": p.rate, "amount": p.amount, "tax": p.tax} for p in totals.by_rate],
    )


def draft_invoice(*, workshop: Workshop, company: Company, orders: list[Order], by) -> Invoice:
    """A draft invoice for these orders of one company, one line per order at its billable
    amount (unit price × what the company kept, or the agreed total). Two staff drafting at
    once cannot bill an order twice: the orders' rows are locked and checked again."""
    if not orders:
        raise InvoiceError(_("There is nothing to invoice for this company yet."), code="empty")
    with transaction.atomic():
        locked = list(
            Order.objects.select_for_update()
            .filter(pk__in=[order.pk for order in orders])
            .order_by("pk")
        )
        allowed = set(invoiceable_orders(workshop, company).values_list("pk", flat=True))
        for order in locked:
            if order.pk not in allowed:
                raise InvoiceError(
                    _(
                        "Order %(number)s cannot be invoiced: it must be accepted by the company "
                        "and not be on another invoice."
                    )
                    % {"number": order.number},
                    code="not_invoiceable",
                )
        dates = Delivery.objects.filter(order__in=locked).aggregate(
            first=Min("delivered_on"), last=Max("delivered_on")
        )
        today = timezone.localdate()
        invoice = Invoice.objects.create(
            workshop=workshop,
            company=company,
            period_start=dates["first"] or today,
            period_end=dates["last"] or today,
            due_date=min(order.payment_date for order in locked),
            created_by=by,
        )
        last_delivery = dict(
            Delivery.objects.filter(order__in=locked)
            .values("order")
            .annotate(last=Max("delivered_on"))
            .values_list("order", "last")
        )
        InvoiceLine.objects.bulk_create(
            InvoiceLine(
                invoice=invoice,
                position=index,
                order=order,
                description=order.title[:MAX_TEXT],
                delivered_on=last_delivery.get(order.pk),
                quantity=money.kept_quantity(order) if order.unit_price_yen else order.quantity,
                unit_label=order.unit_label,
                unit_price_yen=order.unit_price_yen,
                amount_yen=money.billable_amount(order),
                tax_rate=money.STANDARD_TAX_RATE,
            )
            for index, order in enumerate(locked)
        )
        _refresh_totals(invoice)
        _event(invoice, by=by, to=Status.DRAFT)
    invoice.refresh_from_db()
    return invoice


def draft_invoice_for_order(*, order: Order, by) -> Invoice:
    return draft_invoice(workshop=order.workshop, company=order.company, orders=[order], by=by)


def draft_month_invoice(
    *, workshop: Workshop, company: Company, month: datetime.date, by
) -> Invoice:
    """One invoice for the month (月締め): every order of the company accepted by the end of the
    month and not invoiced yet."""
    accepted = (
        invoiceable_orders(workshop, company)
        .filter(
            events__to_status=Order.Status.ACCEPTED_BY_COMPANY,
            events__at__lt=money.month_bounds(month)[1],
        )
        .distinct()
        .order_by("pk")
    )
    return draft_invoice(workshop=workshop, company=company, orders=list(accepted), by=by)


def _clean_line(*, description: str, amount_yen: int, tax_rate: int, quantity: int | None) -> str:
    description = (description or "").strip()
    if not description:
        raise InvoiceError(_("Please say what the line is for."), code="invalid")
    if len(description) > MAX_TEXT:
        raise InvoiceError(_("Please keep the description shorter."), code="invalid")
    if amount_yen is None or not 1 <= amount_yen <= MAX_AMOUNT:
        raise InvoiceError(_("Enter an amount of at least ¥1."), code="invalid")
    if tax_rate not in money.TAX_RATES:
        raise InvoiceError(_("The tax rate must be 10%, or 8%."), code="invalid")
    if quantity is not None and quantity < 1:
        raise InvoiceError(_("The quantity must be at least 1."), code="invalid")
    return description


def add_line(
    *,
    invoice: Invoice,
    by,
    description: str,
    amount_yen: int,
    tax_rate: int = money.STANDARD_TAX_RATE,
    quantity: int | None = None,
    unit_label: str = "",
    unit_price_yen: int | None = None,
    delivered_on: datetime.date | None = None,
) -> InvoiceLine:
    """Add a line to a draft (shipping, materials, an item at the reduced rate…)."""
    description = _clean_line(
        description=description, amount_yen=amount_yen, tax_rate=tax_rate, quantity=quantity
    )
    with transaction.atomic():
        locked = _lock_draft(invoice)
        if locked.is_return:
            _check_return_fits(locked.original, extra={tax_rate: amount_yen}, draft=locked)
        position = (locked.lines.aggregate(last=Max("position"))["last"] or 0) + 1
        line = InvoiceLine.objects.create(
            invoice=locked,
            position=position,
            description=description,
            amount_yen=amount_yen,
            tax_rate=tax_rate,
            quantity=quantity,
            unit_label=unit_label[:10],
            unit_price_yen=unit_price_yen,
            delivered_on=delivered_on,
        )
        _refresh_totals(locked)
        _event(locked, by=by, from_status=Status.DRAFT, to=Status.DRAFT, note=description)
    return line


def remove_line(*, line: InvoiceLine, by) -> None:
    with transaction.atomic():
        locked = _lock_draft(line.invoice)
        InvoiceLine.objects.filter(pk=line.pk, invoice=locked).delete()
        _refresh_totals(locked)
        _event(locked, by=by, from_status=Status.DRAFT, to=Status.DRAFT, note=line.description)


def discard_draft(*, invoice: Invoice, by) -> None:
    """A draft or checked invoice that will not be issued. It has no number yet, so nothing is
    left out of the sequence; its orders can be invoiced again."""
    with transaction.atomic():
        locked = Invoice.objects.select_for_update().filter(pk=invoice.pk).first()
        if locked is None or locked.status == Status.ISSUED:
            raise InvoiceError(
                _("An issued invoice cannot be discarded; issue a return invoice instead."),
                code="wrong_state",
            )
        _event(locked, by=by, from_status=locked.status, to="discarded")
        locked.lines.all().delete()
        Invoice.objects.filter(pk=locked.pk).delete()


def check_invoice(*, invoice: Invoice, by) -> Invoice:
    """Someone has checked the draft's lines and figures: it is ready to issue."""
    with transaction.atomic():
        locked = _lock_draft(invoice)
        if not locked.lines.exists():
            raise InvoiceError(_("An invoice needs at least one line."), code="empty")
        Invoice.objects.filter(pk=locked.pk).update(
            status=Status.CHECKED, checked_by=by, checked_at=timezone.now()
        )
        _event(locked, by=by, from_status=Status.DRAFT, to=Status.CHECKED)
    invoice.refresh_from_db()
    return invoice


def back_to_draft(*, invoice: Invoice, by) -> Invoice:
    """A checked invoice needs a change after all."""
    with transaction.atomic():
        updated = Invoice.objects.filter(pk=invoice.pk, status=Status.CHECKED).update(
            status=Status.DRAFT, checked_by=None, checked_at=None
        )
        if updated != 1:
            raise InvoiceError(
                _("Only a checked invoice can go back to draft."), code="wrong_state"
            )
        _event(invoice, by=by, from_status=Status.CHECKED, to=Status.DRAFT)
    invoice.refresh_from_db()
    return invoice


def issue_invoice(*, invoice: Invoice, by) -> Invoice:
    """Issue a checked invoice: its number (gapless, jobs/numbering.py), the date of issue, the
    tax per rate fixed, and its orders marked invoiced. From here on it never changes."""
    with transaction.atomic():
        locked = Invoice.objects.select_for_update().select_related("workshop").get(pk=invoice.pk)
        if locked.status != Status.CHECKED:
            raise InvoiceError(
                _("Only a checked invoice can be issued; this one is %(status)s.")
                % {"status": locked.get_status_display()},
                code="wrong_state",
            )
        if not locked.workshop.invoice_registration_number:
            raise InvoiceError(
                _(
                    "A qualified invoice needs the workshop's registration number (T and 13 "
                    "digits). A manager can enter it in the workshop's settings."
                ),
                code="registration_number_missing",
            )
        if locked.is_return:
            _check_return_fits(locked.original, extra={}, draft=locked)
        today = timezone.localdate()
        kind = DocumentKind.RETURN_INVOICE if locked.is_return else DocumentKind.INVOICE
        number, fiscal_year = numbering.take_number(workshop=locked.workshop, kind=kind, on=today)
        _refresh_totals(locked)
        Invoice.objects.filter(pk=locked.pk).update(
            status=Status.ISSUED,
            number=number,
            fiscal_year=fiscal_year,
            issued_on=today,
            issued_by=by,
            issued_at=timezone.now(),
        )
        _event(locked, by=by, from_status=Status.CHECKED, to=Status.ISSUED, note=number)
        if not locked.is_return:
            billed = Order.objects.filter(
                pk__in=locked.lines.filter(order__isnull=False).values("order"),
                status=Order.Status.ACCEPTED_BY_COMPANY,
            )
            for order in billed:
                orders.mark_invoiced(
                    order=order, by=by, note=_("Invoice %(number)s issued.") % {"number": number}
                )
    invoice.refresh_from_db()
    return invoice


# --- payments -------------------------------------------------------------------------------


def returned_yen(invoice: Invoice) -> int:
    """What issued return invoices gave back on this invoice, tax included."""
    return (
        Invoice.objects.filter(original=invoice, status=Status.ISSUED).aggregate(
            total=Sum("total_yen")
        )["total"]
        or 0
    )


def amount_due(invoice: Invoice) -> int:
    return invoice.total_yen - returned_yen(invoice)


def record_payment(
    *, invoice: Invoice, by, paid_on: datetime.date, amount_yen: int | None = None, note: str = ""
) -> InvoicePayment:
    """The company paid: recorded beside the invoice (which stays as issued)."""
    with transaction.atomic():
        locked = Invoice.objects.select_for_update().get(pk=invoice.pk)
        if locked.status != Status.ISSUED or locked.is_return:
            raise InvoiceError(_("Only an issued invoice can be marked paid."), code="wrong_state")
        if InvoicePayment.objects.filter(invoice=locked).exists():
            raise InvoiceError(_("This invoice is already marked paid."), code="already_paid")
        if paid_on > timezone.localdate():
            raise InvoiceError(_("The payment date cannot be in the future."), code="invalid")
        due = amount_due(locked)
        amount = due if amount_yen is None else amount_yen
        if amount < 0 or amount > MAX_AMOUNT:
            raise InvoiceError(_("Enter the amount that was paid."), code="invalid")
        payment = InvoicePayment.objects.create(
            invoice=locked,
            paid_on=paid_on,
            amount_yen=amount,
            note=note.strip()[:MAX_TEXT],
            recorded_by=by,
        )
        _event(locked, by=by, from_status=Status.ISSUED, to="paid", note=f"{amount}")
    return payment


def unpaid(workshop: Workshop) -> QuerySet[Invoice]:
    """Issued invoices (not return invoices) with no payment recorded, the oldest due first."""
    return (
        Invoice.objects.filter(
            workshop=workshop,
            status=Status.ISSUED,
            kind=Invoice.Kind.INVOICE,
            payment__isnull=True,
        )
        .select_related("company")
        .order_by("due_date", "pk")
    )


def past_due(workshop: Workshop, today: datetime.date | None = None) -> QuerySet[Invoice]:
    return unpaid(workshop).filter(due_date__lt=today or timezone.localdate())


# --- return invoices (返還インボイス) ---------------------------------------------------------


def _returned_by_rate(original: Invoice, *, exclude: Invoice | None = None) -> dict[int, int]:
    """What issued (and, when checking a draft, other unissued) return invoices of `original`
    give back per tax rate, before tax."""
    lines = InvoiceLine.objects.filter(
        invoice__original=original, invoice__kind=Invoice.Kind.RETURN
    )
    if exclude is not None:
        lines = lines.exclude(invoice=exclude)
    by_rate: dict[int, int] = defaultdict(int)
    for amount, rate in lines.filter(invoice__status=Status.ISSUED).values_list(
        "amount_yen", "tax_rate"
    ):
        by_rate[rate] += amount
    return by_rate


def _check_return_fits(original: Invoice, *, extra: dict[int, int], draft: Invoice) -> None:
    """A return invoice may give back, per tax rate, no more than the original billed at that
    rate less what issued return invoices already gave back."""
    billed: dict[int, int] = defaultdict(int)
    for amount, rate in original.lines.values_list("amount_yen", "tax_rate"):
        billed[rate] += amount
    returned = _returned_by_rate(original, exclude=draft)
    this: dict[int, int] = defaultdict(int)
    for amount, rate in draft.lines.values_list("amount_yen", "tax_rate"):
        this[rate] += amount
    for rate, amount in extra.items():
        this[rate] += amount
    for rate, amount in this.items():
        left = billed.get(rate, 0) - returned.get(rate, 0)
        if amount > left:
            raise InvoiceError(
                _("Invoice %(number)s has only %(left)s at %(rate)s%% left to return.")
                % {"number": original.number, "left": f"¥{left:,}", "rate": rate},
                code="too_much",
            )


def draft_return_invoice(*, original: Invoice, by, reason: str) -> Invoice:
    """Start a return invoice for an issued invoice (a discount after the fact, items returned,
    a mistake): staff then add what is returned, line by line, at each line's tax rate."""
    reason = (reason or "").strip()
    if not reason:
        raise InvoiceError(_("Please give the reason for the return."), code="reason_required")
    with transaction.atomic():
        locked = Invoice.objects.select_for_update().get(pk=original.pk)
        if locked.status != Status.ISSUED or locked.is_return:
            raise InvoiceError(
                _("A return invoice corrects an issued invoice."), code="wrong_state"
            )
        today = timezone.localdate()
        draft = Invoice.objects.create(
            workshop_id=locked.workshop_id,
            company_id=locked.company_id,
            kind=Invoice.Kind.RETURN,
            original=locked,
            period_start=locked.period_start,
            period_end=locked.period_end,
            due_date=today,
            reason=reason[:2000],
            created_by=by,
        )
        _event(draft, by=by, to=Status.DRAFT, note=locked.number)
    draft.refresh_from_db()
    return draft
