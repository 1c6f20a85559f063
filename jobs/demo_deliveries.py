"""Demo deliveries for `manage.py seed_demo`: the demo orders that are delivered or later get
the delivery their history tells of, so that their pages, slips and the company's acceptance
read as in real use. The demo writes those orders' events itself (workshop/demo.py), so the
delivery is written to match them rather than through jobs/deliveries.py, whose rules would
write the events a second time. Running it again changes nothing: an order that has a
delivery is left alone."""

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from jobs.models import Delivery, Order, OrderEvent, WorkUnit

DELIVERED_OR_LATER = [
    Order.Status.DELIVERED,
    Order.Status.ACCEPTED_BY_COMPANY,
    Order.Status.INVOICED,
]


def seed_demo_deliveries() -> int:
    """One final delivery for each delivered (or later) order without one, accepted when the
    company has accepted the order. Returns how many were made."""
    made = 0
    with transaction.atomic():
        orders = (
            Order.objects.filter(status__in=DELIVERED_OR_LATER)
            .exclude(pk__in=Delivery.objects.values("order"))
            .order_by("pk")
        )
        for order in orders:
            approved = (
                WorkUnit.objects.filter(order=order).aggregate(n=Sum("approved_quantity"))["n"] or 0
            )
            quantity = min(order.quantity, approved)
            if quantity < 1:
                continue
            events = OrderEvent.objects.filter(order=order)
            delivered = events.filter(to_status=Order.Status.DELIVERED).order_by("at").first()
            accepted = (
                events.filter(to_status=Order.Status.ACCEPTED_BY_COMPANY).order_by("at").first()
            )
            recorded_at = delivered.at if delivered else timezone.now()
            is_accepted = order.status != Order.Status.DELIVERED
            Delivery.objects.create(
                order=order,
                number=1,
                quantity=quantity,
                delivered_on=timezone.localdate(recorded_at),
                method=order.delivery_method,
                note=delivered.note if delivered else "",
                is_final=True,
                recorded_by=delivered.actor if delivered else None,
                recorded_at=recorded_at,
                status=Delivery.Status.ACCEPTED
                if is_accepted
                else Delivery.Status.PENDING_ACCEPTANCE,
                decided_by=accepted.actor if (is_accepted and accepted) else None,
                decided_at=(accepted.at if accepted else recorded_at) if is_accepted else None,
            )
            made += 1
    return made
