"""Deliveries (納品) and the company's acceptance (検収). Staff record what they deliver, in part
or all at once; the company accepts each delivery or refuses part of it with a reason, and the
refused items come back as new open units to redo. The order's transitions (delivered, accepted
by the company, back in progress) are in jobs/orders.py; each decision here writes one order
event that both sides read and that tells the other side by e-mail.

How much may be delivered: never more than was ordered (counting what the company kept, so a
refused part can be delivered again), and never more than staff have approved in review and not
yet delivered (the refused items were approved once, so their redo must be approved again)."""

import datetime
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Max, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from jobs import counters, orders
from jobs.models import Delivery, DigitalWork, Item, Order, OrderKind, UnitEvent, WorkUnit
from jobs.notifications import Notice
from jobs.orders import OrderError, OrderStateError
from jobs.work import BULK_BATCH, next_number, split_sizes
from workshop.roles import is_member_of, is_staff_of

Status = Order.Status
MAX_NOTE_LENGTH = 2000


class DeliveryError(OrderError):
    """A rule about deliveries was not met. `code` is machine-readable (the API answers 400,
    or 409 for `wrong_state`); `field` names the form field the message belongs to."""

    def __init__(self, message: str, *, code: str, field: str | None = None):
        super().__init__(message, code=code)
        self.field = field


@dataclass(frozen=True)
class DeliveryTotals:
    """Where an order stands: ordered, approved in review, delivered, refused, and so what can
    be delivered now."""

    ordered: int
    approved: int
    delivered: int  # everything handed over, refused parts included
    refused: int
    pending: int  # delivered and not yet answered by the company

    @property
    def kept(self) -> int:
        """Delivered and not refused: what counts against the order's quantity."""
        return self.delivered - self.refused

    @property
    def left_to_deliver(self) -> int:
        return max(self.ordered - self.kept, 0)

    @property
    def ready(self) -> int:
        """Approved in review and not delivered yet."""
        return max(self.approved - self.delivered, 0)

    @property
    def deliverable(self) -> int:
        return min(self.left_to_deliver, self.ready)


def totals_of(order: Order) -> DeliveryTotals:
    """Two aggregate queries, however many units and deliveries the order has."""
    approved = WorkUnit.objects.filter(order=order).aggregate(n=Sum("approved_quantity"))["n"]
    if order.kind == OrderKind.DIGITAL:
        # Items with a result, each once: under double entry every item is in two units.
        items = DigitalWork.objects.filter(order=order).values_list("items_approved", flat=True)
        found = items.first()
        approved = approved if found is None else found
    sums = Delivery.objects.filter(order=order).aggregate(
        delivered=Sum("quantity"),
        refused=Sum("refused_quantity"),
        pending=Sum("quantity", filter=Q(status=Delivery.Status.PENDING_ACCEPTANCE)),
    )
    return DeliveryTotals(
        ordered=order.quantity,
        approved=approved or 0,
        delivered=sums["delivered"] or 0,
        refused=sums["refused"] or 0,
        pending=sums["pending"] or 0,
    )


def _describe(delivery: Delivery, unit_label: str) -> str:
    return _("Delivery %(number)s: %(quantity)s %(unit)s") % {
        "number": delivery.number,
        "quantity": f"{delivery.quantity:,}",
        "unit": unit_label,
    }


def record_delivery(
    *,
    order: Order,
    by,
    quantity: int,
    delivered_on: datetime.date,
    method: str,
    note: str = "",
    final: bool = False,
) -> Delivery:
    """Record a delivery and issue its slip. When everything ordered has been delivered, or
    staff mark this delivery as the final one (the company agreed to take fewer), the order
    is delivered and waits for the company's acceptance."""
    if not is_staff_of(by, order.workshop):
        raise DeliveryError(_("Only the workshop's staff can record a delivery."), code="forbidden")
    if quantity is None or quantity < 1:
        raise DeliveryError(
            _("Please enter how many you delivered (at least 1)."),
            code="invalid",
            field="quantity",
        )
    if method not in Order.DeliveryMethod.values:
        raise DeliveryError(_("Please choose a delivery method."), code="invalid", field="method")
    with transaction.atomic():
        # The order's row lock makes concurrent deliveries wait their turn, so two of them
        # cannot both fit into the same remaining quantity.
        current = Order.objects.select_for_update().get(pk=order.pk)
        if current.status != Status.IN_PROGRESS:
            raise OrderStateError(
                _(
                    "Deliveries can be recorded only while the order is in progress; "
                    "it is %(status)s."
                )
                % {"status": current.get_status_display()}
            )
        totals = totals_of(current)
        if quantity > totals.left_to_deliver:
            raise DeliveryError(
                _(
                    "That is more than was ordered: %(left)s %(unit)s are left to deliver "
                    "(%(ordered)s ordered, %(kept)s delivered)."
                )
                % {
                    "left": f"{totals.left_to_deliver:,}",
                    "unit": current.unit_label,
                    "ordered": f"{totals.ordered:,}",
                    "kept": f"{totals.kept:,}",
                },
                code="too_much",
                field="quantity",
            )
        if quantity > totals.ready:
            raise DeliveryError(
                _(
                    "Only %(ready)s %(unit)s have been approved in review and not delivered yet. "
                    "Please review the rest of the work first."
                )
                % {"ready": f"{totals.ready:,}", "unit": current.unit_label},
                code="not_approved_yet",
                field="quantity",
            )
        completes = quantity == totals.left_to_deliver
        number = (
            Delivery.objects.filter(order=current).aggregate(last=Max("number"))["last"] or 0
        ) + 1
        delivery = Delivery.objects.create(
            order=current,
            number=number,
            quantity=quantity,
            delivered_on=delivered_on,
            method=method,
            note=note.strip()[:MAX_NOTE_LENGTH],
            is_final=final or completes,
            recorded_by=by,
        )
        if current.kind == OrderKind.DIGITAL:
            _deliver_items(delivery)
        description = _describe(delivery, current.unit_label)
        if delivery.is_final:
            orders.mark_delivered(order=current, by=by, note=description)
        else:
            orders.note_event(
                order=current, by=by, note=description, notice=Notice.DELIVERY_RECORDED
            )
    order.refresh_from_db()
    return delivery


def _deliver_items(delivery: Delivery) -> int:
    """A delivery of a digital order is its items approved since the last delivery, oldest
    first, as many as it delivers: they are marked with it (one UPDATE), and the company's
    results (jobs/results.py) can be read per delivery."""
    waiting = (
        Item.objects.filter(order_id=delivery.order_id, approved_at__isnull=False, delivery=None)
        .order_by("approved_at", "pk")
        .values("pk")[: delivery.quantity]
    )
    return Item.objects.filter(pk__in=list(waiting.values_list("pk", flat=True))).update(
        delivery=delivery
    )


def _pending(delivery: Delivery, by) -> Delivery:
    """The delivery, locked, if it still waits for the company's answer and `by` may give it."""
    if not is_member_of(by, delivery.order.company):
        raise DeliveryError(_("Only the ordering company can accept a delivery."), code="forbidden")
    Order.objects.select_for_update().filter(pk=delivery.order_id).values("pk").first()
    locked = Delivery.objects.select_for_update().select_related("order").get(pk=delivery.pk)
    if locked.status != Delivery.Status.PENDING_ACCEPTANCE:
        raise OrderStateError(
            _("This delivery was already answered (%(status)s).")
            % {"status": locked.get_status_display()}
        )
    return locked


def accept_delivery(*, delivery: Delivery, by) -> Delivery:
    """検収 of one delivery. When the order is delivered and no delivery waits any more, the
    order is accepted by the company (and can be invoiced)."""
    with transaction.atomic():
        locked = _pending(delivery, by)
        Delivery.objects.filter(pk=locked.pk).update(
            status=Delivery.Status.ACCEPTED, decided_by=by, decided_at=timezone.now()
        )
        order = locked.order
        description = _("Delivery %(number)s accepted.") % {"number": locked.number}
        waiting = Delivery.objects.filter(
            order=order, status=Delivery.Status.PENDING_ACCEPTANCE
        ).exists()
        if order.status == Status.DELIVERED and not waiting:
            orders.accept_by_company(order=order, by=by, note=description)
        else:
            orders.note_event(order=order, by=by, note=description, notice=Notice.DELIVERY_ACCEPTED)
    delivery.refresh_from_db()
    return delivery


def refuse_part(*, delivery: Delivery, by, quantity: int, reason: str) -> Delivery:
    """The company keeps the rest of a delivery and refuses `quantity` items, with a reason.
    The refused items become new open units (anyone may take them; the reason is at the top of
    their instructions), and the order is in progress again until they are delivered.

    What participants were credited for the refused items stays theirs: 工賃 is never cut, and
    a redo is the workshop's work to share out again, not a mark against the person."""
    reason = reason.strip()
    if not reason:
        raise DeliveryError(
            _("Please tell the workshop what was wrong, so they can redo it."),
            code="reason_required",
            field="reason",
        )
    with transaction.atomic():
        locked = _pending(delivery, by)
        if quantity is None or not 1 <= quantity <= locked.quantity:
            raise DeliveryError(
                _("Refuse between 1 and %(quantity)s items of this delivery.")
                % {"quantity": f"{locked.quantity:,}"},
                code="too_much",
                field="quantity",
            )
        Delivery.objects.filter(pk=locked.pk).update(
            status=Delivery.Status.PARTLY_REFUSED,
            decided_by=by,
            decided_at=timezone.now(),
            refused_quantity=quantity,
            refusal_reason=reason[:MAX_NOTE_LENGTH],
        )
        order = locked.order
        _open_redo_units(order, by=by, quantity=quantity, reason=reason)
        description = _(
            "%(quantity)s %(unit)s of delivery %(number)s refused, to be redone: %(reason)s"
        ) % {
            "quantity": f"{quantity:,}",
            "unit": order.unit_label,
            "number": locked.number,
            "reason": reason,
        }
        if order.status == Status.DELIVERED:
            orders.reopen_for_redo(order=order, by=by, note=description)
        else:
            orders.note_event(order=order, by=by, note=description, notice=Notice.PART_REFUSED)
    delivery.refresh_from_db()
    return delivery


def redo_instructions(*, reason: str, instructions: str) -> str:
    header = _("Redo asked by the company: %(reason)s") % {"reason": reason}
    return f"{header}\n\n{instructions}".strip()


def _open_redo_units(order: Order, *, by, quantity: int, reason: str) -> list[WorkUnit]:
    """New open units for the refused items, made like the order's largest unit (same place,
    skill and sample), in units no larger than it. The caller holds the order's row lock, so
    the unit numbers are free."""
    model = WorkUnit.objects.filter(order=order).order_by("-quantity", "-number").first()
    size = model.quantity if model else quantity
    last = next_number(order.pk) - 1
    instructions = redo_instructions(
        reason=reason, instructions=model.instructions if model else order.instructions
    )
    now = timezone.now()
    units = WorkUnit.objects.bulk_create(
        [
            WorkUnit(
                order=order,
                workshop_id=order.workshop_id,
                number=last + index + 1,
                quantity=piece,
                instructions=instructions,
                estimated_minutes=max(
                    1, (model.estimated_minutes * piece // model.quantity) if model else 30
                ),
                home_ok=model.home_ok if model else True,
                skill_tag=model.skill_tag if model else "",
                sample_photo=model.sample_photo.name if model else "",
            )
            for index, piece in enumerate(split_sizes(quantity=quantity, size=size))
        ],
        batch_size=BULK_BATCH,
    )
    # bulk_create does not return ids on every database; read them back by number.
    created = WorkUnit.objects.filter(order=order, number__gt=last).order_by("number")
    UnitEvent.objects.bulk_create(
        [
            UnitEvent(
                unit=unit,
                kind=UnitEvent.Kind.PUBLISHED,
                actor=by,
                at=now,
                quantity=unit.quantity,
                note=_("Redo asked by the company: %(reason)s") % {"reason": reason},
            )
            for unit in created
        ],
        batch_size=BULK_BATCH,
    )
    counters.added(order.pk, units=len(units), items=quantity)
    return units
