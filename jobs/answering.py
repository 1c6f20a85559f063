"""The participant's side of digital work (issue 9): the items of a unit one holds, saving an
answer (a draft as it is typed, answered with 「保存して次へ」), and what becomes of the items when
a unit is handed back or expires. The first time an answer becomes answered, one ProgressLog of
one item is written in the same transaction, so a unit's logged quantity is its number of
answered items: there is no second counter to drift. Checking is in jobs/checking.py."""

import datetime
import uuid

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from jobs import work
from jobs.answer_forms import answer_problems, clean_value
from jobs.models import Answer, AnswerForm, Item, ProgressLog, WorkUnit
from participants.models import Participant
from workshop.rules import RuleError

Status = Answer.Status
# Answers the participant may still change while the unit is in their hands (before hand-in).
OPEN_WHILE_CLAIMED = {Status.DRAFT, Status.ANSWERED}
# Under a redo only what staff sent back changes (and items never answered at all).
OPEN_UNDER_REDO = {Status.DRAFT, Status.SENT_BACK}


class AnswerRefused(RuleError):
    """A save that cannot be kept; `code` is machine-readable, the message kind."""


class AnswerInvalid(AnswerRefused):
    """Values the form does not take: `problems` is {field key: (message, code)}, every field at
    fault in the form's order, so the page can put each message beside its field."""

    def __init__(self, problems: dict[str, tuple[str, str]]):
        super().__init__(_("Please look at the fields marked below."), code="invalid")
        self.problems = problems


def items_of(unit: WorkUnit):
    """The unit's items in their order: its own, or those it answers as the second entry."""
    return Item.objects.filter(Q(unit=unit) | Q(second_unit=unit)).order_by("number", "pk")


def current_form(order_id: int) -> AnswerForm | None:
    return AnswerForm.objects.filter(order_id=order_id, status=AnswerForm.Status.CURRENT).first()


def answers_of(unit: WorkUnit, participant: Participant) -> dict[int, Answer]:
    """The participant's answers on this unit, by item id."""
    return {
        answer.item_id: answer
        for answer in Answer.objects.filter(unit=unit, participant=participant)
    }


def can_change(unit: WorkUnit, answer: Answer | None) -> bool:
    """Whether the holder may still change this answer: until hand-in, and under a redo only
    what was sent back."""
    status = answer.status if answer is not None else Status.DRAFT
    if unit.status == WorkUnit.Status.CLAIMED:
        return status in OPEN_WHILE_CLAIMED
    if unit.status == WorkUnit.Status.REDO:
        return status in OPEN_UNDER_REDO
    return False


def _replayed(client_uuid: uuid.UUID, *, item: Item, participant: Participant) -> Answer | None:
    """The answer a save with this UUID already made, if it was applied before: the answer
    still carries it, or it was the save that first answered the item (its progress log has
    it). A UUID used for anything else is refused."""
    answer = Answer.objects.filter(client_uuid=client_uuid).first()
    if answer is None:
        log = ProgressLog.objects.filter(client_uuid=client_uuid).first()
        if log is None:
            return None
        answer = Answer.objects.filter(item=item, unit=log.unit_id, participant=participant).first()
        if answer is None or log.participant_id != participant.pk:
            raise AnswerRefused(
                _("This save was already used for something else."), code="uuid_reused"
            )
        return answer
    if answer.item_id != item.pk or answer.participant_id != participant.pk:
        raise AnswerRefused(_("This save was already used for something else."), code="uuid_reused")
    return answer


def save_answer(
    *,
    participant: Participant,
    unit: WorkUnit,
    item: Item,
    values: dict,
    cant_read: bool = False,
    final: bool = False,
    client_uuid: uuid.UUID,
    client_saved_at: datetime.datetime | None = None,
) -> tuple[Answer, bool]:
    """Keep an answer: a draft (final=False: may be incomplete, but each value given must be one
    the form takes) or answered (final=True: complete). An answer already answered stays
    complete: a later save must be complete too. Returns (answer, applied).

    The phone makes the UUID and the time of each save, so a retried save (same UUID) and an
    older one arriving late (client_saved_at before the stored one's) change nothing. A phone
    clock ahead of the server's is read as now, so a late offline save cannot block the next
    ones. Every save kept is activity: the claim is kept for another full timeout."""
    now = timezone.now()
    saved_at = min(client_saved_at or now, now)
    replayed = _replayed(client_uuid, item=item, participant=participant)
    if replayed is not None:
        return replayed, False
    try:
        with transaction.atomic():
            return _save(
                participant=participant,
                unit=unit,
                item=item,
                values=values,
                cant_read=cant_read,
                final=final,
                client_uuid=client_uuid,
                saved_at=saved_at,
                now=now,
            )
    except IntegrityError:
        # The same save arrived twice at once: the other request applied it.
        replayed = _replayed(client_uuid, item=item, participant=participant)
        if replayed is None:
            raise
        return replayed, False


def _save(*, participant, unit, item, values, cant_read, final, client_uuid, saved_at, now):
    locked = (
        WorkUnit.objects.select_for_update()
        .filter(
            pk=unit.pk,
            holder=participant,
            status__in=[WorkUnit.Status.CLAIMED, WorkUnit.Status.REDO],
        )
        .first()
    )
    if locked is None:
        raise AnswerRefused(_("This unit is no longer with you."), code="not_holder")
    if unit.pk not in (item.unit_id, item.second_unit_id):
        raise AnswerRefused(_("This item is not in this unit."), code="not_found")
    answer = Answer.objects.select_for_update().filter(item=item, unit=locked).first()
    if answer is not None and answer.participant_id != participant.pk:
        raise AnswerRefused(_("This item is no longer with you."), code="not_holder")
    if answer is None and Answer.objects.filter(item=item, participant=participant).exists():
        # Double entry: the other entry of this item is already this person's.
        raise AnswerRefused(
            _("You have already answered this item in another unit."), code="answer_locked"
        )
    if answer is not None and answer.client_uuid == client_uuid:
        return answer, False  # the same save, applied by a request that held the lock first
    if answer is not None and answer.client_saved_at and saved_at < answer.client_saved_at:
        return answer, False  # a newer save is already kept
    if not can_change(locked, answer):
        raise AnswerRefused(
            _("This answer has been handed in and can no longer be changed here."),
            code="answer_locked",
        )
    form = answer.form if answer is not None and answer.status != Status.DRAFT else None
    form = form or current_form(item.order_id)
    if form is None:
        raise AnswerRefused(
            _("The form for this work is not ready yet. Please ask staff."), code="no_form"
        )
    offers_cant_read = any(spec.get("cant_read") for spec in form.fields)
    cant_read = bool(cant_read) and (offers_cant_read or final)
    complete = final or (answer is not None and answer.status == Status.ANSWERED)
    problems = answer_problems(form.fields, values, cant_read=cant_read, final=complete)
    if problems:
        raise AnswerInvalid(problems)
    given = values if isinstance(values, dict) else {}
    cleaned = {spec["key"]: clean_value(spec, given.get(spec["key"])) for spec in form.fields}
    first_time = final and (answer is None or answer.answered_at is None)
    if answer is None:
        answer = Answer(item=item, unit=locked, participant=participant)
    answer.form = form
    answer.values = cleaned
    answer.cant_read = cant_read
    answer.client_uuid = client_uuid
    answer.client_saved_at = saved_at
    answer.updated_at = now
    if final:
        if answer.status in (Status.DRAFT, Status.SENT_BACK):
            answer.answered_at = now
        answer.status = Status.ANSWERED
    answer.save()
    if first_time:
        ProgressLog.objects.create(
            unit=locked,
            participant=participant,
            client_uuid=client_uuid,
            quantity=1,
            minutes=0,
            place="home" if participant.works_from_home else "on_site",
            created_at=now,
        )
    # As log_progress does: saving is activity, so the claim is kept for another full timeout.
    WorkUnit.objects.filter(pk=locked.pk, status=WorkUnit.Status.CLAIMED).update(
        last_activity_at=now, expires_at=work._expiry(participant, now)
    )
    return answer, True


# --- hand back and expiry (hooked into jobs/work.py) -----------------------------------------


def drop_drafts(unit: WorkUnit) -> int:
    """A unit leaves its holder's hands (handed back, expired, freed by staff): the drafts on it
    go, so that whoever takes its items next starts clean. Answered items stay the holder's."""
    return Answer.objects.filter(unit=unit, status=Status.DRAFT).delete()[0]


def move_unanswered(unit: WorkUnit, rest: WorkUnit) -> int:
    """The items of `unit` with no answer on it move to `rest`, the new unit that holds what
    `unit` no longer does (jobs/work.py reopen_rest); answered ones stay credited where they
    are. Returns how many moved. Two UPDATEs; nothing for a hands-on unit, which has no items."""
    drop_drafts(unit)
    answered = Answer.objects.filter(unit=unit).values("item_id")
    moved = Item.objects.filter(unit=unit).exclude(pk__in=answered).update(unit=rest)
    moved += Item.objects.filter(second_unit=unit).exclude(pk__in=answered).update(second_unit=rest)
    return moved
