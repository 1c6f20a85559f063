"""Every yen Engawa computes, in one place: 工賃 per line and per month, what approval credits
to whom, consumption tax per rate, an order's billable amount, and the month's books. Only
integers and Fraction, never float; each figure is rounded down to the yen once, at the point
the document that shows it says (docs/money.md):

- a wage statement line: approved quantity × price per item × share, or minutes × hourly rate,
  rounded down once per line; the statement adds the rounded lines;
- an invoice: consumption tax once per tax rate on the sum of that rate's lines, rounded down,
  never per line and summed (the qualified-invoice rule);
- estimates for the participant's phone are rounded down once, over the whole estimate.

Documents and pages read their figures from here; the rules that store them are in
jobs/invoicing.py, participants/wages.py and jobs/books.py."""

import datetime
import math
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from fractions import Fraction

from django.db.models import Count, Q, Sum
from django.utils import timezone

from jobs.models import Credit, Delivery, MoneySettings, Order, ProgressLog, WorkUnit
from participants.models import Participant
from workshop.models import Workshop

STANDARD_TAX_RATE = 10
REDUCED_TAX_RATE = 8
TAX_RATES = (STANDARD_TAX_RATE, REDUCED_TAX_RATE)


def floor_yen(amount: Fraction | int) -> int:
    """Rounded down to the yen (for negative amounts too: toward minus infinity)."""
    return math.floor(amount)


# --- settings -------------------------------------------------------------------------------


def settings_for(workshop: Workshop) -> MoneySettings:
    """The workshop's money settings, made with the defaults the first time they are asked for."""
    found = MoneySettings.objects.filter(workshop=workshop).first()
    if found is not None:
        return found
    found, _created = MoneySettings.objects.get_or_create(workshop=workshop)
    return found


# --- months ---------------------------------------------------------------------------------


def first_of_month(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def next_month(month: datetime.date) -> datetime.date:
    return (month.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)


def month_bounds(month: datetime.date) -> tuple[datetime.datetime, datetime.datetime]:
    """The month as [start, end) in the site's time zone, for filtering timestamps."""
    start = timezone.make_aware(datetime.datetime.combine(month, datetime.time.min))
    end = timezone.make_aware(datetime.datetime.combine(next_month(month), datetime.time.min))
    return start, end


def wage_pay_date(workshop: Workshop, month: datetime.date) -> datetime.date:
    """The day a month's 工賃 are paid: the workshop's pay day of the following month."""
    return next_month(month).replace(day=settings_for(workshop).wage_payday)


# --- prices and 工賃 -------------------------------------------------------------------------


def piece_price(order: Order) -> Fraction:
    """Yen per item, exactly: the unit price, or the total spread over the quantity."""
    if order.unit_price_yen is not None:
        return Fraction(order.unit_price_yen)
    if not order.quantity:
        return Fraction(0)
    return Fraction(order.total_price_yen, order.quantity)


def price_parts(order: Order) -> tuple[int, int]:
    """The price per item as (yen, items), e.g. (25, 1) or (100000, 3000), so that a document
    can store and print it without rounding."""
    if order.unit_price_yen is not None:
        return order.unit_price_yen, 1
    return order.total_price_yen, max(order.quantity, 1)


def piece_amount(*, quantity: int, price: Fraction, share_percent: int) -> int:
    """工賃 for `quantity` items at `price` per item and the workshop's share, rounded down once."""
    return floor_yen(quantity * price * Fraction(share_percent, 100))


def hourly_amount(*, minutes: int, hourly_yen: int) -> int:
    """工賃 for `minutes` at `hourly_yen` an hour, rounded down once."""
    return floor_yen(Fraction(minutes * hourly_yen, 60))


def piece_wage(order: Order, workshop: Workshop, quantity: int) -> int:
    return piece_amount(
        quantity=quantity, price=piece_price(order), share_percent=workshop.wage_share_percent
    )


def unit_pay_estimate(unit: WorkUnit, workshop: Workshop) -> int:
    """About what doing the whole unit pays. Piece rate: price × share × quantity. Hourly: the
    estimated minutes at the hourly rate (the real pay follows the minutes recorded)."""
    if workshop.pay_mode == Workshop.PayMode.HOURLY:
        return hourly_amount(minutes=unit.estimated_minutes, hourly_yen=workshop.hourly_wage_yen)
    return piece_wage(unit.order, workshop, unit.quantity)


# --- what approval credits ------------------------------------------------------------------


def allocate_approved(logs: Iterable[tuple[int, int]], approved: int) -> dict[int, int]:
    """Share `approved` items among the people who logged them, in the order they logged
    (`logs` is [(participant_id, quantity), …] oldest first), never giving anyone more than
    they logged. Items approved beyond what was logged are credited to nobody."""
    credited: dict[int, int] = defaultdict(int)
    left = approved
    for participant_id, quantity in logs:
        if left <= 0:
            break
        given = min(left, quantity)
        credited[participant_id] += given
        left -= given
    return dict(credited)


def credits_for_approval(unit: WorkUnit, *, approved: int, at: datetime.datetime) -> list[Credit]:
    """The credit rows that approving `approved` items of `unit` makes (unsaved): the approved
    items go to the people whose logs they were, in the order they logged, never more than each
    logged; the minutes each person logged on the unit count in full (time worked is never
    cut because part of the work was not approved)."""
    logs = list(
        ProgressLog.objects.filter(unit=unit)
        .order_by("created_at", "pk")
        .values_list("participant_id", "quantity", "minutes")
    )
    quantities = allocate_approved(((p, q) for p, q, _m in logs), approved)
    minutes: dict[int, int] = defaultdict(int)
    for participant_id, _quantity, logged_minutes in logs:
        minutes[participant_id] += logged_minutes
    people = dict.fromkeys(p for p, _q, _m in logs)  # first-logged order, no repeats
    return [
        Credit(
            unit_id=unit.pk,
            order_id=unit.order_id,
            workshop_id=unit.workshop_id,
            participant_id=participant_id,
            quantity=quantities.get(participant_id, 0),
            minutes=minutes[participant_id],
            approved_at=at,
        )
        for participant_id in people
        if quantities.get(participant_id, 0) or minutes[participant_id]
    ]


# --- a participant's month ------------------------------------------------------------------


@dataclass(frozen=True)
class WageLine:
    """One line of a statement, with everything needed to print how it was computed."""

    order_id: int | None
    description: str
    unit_label: str
    quantity: int
    minutes: int
    price_yen: int
    price_per: int
    amount: int


@dataclass(frozen=True)
class MonthWork:
    """What a statement states about a participant's month."""

    month: datetime.date
    pay_mode: str
    wage_share_percent: int
    hourly_wage_yen: int
    lines: list[WageLine]
    days_worked: int
    minutes_worked: int

    @property
    def gross(self) -> int:
        return sum(line.amount for line in self.lines)


def month_work(participant: Participant, month: datetime.date) -> MonthWork:
    """The month's 工賃 lines from what staff approved in that month (credits), by order, and
    the days and minutes the participant recorded work in it. Piece rate: credited quantity ×
    price per item × share; hourly: credited minutes × the hourly rate; each line rounded down
    once. A few queries, however many logs."""
    workshop = participant.workshop
    start, end = month_bounds(month)
    sums = (
        Credit.objects.filter(participant=participant, approved_at__gte=start, approved_at__lt=end)
        .values("order")
        .annotate(quantity=Sum("quantity"), minutes=Sum("minutes"))
        .order_by("order")
    )
    orders = Order.objects.in_bulk([row["order"] for row in sums])
    hourly = workshop.pay_mode == Workshop.PayMode.HOURLY
    lines = []
    for row in sums:
        order = orders[row["order"]]
        if hourly:
            if not row["minutes"]:
                continue
            amount = hourly_amount(minutes=row["minutes"], hourly_yen=workshop.hourly_wage_yen)
            price_yen, price_per = workshop.hourly_wage_yen, 60
        else:
            if not row["quantity"]:
                continue
            price_yen, price_per = price_parts(order)
            amount = piece_amount(
                quantity=row["quantity"],
                price=Fraction(price_yen, price_per),
                share_percent=workshop.wage_share_percent,
            )
        lines.append(
            WageLine(
                order_id=order.pk,
                description=order.title,
                unit_label=order.unit_label,
                quantity=row["quantity"],
                minutes=row["minutes"],
                price_yen=price_yen,
                price_per=price_per,
                amount=amount,
            )
        )
    logs = ProgressLog.objects.filter(
        participant=participant, created_at__gte=start, created_at__lt=end
    )
    minutes = logs.aggregate(total=Sum("minutes"))["total"] or 0
    days = {timezone.localdate(at) for at in logs.values_list("created_at", flat=True)}
    days |= set(
        participant.attendances.filter(day__gte=month, day__lt=next_month(month)).values_list(
            "day", flat=True
        )
    )
    return MonthWork(
        month=month,
        pay_mode=workshop.pay_mode,
        wage_share_percent=workshop.wage_share_percent,
        hourly_wage_yen=workshop.hourly_wage_yen,
        lines=lines,
        days_worked=len(days),
        minutes_worked=minutes,
    )


@dataclass(frozen=True)
class PayPicture:
    """The participant's own pay this month, for the phone: what staff approved (exact, the
    statement will say the same), and what is still waiting for review or was sent back, as
    estimates that are never counted as pay."""

    checked: int
    waiting: int
    waiting_quantity: int
    sent_back_quantity: int


def pay_picture(participant: Participant, month: datetime.date) -> PayPicture:
    workshop = participant.workshop
    checked = month_work(participant, month).gross
    hourly = workshop.pay_mode == Workshop.PayMode.HOURLY
    # Logged on units nobody has decided on yet (held, handed in, or handed back and open).
    undecided = ProgressLog.objects.filter(participant=participant).exclude(
        unit__status__in=[WorkUnit.Status.APPROVED, WorkUnit.Status.REDO]
    )
    waiting_quantity = undecided.aggregate(n=Sum("quantity"))["n"] or 0
    if hourly:
        minutes = undecided.aggregate(n=Sum("minutes"))["n"] or 0
        waiting = hourly_amount(minutes=minutes, hourly_yen=workshop.hourly_wage_yen)
    else:
        exact = sum(
            (
                quantity * piece_price(order) * Fraction(workshop.wage_share_percent, 100)
                for quantity, order in _quantities_by_order(undecided)
            ),
            Fraction(0),
        )
        waiting = floor_yen(exact)
    sent_back = (
        ProgressLog.objects.filter(
            participant=participant, unit__status=WorkUnit.Status.REDO
        ).aggregate(n=Sum("quantity"))["n"]
        or 0
    )
    return PayPicture(
        checked=checked,
        waiting=waiting,
        waiting_quantity=waiting_quantity,
        sent_back_quantity=sent_back,
    )


def _quantities_by_order(logs) -> list[tuple[int, Order]]:
    rows = logs.values("unit__order").annotate(n=Sum("quantity")).order_by("unit__order")
    orders = Order.objects.in_bulk([row["unit__order"] for row in rows])
    return [(row["n"] or 0, orders[row["unit__order"]]) for row in rows]


# --- consumption tax and invoices -----------------------------------------------------------


def consumption_tax_yen(amount: int, rate: int = STANDARD_TAX_RATE) -> int:
    """Consumption tax on a tax-exclusive amount, rounded down."""
    return floor_yen(Fraction(amount * rate, 100))


@dataclass(frozen=True)
class RateTotal:
    """One tax rate's part of an invoice: the amount before tax of its lines, and the tax."""

    rate: int
    amount: int
    tax: int

    @property
    def reduced(self) -> bool:
        return self.rate == REDUCED_TAX_RATE


def tax_by_rate(lines: Iterable[tuple[int, int]]) -> list[RateTotal]:
    """`lines` are (amount before tax, rate). The tax is computed once per rate, on the sum of
    that rate's lines, and rounded down: never per line and then summed. Standard rate first."""
    amounts: dict[int, int] = defaultdict(int)
    for amount, rate in lines:
        amounts[rate] += amount
    return [
        RateTotal(rate=rate, amount=amounts[rate], tax=consumption_tax_yen(amounts[rate], rate))
        for rate in sorted(amounts, reverse=True)
    ]


@dataclass(frozen=True)
class InvoiceTotals:
    by_rate: list[RateTotal] = field(default_factory=list)

    @property
    def subtotal(self) -> int:
        return sum(part.amount for part in self.by_rate)

    @property
    def tax(self) -> int:
        return sum(part.tax for part in self.by_rate)

    @property
    def total(self) -> int:
        return self.subtotal + self.tax


def invoice_totals(lines: Iterable[tuple[int, int]]) -> InvoiceTotals:
    return InvoiceTotals(by_rate=tax_by_rate(lines))


def kept_quantity(order: Order) -> int:
    """What the company kept of its deliveries: delivered less refused."""
    sums = Delivery.objects.filter(order=order).aggregate(
        delivered=Sum("quantity"), refused=Sum("refused_quantity")
    )
    return (sums["delivered"] or 0) - (sums["refused"] or 0)


def billable_amount(order: Order) -> int:
    """What an accepted order is billed before tax: the unit price × what the company kept,
    or, for an order priced as a whole, its total price."""
    if order.unit_price_yen is None:
        return order.total_price_yen
    return order.unit_price_yen * kept_quantity(order)


@dataclass(frozen=True)
class SlipAmounts:
    """The money on a delivery slip: the delivered quantity at the order's unit price."""

    unit_price_yen: int | None
    amount_yen: int | None
    tax_yen: int | None
    total_yen: int | None
    tax_percent: int = STANDARD_TAX_RATE


def slip_amounts(delivery: Delivery) -> SlipAmounts:
    """Unit price × delivered quantity, and the tax on it. An order priced as a whole (no unit
    price) has no amount per delivery: the slip then shows quantities only, and the invoice
    bills the total."""
    unit_price = delivery.order.unit_price_yen
    if unit_price is None:
        return SlipAmounts(unit_price_yen=None, amount_yen=None, tax_yen=None, total_yen=None)
    amount = unit_price * delivery.quantity
    tax = consumption_tax_yen(amount)
    return SlipAmounts(
        unit_price_yen=unit_price, amount_yen=amount, tax_yen=tax, total_yen=amount + tax
    )


def order_amounts(*, total_price_yen: int, rate: int = STANDARD_TAX_RATE) -> RateTotal:
    """An order's price with its tax (for the order sheet and the order confirmation)."""
    return RateTotal(
        rate=rate, amount=total_price_yen, tax=consumption_tax_yen(total_price_yen, rate)
    )


# --- the month's books ----------------------------------------------------------------------


@dataclass(frozen=True)
class CompanyRevenue:
    company_id: int
    name: str
    invoiced: int
    returned: int

    @property
    def net(self) -> int:
        return self.invoiced - self.returned


@dataclass(frozen=True)
class PeriodTotals:
    """Production revenue, costs and 工賃 over a period, and the check the rules for 就労継続支援
    ask for: 工賃 paid ≤ production revenue − necessary costs."""

    revenue: int
    costs: int
    wages: int

    @property
    def available_for_wages(self) -> int:
        return self.revenue - self.costs

    @property
    def margin(self) -> int:
        """What is left after 工賃: negative means 工賃 exceeded revenue less costs."""
        return self.available_for_wages - self.wages

    @property
    def within_rule(self) -> bool:
        return self.wages <= self.available_for_wages


@dataclass(frozen=True)
class MonthBooks:
    """A workshop's month: production revenue by company (invoices for transactions of the
    month, before tax, less the return invoices that correct them), production costs, 工賃 of
    the month's issued statements, and the same from the start of the fiscal year, since the
    rules look at 工賃 against production income over the year."""

    month: datetime.date
    revenue_by_company: list[CompanyRevenue]
    costs_by_category: dict[str, int]
    wages: int
    statements: int
    year_start: datetime.date
    year: PeriodTotals

    @property
    def revenue(self) -> int:
        return sum(row.net for row in self.revenue_by_company)

    @property
    def costs(self) -> int:
        return sum(self.costs_by_category.values())

    @property
    def totals(self) -> PeriodTotals:
        return PeriodTotals(revenue=self.revenue, costs=self.costs, wages=self.wages)

    @property
    def available_for_wages(self) -> int:
        return self.totals.available_for_wages

    @property
    def margin(self) -> int:
        return self.totals.margin

    @property
    def within_rule(self) -> bool:
        return self.totals.within_rule


def fiscal_year_start(workshop: Workshop, month: datetime.date) -> datetime.date:
    start_month = settings_for(workshop).fiscal_year_start_month
    year = month.year if month.month >= start_month else month.year - 1
    return datetime.date(year, start_month, 1)


def _revenue_rows(workshop: Workshop, start: datetime.date, end: datetime.date):
    """Issued invoices whose transactions fall in [start, end) (by their last transaction day,
    as an accrual), net of issued return invoices, which carry their original's period."""
    from jobs.models import Invoice

    return (
        Invoice.objects.filter(
            workshop=workshop,
            status=Invoice.Status.ISSUED,
            period_end__gte=start,
            period_end__lt=end,
        )
        .values("company", "company__name")
        .annotate(
            invoiced=Sum("subtotal_yen", filter=Q(kind=Invoice.Kind.INVOICE)),
            returned=Sum("subtotal_yen", filter=Q(kind=Invoice.Kind.RETURN)),
        )
        .order_by("company__name", "company")
    )


def _costs(workshop: Workshop, start: datetime.date, end: datetime.date):
    from jobs.models import ProductionCost

    return ProductionCost.objects.filter(workshop=workshop, spent_on__gte=start, spent_on__lt=end)


def _wages(workshop: Workshop, start: datetime.date, end: datetime.date):
    from participants.models import WageStatement

    return WageStatement.objects.filter(
        workshop=workshop, month__gte=start, month__lt=end, status=WageStatement.Status.ISSUED
    )


def month_books(workshop: Workshop, month: datetime.date) -> MonthBooks:
    """A handful of aggregate queries, however many invoices, costs and statements. 工賃 are
    counted before deductions (what the person earned; a deduction is a charge to them)."""
    end = next_month(month)
    revenue = [
        CompanyRevenue(
            company_id=row["company"],
            name=row["company__name"],
            invoiced=row["invoiced"] or 0,
            returned=row["returned"] or 0,
        )
        for row in _revenue_rows(workshop, month, end)
    ]
    costs = {
        row["category"]: row["total"]
        for row in _costs(workshop, month, end)
        .values("category")
        .annotate(total=Sum("amount_yen"))
        .order_by("category")
    }
    wages = _wages(workshop, month, end).aggregate(total=Sum("gross_yen"), count=Count("pk"))
    year_start = fiscal_year_start(workshop, month)
    year_revenue = sum(
        (row["invoiced"] or 0) - (row["returned"] or 0)
        for row in _revenue_rows(workshop, year_start, end)
    )
    year = PeriodTotals(
        revenue=year_revenue,
        costs=_costs(workshop, year_start, end).aggregate(total=Sum("amount_yen"))["total"] or 0,
        wages=_wages(workshop, year_start, end).aggregate(total=Sum("gross_yen"))["total"] or 0,
    )
    return MonthBooks(
        month=month,
        revenue_by_company=revenue,
        costs_by_category=costs,
        wages=wages["total"] or 0,
        statements=wages["count"] or 0,
        year_start=year_start,
        year=year,
    )
