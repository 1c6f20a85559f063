"""A participant's path (ステップ) and the support records around it: consent, stage changes,
small steps, goals with their reviews, and support notes (支援記録).

These are 要配慮個人情報 (DESIGN.md, invariant 7). Every function here is the only way to read
or write them: writes need a standing consent, and every read and write leaves an AuditLog row
that names the record, never its content. Reads are scoped by the reader (`visible_to`), so a
reader from another workshop simply gets nothing."""

import calendar
import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from jobs.models import ProgressLog, WorkUnit
from participants.models import (
    Consent,
    DailyMood,
    Goal,
    GoalReview,
    Milestone,
    MilestoneCategory,
    NoteKind,
    Participant,
    Stage,
    StageChange,
    SupportNote,
    SupportNoteVersion,
    WeeklyEvaluation,
)
from participants.unsent_models import UnsentRecord
from workshop.models import AuditLog, User, Workshop
from workshop.rules import RuleError

Action = AuditLog.Action


class PathwayError(RuleError):
    """A rule about support records was not met. `code` says which, for views and the API:
    consent_required, consent_exists, invalid_date, unchanged, empty, wrong_state."""

    def __init__(self, message: str, *, code: str, field: str | None = None) -> None:
        super().__init__(message, code=code)
        self.field = field


# --- the audit log ---------------------------------------------------------------------------

# The names the audit log uses for each kind of record.
RECORD_TYPES: dict[type, str] = {
    Consent: "consent",
    StageChange: "stage_change",
    Milestone: "milestone",
    Goal: "goal",
    GoalReview: "goal_review",
    SupportNote: "support_note",
    SupportNoteVersion: "support_note_version",
    Participant: "participant",
    DailyMood: "mood",
    WeeklyEvaluation: "weekly_evaluation",
    UnsentRecord: "unsent_record",
}


def actor_label(user: User | None) -> str:
    if user is None:
        return ""
    return (user.display_name or user.email or user.username)[:150]


def audit(
    *,
    actor: User | None,
    action: str,
    participant: Participant,
    records: Iterable = (),
    record_type: str = "",
    summary: str = "",
    label: str | None = None,
) -> None:
    """One audit row per record (or one row naming only the type when there are none), in a
    single INSERT however many records a page showed. `label` names an actor that is not a
    person (a scheduled command)."""
    label = actor_label(actor) if label is None else label
    rows = [
        AuditLog(
            actor=actor,
            actor_label=label,
            workshop_id=participant.workshop_id,
            action=action,
            record_type=RECORD_TYPES[type(record)],
            record_id=record.pk,
            participant_id=participant.pk,
            summary=summary,
        )
        for record in records
    ]
    if not rows and record_type:
        rows = [
            AuditLog(
                actor=actor,
                actor_label=label,
                workshop_id=participant.workshop_id,
                action=action,
                record_type=record_type,
                participant_id=participant.pk,
                summary=summary,
            )
        ]
    if rows:
        AuditLog.objects.bulk_create(rows)


# --- consent ---------------------------------------------------------------------------------


def standing_consent(participant: Participant) -> Consent | None:
    """The consent that has not been withdrawn, if there is one (at most one can exist)."""
    return Consent.objects.of(participant).filter(withdrawn_on__isnull=True).first()


def _require_consent(participant: Participant) -> Consent:
    consent = standing_consent(participant)
    if consent is None:
        raise PathwayError(
            _(
                "Support records can be kept only after the participant's consent is recorded. "
                "Please record their consent first."
            ),
            code="consent_required",
        )
    return consent


def _not_in_future(day: datetime.date, field_name: str = "on") -> None:
    if day > timezone.localdate():
        raise PathwayError(
            _("The date cannot be in the future."), code="invalid_date", field=field_name
        )


def _not_empty(text: str, field_name: str) -> str:
    text = text.strip()
    if not text:
        raise PathwayError(_("Please write something here."), code="empty", field=field_name)
    return text


@transaction.atomic
def record_consent(
    *,
    participant: Participant,
    recorded_by: User,
    explained: str,
    text_version: str,
    given_on: datetime.date,
    method: str,
) -> Consent:
    """Record that the participant agreed to support records being kept: what was explained,
    which version of the text, when and how. A consent given again after a withdrawal starts
    a new row; the withdrawn one stays as it was."""
    Participant.objects.select_for_update().filter(pk=participant.pk).first()
    if standing_consent(participant) is not None:
        raise PathwayError(
            _("A consent is already recorded for this participant."), code="consent_exists"
        )
    _not_in_future(given_on, "given_on")
    consent = Consent.objects.create(
        participant=participant,
        explained=_not_empty(explained, "explained"),
        text_version=_not_empty(text_version, "text_version"),
        given_on=given_on,
        method=method,
        recorded_by=recorded_by,
    )
    audit(actor=recorded_by, action=Action.CREATE, participant=participant, records=[consent])
    return consent


@transaction.atomic
def withdraw_consent(
    *, participant: Participant, recorded_by: User, withdrawn_on: datetime.date
) -> Consent:
    """The participant withdrew their consent: from now on nothing new is recorded, and the
    retention clock of what is held starts on `withdrawn_on` (docs/privacy.md)."""
    consent = _require_consent(participant)
    _not_in_future(withdrawn_on, "withdrawn_on")
    if withdrawn_on < consent.given_on:
        raise PathwayError(
            _("The withdrawal cannot be earlier than the day consent was given."),
            code="invalid_date",
            field="withdrawn_on",
        )
    Consent.objects.filter(pk=consent.pk).update(
        withdrawn_on=withdrawn_on, withdrawal_recorded_by=recorded_by
    )
    consent.refresh_from_db()
    audit(
        actor=recorded_by,
        action=Action.UPDATE,
        participant=participant,
        records=[consent],
        summary="withdrawn",
    )
    return consent


def consents_for(*, participant: Participant, reader: User) -> list[Consent]:
    consents = list(
        Consent.objects.visible_to(reader)
        .of(participant)
        .select_related("recorded_by", "withdrawal_recorded_by")
    )
    audit(actor=reader, action=Action.READ, participant=participant, records=consents)
    return consents


# --- stages and small steps ------------------------------------------------------------------


@transaction.atomic
def change_stage(
    *,
    participant: Participant,
    to_stage: str,
    on: datetime.date,
    note: str,
    recorded_by: User,
) -> StageChange:
    """Record a move between steps. Forward, back, or staying where one is (recorded as a
    change to the same step, with a note) are all fine; nothing is judged here."""
    _require_consent(participant)
    if to_stage not in Stage.values:
        raise PathwayError(_("Please choose a step."), code="invalid", field="to_stage")
    _not_in_future(on)
    current = Participant.objects.select_for_update().values_list("stage", flat=True)
    from_stage = current.get(pk=participant.pk)
    change = StageChange.objects.create(
        participant=participant,
        from_stage=from_stage,
        to_stage=to_stage,
        on=on,
        note=note.strip(),
        recorded_by=recorded_by,
    )
    Participant.objects.filter(pk=participant.pk).update(stage=to_stage)
    participant.stage = to_stage
    audit(actor=recorded_by, action=Action.CREATE, participant=participant, records=[change])
    return change


def stage_changes_for(*, participant: Participant, reader: User) -> list[StageChange]:
    changes = list(
        StageChange.objects.visible_to(reader)
        .of(participant)
        .select_related("recorded_by")
        .order_by("-on", "-pk")
    )
    audit(actor=reader, action=Action.READ, participant=participant, records=changes)
    return changes


@transaction.atomic
def record_milestone(
    *,
    participant: Participant,
    category: str,
    on: datetime.date,
    note: str,
    shared_with_participant: bool,
    recorded_by: User,
) -> Milestone:
    """Write down a small step (小さな一歩). Small changes are what support work counts."""
    _require_consent(participant)
    if category not in MilestoneCategory.values:
        raise PathwayError(_("Please choose a kind of step."), code="invalid", field="category")
    _not_in_future(on)
    milestone = Milestone.objects.create(
        participant=participant,
        category=category,
        on=on,
        note=note.strip(),
        shared_with_participant=shared_with_participant,
        recorded_by=recorded_by,
    )
    audit(actor=recorded_by, action=Action.CREATE, participant=participant, records=[milestone])
    return milestone


def milestones_for(*, participant: Participant, reader: User) -> list[Milestone]:
    milestones = list(
        Milestone.objects.visible_to(reader)
        .of(participant)
        .select_related("recorded_by")
        .order_by("-on", "-pk")
    )
    audit(actor=reader, action=Action.READ, participant=participant, records=milestones)
    return milestones


# --- goals and reviews -----------------------------------------------------------------------


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day `months` later, or the month's last day when it has fewer days."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def add_years(day: datetime.date, years: int) -> datetime.date:
    return add_months(day, 12 * years)


def _next_review(goal_start_or_review: datetime.date, workshop: Workshop) -> datetime.date:
    return add_months(goal_start_or_review, workshop.goal_review_months)


@transaction.atomic
def set_goal(
    *,
    participant: Participant,
    text: str,
    started_on: datetime.date,
    target_on: datetime.date | None,
    shared_with_participant: bool,
    recorded_by: User,
) -> Goal:
    """Set a goal of the support plan. Its first review falls `goal_review_months` after it
    was set."""
    _require_consent(participant)
    _not_in_future(started_on, "started_on")
    if target_on is not None and target_on < started_on:
        raise PathwayError(
            _("The hoped-for date cannot be before the goal was set."),
            code="invalid_date",
            field="target_on",
        )
    goal = Goal.objects.create(
        participant=participant,
        text=_not_empty(text, "text"),
        started_on=started_on,
        target_on=target_on,
        shared_with_participant=shared_with_participant,
        next_review_on=_next_review(started_on, participant.workshop),
        recorded_by=recorded_by,
    )
    audit(actor=recorded_by, action=Action.CREATE, participant=participant, records=[goal])
    return goal


@transaction.atomic
def update_goal(
    *,
    goal: Goal,
    recorded_by: User,
    text: str,
    target_on: datetime.date | None,
    status: str,
    shared_with_participant: bool,
) -> Goal:
    """Change a goal's wording, hoped-for date, status or whether the participant sees it.
    A goal that is no longer worked on has no review due; one taken up again is due a review
    `goal_review_months` from today."""
    participant = goal.participant
    _require_consent(participant)
    if status not in Goal.Status.values:
        raise PathwayError(_("Please choose a status."), code="invalid", field="status")
    if target_on is not None and target_on < goal.started_on:
        raise PathwayError(
            _("The hoped-for date cannot be before the goal was set."),
            code="invalid_date",
            field="target_on",
        )
    next_review_on = goal.next_review_on
    if status != Goal.Status.ACTIVE:
        next_review_on = None
    elif goal.status != Goal.Status.ACTIVE:
        next_review_on = _next_review(timezone.localdate(), participant.workshop)
    Goal.objects.filter(pk=goal.pk).update(
        text=_not_empty(text, "text"),
        target_on=target_on,
        status=status,
        shared_with_participant=shared_with_participant,
        next_review_on=next_review_on,
    )
    goal.refresh_from_db()
    audit(actor=recorded_by, action=Action.UPDATE, participant=participant, records=[goal])
    return goal


@transaction.atomic
def review_goal(*, goal: Goal, on: datetime.date, note: str, recorded_by: User) -> GoalReview:
    """Record a review (モニタリング) of a goal. The next one falls `goal_review_months` after
    the latest review."""
    participant = goal.participant
    _require_consent(participant)
    _not_in_future(on)
    if on < goal.started_on:
        raise PathwayError(
            _("A review cannot be earlier than the day the goal was set."),
            code="invalid_date",
            field="on",
        )
    review = GoalReview.objects.create(
        goal=goal, participant=participant, on=on, note=note.strip(), recorded_by=recorded_by
    )
    latest = GoalReview.objects.filter(goal=goal).order_by("-on").values_list("on", flat=True)[0]
    if goal.status == Goal.Status.ACTIVE:
        Goal.objects.filter(pk=goal.pk).update(
            next_review_on=_next_review(latest, participant.workshop)
        )
        goal.refresh_from_db()
    audit(actor=recorded_by, action=Action.CREATE, participant=participant, records=[review])
    return review


def goals_for(*, participant: Participant, reader: User) -> list[Goal]:
    """The participant's goals, each with its reviews (`goal.review_list`), newest first."""
    goals = list(Goal.objects.visible_to(reader).of(participant).select_related("recorded_by"))
    reviews = list(
        GoalReview.objects.visible_to(reader)
        .of(participant)
        .select_related("recorded_by")
        .order_by("-on", "-pk")
    )
    by_goal: dict[int, list[GoalReview]] = {}
    for review in reviews:
        by_goal.setdefault(review.goal_id, []).append(review)
    for goal in goals:
        goal.review_list = by_goal.get(goal.pk, [])
    audit(actor=reader, action=Action.READ, participant=participant, records=[*goals, *reviews])
    return goals


def get_goal_for(*, reader: User, participant: Participant, pk: int) -> Goal:
    """One goal with its reviews, read (and audited) by `reader`; Goal.DoesNotExist if the
    reader may not see it."""
    goal = Goal.objects.visible_to(reader).of(participant).select_related("recorded_by").get(pk=pk)
    goal.review_list = list(
        GoalReview.objects.visible_to(reader).filter(goal=goal).select_related("recorded_by")
    )
    audit(
        actor=reader,
        action=Action.READ,
        participant=participant,
        records=[goal, *goal.review_list],
    )
    return goal


def reviews_due(workshop: Workshop, within_days: int = 30) -> QuerySet:
    """Goals being worked on whose review falls within `within_days` (or has passed), soonest
    first, for the staff home. Only the nickname and the date are shown there, never the
    goal's text, so listing them is not a read of the record."""
    until = timezone.localdate() + datetime.timedelta(days=within_days)
    return (
        Goal.objects.filter(
            participant__workshop=workshop,
            status=Goal.Status.ACTIVE,
            next_review_on__lte=until,
        )
        .exclude(participant__status=Participant.Status.ENDED)
        .select_related("participant")
        .order_by("next_review_on", "pk")
    )


# --- support notes ---------------------------------------------------------------------------


@transaction.atomic
def write_note(
    *, participant: Participant, on: datetime.date, kind: str, text: str, author: User
) -> SupportNote:
    _require_consent(participant)
    if kind not in NoteKind.values:
        raise PathwayError(_("Please choose a kind."), code="invalid", field="kind")
    _not_in_future(on)
    note = SupportNote.objects.create(
        participant=participant, on=on, kind=kind, text=_not_empty(text, "text"), author=author
    )
    audit(actor=author, action=Action.CREATE, participant=participant, records=[note])
    return note


@transaction.atomic
def correct_note(
    *,
    note: SupportNote,
    text: str,
    on: datetime.date,
    kind: str,
    reason: str,
    corrected_by: User,
) -> SupportNote:
    """Correct a note. The earlier text, date and kind are kept as a version with who wrote
    them, who replaced them and why; nothing is overwritten silently."""
    participant = note.participant
    _require_consent(participant)
    text = _not_empty(text, "text")
    reason = _not_empty(reason, "reason")
    if kind not in NoteKind.values:
        raise PathwayError(_("Please choose a kind."), code="invalid", field="kind")
    _not_in_future(on)
    # Lock the row so two corrections at once each keep the text they replaced.
    current = SupportNote.objects.select_for_update().get(pk=note.pk)
    if (current.text, current.on, current.kind) == (text, on, kind):
        raise PathwayError(
            _("Nothing was changed, so there is nothing to correct."), code="unchanged"
        )
    now = timezone.now()
    version = SupportNoteVersion.objects.create(
        note=current,
        on=current.on,
        kind=current.kind,
        text=current.text,
        written_by_id=current.corrected_by_id or current.author_id,
        written_at=current.corrected_at or current.written_at,
        replaced_by=corrected_by,
        replaced_at=now,
        reason=reason,
    )
    SupportNote.objects.filter(pk=note.pk).update(
        text=text, on=on, kind=kind, corrected_by=corrected_by, corrected_at=now
    )
    note.refresh_from_db()
    audit(
        actor=corrected_by,
        action=Action.UPDATE,
        participant=participant,
        records=[note, version],
    )
    return note


def notes_for(*, participant: Participant, reader: User, limit: int | None = None) -> list:
    """The participant's support notes, newest first (at most `limit`)."""
    notes = (
        SupportNote.objects.visible_to(reader)
        .of(participant)
        .select_related("author", "corrected_by")
        .order_by("-on", "-pk")
    )
    notes = list(notes[:limit] if limit else notes)
    audit(actor=reader, action=Action.READ, participant=participant, records=notes)
    return notes


def get_note_for(*, reader: User, participant: Participant, pk: int) -> SupportNote:
    """One note with its earlier texts (`note.version_list`, newest first), read and audited;
    SupportNote.DoesNotExist if the reader may not see it."""
    note = (
        SupportNote.objects.visible_to(reader)
        .of(participant)
        .select_related("author", "corrected_by")
        .get(pk=pk)
    )
    note.version_list = list(
        SupportNoteVersion.objects.visible_to(reader)
        .filter(note=note)
        .select_related("written_by", "replaced_by")
    )
    audit(
        actor=reader,
        action=Action.READ,
        participant=participant,
        records=[note, *note.version_list],
    )
    return note


# --- a participant's whole record, for their staff page -----------------------------------


@dataclass
class SupportRecord:
    consent: Consent | None
    consents: list[Consent]
    stage_changes: list[StageChange]
    milestones: list[Milestone]
    goals: list[Goal]
    notes: list[SupportNote]


# The staff page shows this many recent notes; the timeline has all of them.
RECENT_NOTES = 20


def support_record_for(*, participant: Participant, reader: User) -> SupportRecord:
    """Everything the staff page of a participant shows, each record audited as read."""
    consents = consents_for(participant=participant, reader=reader)
    return SupportRecord(
        consent=next((c for c in consents if c.withdrawn_on is None), None),
        consents=consents,
        stage_changes=stage_changes_for(participant=participant, reader=reader),
        milestones=milestones_for(participant=participant, reader=reader),
        goals=goals_for(participant=participant, reader=reader),
        notes=notes_for(participant=participant, reader=reader, limit=RECENT_NOTES),
    )


# --- what the participant sees of themself ---------------------------------------------------


@dataclass
class OwnSteps:
    stage: str
    milestones: list[Milestone]
    goals: list[Goal]


def own_steps_for(*, participant: Participant, user: User) -> OwnSteps:
    """The participant's own view: their step, and the small steps and goals staff chose to
    share. Not audited: the audit log traces who else read a person's records, and this is
    the person reading their own (docs/privacy.md). Goals set aside are not shown."""
    milestones = list(
        Milestone.objects.shared_with_owner(user).of(participant).order_by("-on", "-pk")
    )
    goals = list(
        Goal.objects.shared_with_owner(user)
        .of(participant)
        .exclude(status=Goal.Status.LET_GO)
        .order_by("-started_on", "-pk")
    )
    return OwnSteps(stage=participant.stage, milestones=milestones, goals=goals)


# --- the timeline ----------------------------------------------------------------------------


@dataclass(frozen=True)
class TimelineEntry:
    """One thing that happened, as the timeline shows it. `key` orders all entries of all
    sources: (day, source rank, id), newest first."""

    day: datetime.date
    rank: int
    pk: int
    kind: str
    record: object = field(compare=False)

    @property
    def key(self) -> tuple[datetime.date, int, int]:
        return (self.day, self.rank, self.pk)

    @property
    def cursor(self) -> str:
        return f"{self.day.isoformat()}.{self.rank}.{self.pk}"


Cursor = tuple[datetime.date, int, int]


def parse_cursor(text: str | None) -> Cursor | None:
    """`2026-03-01.3.117` → (date, rank, id); None for a missing or malformed cursor."""
    if not text:
        return None
    try:
        day, rank, pk = text.split(".")
        return (datetime.date.fromisoformat(day), int(rank), int(pk))
    except ValueError:
        return None


def _local_midnight(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


@dataclass(frozen=True)
class TimelineSource:
    """A kind of record on the timeline. `queryset(participant, reader)` gives the records the
    reader may see; `day_field` is a DateField, or a DateTimeField when `is_datetime` (its local
    day is used). Each source costs one query per page, whatever the length of the history.
    Sources of sensitive records are audited as read when shown."""

    kind: str
    rank: int
    queryset: Callable[[Participant, User], QuerySet]
    day_field: str
    is_datetime: bool = False
    sensitive: bool = True

    def day_of(self, record) -> datetime.date:
        value = getattr(record, self.day_field)
        return timezone.localdate(value) if self.is_datetime else value

    def _before(self, day: datetime.date) -> Q:
        if self.is_datetime:
            return Q(**{f"{self.day_field}__lt": _local_midnight(day)})
        return Q(**{f"{self.day_field}__lt": day})

    def _on(self, day: datetime.date) -> Q:
        if self.is_datetime:
            start = _local_midnight(day)
            return Q(
                **{
                    f"{self.day_field}__gte": start,
                    f"{self.day_field}__lt": _local_midnight(day + datetime.timedelta(days=1)),
                }
            )
        return Q(**{self.day_field: day})

    def fetch(
        self, participant: Participant, reader: User, cursor: Cursor | None, limit: int
    ) -> list[TimelineEntry]:
        records = self.queryset(participant, reader)
        if cursor is not None:
            day, rank, pk = cursor
            # Entries after the cursor in (day, rank, id) descending order.
            if self.rank < rank:
                records = records.filter(self._before(day) | self._on(day))
            elif self.rank > rank:
                records = records.filter(self._before(day))
            else:
                records = records.filter(self._before(day) | (self._on(day) & Q(pk__lt=pk)))
        records = records.order_by(f"-{self.day_field}", "-pk")[:limit]
        entries = [
            TimelineEntry(
                day=self.day_of(record), rank=self.rank, pk=record.pk, kind=self.kind, record=record
            )
            for record in records
        ]
        # Within one day the order is by id, not by the time of day.
        return sorted(entries, key=lambda entry: entry.key, reverse=True)


def _progress_logs(participant: Participant, reader: User) -> QuerySet:
    return (
        ProgressLog.objects.visible_to(reader)
        .filter(participant=participant)
        .select_related("unit__order")
    )


def _units_taken(participant: Participant, reader: User) -> QuerySet:
    return (
        WorkUnit.objects.visible_to(reader)
        .filter(holder=participant, claimed_at__isnull=False)
        .select_related("order")
    )


def _sensitive(model, *related: str) -> Callable[[Participant, User], QuerySet]:
    def queryset(participant: Participant, reader: User) -> QuerySet:
        return model.objects.visible_to(reader).of(participant).select_related(*related)

    return queryset


def _check_ins(participant: Participant, reader: User) -> QuerySet:
    from participants.attendance_models import Attendance

    return Attendance.objects.visible_to(reader).filter(participant=participant)


def _confirmed_reports(participant: Participant, reader: User) -> QuerySet:
    from participants.homework_models import DailyReport

    return (
        DailyReport.objects.visible_to(reader)
        .filter(participant=participant, confirmed_at__isnull=False)
        .defer("snapshot")
    )


# A new kind of record joins the timeline by adding a source here, with a rank of its own;
# the page shows whatever is registered.
TIMELINE_SOURCES: list[TimelineSource] = [
    TimelineSource("check_in", 0, _check_ins, "day", sensitive=False),
    TimelineSource("unit_taken", 1, _units_taken, "claimed_at", is_datetime=True, sensitive=False),
    TimelineSource("progress", 2, _progress_logs, "created_at", is_datetime=True, sensitive=False),
    TimelineSource("milestone", 3, _sensitive(Milestone, "recorded_by"), "on"),
    TimelineSource("goal_review", 4, _sensitive(GoalReview, "goal", "recorded_by"), "on"),
    TimelineSource("goal", 5, _sensitive(Goal, "recorded_by"), "started_on"),
    TimelineSource("note", 6, _sensitive(SupportNote, "author"), "on"),
    TimelineSource("stage_change", 7, _sensitive(StageChange, "recorded_by"), "on"),
    TimelineSource("daily_report", 8, _confirmed_reports, "day", sensitive=False),
    TimelineSource(
        "weekly_evaluation", 9, _sensitive(WeeklyEvaluation, "written_by"), "week_start"
    ),
]


@dataclass
class TimelinePage:
    entries: list[TimelineEntry]
    next_cursor: str | None


def timeline_for(
    *,
    participant: Participant,
    reader: User,
    before: str | None = None,
    limit: int = 40,
    sources: list[TimelineSource] | None = None,
) -> TimelinePage:
    """Everything that happened with the participant, newest first, `limit` entries at a
    time; pass the page's `next_cursor` as `before` for the older ones. One query per source
    and one audit INSERT, however many years the history holds."""
    cursor = parse_cursor(before)
    sources = TIMELINE_SOURCES if sources is None else sources
    entries: list[TimelineEntry] = []
    for source in sources:
        entries.extend(source.fetch(participant, reader, cursor, limit + 1))
    entries.sort(key=lambda entry: entry.key, reverse=True)
    has_more = len(entries) > limit
    entries = entries[:limit]
    sensitive_kinds = {source.kind for source in sources if source.sensitive}
    audit(
        actor=reader,
        action=Action.READ,
        participant=participant,
        records=[entry.record for entry in entries if entry.kind in sensitive_kinds],
    )
    return TimelinePage(
        entries=entries, next_cursor=entries[-1].cursor if has_more and entries else None
    )
