"""The month's books of a workshop's production activity: revenue by company from issued
invoices, production costs entered by staff with their receipts, and the 工賃 issued, with the
check the rules for 就労継続支援 ask for (工賃 paid ≤ production revenue − costs) shown with its
margin. The figures are jobs.money.month_books; here are the costs' rules and the CSV rows."""

import datetime
from collections.abc import Iterator

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jobs import money
from jobs.attachments import AttachmentRefused, identify
from jobs.models import DocumentEvent, Order, ProductionCost
from workshop.models import Workshop
from workshop.rules import RuleError

MAX_COST = 100_000_000
MAX_TEXT = 200
# Receipts are photos or PDFs; a CSV is not a receipt.
RECEIPT_TYPES = {"application/pdf", "image/jpeg", "image/png", "image/gif", "image/webp"}


class BooksError(RuleError):
    """A cost could not be recorded; `code` for machines, the message for people."""

    def __init__(self, message: str, *, code: str, field: str | None = None):
        super().__init__(message, code=code)
        self.field = field


def add_cost(
    *,
    workshop: Workshop,
    by,
    spent_on: datetime.date,
    category: str,
    description: str,
    amount_yen: int,
    receipt: UploadedFile | None = None,
    order: Order | None = None,
) -> ProductionCost:
    """Record a production cost with its receipt, which is checked by its content (a PDF or an
    image; jobs/attachments.py) and stored under a name of ours."""
    description = (description or "").strip()
    if not description or len(description) > MAX_TEXT:
        raise BooksError(
            _("Please say what it was (a few words)."), code="invalid", field="description"
        )
    if category not in ProductionCost.Category.values:
        raise BooksError(
            _("Please choose what kind of cost it is."), code="invalid", field="category"
        )
    if amount_yen is None or not 1 <= amount_yen <= MAX_COST:
        raise BooksError(_("Enter an amount of at least ¥1."), code="invalid", field="amount_yen")
    if spent_on > timezone.localdate():
        raise BooksError(_("The date cannot be in the future."), code="invalid", field="spent_on")
    if order is not None and order.workshop_id != workshop.pk:
        raise BooksError(_("That order is not this workshop's."), code="invalid", field="order")
    cost = ProductionCost(
        workshop=workshop,
        spent_on=spent_on,
        category=category,
        description=description,
        amount_yen=amount_yen,
        order=order,
        entered_by=by,
    )
    if receipt is not None:
        try:
            kind = identify(receipt)
        except AttachmentRefused as refused:
            raise BooksError(refused.message, code=refused.code, field="receipt") from None
        if kind.content_type not in RECEIPT_TYPES:
            raise BooksError(
                _("A receipt must be a PDF or a photo (JPEG, PNG, GIF, WebP)."),
                code="unsupported_file_type",
                field="receipt",
            )
        cost.receipt_extension = kind.extension
        cost.receipt_content_type = kind.content_type
        cost.receipt_name = (receipt.name or "")[-MAX_TEXT:]
    with transaction.atomic():
        if receipt is not None:
            cost.receipt.save("receipt", receipt, save=False)
        cost.save()
        DocumentEvent.objects.create(
            workshop=workshop,
            document_type="production_cost",
            document_id=cost.pk,
            actor=by,
            to_status="entered",
            note=f"{description} ¥{amount_yen:,}",
        )
    return cost


def remove_cost(*, cost: ProductionCost, by) -> None:
    """A cost entered by mistake. The event row keeps what it was."""
    with transaction.atomic():
        DocumentEvent.objects.create(
            workshop_id=cost.workshop_id,
            document_type="production_cost",
            document_id=cost.pk,
            actor=by,
            from_status="entered",
            to_status="removed",
            note=f"{cost.description} ¥{cost.amount_yen:,}",
        )
        if cost.receipt:
            cost.receipt.delete(save=False)
        ProductionCost.objects.filter(pk=cost.pk).delete()


def books_rows(workshop: Workshop, month: datetime.date) -> Iterator[list]:
    """The month's books as rows for the accountant's CSV (workshop/spreadsheets.py)."""
    books = money.month_books(workshop, month)
    yield [_("Month"), month.strftime("%Y-%m")]
    yield []
    yield [
        _("Production revenue (before tax)"),
        _("Company"),
        _("Invoiced"),
        _("Returned"),
        _("Net"),
    ]
    for row in books.revenue_by_company:
        yield ["", row.name, row.invoiced, row.returned, row.net]
    yield ["", _("Total"), "", "", books.revenue]
    yield []
    yield [_("Production costs"), _("Date"), _("Kind"), _("What it was"), _("Amount")]
    costs = ProductionCost.objects.filter(
        workshop=workshop, spent_on__gte=month, spent_on__lt=money.next_month(month)
    ).order_by("spent_on", "pk")
    for cost in costs:
        yield [
            "",
            cost.spent_on.isoformat(),
            cost.get_category_display(),
            cost.description,
            cost.amount_yen,
        ]
    yield ["", _("Total"), "", "", books.costs]
    yield []
    yield [_("Revenue less costs"), "", "", "", books.available_for_wages]
    yield [_("工賃 issued for the month"), "", "", "", books.wages]
    yield [_("Margin after 工賃"), "", "", "", books.margin]
    yield [
        _("工賃 within revenue less costs"),
        "",
        "",
        "",
        _("yes") if books.within_rule else _("no"),
    ]
    yield []
    year = books.year
    yield [_("Fiscal year so far"), books.year_start.strftime("%Y-%m"), "", "", ""]
    yield [_("Production revenue (before tax)"), "", "", "", year.revenue]
    yield [_("Production costs"), "", "", "", year.costs]
    yield [_("工賃 issued for the month"), "", "", "", year.wages]
    yield [_("Margin after 工賃"), "", "", "", year.margin]
    yield [
        _("工賃 within revenue less costs"),
        "",
        "",
        "",
        _("yes") if year.within_rule else _("no"),
    ]
