"""The order lifecycle (発注): every change of an order's status happens here, in one function
per transition. Each refuses a wrong starting state with a clear error and writes an event row
(who, when, from, to, note) that the company and the workshop both read."""

import calendar
import datetime
import hashlib
import json
import math
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from companies.models import Company, Partnership
from jobs import confirmations, notifications
from jobs.attachments import identify
from jobs.models import ChangeProposal, IdempotencyKey, Order, OrderEvent, OrderFile, OrderMessage
from jobs.notifications import Notice
from workshop import limits
from workshop.models import Workshop
from workshop.roles import is_member_of, is_staff_of
from workshop.rules import RuleError

Status = Order.Status

# The law on subcontracting asks that payment be due no later than 60 days after delivery.
MAX_PAYMENT_DAYS_AFTER_DELIVERY = 60


class OrderError(RuleError):
    """A rule of the order lifecycle was broken. `code` is machine-readable (for the API)."""

    code = "order_error"


class OrderStateError(OrderError):
    """The order is not in a state that allows this change (HTTP 409 in the API)."""

    code = "wrong_state"


class OrderInvalid(OrderError):
    """What was sent cannot make a valid order; `errors` maps each field to what to fix."""

    code = "invalid"

    def __init__(self, errors: dict[str, list[str]]):
        super().__init__(" ".join(m for messages in errors.values() for m in messages))
        self.errors = errors


class IdempotencyConflict(OrderError):
    """The same Idempotency-Key came with a different request (HTTP 409 in the API)."""

    code = "idempotency_conflict"


# The fields a company fills in; the same names in the web form, the API and the database.
TERM_FIELDS = (
    "title",
    "kind",
    "description",
    "instructions",
    "quantity",
    "unit_label",
    "unit_price_yen",
    "total_price_yen",
    "desired_delivery_date",
    "payment_date",
    "delivery_method",
    "notes",
)
# The longest text each term may be (workshop/limits.py sizes them by use).
TEXT_LIMITS = {
    "title": limits.TITLE_LENGTH,
    "unit_label": limits.LABEL_LENGTH,
    "description": limits.DESCRIPTION_LENGTH,
    "instructions": limits.DESCRIPTION_LENGTH,
    "notes": limits.REASON_LENGTH,
}


def too_long(longest: int, length: int) -> str:
    return _("Please keep this to %(max)s characters (it has %(length)s).") % {
        "max": f"{longest:,}",
        "length": f"{length:,}",
    }


# Where each side may still cancel: the pages show the button only then, the rules refuse the rest.
COMPANY_CANCELLABLE = frozenset({Status.DRAFT, Status.SUBMITTED})
WORKSHOP_CANCELLABLE = frozenset({Status.SUBMITTED, Status.ACCEPTED, Status.IN_PROGRESS})
# Orders that can still be talked about and added to.
LIVE_STATES = {Status.SUBMITTED, Status.ACCEPTED, Status.IN_PROGRESS, Status.DELIVERED}


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
    # Exact, rounded down to the yen once: an estimate of pay never promises more than it is.
    hours = Fraction(quantity * minutes_per_item, 60)
    wages = Fraction(total_price_yen * workshop.wage_share_percent, 100)
    return math.floor(wages / hours)


@dataclass(frozen=True)
class HourlyEstimate:
    """The hourly equivalent with the numbers it comes from, for staff deciding on an order."""

    total_price_yen: int
    wage_share_percent: int
    wages_yen: int
    hours: Decimal
    yen_per_hour: int
    floor_yen: int

    @property
    def below_floor(self) -> bool:
        return self.yen_per_hour < self.floor_yen


def hourly_estimate(
    *, order: Order, minutes_per_item: int | None, total_price_yen: int | None = None
) -> HourlyEstimate | None:
    """The hourly equivalent of `order` at this estimate of minutes per item (and, for a
    proposal, at another price), compared with the floor its workshop set. None until staff
    have given an estimate."""
    price = order.total_price_yen if total_price_yen is None else total_price_yen
    workshop = order.workshop
    per_hour = hourly_equivalent_yen(
        total_price_yen=price,
        quantity=order.quantity,
        minutes_per_item=minutes_per_item or 0,
        workshop=workshop,
    )
    if per_hour is None:
        return None
    return HourlyEstimate(
        total_price_yen=price,
        wage_share_percent=workshop.wage_share_percent,
        wages_yen=price * workshop.wage_share_percent // 100,
        hours=(Decimal(order.quantity * minutes_per_item) / 60).quantize(Decimal("0.1")),
        yen_per_hour=per_hour,
        floor_yen=workshop.hourly_floor_yen,
    )


def clean_terms(terms: dict, *, for_submission: bool) -> dict:
    """Check an order's terms and fill in what can be derived: the total from the unit price,
    and the default payment date. Raises OrderInvalid with a message per field."""
    terms = {key: terms.get(key) for key in TERM_FIELDS if key in terms}
    errors: dict[str, list[str]] = {}

    def refuse(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    title = terms.get("title") or ""
    if not title.strip() or limits.is_invisible(title):
        refuse("title", _("Please give the order a title."))
    for field, longest in TEXT_LIMITS.items():
        text = terms.get(field) or ""
        if len(text) > longest:
            refuse(field, too_long(longest, len(text)))
        elif problem := limits.text_problem(text):
            refuse(field, problem)
    quantity = terms.get("quantity")
    if quantity is None or quantity < 1:
        refuse("quantity", _("The quantity must be at least 1."))
        quantity = None
    elif quantity > limits.MAX_ORDER_QUANTITY:
        refuse(
            "quantity",
            _("The quantity can be at most %(max)s.") % {"max": f"{limits.MAX_ORDER_QUANTITY:,}"},
        )
        quantity = None
    unit_price, total = terms.get("unit_price_yen"), terms.get("total_price_yen")
    if unit_price is not None and unit_price < limits.MIN_UNIT_PRICE_YEN:
        refuse("unit_price_yen", _("The unit price must be at least 1 yen."))
    elif unit_price is None and total is None:
        refuse("unit_price_yen", _("Give a unit price or a total price."))
    elif total is None and quantity:
        total = terms["total_price_yen"] = unit_price * quantity
    elif unit_price is not None and quantity and unit_price * quantity != total:
        refuse(
            "total_price_yen",
            _("The total (%(total)s yen) is not the unit price × quantity (%(expected)s yen).")
            % {"total": f"{total:,}", "expected": f"{unit_price * quantity:,}"},
        )
    if total is not None and not (
        limits.MIN_ORDER_TOTAL_YEN <= total <= limits.MAX_ORDER_TOTAL_YEN
    ):
        refuse(
            "total_price_yen",
            _("The total must be between %(min)s and %(max)s yen.")
            % {
                "min": f"{limits.MIN_ORDER_TOTAL_YEN:,}",
                "max": f"{limits.MAX_ORDER_TOTAL_YEN:,}",
            },
        )
    delivery = terms.get("desired_delivery_date")
    payment = terms.get("payment_date")
    if problem := limits.date_problem(delivery):
        refuse("desired_delivery_date", problem)
        delivery = None  # no arithmetic on a date out of range
    elif delivery is None:
        refuse("desired_delivery_date", _("Please choose a delivery date."))
    elif for_submission and delivery < timezone.localdate():
        refuse("desired_delivery_date", _("The delivery date is in the past."))
    if problem := limits.date_problem(payment):
        refuse("payment_date", problem)
    elif delivery is not None:
        if payment is None and for_submission:
            terms["payment_date"] = default_payment_date(delivery)
        elif payment is not None:
            if payment < delivery:
                refuse("payment_date", _("The payment date cannot be before the delivery date."))
            elif problem := payment_date_problem(delivery, payment):
                refuse("payment_date", problem)
    if errors:
        raise OrderInvalid(errors)
    return terms


def create_order(
    *, company: Company, workshop: Workshop, by, terms: dict, submit: bool = False
) -> Order:
    """A company writes an order to a workshop it works with: saved as a draft, or sent."""
    if not Partnership.objects.filter(company=company, workshop=workshop).exists():
        raise OrderInvalid({"workshop": [_("Your company does not order from this workshop.")]})
    clean = clean_terms(terms, for_submission=submit)
    with transaction.atomic():
        order = Order.objects.create(
            company=company, workshop=workshop, created_by=by, status=Status.DRAFT, **clean
        )
        OrderEvent.objects.create(order=order, actor=by, from_status="", to_status=Status.DRAFT)
        if submit:
            submit_order(order=order, by=by)
    return order


def request_fingerprint(payload: dict) -> str:
    """The same body, whatever the order of its keys, gives the same fingerprint."""
    canonical = json.dumps(payload, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()


def create_order_once(
    *,
    company: Company,
    workshop: Workshop,
    by,
    terms: dict,
    submit: bool,
    idempotency_key: str,
    fingerprint: str,
) -> tuple[Order, bool]:
    """Create an order at most once per (company, key). Returns (order, created). A retry with
    the same body gets the first order back; another body under the same key is refused.

    The key row is inserted first, in the same transaction as the order: when two identical
    requests arrive at once, the second waits on the unique index until the first commits,
    then finds its order."""
    for _attempt in range(2):
        existing = IdempotencyKey.objects.filter(company=company, key=idempotency_key).first()
        if existing is not None:
            if existing.request_hash != fingerprint:
                raise IdempotencyConflict(
                    _("This Idempotency-Key was already used for a different request."),
                )
            return existing.order, False
        try:
            with transaction.atomic():
                record = IdempotencyKey.objects.create(
                    company=company, key=idempotency_key, request_hash=fingerprint
                )
                order = create_order(
                    company=company, workshop=workshop, by=by, terms=terms, submit=submit
                )
                IdempotencyKey.objects.filter(pk=record.pk).update(order=order)
                return order, True
        except IntegrityError:
            continue  # someone else inserted the key first: read their answer
    raise OrderError(_("Please try again."), code="retry")


def update_draft(*, order: Order, by, terms: dict) -> Order:
    """Drafts are the company's own and change freely; a sent order changes only through the
    workshop's proposal and the company's confirmation."""
    clean = clean_terms(terms, for_submission=False)
    with transaction.atomic():
        updated = Order.objects.filter(pk=order.pk, status=Status.DRAFT).update(
            updated_at=timezone.now(), **clean
        )
        if updated != 1:
            raise OrderStateError(_("Only a draft can be edited; this order was already sent."))
    order.refresh_from_db()
    return order


def attach_file(*, order: Order, by, upload: UploadedFile) -> OrderFile:
    """Attach a specification or sample. Its type is read from its content (AttachmentRefused
    says why not); the stored name is made by us, the original name is kept for display."""
    if order.status not in LIVE_STATES | {Status.DRAFT}:
        raise OrderStateError(
            _("Files can no longer be added to an order that is %(status)s.")
            % {"status": order.get_status_display()}
        )
    kind = identify(upload)
    attachment = OrderFile(
        order=order,
        original_name=(upload.name or "file")[-200:],
        content_type=kind.content_type,
        extension=kind.extension,
        size=upload.size,
        uploaded_by=by,
    )
    attachment.file.save(f"upload.{kind.extension}", upload, save=False)
    attachment.save()
    return attachment


def post_message(*, order: Order, by, side: str, body: str) -> OrderMessage:
    """A message in the order's thread, from the company's side or the workshop's."""
    body = body.strip()
    if not body:
        raise OrderInvalid({"body": [_("Please write a message.")]})
    if side == OrderMessage.Side.COMPANY:
        allowed = is_member_of(by, order.company)
    elif side == OrderMessage.Side.WORKSHOP:
        allowed = is_staff_of(by, order.workshop)
    else:
        allowed = False
    if not allowed:
        raise OrderError(_("You cannot write in this thread."), code="forbidden")
    if order.status == Status.DRAFT:
        raise OrderStateError(_("Send the order first; then you can write to the workshop."))
    message = OrderMessage.objects.create(order=order, author=by, side=side, body=body)
    transaction.on_commit(lambda: notifications.message_posted(message.pk))
    return message


def propose_changes(
    *,
    order: Order,
    by,
    total_price_yen: int | None,
    unit_price_yen: int | None,
    desired_delivery_date: datetime.date,
    payment_date: datetime.date,
    minutes_per_item: int | None = None,
    note: str = "",
) -> ChangeProposal:
    """The workshop would take the order on with another price or other dates. Nothing starts
    until the company confirms. A proposal still waiting is replaced (withdrawn) by this one.
    Give the unit price, the total, or both (the total must then be unit price × quantity)."""
    clean = clean_terms(
        {
            "title": order.title,
            "quantity": order.quantity,
            "unit_price_yen": unit_price_yen,
            "total_price_yen": total_price_yen,
            "desired_delivery_date": desired_delivery_date,
            "payment_date": payment_date,
        },
        for_submission=True,
    )
    with transaction.atomic():
        current = Order.objects.select_for_update().get(pk=order.pk)
        if current.status != Status.SUBMITTED:
            raise OrderStateError(
                _("Changes can be proposed only for a submitted order; this order is %(status)s.")
                % {"status": current.get_status_display()}
            )
        ChangeProposal.objects.filter(order=order, status=ChangeProposal.Status.PENDING).update(
            status=ChangeProposal.Status.WITHDRAWN, decided_by=by, decided_at=timezone.now()
        )
        proposal = ChangeProposal.objects.create(
            order=order,
            unit_price_yen=clean.get("unit_price_yen"),
            total_price_yen=clean["total_price_yen"],
            desired_delivery_date=clean["desired_delivery_date"],
            payment_date=clean["payment_date"],
            minutes_per_item=minutes_per_item,
            note=note.strip(),
            proposed_by=by,
        )
        _record(
            order,
            by=by,
            from_status=current.status,
            to=current.status,
            note=note.strip() or _("The workshop proposed other terms."),
            notice=Notice.CHANGES_PROPOSED,
        )
    return proposal


def withdraw_proposal(*, proposal: ChangeProposal, by) -> ChangeProposal:
    """The workshop takes back a proposal the company has not answered yet; the order stays
    submitted for the workshop to decide again."""
    with transaction.atomic():
        order = Order.objects.select_for_update().get(pk=proposal.order_id)
        updated = ChangeProposal.objects.filter(
            pk=proposal.pk, status=ChangeProposal.Status.PENDING
        ).update(status=ChangeProposal.Status.WITHDRAWN, decided_by=by, decided_at=timezone.now())
        if updated != 1:
            raise OrderStateError(
                _("This proposal is no longer waiting for an answer."), code="proposal_closed"
            )
        _record(
            order,
            by=by,
            from_status=order.status,
            to=order.status,
            note=_("The workshop withdrew the proposed terms."),
            notice=Notice.PROPOSAL_WITHDRAWN,
        )
    proposal.refresh_from_db()
    return proposal


def confirm_changes(*, proposal: ChangeProposal, by) -> Order:
    """The company agrees to the proposed terms: the order takes them and is accepted."""
    with transaction.atomic():
        # The order first, then its proposal, as every other rule locks them: in the other
        # order, a confirmation at the moment staff decline could deadlock on PostgreSQL.
        Order.objects.select_for_update().filter(pk=proposal.order_id).values("pk").first()
        updated = ChangeProposal.objects.filter(
            pk=proposal.pk, status=ChangeProposal.Status.PENDING
        ).update(status=ChangeProposal.Status.CONFIRMED, decided_by=by, decided_at=timezone.now())
        if updated != 1:
            raise OrderStateError(_("This proposal has already been answered."))
        terms = {
            "unit_price_yen": proposal.unit_price_yen,
            "total_price_yen": proposal.total_price_yen,
            "desired_delivery_date": proposal.desired_delivery_date,
            "payment_date": proposal.payment_date,
        }
        if proposal.minutes_per_item:
            terms["minutes_per_item"] = proposal.minutes_per_item
        order = _transition(
            proposal.order,
            to=Status.ACCEPTED,
            allowed_from={Status.SUBMITTED},
            by=by,
            note=_("The company confirmed the proposed terms."),
            refusal=_("Only a submitted order can be accepted; this order is %(status)s."),
            notice=Notice.CHANGES_CONFIRMED,
            **terms,
        )
    return order


def refuse_changes(*, proposal: ChangeProposal, by, reason: str = "") -> ChangeProposal:
    """The company does not agree; the order stays submitted for the workshop to decide again."""
    with transaction.atomic():
        # The order first, then its proposal, as every other rule locks them (confirm_changes).
        order = Order.objects.select_for_update().get(pk=proposal.order_id)
        updated = ChangeProposal.objects.filter(
            pk=proposal.pk, status=ChangeProposal.Status.PENDING
        ).update(status=ChangeProposal.Status.REFUSED, decided_by=by, decided_at=timezone.now())
        if updated != 1:
            raise OrderStateError(_("This proposal has already been answered."))
        _record(
            order,
            by=by,
            from_status=order.status,
            to=order.status,
            note=reason.strip() or _("The company did not agree to the proposed terms."),
            notice=Notice.CHANGES_REFUSED,
        )
    proposal.refresh_from_db()
    return proposal


def _record(
    order: Order,
    *,
    by,
    from_status: str,
    to: str,
    note: str = "",
    notice: Notice | None = None,
) -> OrderEvent:
    """Write the event row; once it is committed, tell the other side (`notice` says what
    happened and so who hears of it; None tells nobody)."""
    event = OrderEvent.objects.create(
        order=order, actor=by, from_status=from_status, to_status=to, note=note
    )
    transaction.on_commit(lambda: notifications.order_event_recorded(event.pk, notice=notice))
    return event


def _transition(
    order: Order,
    *,
    to: str,
    allowed_from: set[str] | frozenset[str],
    by,
    note: str = "",
    refusal: str,
    notice: Notice | None = None,
    **fields,
) -> Order:
    """Move the order with one conditional UPDATE, so two people acting at once cannot both
    succeed, and record the event."""
    with transaction.atomic():
        current = Order.objects.select_for_update().get(pk=order.pk)
        if current.status not in allowed_from:
            raise OrderStateError(refusal % {"status": current.get_status_display()})
        now = timezone.now()
        if current.payment_date is None and to != Status.DRAFT:
            # Only drafts may lack a payment date (a database constraint); a draft withdrawn
            # before it was sent gets the date it would have had.
            fields.setdefault("payment_date", default_payment_date(current.desired_delivery_date))
        updated = Order.objects.filter(pk=order.pk, status=current.status).update(
            status=to, updated_at=now, **fields
        )
        if updated != 1:  # pragma: no cover - guarded by the row lock above
            raise OrderStateError(refusal % {"status": current.get_status_display()})
        if current.status == Status.DRAFT and to != Status.SUBMITTED:
            notice = None  # a draft is still the company's own: the workshop never hears of it
        _record(order, by=by, from_status=current.status, to=to, note=note, notice=notice)
        if to == Status.ACCEPTED:
            # The order confirmation (注文請書) is issued with the acceptance, in one transaction.
            confirmations.issue_confirmation(order_id=order.pk, by=by)
        if to in {Status.DECLINED, Status.CANCELLED, Status.ACCEPTED}:
            # A proposal still open when the order is decided otherwise has lost its object.
            ChangeProposal.objects.filter(order=order, status=ChangeProposal.Status.PENDING).update(
                status=ChangeProposal.Status.WITHDRAWN, decided_by=by, decided_at=now
            )
    order.refresh_from_db()
    return order


def submit_order(*, order: Order, by) -> Order:
    """The company sends a draft to the workshop. The terms are checked again as they stand
    now (a draft may be old, or changed by another member since `order` was read: they are read
    again under the row's lock), and the payment date is fixed at this moment."""
    if order.status != Status.DRAFT:
        raise OrderStateError(
            _("Only a draft can be submitted; this order is %(status)s.")
            % {"status": order.get_status_display()}
        )
    with transaction.atomic():
        current = Order.objects.select_for_update().get(pk=order.pk)
        clean = clean_terms(
            {field: getattr(current, field) for field in TERM_FIELDS}, for_submission=True
        )
        return _transition(
            order,
            to=Status.SUBMITTED,
            allowed_from={Status.DRAFT},
            by=by,
            refusal=_("Only a draft can be submitted; this order is %(status)s."),
            notice=Notice.SUBMITTED,
            payment_date=clean["payment_date"],
            total_price_yen=clean["total_price_yen"],
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
        notice=Notice.ACCEPTED,
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
        notice=Notice.DECLINED,
    )


def cancel_order_by_company(*, order: Order, by, reason: str = "") -> Order:
    """A company may withdraw its order until the workshop has accepted it."""
    return _transition(
        order,
        to=Status.CANCELLED,
        allowed_from=COMPANY_CANCELLABLE,
        by=by,
        note=reason.strip(),
        refusal=_(
            "The order can no longer be cancelled here because it is %(status)s. "
            "Please send the workshop a message."
        ),
        notice=Notice.CANCELLED_BY_COMPANY,
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
        allowed_from=WORKSHOP_CANCELLABLE,
        by=by,
        note=reason.strip(),
        refusal=_("An order that is %(status)s can no longer be cancelled."),
        notice=Notice.CANCELLED_BY_WORKSHOP,
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


# --- delivery and acceptance (the rules that call these are in jobs/deliveries.py) ------------


def note_event(*, order: Order, by, note: str, notice: Notice | None) -> OrderEvent:
    """An event that leaves the status as it is (a partial delivery, a delivery accepted),
    so that both sides read it in the order's history. Call inside a transaction."""
    return _record(
        order, by=by, from_status=order.status, to=order.status, note=note, notice=notice
    )


def mark_delivered(*, order: Order, by, note: str = "") -> Order:
    """Everything ordered was delivered (or staff marked a delivery as the final one)."""
    return _transition(
        order,
        to=Status.DELIVERED,
        allowed_from={Status.IN_PROGRESS},
        by=by,
        note=note,
        refusal=_("Only an order in progress can be delivered; this order is %(status)s."),
        notice=Notice.DELIVERED,
    )


def accept_by_company(*, order: Order, by, note: str = "") -> Order:
    """検収: the company accepted every delivery of a delivered order."""
    return _transition(
        order,
        to=Status.ACCEPTED_BY_COMPANY,
        allowed_from={Status.DELIVERED},
        by=by,
        note=note,
        refusal=_(
            "Only a delivered order can be accepted by the company; this order is %(status)s."
        ),
        notice=Notice.ACCEPTED_BY_COMPANY,
    )


def reopen_for_redo(*, order: Order, by, note: str) -> Order:
    """The company refused part of a delivery: the order is in progress again until the redone
    items are delivered."""
    return _transition(
        order,
        to=Status.IN_PROGRESS,
        allowed_from={Status.DELIVERED},
        by=by,
        note=note,
        refusal=_("Only a delivered order can go back to work; this order is %(status)s."),
        notice=Notice.PART_REFUSED,
    )


def mark_invoiced(*, order: Order, by, note: str = "") -> Order:
    """An invoice for the order was issued (jobs/invoicing.py). Call inside that transaction."""
    return _transition(
        order,
        to=Status.INVOICED,
        allowed_from={Status.ACCEPTED_BY_COMPANY},
        by=by,
        note=note,
        refusal=_("Only an order the company accepted can be invoiced; this order is %(status)s."),
    )
