"""Demo money for `manage.py seed_demo`: what the demo's approved work credits (the demo writes
its units directly, not through review), the order confirmations of accepted orders, the
statements of the months the history covers (issued for past months, drafts for this one),
an issued invoice for the order the company accepted, bank accounts and the paying account,
and a month's production costs with receipts. Built through the rules where the history allows;
running it again changes nothing."""

import datetime
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from reportlab.pdfgen.canvas import Canvas

from jobs import books, confirmations, invoicing, money
from jobs.models import Credit, InvoiceLine, Order, ProductionCost, WorkUnit
from participants import wages
from participants.models import BankAccount, Participant, WageStatement
from workshop.models import StaffMembership, Workshop

ACCEPTED_OR_LATER = [
    Order.Status.ACCEPTED,
    Order.Status.IN_PROGRESS,
    Order.Status.DELIVERED,
    Order.Status.ACCEPTED_BY_COMPANY,
    Order.Status.INVOICED,
]
# Made-up accounts (bank 9900 is not a real bank code) for the demo's transfer file.
DEMO_HOLDERS = {
    "そら": "ｿﾗ ﾐﾅﾐ",
    "はる": "ﾊﾙ ﾔﾏﾀﾞ",
    "あおい": "ｱｵｲ ｻﾄｳ",
    "もも": "ﾓﾓ ｽｽﾞｷ",
    "こはく": "ｺﾊｸ ﾀｶﾊｼ",
    "なぎ": "ﾅｷﾞ ﾜﾀﾅﾍﾞ",
    "りん": "ﾘﾝ ｲﾄｳ",
}


def seed_demo_money(workshop: Workshop, *, now: datetime.datetime | None = None) -> None:
    now = now or timezone.now()
    staff = (
        StaffMembership.objects.filter(workshop=workshop).order_by("pk").select_related("user")
    ).first()
    by = staff.user if staff else None
    with transaction.atomic():
        _credits(workshop)
        _settings_and_accounts(workshop, by)
        for order in Order.objects.filter(workshop=workshop, status__in=ACCEPTED_OR_LATER):
            confirmations.issue_confirmation(order_id=order.pk, by=by)
    _statements(workshop, by, now)
    _invoices(workshop, by)
    _costs(workshop, by, now)


def _credits(workshop: Workshop) -> None:
    """Approved demo units credit their holder, approved when they were last worked on."""
    units = (
        WorkUnit.objects.filter(workshop=workshop, status=WorkUnit.Status.APPROVED)
        .exclude(pk__in=Credit.objects.values("unit"))
        .order_by("pk")
    )
    rows = []
    for unit in units:
        rows += money.credits_for_approval(
            unit, approved=unit.approved_quantity, at=unit.last_activity_at or timezone.now()
        )
    Credit.objects.bulk_create(rows)


def _settings_and_accounts(workshop: Workshop, by) -> None:
    settings = money.settings_for(workshop)
    if not settings.consignor_code:
        wages.update_money_settings(
            workshop=workshop,
            by=by,
            consignor_code="1234567890",
            consignor_name_kana="ｼｬｶｲﾌｸｼﾎｳｼﾞﾝ ﾋﾀﾞﾏﾘ",
            bank_code="9900",
            bank_name_kana="ﾃﾞﾓｷﾞﾝｺｳ",
            branch_code="001",
            branch_name_kana="ﾎﾝﾃﾝ",
            account_type="1",
            account_number="1234567",
        )
    have = set(BankAccount.objects.values_list("participant", flat=True))
    for number, participant in enumerate(
        Participant.objects.filter(workshop=workshop, nickname__in=DEMO_HOLDERS).order_by("pk")
    ):
        if participant.pk in have:
            continue
        wages.set_bank_account(
            participant=participant,
            by=by,
            bank_code="9900",
            bank_name_kana="ﾃﾞﾓｷﾞﾝｺｳ",
            branch_code=f"{101 + number % 3:03d}",
            branch_name_kana="ｻｶﾉｳｴ",
            account_type="1",
            account_number=f"{7000001 + number:07d}",
            holder_kana=DEMO_HOLDERS[participant.nickname],
        )


def _statements(workshop: Workshop, by, now: datetime.datetime) -> None:
    """Statements for every month the credits fall in: issued for months that are over, a
    draft for this month (issued too when the history lies all in this month, so that the demo
    always has issued statements to show)."""
    this_month = money.first_of_month(timezone.localdate(now))
    months = sorted(
        {
            money.first_of_month(timezone.localdate(at))
            for at in Credit.objects.filter(workshop=workshop).values_list("approved_at", flat=True)
        }
    )
    issue_until = this_month if any(month < this_month for month in months) else None
    for month in months:
        for participant_id in wages.people_to_state(workshop, month):
            participant = Participant.objects.select_related("workshop").get(pk=participant_id)
            statement = wages.draft_statement(participant=participant, month=month, by=by)
            if statement is None or statement.is_issued:
                continue
            if issue_until is not None and month >= issue_until:
                continue
            if statement.status == WageStatement.Status.DRAFT:
                wages.check_statement(statement=statement, by=by)
            wages.issue_statement(statement=statement, by=by)


def _invoices(workshop: Workshop, by) -> None:
    """Orders the company accepted get their invoice, issued, except the latest one, which is
    left ready to invoice so that the demo shows that step too."""
    ready = list(
        invoicing.invoiceable_orders(workshop)
        .annotate(accepted_at=Max("events__at"))
        .order_by("accepted_at", "pk")
    )
    for order in ready[:-1]:
        if InvoiceLine.objects.filter(order=order).exists():
            continue
        invoice = invoicing.draft_invoice_for_order(order=order, by=by)
        invoicing.check_invoice(invoice=invoice, by=by)
        invoicing.issue_invoice(invoice=invoice, by=by)


def _receipt(text: str) -> SimpleUploadedFile:
    """A small one-page PDF standing in for a scanned receipt."""
    out = io.BytesIO()
    canvas = Canvas(out, pagesize=(200, 120))
    canvas.drawString(20, 60, text)
    canvas.showPage()
    canvas.save()
    return SimpleUploadedFile("receipt.pdf", out.getvalue(), content_type="application/pdf")


def _costs(workshop: Workshop, by, now: datetime.datetime) -> None:
    last_month = money.first_of_month(
        money.first_of_month(timezone.localdate(now)) - datetime.timedelta(days=1)
    )
    for day, category, description, amount in (
        (5, ProductionCost.Category.MATERIALS, "封筒用のり・輪ゴム", 1280),
        (18, ProductionCost.Category.DELIVERY, "宅配便（納品 30箱）", 3960),
    ):
        spent_on = last_month.replace(day=day)
        if ProductionCost.objects.filter(
            workshop=workshop, spent_on=spent_on, description=description
        ).exists():
            continue
        books.add_cost(
            workshop=workshop,
            by=by,
            spent_on=spent_on,
            category=category,
            description=description,
            amount_yen=amount,
            receipt=_receipt(f"Receipt {amount} JPY"),
        )
