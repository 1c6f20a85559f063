"""What a participant reads about their own work: what a unit pays (about), what they did by
day, and their 工賃 so far this month as an estimate. Read-only; the rules that change work
live in jobs/work.py. Nothing here compares one person with another."""

import datetime
from dataclasses import dataclass, field

from django.db.models import Sum
from django.utils import timezone

from jobs.models import Order, ProgressLog, WorkUnit
from participants.models import Participant
from workshop.models import Workshop


def _piece_price(order: Order) -> float:
    """Yen per item: the unit price, or the total spread over the quantity."""
    if order.unit_price_yen is not None:
        return float(order.unit_price_yen)
    return order.total_price_yen / order.quantity if order.quantity else 0.0


def piece_wage(order: Order, workshop: Workshop, quantity: int) -> int:
    """工賃 for `quantity` items of `order` at piece rate: price × the workshop's share."""
    return int(_piece_price(order) * quantity * workshop.wage_share_percent / 100)


def hourly_wage(workshop: Workshop, minutes: int) -> int:
    return minutes * workshop.hourly_wage_yen // 60


def unit_pay_estimate(unit: WorkUnit, workshop: Workshop) -> int:
    """About what doing the whole unit pays. Piece rate: unit price × share × quantity.
    Hourly: the estimated minutes at the hourly rate (the real pay follows the minutes logged)."""
    if workshop.pay_mode == Workshop.PayMode.HOURLY:
        return hourly_wage(workshop, unit.estimated_minutes)
    return piece_wage(unit.order, workshop, unit.quantity)


@dataclass
class DayLine:
    title: str
    unit_label: str
    quantity: int = 0
    minutes: int = 0


@dataclass
class Day:
    day: datetime.date
    minutes: int = 0
    lines: dict[int, DayLine] = field(default_factory=dict)

    @property
    def work(self) -> list[DayLine]:
        return list(self.lines.values())


@dataclass
class MonthRecord:
    month: datetime.date  # the first day of the month
    days: list[Day]
    minutes: int
    quantity: int
    # 工賃 so far this month, an estimate until the wage statement (工賃明細) is issued.
    wage_estimate: int
    # Of that, the part staff have already checked (approved units); piece rate only.
    wage_checked: int
    pay_mode: str


def month_record(participant: Participant, *, today: datetime.date | None = None) -> MonthRecord:
    """The participant's own logs of this month, by day (newest first), with the 工賃 estimate.

    Piece rate: every item logged this month × price × share, because the work is theirs from
    the moment it is logged; the part on units staff have approved is shown apart, as checked.
    Hourly: minutes logged × the hourly rate."""
    today = today or timezone.localdate()
    first = today.replace(day=1)
    start = timezone.make_aware(datetime.datetime.combine(first, datetime.time.min))
    workshop = participant.workshop
    logs = (
        ProgressLog.objects.filter(participant=participant, created_at__gte=start)
        .select_related("unit__order")
        .order_by("-created_at", "-pk")
    )
    days: dict[datetime.date, Day] = {}
    minutes = quantity = 0
    wage = checked = 0.0
    for log in logs:
        local_day = timezone.localdate(log.created_at)
        day = days.setdefault(local_day, Day(day=local_day))
        order = log.unit.order
        line = day.lines.setdefault(order.pk, DayLine(order.title, order.unit_label))
        line.quantity += log.quantity
        line.minutes += log.minutes
        day.minutes += log.minutes
        minutes += log.minutes
        quantity += log.quantity
        if workshop.pay_mode != Workshop.PayMode.HOURLY:
            # Summed unrounded, so that many small logs do not each lose a fraction of a yen.
            amount = _piece_price(order) * log.quantity * workshop.wage_share_percent / 100
            wage += amount
            if log.unit.status == WorkUnit.Status.APPROVED:
                checked += amount
    if workshop.pay_mode == Workshop.PayMode.HOURLY:
        wage_estimate, wage_checked = hourly_wage(workshop, minutes), 0
    else:
        wage_estimate, wage_checked = int(wage), int(checked)
    return MonthRecord(
        month=first,
        days=list(days.values()),
        minutes=minutes,
        quantity=quantity,
        wage_estimate=wage_estimate,
        wage_checked=wage_checked,
        pay_mode=workshop.pay_mode,
    )


def logged_by(unit: WorkUnit, participant: Participant) -> int:
    """Items of this unit the participant has logged (what stays theirs if they hand it back)."""
    return unit.logs.filter(participant=participant).aggregate(total=Sum("quantity"))["total"] or 0
