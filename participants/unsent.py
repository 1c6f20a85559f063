"""Records a phone kept because the server refused them. The phone never deletes a refused
record on its own: it keeps it with the server's reason and lets the person decide (change and
send again, send it to staff as a note, or let it go). Meanwhile it reports the record here, so
that staff see it on their home and may record the work by hand. Records that are let go, or
stored after all, or settled by staff, leave staff's list. Rules only; the views are
participants/unsent_api.py (the phone) and participants/unsent_views.py (staff)."""

import datetime
import uuid
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Count, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from jobs.models import Answer, ProgressLog, WorkUnit
from participants import pathway
from participants.attendance_models import Attendance
from participants.models import Participant
from participants.unsent_models import UnsentRecord
from workshop.models import AuditLog
from workshop.rules import RuleError

State = UnsentRecord.State
# How many units of the same order staff may choose from when recording the work by hand.
UNITS_OFFERED = 20
MAX_REASON_LENGTH = 300


class UnsentError(RuleError):
    """A rule about a kept record was not met; `code` is machine-readable, the message kind."""


@dataclass(frozen=True)
class Kept:
    """What the phone tells about a record the server refused."""

    client_uuid: uuid.UUID
    kind: str
    made_at: datetime.datetime
    refusal_status: int
    refusal_code: str
    refusal_reason: str
    unit_id: int | None = None
    quantity: int = 0
    minutes: int = 0
    note: str = ""
    place: str = ""
    check_in_kind: str = ""
    had_photo: bool = False


def was_stored(participant: Participant, client_uuid: uuid.UUID) -> bool:
    """The record is on the server after all (a log, a check-in or an answer's save with its
    UUID)."""
    return (
        ProgressLog.objects.filter(client_uuid=client_uuid, participant=participant).exists()
        or Attendance.objects.filter(client_uuid=client_uuid, participant=participant).exists()
        or Answer.objects.filter(client_uuid=client_uuid, participant=participant).exists()
    )


def keep(*, participant: Participant, kept: Kept) -> tuple[UnsentRecord, bool]:
    """Note that the phone keeps a refused record. Reported again (each time the phone retries
    and is refused), the same row is updated with the latest reason. A record already stored,
    or one the person sent as a note or let go, is not brought back. Returns (record, created)."""
    unit = None
    if kept.unit_id is not None:
        unit = WorkUnit.objects.filter(pk=kept.unit_id, workshop=participant.workshop_id).first()
    now = timezone.now()
    fields = {
        "workshop_id": participant.workshop_id,
        "kind": kept.kind,
        "unit": unit,
        "quantity": kept.quantity,
        "minutes": kept.minutes,
        "note": kept.note,
        "place": kept.place,
        "check_in_kind": kept.check_in_kind,
        "had_photo": kept.had_photo,
        "made_at": min(kept.made_at, now),
        "refusal_status": kept.refusal_status,
        "refusal_code": kept.refusal_code[:40],
        "refusal_reason": kept.refusal_reason[:MAX_REASON_LENGTH],
        "reported_at": now,
    }
    with transaction.atomic():
        record = (
            UnsentRecord.objects.select_for_update()
            .filter(participant=participant, client_uuid=kept.client_uuid)
            .first()
        )
        if was_stored(participant, kept.client_uuid):
            fields.update(state=State.RESOLVED, decided_at=now)
        if record is None:
            record = UnsentRecord.objects.create(
                participant=participant, client_uuid=kept.client_uuid, **fields
            )
            return record, True
        if record.state == State.KEPT:
            UnsentRecord.objects.filter(pk=record.pk).update(**fields)
            record.refresh_from_db()
        return record, False


def _kept_record(participant: Participant, client_uuid: uuid.UUID) -> UnsentRecord:
    record = (
        UnsentRecord.objects.select_for_update()
        .filter(participant=participant, client_uuid=client_uuid)
        .first()
    )
    if record is None:
        raise UnsentError(_("This record was not found."), code="not_found")
    return record


def decide(*, participant: Participant, client_uuid: uuid.UUID, choice: str) -> UnsentRecord:
    """The person's choice for a kept record: send it to staff as a note (`note`), or let it go
    (`let_go`). Deciding again the same way is the same decision."""
    if choice not in (State.NOTE, State.LET_GO):
        raise UnsentError(_("Choose what to do with this record."), code="invalid")
    with transaction.atomic():
        record = _kept_record(participant, client_uuid)
        if record.state == choice:
            return record
        if record.state != State.KEPT:
            raise UnsentError(
                _("Staff have already looked at this record."), code="already_decided"
            )
        UnsentRecord.objects.filter(pk=record.pk).update(state=choice, decided_at=timezone.now())
    record.refresh_from_db()
    return record


def settle_stored(*, participant: Participant, client_uuid: uuid.UUID) -> None:
    """A record the phone kept was stored after all (changed and sent again): it leaves staff's
    list. Called after a log or a check-in is stored; nothing happens if none was kept."""
    UnsentRecord.objects.filter(
        participant=participant, client_uuid=client_uuid, state__in=[State.KEPT, State.NOTE]
    ).update(state=State.RESOLVED, decided_at=timezone.now())


# --- staff ------------------------------------------------------------------------------------


def units_to_record_on(record: UnsentRecord) -> list[WorkUnit]:
    """Units the kept work may be recorded on by hand: its own unit and the others of the same
    order that are not yet approved and have room, each with `room` set (items not yet logged).
    Approved units are left out: their credit was written once, at approval."""
    if record.unit_id is None:
        return []
    units = list(
        WorkUnit.objects.filter(order=record.unit.order_id, workshop=record.workshop_id)
        .exclude(status=WorkUnit.Status.APPROVED)
        .annotate(logged=Sum("logs__quantity"))
        .order_by("number")[: UNITS_OFFERED * 5]
    )
    offered = []
    for unit in units:
        unit.room = unit.quantity - (unit.logged or 0)
        if unit.room > 0 or unit.pk == record.unit_id:
            offered.append(unit)
    offered.sort(key=lambda u: (u.pk != record.unit_id, u.number))
    return offered[:UNITS_OFFERED]


def record_by_hand(
    *, record: UnsentRecord, by, unit: WorkUnit, quantity: int, minutes: int
) -> ProgressLog:
    """Staff record the kept work as a progress log in the person's name, with the phone's
    UUID (so that the phone sending it later can never count it twice). It is credited as every
    log is: when the unit is approved in review (jobs/review.py), never here. The record leaves
    the list, and the manager's audit log says who did it."""
    if record.kind != UnsentRecord.Kind.LOG:
        raise UnsentError(_("Only a progress log can be recorded by hand."), code="wrong_kind")
    if quantity < 0 or minutes < 0 or (quantity == 0 and minutes == 0):
        raise UnsentError(_("Enter how many, or the minutes."), code="invalid")
    with transaction.atomic():
        locked_record = UnsentRecord.objects.select_for_update().get(pk=record.pk)
        if locked_record.state not in (State.KEPT, State.NOTE):
            raise UnsentError(_("This record has already been settled."), code="already_decided")
        if ProgressLog.objects.filter(client_uuid=record.client_uuid).exists():
            raise UnsentError(_("This record is already stored."), code="already_stored")
        locked = (
            WorkUnit.objects.select_for_update()
            .filter(pk=unit.pk, workshop=record.workshop_id, order=record.unit.order_id)
            .first()
        )
        if locked is None or locked.status == WorkUnit.Status.APPROVED:
            raise UnsentError(
                _(
                    "This unit is already approved, so its pay is settled. "
                    "Choose another unit, or correct the wage statement."
                ),
                code="already_approved",
            )
        logged = locked.logs.aggregate(total=Sum("quantity"))["total"] or 0
        if logged + quantity > locked.quantity:
            raise UnsentError(
                _("This unit has %(left)s left to do.") % {"left": locked.quantity - logged},
                code="too_many",
            )
        log = ProgressLog.objects.create(
            unit=locked,
            participant=record.participant,
            client_uuid=record.client_uuid,
            quantity=quantity,
            minutes=minutes,
            note=record.note,
            place=record.place or "home",
            created_at=record.made_at,
        )
        UnsentRecord.objects.filter(pk=record.pk).update(
            state=State.RESOLVED, decided_at=timezone.now(), resolved_by=by, credited_log=log
        )
        pathway.audit(
            actor=by,
            action=AuditLog.Action.CREATE,
            participant=record.participant,
            records=[locked_record],
            summary=f"progress log {log.pk}: {quantity} on unit {locked.pk}, {minutes} min",
        )
    record.refresh_from_db()
    return log


def close_by_staff(*, record: UnsentRecord, by) -> UnsentRecord:
    """Staff have seen the record and there is nothing to record (a check-in, or a talk settled
    it): it leaves the list, with who closed it in the audit log."""
    with transaction.atomic():
        locked = UnsentRecord.objects.select_for_update().get(pk=record.pk)
        if locked.state not in (State.KEPT, State.NOTE):
            raise UnsentError(_("This record has already been settled."), code="already_decided")
        UnsentRecord.objects.filter(pk=record.pk).update(
            state=State.RESOLVED, decided_at=timezone.now(), resolved_by=by
        )
        pathway.audit(
            actor=by,
            action=AuditLog.Action.UPDATE,
            participant=record.participant,
            records=[locked],
            summary="closed without recording",
        )
    record.refresh_from_db()
    return record


def waiting_by_person(workshop) -> list[tuple[str, int]]:
    """(nickname, count) of kept records staff have still to look at, for the staff home: one
    indexed query on (workshop, state), however many records were ever kept."""
    rows = (
        UnsentRecord.objects.filter(workshop=workshop)
        .for_staff()
        .values("participant__nickname")
        .annotate(count=Count("pk"))
        .order_by("participant__nickname")
    )
    return [(row["participant__nickname"], row["count"]) for row in rows]
