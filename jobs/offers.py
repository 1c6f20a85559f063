"""What a participant is offered: one unit per open order they could work on, read from
small indexes so that the cost follows the orders shown, not the units behind them (DESIGN.md
invariant 11), and shown as what is left to do.

- Per open order of the workshop, the first open unit by number (the partial index
  `unit_open_by_number`), or an expired claim (`unit_claimed_by_expiry`, a few rows).
- Different people are offered different units of the same order (`SPREAD`), so that eight
  people opening the page at once do not all reach for one unit.
- An expired claim whose holder logged work is offered as what is left: taking it hands their
  part in and gives the rest as a new unit (jobs.work.claim_unit), so the list shows the rest
  and its pay, never the old size."""

import datetime

from django.db.models import Case, IntegerField, OuterRef, Q, Subquery, Sum, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone

from jobs.models import Order, ProgressLog, UnitStatus, WorkUnit
from participants.models import Participant

# People are spread over the first this-many open units of an order.
SPREAD = 8


def _logged(unit_ref: str = "pk") -> Subquery:
    return Subquery(
        ProgressLog.objects.filter(unit=OuterRef(unit_ref))
        .order_by()
        .values("unit")
        .annotate(total=Sum("quantity"))
        .values("total")[:1],
        output_field=IntegerField(),
    )


def with_logged_before(units, now: datetime.datetime):
    """Annotate `logged_before`: items logged on an expired claim (0 for an open unit). Only
    for the few rows a page shows."""
    return units.annotate(
        logged_before=Case(
            When(
                status=UnitStatus.CLAIMED,
                expires_at__lt=now,
                then=Coalesce(_logged(), Value(0)),
            ),
            default=Value(0),
            output_field=IntegerField(),
        )
    )


def show_what_is_left(unit: WorkUnit, logged: int) -> WorkUnit:
    """Make an offered unit read as what taking it gives: the rest of it, with its share of the
    minutes (as jobs.work.reopen_rest makes it), so that its size and pay are what is left.
    For display only: the instance is never saved."""
    if 0 < logged < unit.quantity:
        unit.estimated_minutes = max(
            1, unit.estimated_minutes * (unit.quantity - logged) // unit.quantity
        )
        unit.quantity -= logged
        unit.is_rest = True
    return unit


def show_offered_part(unit: WorkUnit, participant: Participant) -> WorkUnit:
    """A unit's own page: someone else's expired claim reads as what is left of it."""
    if unit.is_claim_expired() and unit.holder_id != participant.pk:
        show_what_is_left(unit, unit.quantity_logged())
    return unit


def offered_units(participant: Participant, *, limit: int, now=None) -> list[WorkUnit]:
    """Up to `limit` units, one per open order (the nearest delivery date first), that this
    participant could take now, each shown as what is left to do. One query."""
    now = now or timezone.now()
    return [
        show_what_is_left(unit, unit.logged_before)
        for unit in offers_query(participant, limit=limit, now=now)
    ]


def offers_query(participant: Participant, *, limit: int, now: datetime.datetime):
    """The query behind `offered_units` (its plan is tested on PostgreSQL)."""
    fits = WorkUnit.objects.suited_to(participant).filter(order=OuterRef("pk")).order_by("number")
    first_open = fits.filter(status=UnitStatus.OPEN).values("pk")
    spread = participant.pk % SPREAD
    orders = (
        Order.objects.open()
        .filter(workshop=participant.workshop_id)
        .annotate(
            expired_unit=Subquery(
                fits.filter(status=UnitStatus.CLAIMED, expires_at__lt=now).values("pk")[:1]
            ),
            # People are spread only over an order with at least SPREAD open units; a small
            # one offers its first unit to all.
            last_spread=Subquery(first_open[SPREAD - 1 : SPREAD]),
        )
        .annotate(
            open_unit=Case(
                When(last_spread__isnull=False, then=Subquery(first_open[spread : spread + 1])),
                default=Subquery(first_open[:1]),
            ),
        )
        .filter(Q(expired_unit__isnull=False) | Q(open_unit__isnull=False))
        .order_by("desired_delivery_date", "pk")
        .values(unit=Coalesce("expired_unit", "open_unit"))[:limit]
    )
    return with_logged_before(
        WorkUnit.objects.filter(pk__in=orders).select_related("order"), now
    ).order_by("order__desired_delivery_date", "order_id", "number")
