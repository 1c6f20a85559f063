"""Order confirmations (注文請書): issued when the workshop accepts an order, in the same
transaction, with the terms as accepted: the work, the price, the delivery date and the payment
date (no later than 60 days after delivery; jobs/orders.py refuses any later one). Numbered like
every document (jobs/numbering.py), and never changed afterwards."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jobs import numbering
from jobs.models import Order, OrderEvent
from jobs.money_models import DocumentEvent, DocumentKind, OrderConfirmation
from workshop.rules import RuleError

# Orders that have been accepted, whatever happened after: they have (or should have) one.
ACCEPTED_STATES = {
    Order.Status.ACCEPTED,
    Order.Status.IN_PROGRESS,
    Order.Status.DELIVERED,
    Order.Status.ACCEPTED_BY_COMPANY,
    Order.Status.INVOICED,
}


class ConfirmationError(RuleError):
    code = "wrong_state"


def issue_confirmation(*, order_id: int, by) -> OrderConfirmation:
    """The order's confirmation: issued now, or the one it already has. Call inside the
    transaction that accepted the order (jobs.orders holds the order's row lock), or for an
    order accepted before confirmations existed."""
    existing = OrderConfirmation.objects.filter(order_id=order_id).first()
    if existing is not None:
        return existing
    order = Order.objects.select_for_update().select_related("workshop").get(pk=order_id)
    if order.status not in ACCEPTED_STATES:
        raise ConfirmationError(
            _("Only an accepted order has an order confirmation."), code="wrong_state"
        )
    today = timezone.localdate()
    number, fiscal_year = numbering.take_number(
        workshop=order.workshop, kind=DocumentKind.ORDER_CONFIRMATION, on=today
    )
    submitted = (
        OrderEvent.objects.filter(order=order, to_status=Order.Status.SUBMITTED)
        .order_by("at")
        .values_list("at", flat=True)
        .first()
    )
    confirmation = OrderConfirmation.objects.create(
        order=order,
        workshop=order.workshop,
        company_id=order.company_id,
        number=number,
        fiscal_year=fiscal_year,
        issued_on=today,
        issued_by=by,
        ordered_on=timezone.localdate(submitted)
        if submitted
        else timezone.localdate(order.created_at),
        title=order.title,
        description=order.description,
        quantity=order.quantity,
        unit_label=order.unit_label,
        unit_price_yen=order.unit_price_yen,
        total_price_yen=order.total_price_yen,
        delivery_date=order.desired_delivery_date,
        delivery_method=order.delivery_method,
        payment_date=order.payment_date,
    )
    DocumentEvent.objects.create(
        workshop=order.workshop,
        document_type="order_confirmation",
        document_id=confirmation.pk,
        actor=by,
        to_status="issued",
        note=number,
    )
    return confirmation


def issue_confirmation_now(*, order: Order, by) -> OrderConfirmation:
    """Issue the confirmation of an order accepted before confirmations were issued with the
    acceptance (staff do it from the order's page)."""
    with transaction.atomic():
        return issue_confirmation(order_id=order.pk, by=by)
