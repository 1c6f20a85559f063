"""The work itself: splitting an accepted order into units, and a participant taking a unit,
logging progress and handing it in or back. These functions hold DESIGN.md's invariants 1–3:
a unit has one holder (one conditional UPDATE decides), claims expire when read, and progress
logs are append-only and idempotent."""

import datetime
import uuid

from django.db import IntegrityError, transaction
from django.db.models import Max, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from jobs import orders
from jobs.models import Order, ProgressLog, WorkUnit
from participants.models import Participant

Status = WorkUnit.Status
# Units are inserted in batches of this size: 100,000 units are twenty INSERTs, not 100,000.
BULK_BATCH = 5000
MAX_UNITS_PER_SPLIT = 100_000


class WorkError(Exception):
    """A rule about units was not met; `code` is machine-readable, the message is kind."""

    def __init__(self, message: str, *, code: str):
        super().__init__(message)
        self.message = message
        self.code = code


def split_sizes(
    *, quantity: int, size: int | None = None, sizes: list[int] | None = None
) -> list[int]:
    """How an order of `quantity` items divides: units of `size` (the last one smaller), or an
    explicit list of sizes that must add up to the quantity."""
    if sizes is not None:
        if any(s < 1 for s in sizes):
            raise WorkError(_("Every unit needs at least 1 item."), code="invalid_split")
        if sum(sizes) != quantity:
            raise WorkError(
                _("The units add up to %(sum)s, but %(quantity)s are left to split.")
                % {"sum": f"{sum(sizes):,}", "quantity": f"{quantity:,}"},
                code="invalid_split",
            )
        result = list(sizes)
    else:
        if not size or size < 1:
            raise WorkError(_("Choose how many items go in one unit."), code="invalid_split")
        full, rest = divmod(quantity, size)
        result = [size] * full + ([rest] if rest else [])
    if not result:
        raise WorkError(_("Nothing is left to split in this order."), code="nothing_to_split")
    if len(result) > MAX_UNITS_PER_SPLIT:
        raise WorkError(
            _("That would make more than %(max)s units; please choose larger units.")
            % {"max": f"{MAX_UNITS_PER_SPLIT:,}"},
            code="too_many_units",
        )
    return result


def unsplit_quantity(order: Order) -> int:
    """Items of the order not yet in any unit."""
    split = order.units.aggregate(total=Sum("quantity"))["total"] or 0
    return order.quantity - split


def publish_units(
    *,
    order: Order,
    by,
    sizes: list[int],
    instructions: str = "",
    estimated_minutes: int = 30,
    home_ok: bool = True,
    skill_tag: str = "",
) -> int:
    """Create the units of a reviewed split as open units, in bulk, and start the order.
    Returns how many units were made."""
    with transaction.atomic():
        current = Order.objects.select_for_update().get(pk=order.pk)
        if current.status not in {Order.Status.ACCEPTED, Order.Status.IN_PROGRESS}:
            raise WorkError(
                _("Only an accepted order can be split; this order is %(status)s.")
                % {"status": current.get_status_display()},
                code="wrong_state",
            )
        left = unsplit_quantity(current)
        if sum(sizes) > left:
            raise WorkError(
                _("Only %(left)s items are left to split in this order.") % {"left": f"{left:,}"},
                code="invalid_split",
            )
        first = (current.units.aggregate(last=Max("number"))["last"] or 0) + 1
        WorkUnit.objects.bulk_create(
            (
                WorkUnit(
                    order=current,
                    workshop_id=current.workshop_id,
                    number=first + index,
                    quantity=size,
                    instructions=instructions,
                    estimated_minutes=estimated_minutes,
                    home_ok=home_ok,
                    skill_tag=skill_tag,
                )
                for index, size in enumerate(sizes)
            ),
            batch_size=BULK_BATCH,
        )
        if current.status == Order.Status.ACCEPTED:
            orders.start_work(order=current, by=by)
    return len(sizes)


def _expiry(participant: Participant, now: datetime.datetime) -> datetime.datetime:
    return now + datetime.timedelta(hours=participant.workshop.claim_timeout_hours)


def units_in_hand(participant: Participant, now: datetime.datetime) -> int:
    """Units that count against the hold limit: taken and not expired, or sent back for a redo.
    Units handed in and waiting for review do not count."""
    return (
        WorkUnit.objects.filter(holder=participant)
        .filter(Q(status=Status.CLAIMED, expires_at__gte=now) | Q(status=Status.REDO))
        .count()
    )


def claim_unit(
    *, unit_id: int, participant: Participant, now: datetime.datetime | None = None
) -> WorkUnit:
    """Take a unit. One conditional UPDATE decides between people taking it at once: exactly one
    wins, the others get WorkError(code="taken"), which the page answers calmly.

    A claim that has expired counts as open. If its holder logged some work, that work stays
    theirs: their part is handed in for review and the rest becomes a new unit, which is the
    one taken here."""
    now = now or timezone.now()
    if participant.status != Participant.Status.ACTIVE:
        raise WorkError(
            _("Your participation is paused; talk to staff to start again."), code="not_active"
        )
    with transaction.atomic():
        # One claim at a time per person, so two taps cannot pass the hold limit together.
        Participant.objects.select_for_update().filter(pk=participant.pk).first()
        if units_in_hand(participant, now) >= participant.workshop.hold_limit:
            raise WorkError(
                _("You already have %(limit)s units. Finish or hand one back first.")
                % {"limit": participant.workshop.hold_limit},
                code="hold_limit",
            )
        unit = WorkUnit.objects.filter(pk=unit_id, workshop_id=participant.workshop_id).first()
        if unit is None:
            raise WorkError(_("This unit is not available."), code="not_found")
        if unit.is_claim_expired(now) and unit.holder_id != participant.pk:
            unit = _expire(unit, now=now) or unit
        taken = WorkUnit.objects.filter(
            Q(status=Status.OPEN)
            | Q(status=Status.CLAIMED, expires_at__lt=now, holder=participant),
            pk=unit.pk,
        ).update(
            status=Status.CLAIMED,
            holder=participant,
            claimed_at=now,
            last_activity_at=now,
            expires_at=_expiry(participant, now),
        )
        if taken != 1:
            raise WorkError(_("Someone took this unit a moment ago."), code="taken")
    unit.refresh_from_db()
    return unit


def _expire(unit: WorkUnit, *, now: datetime.datetime) -> WorkUnit | None:
    """End an expired claim as if it had been handed back. Returns the unit that is now open
    (the same one, or the new one holding the rest), or None if someone else got there first."""
    locked = (
        WorkUnit.objects.select_for_update()
        .filter(pk=unit.pk, status=Status.CLAIMED, expires_at__lt=now)
        .first()
    )
    if locked is None:
        return None
    return _hand_back(locked, now=now, note=_("The claim expired."))


def _hand_back(unit: WorkUnit, *, now: datetime.datetime, note: str = "") -> WorkUnit:
    """What was logged stays credited to whoever logged it; only the rest opens again."""
    logged = unit.logs.aggregate(total=Sum("quantity"))["total"] or 0
    if logged == 0:
        WorkUnit.objects.filter(pk=unit.pk).update(
            status=Status.OPEN, holder=None, claimed_at=None, expires_at=None, last_activity_at=now
        )
        unit.refresh_from_db()
        return unit
    rest = unit.quantity - logged
    WorkUnit.objects.filter(pk=unit.pk).update(
        status=Status.SUBMITTED, quantity=logged, expires_at=None, last_activity_at=now
    )
    if rest <= 0:
        unit.refresh_from_db()
        return unit
    number = (
        (WorkUnit.objects.filter(order_id=unit.order_id).aggregate(last=Max("number"))["last"]) + 1
    )
    return WorkUnit.objects.create(
        order_id=unit.order_id,
        workshop_id=unit.workshop_id,
        number=number,
        quantity=rest,
        instructions=unit.instructions,
        estimated_minutes=max(1, unit.estimated_minutes * rest // unit.quantity),
        home_ok=unit.home_ok,
        skill_tag=unit.skill_tag,
        sample_photo=unit.sample_photo,
    )


def release_unit(*, unit: WorkUnit, participant: Participant, reason: str = "") -> WorkUnit:
    """今日はここまで: hand a unit back, with no penalty. Logged work stays the person's and goes
    to review; the rest opens for others. Returns the unit now open (or the handed-in one)."""
    now = timezone.now()
    with transaction.atomic():
        locked = (
            WorkUnit.objects.select_for_update()
            .filter(pk=unit.pk, holder=participant, status__in=[Status.CLAIMED, Status.REDO])
            .first()
        )
        if locked is None:
            raise WorkError(_("This unit is no longer with you."), code="not_holder")
        return _hand_back(locked, now=now, note=reason)


def log_progress(
    *,
    unit: WorkUnit,
    participant: Participant,
    client_uuid: uuid.UUID,
    quantity: int = 0,
    minutes: int = 0,
    note: str = "",
    place: str = "home",
    photo=None,
) -> tuple[ProgressLog, bool]:
    """Record work done. The phone makes the UUID, so a retry (a weak connection, the offline
    queue) returns the first log and never counts twice. Returns (log, created)."""
    existing = ProgressLog.objects.filter(client_uuid=client_uuid).first()
    if existing is not None:
        if existing.participant_id != participant.pk or existing.unit_id != unit.pk:
            raise WorkError(
                _("This record was already used for something else."), code="uuid_reused"
            )
        return existing, False
    if quantity < 0 or minutes < 0:
        raise WorkError(_("Numbers cannot be below zero."), code="invalid")
    if quantity == 0 and minutes == 0 and not note.strip():
        raise WorkError(_("Please enter how many, the minutes, or a note."), code="invalid")
    now = timezone.now()
    try:
        with transaction.atomic():
            locked = (
                WorkUnit.objects.select_for_update()
                .filter(pk=unit.pk, holder=participant, status__in=[Status.CLAIMED, Status.REDO])
                .first()
            )
            if locked is None:
                raise WorkError(_("This unit is no longer with you."), code="not_holder")
            logged = locked.logs.aggregate(total=Sum("quantity"))["total"] or 0
            if logged + quantity > locked.quantity:
                raise WorkError(
                    _("This unit has %(left)s left to do.") % {"left": locked.quantity - logged},
                    code="too_many",
                )
            log = ProgressLog.objects.create(
                unit=locked,
                participant=participant,
                client_uuid=client_uuid,
                quantity=quantity,
                minutes=minutes,
                note=note.strip(),
                place=place,
                photo=photo or "",
                created_at=now,
            )
            # Logging is activity: the claim is kept for another full timeout from now.
            WorkUnit.objects.filter(pk=locked.pk, status=Status.CLAIMED).update(
                last_activity_at=now, expires_at=_expiry(participant, now)
            )
    except IntegrityError:
        # The same UUID arrived twice at once: the other request wrote it.
        return ProgressLog.objects.get(client_uuid=client_uuid), False
    return log, True


def finish_unit(*, unit: WorkUnit, participant: Participant) -> WorkUnit:
    """できました: send the unit for review."""
    with transaction.atomic():
        done = WorkUnit.objects.filter(
            pk=unit.pk, holder=participant, status__in=[Status.CLAIMED, Status.REDO]
        ).update(status=Status.SUBMITTED, expires_at=None, last_activity_at=timezone.now())
        if done != 1:
            raise WorkError(_("This unit is no longer with you."), code="not_holder")
    unit.refresh_from_db()
    return unit
