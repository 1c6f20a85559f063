"""Review (検品): staff look at a handed-in unit and approve it, ask kindly for a redo, or approve
part of it. Each decision is a UnitEvent. What is approved (WorkUnit.approved_quantity) is what
counts for delivery and 工賃. Approving writes the Credit rows: the approved items go to the
people whose logs they were, never more than each logged (jobs.money.credits_for_approval), so
approving 30 of 50 logged items credits 30, and the 20 are never shown as pay."""

import uuid

from django.conf import settings
from django.db import transaction
from django.db.models import F, Sum
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from jobs import counters, money
from jobs.models import Credit, ProgressLog, RedoPhrase, UnitEvent, WorkUnit
from jobs.work import WorkError, record_event, reopen_rest
from workshop.models import Workshop

Status = WorkUnit.Status
Kind = UnitEvent.Kind
MAX_NOTE_LENGTH = 1000

# Written into each workshop's phrases (in the site's language) the first time they are needed;
# staff may then change them.
DEFAULT_REDO_PHRASES = [
    gettext_noop(
        "Thank you! A few came out a little different from the sample. "
        "Could you look at them once more?"
    ),
    gettext_noop(
        "Thank you for your work. Could you count them once more? The number seems a little off."
    ),
    gettext_noop(
        "Thank you! Some labels are a little crooked. Could you straighten them, when you can?"
    ),
    gettext_noop(
        "Thank you. The photo was hard to see. Could you send another one, when you like?"
    ),
]


def _submitted(unit: WorkUnit) -> WorkUnit:
    locked = (
        WorkUnit.objects.select_for_update(of=("self",))
        .filter(pk=unit.pk, status=Status.SUBMITTED)
        .select_related("holder")
        .first()
    )
    if locked is None:
        raise WorkError(
            _("This unit is no longer waiting for review; someone may have decided already."),
            code="not_submitted",
        )
    return locked


def _not_digital(unit: WorkUnit) -> None:
    """A unit of items is checked answer by answer (jobs/checking.py), never by its count."""
    from jobs.checking import is_digital_unit

    if is_digital_unit(unit):
        raise WorkError(
            _("This unit holds answers: please check them on its own page."),
            code="digital_unit",
        )


def _credit(unit: WorkUnit, *, approved: int, at) -> None:
    """Credit the approved items to the people whose logs they were. Items the holder handed
    in as done without logging them ("I'm done with it" after logging 25 of 30) are logged
    first, in the holder's name and dated when they handed the unit in, so that what is
    credited never exceeds what was logged."""
    logged = unit.logs.aggregate(total=Sum("quantity"))["total"] or 0
    if approved > logged and unit.holder_id is not None:
        ProgressLog.objects.create(
            unit=unit,
            participant_id=unit.holder_id,
            client_uuid=uuid.uuid4(),
            quantity=approved - logged,
            created_at=unit.last_activity_at or at,
        )
    Credit.objects.bulk_create(money.credits_for_approval(unit, approved=approved, at=at))


def approve_unit(*, unit: WorkUnit, by, note: str = "") -> WorkUnit:
    """The whole unit is good: its quantity is approved."""
    now = timezone.now()
    with transaction.atomic():
        locked = _submitted(unit)
        _not_digital(locked)
        WorkUnit.objects.filter(pk=locked.pk).update(
            status=Status.APPROVED, approved_quantity=F("quantity"), last_activity_at=now
        )
        counters.moved(
            locked.order_id, Status.SUBMITTED, Status.APPROVED, items_approved=locked.quantity
        )
        _credit(locked, approved=locked.quantity, at=now)
        record_event(
            locked.pk,
            Kind.APPROVED,
            by=by,
            participant=locked.holder,
            quantity=locked.quantity,
            note=note.strip(),
            at=now,
        )
    unit.refresh_from_db()
    return unit


def ask_redo(*, unit: WorkUnit, by, note: str) -> WorkUnit:
    """Send the unit back to the same person with a short, kind note. It stays theirs (no
    expiry: a redo is not a claim that lapses) until they hand it in again or back."""
    note = note.strip()
    if not note:
        raise WorkError(
            _("Please write a short note, or choose a phrase, so they know what to look at."),
            code="note_required",
        )
    if len(note) > MAX_NOTE_LENGTH:
        raise WorkError(_("Please keep the note shorter."), code="note_too_long")
    now = timezone.now()
    with transaction.atomic():
        locked = _submitted(unit)
        WorkUnit.objects.filter(pk=locked.pk).update(status=Status.REDO, last_activity_at=now)
        counters.moved(locked.order_id, Status.SUBMITTED, Status.REDO)
        record_event(locked.pk, Kind.REDO, by=by, participant=locked.holder, note=note, at=now)
    unit.refresh_from_db()
    if locked.holder is not None:
        from participants.reminders import Reminder, remind

        remind(participant=locked.holder, kind=Reminder.REDO, url=f"/units/{unit.pk}/")
    return unit


def approve_part(*, unit: WorkUnit, by, quantity: int, note: str = "") -> tuple[WorkUnit, WorkUnit]:
    """Approve `quantity` of the unit's items. The unit becomes an approved unit of that many;
    the rest returns as a new open unit for anyone to take. Returns (approved, rest)."""
    now = timezone.now()
    with transaction.atomic():
        locked = _submitted(unit)
        _not_digital(locked)
        if not 1 <= quantity < locked.quantity:
            raise WorkError(
                _("Enter a number from 1 to %(most)s; to approve all of it, use Approve.")
                % {"most": locked.quantity - 1},
                code="invalid_quantity",
            )
        rest_quantity = locked.quantity - quantity
        WorkUnit.objects.filter(pk=locked.pk).update(
            status=Status.APPROVED,
            quantity=quantity,
            approved_quantity=quantity,
            last_activity_at=now,
        )
        counters.moved(locked.order_id, Status.SUBMITTED, Status.APPROVED, items_approved=quantity)
        _credit(locked, approved=quantity, at=now)
        record_event(
            locked.pk,
            Kind.PARTIALLY_APPROVED,
            by=by,
            participant=locked.holder,
            quantity=quantity,
            note=note.strip(),
            at=now,
        )
        rest = reopen_rest(locked, quantity=rest_quantity, by=by, at=now)
    unit.refresh_from_db()
    return unit, rest


# --- the workshop's phrases ----------------------------------------------------------------


def redo_phrases_for(workshop: Workshop) -> list[RedoPhrase]:
    """The workshop's phrases, with the kind defaults written in the first time."""
    phrases = list(RedoPhrase.objects.filter(workshop=workshop))
    if phrases:
        return phrases
    with transaction.atomic(), translation.override(settings.LANGUAGE_CODE):
        # The workshop's row lock makes two first visits at once write the defaults once.
        Workshop.objects.select_for_update().filter(pk=workshop.pk).values("pk").first()
        if not RedoPhrase.objects.filter(workshop=workshop).exists():
            RedoPhrase.objects.bulk_create(
                RedoPhrase(workshop=workshop, text=_(text), position=index)
                for index, text in enumerate(DEFAULT_REDO_PHRASES)
            )
    return list(RedoPhrase.objects.filter(workshop=workshop))


def add_redo_phrase(*, workshop: Workshop, text: str, by) -> RedoPhrase:
    text = text.strip()
    if not text:
        raise WorkError(_("Please write the phrase."), code="invalid")
    if len(text) > RedoPhrase._meta.get_field("text").max_length:
        raise WorkError(_("Please keep the phrase shorter."), code="invalid")
    redo_phrases_for(workshop)  # keep the defaults, so adding one does not hide them
    last = RedoPhrase.objects.filter(workshop=workshop).order_by("-position").first()
    return RedoPhrase.objects.create(
        workshop=workshop, text=text, position=(last.position + 1) if last else 0
    )


def remove_redo_phrase(*, phrase: RedoPhrase, by) -> None:
    RedoPhrase.objects.filter(pk=phrase.pk).delete()
