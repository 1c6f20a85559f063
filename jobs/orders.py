"""The order lifecycle (発注): every change of an order's status happens here, in one function
per transition. Each refuses a wrong starting state with a clear error and writes an event row
(who, when, from, to, note) that the company and the workshop both read."""

import calendar
import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jobs.models import Order, OrderEvent
from workshop.models import Workshop

Status = Order.Status

# The law on subcontracting asks that payment be due no later than 60 days after delivery.
MAX_PAYMENT_DAYS_AFTER_DELIVERY = 60


class OrderError(Exception):
    """A rule of the order lifecycle was broken. `code` is machine-readable (for the API)."""

    code = "order_error"

    def __init__(self, message: str, *, code: str | None = None):
        super().__init__(message)
        self.message = message
        if code:
            self.code = code


class OrderStateError(OrderError):
    """The order is not in a state that allows this change (HTTP 409 in the API)."""

    code = "wrong_state"


def default_payment_date(delivery_date: datetime.date) -> datetime.date:
    """End of the month after delivery, but never later than the legal 60 days."""
    year = delivery_date.year + (delivery_date.month // 12)
    month = delivery_date.month % 12 + 1
    end_of_next_month = datetime.date(year, month, calendar.monthrange(year, month)[1])
    latest = delivery_date + datetime.timedelta(days=MAX_PAYMENT_DAYS_AFTER_DELIVERY)
    return min(end_of_next_month, latest)


def payment_date_problem(delivery_date: datetime.date, payment_date: datetime.date) -> str | None:
    """Why a payment date cannot be accepted, or None when it is fine."""
    if payment_date > delivery_date + datetime.timedelta(days=MAX_PAYMENT_DAYS_AFTER_DELIVERY):
        return _(
            "The payment date must be within %(days)s days after the delivery date "
            "(by %(latest)s at the latest)."
        ) % {
            "days": MAX_PAYMENT_DAYS_AFTER_DELIVERY,
            "latest": delivery_date + datetime.timedelta(days=MAX_PAYMENT_DAYS_AFTER_DELIVERY),
        }
    return None


def hourly_equivalent_yen(
    *, total_price_yen: int, quantity: int, minutes_per_item: int, workshop: Workshop
) -> int | None:
    """What a participant would earn per hour from this order: price × 工賃 share ÷ hours.
    Staff see it before accepting, so an order paying ¥140 an hour is seen for what it is."""
    if not minutes_per_item or not quantity:
        return None
    hours = quantity * minutes_per_item / 60
    wages = total_price_yen * workshop.wage_share_percent / 100
    return round(wages / hours)


def _transition(
    order: Order,
    *,
    to: str,
    allowed_from: set[str],
    by,
    note: str = "",
    refusal: str,
    **fields,
) -> Order:
    """Move the order with one conditional UPDATE, so two people acting at once cannot both
    succeed, and record the event."""
    with transaction.atomic():
        current = Order.objects.select_for_update().get(pk=order.pk)
        if current.status not in allowed_from:
            raise OrderStateError(refusal % {"status": current.get_status_display()})
        now = timezone.now()
        updated = Order.objects.filter(pk=order.pk, status=current.status).update(
            status=to, updated_at=now, **fields
        )
        if updated != 1:  # pragma: no cover - guarded by the row lock above
            raise OrderStateError(refusal % {"status": current.get_status_display()})
        OrderEvent.objects.create(
            order=order, actor=by, at=now, from_status=current.status, to_status=to, note=note
        )
    order.refresh_from_db()
    return order


def submit_order(*, order: Order, by) -> Order:
    """The company sends a draft to the workshop. A payment date is fixed at this moment."""
    problems = []
    payment_date = order.payment_date or default_payment_date(order.desired_delivery_date)
    if problem := payment_date_problem(order.desired_delivery_date, payment_date):
        problems.append(problem)
    if problems:
        raise OrderError(" ".join(problems), code="invalid")
    return _transition(
        order,
        to=Status.SUBMITTED,
        allowed_from={Status.DRAFT},
        by=by,
        refusal=_("Only a draft can be submitted; this order is %(status)s."),
        payment_date=payment_date,
    )


def accept_order(*, order: Order, by, minutes_per_item: int | None = None, note: str = "") -> Order:
    """The workshop takes the order on as it was sent."""
    fields = {"minutes_per_item": minutes_per_item} if minutes_per_item else {}
    return _transition(
        order,
        to=Status.ACCEPTED,
        allowed_from={Status.SUBMITTED},
        by=by,
        note=note,
        refusal=_("Only a submitted order can be accepted; this order is %(status)s."),
        **fields,
    )


def decline_order(*, order: Order, by, reason: str) -> Order:
    if not reason.strip():
        raise OrderError(
            _("Please give the company a reason for declining."), code="reason_required"
        )
    return _transition(
        order,
        to=Status.DECLINED,
        allowed_from={Status.SUBMITTED},
        by=by,
        note=reason.strip(),
        refusal=_("Only a submitted order can be declined; this order is %(status)s."),
    )


def cancel_order_by_company(*, order: Order, by, reason: str = "") -> Order:
    """A company may withdraw its order until the workshop has accepted it."""
    return _transition(
        order,
        to=Status.CANCELLED,
        allowed_from={Status.DRAFT, Status.SUBMITTED},
        by=by,
        note=reason.strip(),
        refusal=_(
            "The order can no longer be cancelled here because it is %(status)s. "
            "Please send the workshop a message."
        ),
    )


def cancel_order_by_workshop(*, order: Order, by, reason: str) -> Order:
    """Staff may cancel any time before delivery, always with a reason the company reads."""
    if not reason.strip():
        raise OrderError(
            _("Please give the company a reason for cancelling."), code="reason_required"
        )
    return _transition(
        order,
        to=Status.CANCELLED,
        allowed_from={Status.SUBMITTED, Status.ACCEPTED, Status.IN_PROGRESS},
        by=by,
        note=reason.strip(),
        refusal=_("An order that is %(status)s can no longer be cancelled."),
    )


def start_work(*, order: Order, by) -> Order:
    """Units have been published: the order is in progress."""
    return _transition(
        order,
        to=Status.IN_PROGRESS,
        allowed_from={Status.ACCEPTED},
        by=by,
        refusal=_("Only an accepted order can start; this order is %(status)s."),
    )
