"""The counters on an order (how many units, taken, handed in, sent back, approved; items in
units and approved), kept by the rules that change a unit, in the same transaction, with one
UPDATE each. Pages read them instead of counting the units (DESIGN.md invariant 11: no page's
cost grows with data it does not show). `recount` says what they should be; the tests compare."""

from django.db.models import Count, F, Q, Sum

from jobs.models import Order, UnitStatus, WorkUnit
from jobs.prepared import Prepared, compile_update

FIELD = {
    UnitStatus.OPEN: None,
    UnitStatus.CLAIMED: "units_claimed",
    UnitStatus.SUBMITTED: "units_submitted",
    UnitStatus.REDO: "units_redo",
    UnitStatus.APPROVED: "units_approved",
}
COUNTERS = (
    "units_total",
    "units_claimed",
    "units_submitted",
    "units_redo",
    "units_approved",
    "items_in_units",
    "items_approved",
)


def _update_sql(changes: tuple, *, order: int) -> tuple[str, list]:
    return compile_update(
        Order.objects.filter(pk=order), **{name: F(name) + delta for name, delta in changes}
    )


# Compiled once per set of changes: every take and hand-in moves a counter (jobs/prepared.py).
_UPDATE = Prepared(_update_sql)


def _apply(order_id: int, changes: dict[str, int]) -> None:
    changes = tuple(sorted((name, delta) for name, delta in changes.items() if delta))
    if changes:
        _UPDATE.send(changes, order=order_id)


def added(order_id: int, *, units: int, items: int) -> None:
    """New open units (a split, the rest of a unit, a redo the company asked for)."""
    _apply(order_id, {"units_total": units, "items_in_units": items})


def moved(order_id: int, old: str, new: str, *, items_approved: int = 0) -> None:
    """One unit went from status `old` to `new` (its items stay in the order's units)."""
    changes = {"items_approved": items_approved}
    if old != new:
        if FIELD[old]:
            changes[FIELD[old]] = -1
        if FIELD[new]:
            changes[FIELD[new]] = changes.get(FIELD[new], 0) + 1
    _apply(order_id, changes)


def recount(order_id: int) -> dict[str, int]:
    """The counters as the units say they should be: for tests and the backfill, never pages."""
    figures = WorkUnit.objects.filter(order_id=order_id).aggregate(
        units_total=Count("pk"),
        **{field: Count("pk", filter=Q(status=status)) for status, field in FIELD.items() if field},
        items_in_units=Sum("quantity"),
        items_approved=Sum("approved_quantity"),
    )
    return {name: figures[name] or 0 for name in COUNTERS}


def stored(order_id: int) -> dict[str, int]:
    return Order.objects.filter(pk=order_id).values(*COUNTERS).get()


def reset(order_ids) -> None:
    """Set the counters of these orders from their units (after the demo's bulk inserts)."""
    for order_id in order_ids:
        Order.objects.filter(pk=order_id).update(**recount(order_id))
