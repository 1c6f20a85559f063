"""E-mail to the other side of an order when something happens to it: submitted, accepted,
changes proposed, declined, cancelled, delivered (納品), accepted or partly refused by the company
(検収), a message. Sent through the tasks framework, after the
change is committed, to people who have not turned these e-mails off.

Who hears of what follows who caused it: what the company does goes to the workshop's staff,
what the workshop does goes to the company's members. The person who acted never gets their own
e-mail, and each recipient gets their own message (no one sees the others' addresses)."""

from enum import StrEnum

from django.conf import settings
from django.db import transaction
from django.urls import NoReverseMatch, reverse

from jobs.models import Order, OrderEvent, OrderMessage
from workshop.mail import enqueue_templated_email
from workshop.models import User

COMPANY = "company"
WORKSHOP = "workshop"


class Notice(StrEnum):
    """What an order event tells the other side. The rules in jobs/orders.py name one when they
    record an event; events without one (a draft saved, work started) send nothing."""

    SUBMITTED = "submitted"
    ACCEPTED = "accepted"
    CHANGES_PROPOSED = "changes_proposed"
    PROPOSAL_WITHDRAWN = "proposal_withdrawn"
    CHANGES_CONFIRMED = "changes_confirmed"
    CHANGES_REFUSED = "changes_refused"
    DECLINED = "declined"
    CANCELLED_BY_COMPANY = "cancelled_by_company"
    CANCELLED_BY_WORKSHOP = "cancelled_by_workshop"
    DELIVERY_RECORDED = "delivery_recorded"
    DELIVERED = "delivered"
    DELIVERY_ACCEPTED = "delivery_accepted"
    ACCEPTED_BY_COMPANY = "accepted_by_company"
    PART_REFUSED = "part_refused"


# Which side caused each notice; the other side is told.
CAUSED_BY = {
    Notice.SUBMITTED: COMPANY,
    Notice.CHANGES_CONFIRMED: COMPANY,
    Notice.CHANGES_REFUSED: COMPANY,
    Notice.CANCELLED_BY_COMPANY: COMPANY,
    Notice.DELIVERY_ACCEPTED: COMPANY,
    Notice.ACCEPTED_BY_COMPANY: COMPANY,
    Notice.PART_REFUSED: COMPANY,
    Notice.ACCEPTED: WORKSHOP,
    Notice.CHANGES_PROPOSED: WORKSHOP,
    Notice.PROPOSAL_WITHDRAWN: WORKSHOP,
    Notice.DECLINED: WORKSHOP,
    Notice.CANCELLED_BY_WORKSHOP: WORKSHOP,
    Notice.DELIVERY_RECORDED: WORKSHOP,
    Notice.DELIVERED: WORKSHOP,
}


def order_event_recorded(event_id: int, *, notice: str | None = None) -> None:
    """Tell the other side about an order event."""
    if notice is None:
        return
    notice = Notice(notice)
    event = (
        OrderEvent.objects.select_related("order__workshop", "order__company", "actor")
        .filter(pk=event_id)
        .first()
    )
    if event is None:
        return
    order = event.order
    proposal = None
    if notice == Notice.CHANGES_PROPOSED:
        proposal = order.change_proposals.order_by("-proposed_at", "-pk").first()
    _send(
        order=order,
        to_side=WORKSHOP if CAUSED_BY[notice] == COMPANY else COMPANY,
        actor_id=event.actor_id,
        template_prefix="jobs/email/order_event",
        context={"notice": notice.value, "event": event, "proposal": proposal},
    )


def message_posted(message_id: int) -> None:
    """Tell the other side about a new message in an order's thread."""
    message = (
        OrderMessage.objects.select_related("order__workshop", "order__company", "author")
        .filter(pk=message_id)
        .first()
    )
    if message is None:
        return
    _send(
        order=message.order,
        to_side=WORKSHOP if message.side == OrderMessage.Side.COMPANY else COMPANY,
        actor_id=message.author_id,
        template_prefix="jobs/email/order_message",
        context={"message": message},
    )


def recipients(*, order: Order, side: str, actor_id: int | None) -> list[User]:
    """The people of one side of the order who want these e-mails, the actor left out."""
    if side == WORKSHOP:
        people = User.objects.filter(staff_memberships__workshop=order.workshop_id)
    else:
        people = User.objects.filter(company_memberships__company=order.company_id)
    people = people.filter(is_active=True, email_notifications=True).exclude(email="")
    if actor_id is not None:
        people = people.exclude(pk=actor_id)
    return list(people.distinct().order_by("pk"))


def order_url(order: Order, side: str) -> str:
    """The order's page for someone of `side`, as a full address for an e-mail."""
    if side == WORKSHOP:
        path = reverse("console_orders:order", args=[order.workshop.slug, order.pk])
    else:
        try:
            path = reverse("portal:order", args=[order.company.slug, order.pk])
        except NoReverseMatch:  # the portal's order page is built alongside; same address
            path = f"/c/{order.company.slug}/orders/{order.pk}/"
    return settings.SITE_URL + path


def _send(*, order: Order, to_side: str, actor_id: int | None, template_prefix: str, context):
    people = recipients(order=order, side=to_side, actor_id=actor_id)
    if not people:
        return
    context = {
        **context,
        "order": order,
        "to_side": to_side,
        "url": order_url(order, to_side),
        "settings_url": settings.SITE_URL + reverse("account_settings:notifications"),
    }
    for person in people:
        enqueue_templated_email(template_prefix=template_prefix, to=[person.email], context=context)


def set_email_notifications(*, user: User, enabled: bool) -> User:
    """A person's own choice to get (or not) e-mail about orders and messages. Sign-in codes,
    invitations and password links are sent regardless."""
    with transaction.atomic():
        User.objects.filter(pk=user.pk).update(email_notifications=enabled)
    user.email_notifications = enabled
    return user
