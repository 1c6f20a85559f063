"""Checking digital work (検品 of answers, issue 9), by the order's DigitalWork.checking:

- every item: staff look at each answer beside its input and approve it, send it back with a
  kind, specific note (the unit goes back to its holder, who fixes only those; the other
  answers are kept), or do not accept it (not paid, with a kind note saying why);
- double entry: when both entries of an item are answered and handed in, agreeing answers
  (answer_forms.same_answer) are approved without staff; the others are DISAGREED and wait for
  staff, who pick one entry or type the right answer;
- spot checks: staff look at a sample of each handed-in unit (drawn once, kept in SpotSample)
  and approve the whole unit on that basis, or send it back with notes.

Approving an answer sets the item's result (Item.result/result_form/approved_at, counted once
in DigitalWork.items_approved). A unit is approved (WorkUnit.approved_quantity = its approved
answers, the order's counters, Credit rows, a UnitEvent) once none of its answers waits for a
decision: an approved item then counts like an approved hands-on item, for the person whose
answer it is, in the record and 工賃. Double entry pays both people (docs/architecture.md)."""

import random
from collections import defaultdict
from collections.abc import Iterable

from django.db import IntegrityError, transaction
from django.db.models import F, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from jobs import counters, review
from jobs.answer_forms import clean_answer, same_answer
from jobs.models import (
    Answer,
    Credit,
    DigitalWork,
    Item,
    ProgressLog,
    SpotSample,
    UnitEvent,
    WorkUnit,
)
from jobs.work import WorkError, record_event

Status = WorkUnit.Status
AnswerStatus = Answer.Status
Mode = DigitalWork.Checking
MAX_NOTE_LENGTH = review.MAX_NOTE_LENGTH
# What staff may still decide on: answered, or sent back and then handed back unfixed.
DECIDABLE = (AnswerStatus.ANSWERED, AnswerStatus.SENT_BACK)
# What keeps a unit from being approved: answers nobody has decided on yet.
UNDECIDED = (AnswerStatus.ANSWERED, AnswerStatus.SENT_BACK, AnswerStatus.DISAGREED)


class CheckingError(WorkError):
    """A decision about answers that cannot be made; `code` says why."""


def items_of(unit: WorkUnit):
    """The items a unit holds: as the first entry, or under double entry as the second."""
    return Item.objects.filter(Q(unit=unit) | Q(second_unit=unit))


def is_digital_unit(unit: WorkUnit) -> bool:
    """A unit whose work is answers to items (checked here, not by jobs/review.py's counts)."""
    return items_of(unit).exists()


def handed_in(*, unit: WorkUnit) -> None:
    """jobs/work.py calls this, in its transaction, when a unit is handed in. Double entry
    compares the entries that are now both in; spot checks draw the unit's sample."""
    digital = DigitalWork.objects.filter(order_id=unit.order_id).first()
    if digital is None or not is_digital_unit(unit):
        return
    if digital.checking == Mode.DOUBLE:
        compare_entries(unit=unit)
    elif digital.checking == Mode.SPOT:
        spot_sample(unit)


# --- approving ------------------------------------------------------------------------------


def _set_results(answers: list[Answer], *, at, results: dict[int, tuple[dict, int]] | None = None):
    """Give each answer's item its result (its values, or `results[item_id]`) unless it has one
    already; count the newly approved items once on the order's DigitalWork."""
    results = results or {}
    item_ids = {answer.item_id for answer in answers}
    fresh = list(
        Item.objects.select_for_update()
        .filter(pk__in=item_ids, approved_at__isnull=True)
        .only("pk", "order_id")
    )
    if not fresh:
        return
    by_item = {answer.item_id: answer for answer in answers}
    for item in fresh:
        values, form_id = results.get(item.pk) or (
            by_item[item.pk].values,
            by_item[item.pk].form_id,
        )
        item.result, item.result_form_id, item.approved_at = values, form_id, at
    Item.objects.bulk_update(fresh, ["result", "result_form", "approved_at"])
    DigitalWork.objects.filter(order_id=fresh[0].order_id).update(
        items_approved=F("items_approved") + len(fresh)
    )


def _mark(answer_ids: Iterable[int], status: str, *, by, at, note: str = "") -> None:
    Answer.objects.filter(pk__in=list(answer_ids)).update(
        status=status, checked_by=by, checked_at=at, check_note=note
    )


def _credits(unit: WorkUnit, *, at) -> list[Credit]:
    """One credit per person: their approved answers in the unit, and the minutes they logged on
    it in full (as jobs.money.credits_for_approval counts minutes). A person whose answers were
    all not accepted and who logged no minutes gets none: a rejected answer is not paid."""
    approved = defaultdict(int)
    for participant_id in Answer.objects.filter(
        unit=unit, status=AnswerStatus.APPROVED
    ).values_list("participant_id", flat=True):
        approved[participant_id] += 1
    minutes = dict(
        ProgressLog.objects.filter(unit=unit)
        .values("participant")
        .annotate(n=Sum("minutes"))
        .values_list("participant", "n")
    )
    people = list(dict.fromkeys([*approved, *minutes]))
    return [
        Credit(
            unit_id=unit.pk,
            order_id=unit.order_id,
            workshop_id=unit.workshop_id,
            participant_id=participant_id,
            quantity=approved.get(participant_id, 0),
            minutes=minutes.get(participant_id) or 0,
            approved_at=at,
        )
        for participant_id in people
        if approved.get(participant_id, 0) or minutes.get(participant_id)
    ]


def _close_if_decided(unit_id: int, *, by, at) -> bool:
    """Approve a handed-in unit once none of its answers waits for a decision. Its approved
    quantity is its approved answers (rejected ones are not), credited to whose they are."""
    locked = (
        WorkUnit.objects.select_for_update(of=("self",))
        .filter(pk=unit_id, status=Status.SUBMITTED)
        .select_related("holder")
        .first()
    )
    if locked is None or Answer.objects.filter(unit=locked, status__in=UNDECIDED).exists():
        return False
    approved = Answer.objects.filter(unit=locked, status=AnswerStatus.APPROVED).count()
    WorkUnit.objects.filter(pk=locked.pk).update(
        status=Status.APPROVED, approved_quantity=approved, last_activity_at=at
    )
    counters.moved(locked.order_id, Status.SUBMITTED, Status.APPROVED, items_approved=approved)
    Credit.objects.bulk_create(_credits(locked, at=at))
    record_event(
        locked.pk,
        UnitEvent.Kind.APPROVED,
        by=by,
        participant=locked.holder,
        quantity=approved,
        at=at,
    )
    return True


def _clean_notes(notes: dict[int, str]) -> dict[int, str]:
    cleaned = {}
    for answer_id, note in notes.items():
        note = (note or "").strip()
        if not note:
            raise CheckingError(
                _(
                    "Please write a short, kind note for each answer you send back or do not "
                    "accept, so they know what to change."
                ),
                code="note_required",
            )
        if len(note) > MAX_NOTE_LENGTH:
            raise CheckingError(_("Please keep the note shorter."), code="note_too_long")
        cleaned[int(answer_id)] = note
    return cleaned


def check_answers(
    *,
    unit: WorkUnit,
    by,
    approve: Iterable[int] = (),
    send_back: dict[int, str] | None = None,
    reject: dict[int, str] | None = None,
    note: str = "",
) -> WorkUnit:
    """Staff's decisions on a handed-in unit's answers, at once: `approve` (answer ids), and
    for `send_back` and `reject` a note per answer (a kind phrase and what to change). Sent-back
    answers send the unit back to its holder (jobs.review.ask_redo) with their answers kept;
    otherwise the unit is approved when nothing in it waits any more."""
    send_back = _clean_notes(send_back or {})
    reject = _clean_notes(reject or {})
    approve = {int(answer_id) for answer_id in approve}
    if approve & set(send_back) or approve & set(reject) or set(send_back) & set(reject):
        raise CheckingError(_("Choose one decision for each answer."), code="invalid")
    chosen = approve | set(send_back) | set(reject)
    if not chosen:
        raise CheckingError(_("Choose at least one answer to decide on."), code="invalid")
    now = timezone.now()
    with transaction.atomic():
        locked = review._submitted(unit)
        answers = list(
            Answer.objects.select_for_update()
            .filter(unit=locked, pk__in=chosen, status__in=DECIDABLE)
            .select_related("item")
        )
        if len(answers) != len(chosen):
            raise CheckingError(
                _("Some of these answers are not waiting in this unit; please reload the page."),
                code="not_in_unit",
            )
        approved = [answer for answer in answers if answer.pk in approve]
        _mark(approve, AnswerStatus.APPROVED, by=by, at=now)
        _set_results(approved, at=now)
        for answer_id, text in reject.items():
            _mark([answer_id], AnswerStatus.REJECTED, by=by, at=now, note=text)
        for answer_id, text in send_back.items():
            _mark([answer_id], AnswerStatus.SENT_BACK, by=by, at=now, note=text)
        if send_back:
            summary = ngettext(
                "Thank you! Could you look at %(count)s answer once more? The note is beside it.",
                "Thank you! Could you look at %(count)s answers once more? "
                "The notes are beside them.",
                len(send_back),
            ) % {"count": len(send_back)}
            review.ask_redo(
                unit=locked, by=by, note=f"{summary}\n{note.strip()}".strip()[:MAX_NOTE_LENGTH]
            )
        else:
            _close_if_decided(locked.pk, by=by, at=now)
    unit.refresh_from_db()
    return unit


def approve_all(*, unit: WorkUnit, by) -> WorkUnit:
    """Every answer waiting in the unit is good (every item checked, or a spot check passed)."""
    waiting = Answer.objects.filter(unit=unit, status__in=DECIDABLE).values_list("pk", flat=True)
    if not waiting:
        # Nothing to approve one by one: the unit is approved as it stands.
        with transaction.atomic():
            locked = review._submitted(unit)
            _close_if_decided(locked.pk, by=by, at=timezone.now())
        unit.refresh_from_db()
        return unit
    return check_answers(unit=unit, by=by, approve=list(waiting))


# --- spot checks ----------------------------------------------------------------------------


def spot_sample(unit: WorkUnit) -> list[int]:
    """The ids of the items drawn for the unit's latest hand-in: drawn the first time it is
    asked for (a seed of the unit and the hand-in, so a redraw would draw the same) and kept."""
    handed_in = (
        UnitEvent.objects.filter(unit=unit, kind=UnitEvent.Kind.SUBMITTED)
        .order_by("-at", "-pk")
        .first()
    )
    if handed_in is None:
        return []
    kept = SpotSample.objects.filter(handed_in=handed_in).values_list("items", flat=True).first()
    if kept is not None:
        return kept
    size = (
        DigitalWork.objects.filter(order_id=unit.order_id)
        .values_list("spot_check_size", flat=True)
        .first()
        or 0
    )
    answered = sorted(
        Answer.objects.filter(unit=unit, status__in=DECIDABLE).values_list("item_id", flat=True)
    )
    drawn = sorted(
        random.Random(f"{unit.pk}:{handed_in.pk}").sample(answered, min(size, len(answered)))
    )
    try:
        with transaction.atomic():
            SpotSample.objects.create(unit=unit, handed_in=handed_in, items=drawn)
    except IntegrityError:  # drawn by someone else at the same moment: theirs is the same
        pass
    return drawn


def check_spot_sample(
    *,
    unit: WorkUnit,
    by,
    send_back: dict[int, str] | None = None,
    reject: dict[int, str] | None = None,
) -> WorkUnit:
    """Staff's decision on a spot-checked unit, from its sample: when nothing is sent back, the
    unit's other answers are approved on that basis (but those not accepted); when something
    is, the unit goes back with the notes and nothing in it is approved yet."""
    drawn = set(spot_sample(unit))
    chosen = {int(pk) for pk in {**(send_back or {}), **(reject or {})}}
    in_sample = set(
        Answer.objects.filter(unit=unit, pk__in=chosen, item_id__in=drawn).values_list(
            "pk", flat=True
        )
    )
    if chosen - in_sample:
        raise CheckingError(
            _("Only the answers drawn for the check can be decided one by one."),
            code="not_in_unit",
        )
    if send_back:
        return check_answers(unit=unit, by=by, send_back=send_back, reject=reject)
    rest = Answer.objects.filter(unit=unit, status__in=DECIDABLE).exclude(pk__in=chosen)
    if not rest.exists() and not reject:
        return approve_all(unit=unit, by=by)
    return check_answers(
        unit=unit, by=by, approve=list(rest.values_list("pk", flat=True)), reject=reject
    )


# --- double entry ---------------------------------------------------------------------------


def _pairs(items) -> dict[int, list[Answer]]:
    """Both answered entries of each of these items whose units are both handed in."""
    pairs = defaultdict(list)
    answers = (
        Answer.objects.select_for_update()
        .filter(item__in=items, status=AnswerStatus.ANSWERED, unit__status=Status.SUBMITTED)
        .select_related("form", "item")
        .order_by("item_id", "pk")
    )
    for answer in answers:
        pairs[answer.item_id].append(answer)
    return {item_id: pair for item_id, pair in pairs.items() if len(pair) == 2}


def _first_entry(pair: list[Answer]) -> Answer:
    return next((a for a in pair if a.unit_id == a.item.unit_id), pair[0])


def agree(first: Answer, second: Answer) -> bool:
    """Two entries agree when they were given with the same form version, both or neither
    could not read the input, and every field is the same (answer_forms.same_answer)."""
    return (
        first.form_id == second.form_id
        and first.cant_read == second.cant_read
        and same_answer(first.values, second.values, first.form.fields)
    )


def compare_entries(*, unit: WorkUnit) -> tuple[int, int]:
    """Compare the two entries of the unit's items that are both handed in: agreeing ones are
    approved (both paid), the others wait for staff as DISAGREED. Returns (agreed, disagreed)."""
    now = timezone.now()
    with transaction.atomic():
        pairs = _pairs(items_of(unit).filter(second_unit__isnull=False))
        agreed, disagreed, units = [], [], set()
        for pair in pairs.values():
            (agreed if agree(*pair) else disagreed).append(pair)
            units.update(answer.unit_id for answer in pair)
        _mark([a.pk for pair in agreed for a in pair], AnswerStatus.APPROVED, by=None, at=now)
        _set_results([_first_entry(pair) for pair in agreed], at=now)
        _mark([a.pk for pair in disagreed for a in pair], AnswerStatus.DISAGREED, by=None, at=now)
        for unit_id in sorted(units):
            _close_if_decided(unit_id, by=None, at=now)
    return len(agreed), len(disagreed)


def disagreements(workshop) -> "Item.objects":
    """Items of the workshop whose two entries differ, oldest first."""
    return (
        Item.objects.filter(workshop=workshop, answers__status=AnswerStatus.DISAGREED)
        .distinct()
        .order_by("order_id", "number")
    )


def resolve_disagreement(
    *,
    item: Item,
    by,
    pick: int | None = None,
    values: dict | None = None,
    cant_read: bool = False,
    reject: dict[int, str] | None = None,
) -> Item:
    """Staff settle an item whose two entries differ: `pick` one entry (an answer id), or type
    the right `values` (checked against the entries' form version, as a participant's would
    be). Both entries are approved and paid (both people did the work; a differing input is
    most often a hard one to read), unless staff do not accept one (`reject`: answer id → a
    kind note saying what to change), which is then not paid."""
    reject = _clean_notes(reject or {})
    now = timezone.now()
    with transaction.atomic():
        pair = list(
            Answer.objects.select_for_update()
            .filter(item=item, status=AnswerStatus.DISAGREED)
            .select_related("form")
            .order_by("pk")
        )
        if len(pair) != 2:
            raise CheckingError(
                _("This item is no longer waiting for a decision; someone may have decided."),
                code="not_disagreed",
            )
        ids = {answer.pk for answer in pair}
        if set(reject) - ids or len(reject) == 2:
            raise CheckingError(
                _("Choose which entry is not accepted, at most one."), code="invalid"
            )
        form = pair[0].form
        if pick is not None:
            chosen = next((a for a in pair if a.pk == int(pick)), None)
            if chosen is None:
                raise CheckingError(_("Choose one of the two entries."), code="invalid")
            if chosen.pk in reject:
                raise CheckingError(
                    _("The entry you chose cannot also be the one not accepted."), code="invalid"
                )
            result, form_id = chosen.values, chosen.form_id
        elif values is not None:
            result, form_id = clean_answer(form.fields, values, cant_read=cant_read), form.pk
        else:
            raise CheckingError(
                _("Choose one of the two entries, or write the right answer."), code="invalid"
            )
        paid = [answer.pk for answer in pair if answer.pk not in reject]
        _mark(paid, AnswerStatus.APPROVED, by=by, at=now)
        for answer_id, text in reject.items():
            _mark([answer_id], AnswerStatus.REJECTED, by=by, at=now, note=text)
        _set_results([pair[0]], at=now, results={item.pk: (result, form_id)})
        for unit_id in sorted({answer.unit_id for answer in pair}):
            _close_if_decided(unit_id, by=by, at=now)
    item.refresh_from_db()
    return item
