"""What a participant reads about their own work: what a unit pays (about), what they did by
day, and their 工賃 this month: what staff approved, and apart from it what waits for review.
Read-only; every yen comes from jobs/money.py, the rules that change work live in jobs/work.py.
Nothing here compares one person with another."""

import datetime
from dataclasses import dataclass, field

from django.db.models import Sum
from django.utils import timezone

from jobs import money
from jobs.models import ProgressLog, WorkUnit
from jobs.money import unit_pay_estimate  # noqa: F401 (the phone pages read it here)
from participants.models import Participant


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
    # What staff approved this month, exactly as the wage statement (工賃明細) will count it.
    wage_checked: int
    # About what the work still waiting for review would pay; never counted as pay until
    # staff approve it.
    wage_waiting: int
    waiting_quantity: int
    # Items on units staff asked to look at again.
    sent_back_quantity: int
    pay_mode: str

    @property
    def wage_estimate(self) -> int:
        """Checked pay and the estimate of what waits for review, together."""
        return self.wage_checked + self.wage_waiting


def month_record(participant: Participant, *, today: datetime.date | None = None) -> MonthRecord:
    """The participant's own logs of this month, by day (newest first), and their pay: what
    staff approved (credited to them this month), and apart from it what waits for review or
    was sent back, which is never shown as pay. The figures come from jobs/money.py."""
    today = today or timezone.localdate()
    first = today.replace(day=1)
    start, end = money.month_bounds(first)
    logs = (
        ProgressLog.objects.filter(
            participant=participant, created_at__gte=start, created_at__lt=end
        )
        .select_related("unit__order")
        .order_by("-created_at", "-pk")
    )
    days: dict[datetime.date, Day] = {}
    minutes = quantity = 0
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
    pay = money.pay_picture(participant, first)
    return MonthRecord(
        month=first,
        days=list(days.values()),
        minutes=minutes,
        quantity=quantity,
        wage_checked=pay.checked,
        wage_waiting=pay.waiting,
        waiting_quantity=pay.waiting_quantity,
        sent_back_quantity=pay.sent_back_quantity,
        pay_mode=participant.workshop.pay_mode,
    )


def logged_by(unit: WorkUnit, participant: Participant) -> int:
    """Items of this unit the participant has logged (what stays theirs if they hand it back)."""
    return unit.logs.filter(participant=participant).aggregate(total=Sum("quantity"))["total"] or 0
