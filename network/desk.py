"""The joint order desk (共同受注窓口): a company sends an order to a network, the coordinator
routes it to one workshop or splits it into shares, and each workshop accepts its share (which
becomes a normal jobs.Order, made by the rules of jobs/orders.py) or declines it (its quantity
and money go back to the desk). See docs/network.md "The joint order desk"."""

from dataclasses import dataclass

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from companies.models import Company, Partnership
from jobs import orders as order_rules
from jobs.models import Order
from network.models import JointOrder, JointOrderEvent, Network, Share
from participants.pathway import actor_label
from workshop.limits import TITLE_LENGTH
from workshop.models import AuditLog, User, Workshop
from workshop.rules import RuleError

# The order's terms a joint order keeps (jobs.orders.TERM_FIELDS): each share's order gets
# them, with its own quantity and price.
TERMS = order_rules.TERM_FIELDS


class DeskError(RuleError):
    """A rule of the joint order desk was not met: not_in_network, not_partner, wrong_state,
    wrong_total, share_too_small, same_workshop, reason_required."""


def networks_for(company: Company):
    """The networks a company may send to: those of the workshops it orders from."""
    return Network.objects.filter(
        memberships__workshop__in=Partnership.objects.filter(company=company).values("workshop")
    ).distinct()


def _event(
    joint_order: JointOrder, what: str, *, by: User, share: Share | None = None, note: str = ""
) -> None:
    JointOrderEvent.objects.create(
        joint_order=joint_order, share=share, what=what, actor=by, note=note
    )


def _audit(*, by: User, share: Share, action: str, what: str) -> None:
    # In the workshop's audit log too, as the fact only (which share, what happened).
    AuditLog.objects.create(
        actor=by,
        actor_label=actor_label(by),
        workshop_id=share.workshop_id,
        action=action,
        record_type="joint_order_share",
        record_id=share.pk,
        summary=f"{what} joint_order={share.joint_order_id} quantity={share.quantity}",
    )


@transaction.atomic
def send_to_network(*, company: Company, network: Network, by: User, terms: dict) -> JointOrder:
    """A company sends an order to the network's desk instead of one workshop. The terms are
    checked by the same rule as any order (jobs.orders.clean_terms), for sending."""
    if not networks_for(company).filter(pk=network.pk).exists():
        raise order_rules.OrderInvalid(
            {"network": [_("Your company does not order from a workshop of this network.")]}
        )
    clean = order_rules.clean_terms(terms, for_submission=True)
    clean.setdefault("kind", Order.Kind.HANDS_ON)
    clean = {key: value for key, value in clean.items() if value is not None}
    joint_order = JointOrder.objects.create(
        network=network, company=company, created_by=by, **clean
    )
    _event(joint_order, JointOrderEvent.What.SENT, by=by)
    return joint_order


# --- routing ----------------------------------------------------------------------------------


def unrouted(joint_order: JointOrder) -> tuple[int, int]:
    """The quantity and the yen still at the desk: the order's, less its live shares'."""
    live = joint_order.shares.live().aggregate(q=Sum("quantity"), yen=Sum("price_yen"))
    return (
        joint_order.quantity - (live["q"] or 0),
        joint_order.total_price_yen - (live["yen"] or 0),
    )


def split_money(total_yen: int, quantities: list[int]) -> list[int]:
    """Split `total_yen` over shares in proportion to their quantities, exactly: each share
    gets floor(total × q ÷ Q), and the yen left over (fewer than the number of shares) go one
    each to the shares with the largest remainders; ties go to the larger quantity, then to
    the share listed first. With a unit price the total is unit price × Q, so every share gets
    exactly unit price × q and nothing is left over."""
    whole = sum(quantities)
    if whole <= 0:
        raise ValueError("quantities must add up to at least 1")
    floors = [total_yen * q // whole for q in quantities]
    remainders = [total_yen * q % whole for q in quantities]
    left = total_yen - sum(floors)
    ranked = sorted(range(len(quantities)), key=lambda i: (-remainders[i], -quantities[i], i))
    for i in ranked[:left]:
        floors[i] += 1
    return floors


@dataclass(frozen=True)
class Part:
    workshop: Workshop
    quantity: int


@transaction.atomic
def route(*, joint_order: JointOrder, by: User, parts: list[Part]) -> list[Share]:
    """Route what is at the desk: to one workshop (one part) or split into shares for several.
    The parts' quantities must add up to exactly the quantity at the desk, and the money at
    the desk is split over them by `split_money`. Each share is sent to its workshop."""
    locked = JointOrder.objects.select_for_update().get(pk=joint_order.pk)
    if locked.status != JointOrder.Status.AT_DESK:
        raise DeskError(_("Nothing of this order is waiting at the desk."), code="wrong_state")
    quantity, yen = unrouted(locked)
    if not parts:
        raise DeskError(_("Choose at least one workshop."), code="wrong_total")
    members = set(locked.network.memberships.values_list("workshop_id", flat=True))
    if any(part.workshop.pk not in members for part in parts):
        raise DeskError(_("This workshop is not part of the network."), code="not_in_network")
    if len({part.workshop.pk for part in parts}) != len(parts):
        raise DeskError(_("Give each workshop one share."), code="same_workshop")
    if any(part.quantity < 1 for part in parts):
        raise DeskError(_("Each share needs a quantity of at least 1."), code="share_too_small")
    given = sum(part.quantity for part in parts)
    if given != quantity:
        raise DeskError(
            _("The shares add up to %(given)s; %(quantity)s are waiting at the desk.")
            % {"given": f"{given:,}", "quantity": f"{quantity:,}"},
            code="wrong_total",
        )
    prices = split_money(yen, [part.quantity for part in parts])
    if min(prices) < 1:
        raise DeskError(
            _("Each share must come to at least 1 yen; give fewer workshops a share."),
            code="share_too_small",
        )
    shares = []
    for part, price in zip(parts, prices, strict=True):
        share = Share.objects.create(
            joint_order=locked,
            workshop=part.workshop,
            quantity=part.quantity,
            price_yen=price,
            routed_by=by,
        )
        _event(locked, JointOrderEvent.What.ROUTED, by=by, share=share)
        _audit(by=by, share=share, action=AuditLog.Action.CREATE, what="routed")
        shares.append(share)
    _settle(locked)
    return shares


def _settle(joint_order: JointOrder) -> None:
    """The joint order's status, from its shares: at the desk while some quantity is not in a
    live share, waiting while some share is, taken on when every share is accepted."""
    quantity, _yen = unrouted(joint_order)
    if quantity > 0:
        status = JointOrder.Status.AT_DESK
    elif joint_order.shares.filter(status=Share.Status.SENT).exists():
        status = JointOrder.Status.ROUTED
    else:
        status = JointOrder.Status.TAKEN_ON
    JointOrder.objects.filter(pk=joint_order.pk).update(status=status)
    joint_order.status = status


def _lock_sent(share: Share) -> Share:
    locked = Share.objects.select_for_update().select_related("joint_order").get(pk=share.pk)
    if locked.status != Share.Status.SENT:
        raise DeskError(_("This share has already been answered."), code="wrong_state")
    return locked


def share_terms(share: Share) -> dict:
    """The terms of the order a share becomes: the joint order's, with its quantity and price."""
    joint = share.joint_order
    terms = {field: getattr(joint, field) for field in TERMS}
    terms["quantity"] = share.quantity
    terms["total_price_yen"] = share.price_yen
    # The joint order's number in the title tells the orders of its workshops apart from other
    # orders, in the company's list and the workshop's board, and leads back to the whole.
    suffix = f"（{joint.number}）"
    terms["title"] = joint.title[: TITLE_LENGTH - len(suffix)] + suffix
    return terms


@transaction.atomic
def accept_share(*, share: Share, by: User, minutes_per_item: int | None = None) -> Order:
    """The workshop takes its share on: a normal order of the workshop is made, sent and
    accepted by the rules of jobs/orders.py (events, order confirmation and notices as for
    any order), so splitting, taking, review, delivery and invoices work unchanged. Taking
    part of a joint order makes the company and the workshop partners, if they were not."""
    share = _lock_sent(share)
    joint = share.joint_order
    Partnership.objects.get_or_create(company=joint.company, workshop=share.workshop)
    order = order_rules.create_order(
        company=joint.company,
        workshop=share.workshop,
        by=joint.created_by,
        terms=share_terms(share),
        submit=True,
    )
    order = order_rules.accept_order(
        order=order,
        by=by,
        minutes_per_item=minutes_per_item,
        note=_("Share of joint order %(number)s") % {"number": joint.number},
    )
    share.status = Share.Status.ACCEPTED
    share.order = order
    share.decided_by = by
    share.decided_at = timezone.now()
    share.save(update_fields=["status", "order", "decided_by", "decided_at"])
    _event(joint, JointOrderEvent.What.ACCEPTED, by=by, share=share)
    _audit(by=by, share=share, action=AuditLog.Action.UPDATE, what="accepted")
    _settle(JointOrder.objects.select_for_update().get(pk=joint.pk))
    return order


@transaction.atomic
def decline_share(*, share: Share, by: User, reason: str) -> Share:
    """The workshop cannot take its share: the share's quantity and money go back to the desk,
    with the reason, for the coordinator to route again."""
    reason = reason.strip()
    if not reason:
        raise DeskError(
            _("Please give the coordinator a reason for declining."), code="reason_required"
        )
    share = _lock_sent(share)
    share.status = Share.Status.DECLINED
    share.reason = reason
    share.decided_by = by
    share.decided_at = timezone.now()
    share.save(update_fields=["status", "reason", "decided_by", "decided_at"])
    _event(share.joint_order, JointOrderEvent.What.DECLINED, by=by, share=share, note=reason)
    _audit(by=by, share=share, action=AuditLog.Action.UPDATE, what="declined")
    _settle(JointOrder.objects.select_for_update().get(pk=share.joint_order_id))
    return share


# --- what the company sees ----------------------------------------------------------------------


@dataclass(frozen=True)
class Combined:
    """A joint order's progress, added up from its shares' orders' counters (no unit is read)."""

    quantity: int
    taken_on: int  # in accepted shares
    items_in_units: int
    items_approved: int
    units_total: int
    units_approved: int
    delivered: int

    @property
    def percent(self) -> int:
        return self.items_approved * 100 // self.quantity if self.quantity else 0


def combined_progress(joint_order: JointOrder) -> Combined:
    """One query for the counters of the accepted shares' orders, one for their deliveries."""
    from jobs.models import Delivery

    orders = Order.objects.filter(network_share__joint_order=joint_order)
    figures = orders.aggregate(
        taken_on=Sum("quantity"),
        items_in_units=Sum("items_in_units"),
        items_approved=Sum("items_approved"),
        units_total=Sum("units_total"),
        units_approved=Sum("units_approved"),
    )
    # What was delivered and not refused (refused items are redone and delivered again).
    sent = Delivery.objects.filter(order__in=orders).aggregate(
        q=Sum("quantity"), refused=Sum("refused_quantity")
    )
    delivered = (sent["q"] or 0) - (sent["refused"] or 0)
    return Combined(
        quantity=joint_order.quantity,
        taken_on=figures["taken_on"] or 0,
        items_in_units=figures["items_in_units"] or 0,
        items_approved=figures["items_approved"] or 0,
        units_total=figures["units_total"] or 0,
        units_approved=figures["units_approved"] or 0,
        delivered=delivered,
    )
