"""What the coordinator weighs when routing a joint order, and the expected delivery dates the
coordinator and the company see: each workshop's capacity (aggregates only, small counts
suppressed) and its recent pace on a kind of work. See docs/network.md "Capacity" and
"Expected delivery dates".

The pace of a workshop on a kind of work is the quantity staff approved (jobs Credit rows, the
same figures 工賃 counts) on orders of that kind over the last PACE_WEEKS weeks, divided by the
working days (Monday to Friday) in those weeks. Work already waiting at the workshop on that
kind (the quantity not yet approved of its accepted and in-progress orders, from the orders'
counters) comes first: a share of q items is expected to take ceil((waiting + q) / pace)
working days from today. Without any approved work of that kind in the window there is no
pace, and no date is guessed."""

import datetime
import math
from dataclasses import dataclass
from fractions import Fraction

from django.db.models import Count, F, Sum
from django.utils import timezone

from jobs.models import Order, ProgressLog, UnitStatus, WorkUnit
from jobs.money_models import Credit
from network import suppression
from network.models import JointOrder, Network
from participants.models import Participant
from workshop.models import Workshop

PACE_WEEKS = 4
SMALL_TEXT = "<5"
HIDDEN_TEXT = "×"
OPEN_ORDER_STATES = (Order.Status.ACCEPTED, Order.Status.IN_PROGRESS)


def window(today: datetime.date) -> tuple[datetime.datetime, datetime.datetime, int]:
    """The last PACE_WEEKS whole weeks up to and including today: (since, before, working
    days in it)."""
    first = today - datetime.timedelta(weeks=PACE_WEEKS) + datetime.timedelta(days=1)
    since = timezone.make_aware(datetime.datetime.combine(first, datetime.time()))
    before = timezone.make_aware(
        datetime.datetime.combine(today + datetime.timedelta(days=1), datetime.time())
    )
    return since, before, PACE_WEEKS * 5


def add_working_days(day: datetime.date, days: int) -> datetime.date:
    """The `days`-th working day (Monday to Friday) after `day`."""
    while days > 0:
        day += datetime.timedelta(days=1)
        if day.weekday() < 5:
            days -= 1
    return day


# --- pace and estimates ---------------------------------------------------------------------


@dataclass(frozen=True)
class Pace:
    workshop_id: int
    kind: str
    approved: int  # quantity approved in the window
    working_days: int
    waiting: int  # quantity not yet approved of the workshop's open orders of this kind

    @property
    def per_day(self) -> Fraction:
        return Fraction(self.approved, self.working_days)

    def days_for(self, quantity: int) -> int | None:
        """Working days until `quantity` more items are done, after what is waiting."""
        if not self.approved:
            return None
        return math.ceil((self.waiting + quantity) / self.per_day)


def paces(
    workshops: list[Workshop], kind: str, today: datetime.date, *, leave_out: tuple = ()
) -> dict[int, Pace]:
    """Each workshop's pace on `kind`: two queries for all of them. Orders in `leave_out` are
    not counted as waiting (a share's own order, which the caller counts itself)."""
    since, before, working_days = window(today)
    ids = [w.pk for w in workshops]
    approved = dict(
        Credit.objects.filter(
            workshop_id__in=ids,
            approved_at__gte=since,
            approved_at__lt=before,
            order__kind=kind,
        )
        .order_by()
        .values_list("workshop_id")
        .annotate(q=Sum("quantity"))
    )
    waiting = dict(
        Order.objects.filter(workshop_id__in=ids, kind=kind, status__in=OPEN_ORDER_STATES)
        .exclude(pk__in=leave_out)
        .order_by()
        .values_list("workshop_id")
        .annotate(q=Sum(F("quantity") - F("items_approved")))
    )
    return {
        pk: Pace(pk, kind, approved.get(pk) or 0, working_days, max(waiting.get(pk) or 0, 0))
        for pk in ids
    }


@dataclass(frozen=True)
class Estimate:
    """An expected delivery date, or None with the reason there is none."""

    date: datetime.date | None
    working_days: int | None = None

    @property
    def known(self) -> bool:
        return self.date is not None


def estimate_for_network(
    network: Network, *, kind: str, quantity: int, today: datetime.date | None = None
) -> Estimate:
    """Before routing: the whole network's pace on the kind (the workshops' paces added up),
    after everything waiting at its workshops."""
    today = today or timezone.localdate()
    workshops = list(Workshop.objects.filter(network_membership__network=network))
    found = paces(workshops, kind, today)
    approved = sum(p.approved for p in found.values())
    if not approved:
        return Estimate(None)
    waiting = sum(p.waiting for p in found.values())
    days = math.ceil((waiting + quantity) / Fraction(approved, window(today)[2]))
    return Estimate(add_working_days(today, days), days)


def estimate_for_workshop(pace: Pace, quantity: int, today: datetime.date) -> Estimate:
    days = pace.days_for(quantity)
    if days is None:
        return Estimate(None)
    return Estimate(add_working_days(today, days), days)


def share_estimates(
    joint_order: JointOrder, today: datetime.date | None = None
) -> dict[int, Estimate]:
    """Each live share's expected date: a sent share after what waits at its workshop; an
    accepted one from what is left of its own order."""
    today = today or timezone.localdate()
    shares = list(joint_order.shares.live().select_related("order", "workshop"))
    own = tuple(s.order_id for s in shares if s.order_id)
    found = paces([s.workshop for s in shares], joint_order.kind, today, leave_out=own)
    result = {}
    for share in shares:
        left = share.quantity
        if share.order is not None:
            left = max(share.order.quantity - share.order.items_approved, 0)
        result[share.pk] = estimate_for_workshop(found[share.workshop_id], left, today)
    return result


def estimate_for_joint_order(joint_order: JointOrder, today: datetime.date | None = None):
    """What the company sees: before any share, the network's estimate; once everything is
    routed, the latest of the shares' dates (none if any share has no pace)."""
    today = today or timezone.localdate()
    if joint_order.status == JointOrder.Status.AT_DESK:
        return estimate_for_network(
            joint_order.network, kind=joint_order.kind, quantity=joint_order.quantity, today=today
        )
    estimates = share_estimates(joint_order, today).values()
    if not estimates or not all(e.known for e in estimates):
        return Estimate(None)
    latest = max(estimates, key=lambda e: e.date)
    return latest


# --- capacity -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class KindCapacity:
    kind: str
    label: str
    people: str  # how many people logged or were credited work of this kind: a count or "<5"
    hours: str  # hours logged, or "×" where the people are fewer than 5
    approved: str  # quantity approved, or "×" likewise
    per_day: str  # the pace used for the estimate, or "×" likewise


@dataclass(frozen=True)
class WorkshopCapacity:
    workshop: Workshop
    active_people: str  # active participants: a count or "<5"
    open_units: int  # units nobody holds: no person's work, shown as they are
    units_in_hand: str  # taken, handed in or being redone: a count or "<5"
    kinds: list[KindCapacity]
    estimate: Estimate | None = None  # for the quantity at the desk, all to this workshop


def _count(value: int) -> str:
    return SMALL_TEXT if value < suppression.THRESHOLD else f"{value:,}"


def capacity(
    network: Network, *, today: datetime.date | None = None, quantity: int = 0, kind: str = ""
) -> list[WorkshopCapacity]:
    """Each workshop of the network: people active, units open and in hand, and per kind of
    work over the last PACE_WEEKS weeks the hours logged, the quantity approved and the pace.
    A count under 5 is "<5"; hours, quantity and pace are hidden ("×") wherever the people
    beside them are, as yen are in the picture. There are no totals across workshops, so no
    hidden figure can be worked out by subtraction. With `quantity` and `kind`, each workshop's
    expected date for all of it."""
    today = today or timezone.localdate()
    since, before, working_days = window(today)
    workshops = list(Workshop.objects.filter(network_membership__network=network).order_by("name"))
    ids = [w.pk for w in workshops]
    active = dict(
        Participant.objects.filter(workshop_id__in=ids, status=Participant.Status.ACTIVE)
        .order_by()
        .values_list("workshop_id")
        .annotate(n=Count("pk"))
    )
    units = {
        (row["workshop_id"], row["status"]): row["n"]
        for row in WorkUnit.objects.filter(workshop_id__in=ids)
        .exclude(status=UnitStatus.APPROVED)
        .order_by()
        .values("workshop_id", "status")
        .annotate(n=Count("pk"))
    }
    logs = {
        (row["unit__workshop_id"], row["unit__order__kind"]): row
        for row in ProgressLog.objects.filter(
            unit__workshop_id__in=ids, created_at__gte=since, created_at__lt=before
        )
        .order_by()
        .values("unit__workshop_id", "unit__order__kind")
        .annotate(minutes=Sum("minutes"), people=Count("participant", distinct=True))
    }
    credits = {
        (row["workshop_id"], row["order__kind"]): row
        for row in Credit.objects.filter(
            workshop_id__in=ids, approved_at__gte=since, approved_at__lt=before
        )
        .order_by()
        .values("workshop_id", "order__kind")
        .annotate(q=Sum("quantity"), people=Count("participant", distinct=True))
    }
    result = []
    found = paces(workshops, kind, today) if kind else {}
    for workshop in workshops:
        kinds = []
        for value, label in Order.Kind.choices:
            log = logs.get((workshop.pk, value)) or {"minutes": 0, "people": 0}
            credit = credits.get((workshop.pk, value)) or {"q": 0, "people": 0}
            # The people behind the figures: the larger of those who logged and those credited
            # (a lower bound of everyone involved, so hiding on it never shows too much).
            people = max(log["people"], credit["people"])
            small = people < suppression.THRESHOLD
            minutes, approved = log["minutes"] or 0, credit["q"] or 0
            kinds.append(
                KindCapacity(
                    kind=value,
                    label=str(label),
                    people=_count(people),
                    hours=HIDDEN_TEXT if small else f"{minutes / 60:,.1f}",
                    approved=HIDDEN_TEXT if small else f"{approved:,}",
                    per_day=HIDDEN_TEXT if small else f"{approved / working_days:,.1f}",
                )
            )
        in_hand = sum(
            units.get((workshop.pk, s), 0)
            for s in (UnitStatus.CLAIMED, UnitStatus.SUBMITTED, UnitStatus.REDO)
        )
        result.append(
            WorkshopCapacity(
                workshop=workshop,
                active_people=_count(active.get(workshop.pk, 0)),
                open_units=units.get((workshop.pk, UnitStatus.OPEN), 0),
                units_in_hand=_count(in_hand),
                kinds=kinds,
                estimate=estimate_for_workshop(found[workshop.pk], quantity, today)
                if kind and quantity
                else None,
            )
        )
    return result
