"""Privacy duties towards participants (docs/privacy.md): deleting support records whose
retention has passed (`manage.py purge_expired`), and the full export of everything held about
one person, for a disclosure request (開示請求)."""

import datetime
import io
import json
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field

from django.core.files.storage import default_storage
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from jobs.models import ProgressLog, WorkUnit
from network.models import Introduction
from participants.models import (
    Consent,
    Contact,
    DailyMood,
    DailyReport,
    DailyReportNote,
    Goal,
    GoalReview,
    Invitation,
    Milestone,
    Participant,
    StageChange,
    SupportNote,
    SupportNoteVersion,
    WeeklyEvaluation,
)
from participants.pathway import add_years, audit
from workshop.models import AuditLog, User, Workshop
from workshop.spreadsheets import csv_text

PURGE_ACTOR_LABEL = "purge_expired"

# What the purge deletes, in this order (a note's versions go with the note). Consents stay:
# they hold no support content and are the record that collection was lawful and that a
# withdrawal was honoured (docs/privacy.md).
PURGED = [
    ("support_notes", SupportNote, "participant"),
    ("support_note_versions", SupportNoteVersion, "note__participant"),
    ("goal_reviews", GoalReview, "participant"),
    ("goals", Goal, "participant"),
    ("milestones", Milestone, "participant"),
    ("stage_changes", StageChange, "participant"),
    ("moods", DailyMood, "participant"),
    ("weekly_evaluations", WeeklyEvaluation, "participant"),
    # What the coordinator wrote when introducing the person (つなぐ): support content too.
    ("introductions", Introduction, "participant"),
]


# --- retention -------------------------------------------------------------------------------


def retention_cutoff(workshop: Workshop, today: datetime.date) -> datetime.date:
    """A clock that started on or before this day has run out today."""
    return add_years(today, -workshop.retention_years)


def expired_participants(workshop: Workshop, today: datetime.date) -> list[Participant]:
    """Participants of the workshop whose retention has run out: support ended
    `retention_years` ago or more, or consent was withdrawn that long ago and not given again
    since (the latest withdrawal counts)."""
    cutoff = retention_cutoff(workshop, today)
    consents = Consent.objects.filter(participant=OuterRef("pk"))
    return list(
        Participant.objects.filter(workshop=workshop)
        .filter(
            Q(status=Participant.Status.ENDED, ended_on__lte=cutoff)
            | (
                Q(Exists(consents.filter(withdrawn_on__lte=cutoff)))
                & ~Q(Exists(consents.filter(withdrawn_on__gt=cutoff)))
                & ~Q(Exists(consents.filter(withdrawn_on__isnull=True)))
            )
        )
        .order_by("pk")
    )


@dataclass
class PurgeReport:
    """Counts per participant (by id) and record kind; never any content."""

    dry_run: bool
    counts: dict[int, dict[str, int]] = field(default_factory=dict)
    # Introductions the workshop answered "cannot now" whose retention ran out (no participant).
    introductions_not_taken: int = 0

    @property
    def totals(self) -> dict[str, int]:
        totals = {name: 0 for name, _model, _path in PURGED}
        for per_participant in self.counts.values():
            for name, count in per_participant.items():
                totals[name] += count
        return totals


def _counts(participant: Participant) -> dict[str, int]:
    return {
        name: model.objects.filter(**{path: participant}).count() for name, model, path in PURGED
    }


@transaction.atomic
def _purge_one(participant: Participant) -> dict[str, int]:
    counts = _counts(participant)
    if not any(counts.values()):
        return counts
    for _name, model, path in PURGED:
        model.objects.filter(**{path: participant}).delete()
    audit(
        actor=None,
        action=AuditLog.Action.PURGE,
        participant=participant,
        record_type="participant_records",
        summary=" ".join(f"{name}={count}" for name, count in counts.items() if count),
        label=PURGE_ACTOR_LABEL,
    )
    return counts


def purge_expired(*, today: datetime.date | None = None, dry_run: bool = False) -> PurgeReport:
    """Delete the sensitive records of every participant whose retention has run out, one
    transaction per participant, each leaving an audit row with counts only. Running it again
    finds nothing more to delete."""
    today = today or timezone.localdate()
    report = PurgeReport(dry_run=dry_run)
    for workshop in Workshop.objects.order_by("pk"):
        for participant in expired_participants(workshop, today):
            counts = _counts(participant) if dry_run else _purge_one(participant)
            if any(counts.values()):
                report.counts[participant.pk] = {k: v for k, v in counts.items() if v}
        report.introductions_not_taken += _purge_introductions_not_taken(
            workshop, today, dry_run=dry_run
        )
    return report


def expired_introductions(workshop: Workshop, today: datetime.date):
    """Introductions the workshop answered "cannot now" `retention_years` ago or more: the
    same clock as a participant whose support ended, started by the answer."""
    cutoff = retention_cutoff(workshop, today)
    return Introduction.objects.filter(
        workshop=workshop,
        state=Introduction.State.CANNOT_NOW,
        participant__isnull=True,
        answered_at__date__lte=cutoff,
    )


@transaction.atomic
def _purge_introductions_not_taken(
    workshop: Workshop, today: datetime.date, *, dry_run: bool
) -> int:
    expired = expired_introductions(workshop, today)
    if dry_run:
        return expired.count()
    count, _ = expired.delete()
    if count:
        AuditLog.objects.create(
            actor=None,
            actor_label=PURGE_ACTOR_LABEL,
            workshop=workshop,
            action=AuditLog.Action.PURGE,
            record_type="introductions",
            summary=f"cannot_now={count}",
        )
    return count


# --- the full export -------------------------------------------------------------------------


def _who(user: User | None) -> str:
    """Staff are named as others see them, never by e-mail address."""
    if user is None:
        return ""
    return user.display_name or "staff"


def _participant_rows(p: Participant) -> list[dict]:
    return [
        {
            "id": p.pk,
            "workshop": p.workshop.name,
            "nickname": p.nickname,
            "stage": p.stage,
            "status": p.status,
            "works_from_home": p.works_from_home,
            "works_on_site": p.works_on_site,
            "liked_task_kinds": " ".join(p.liked_task_kinds),
            "hours_per_week_wished": p.hours_per_week_wished,
            "start_date": p.start_date,
            "ended_on": p.ended_on,
            "created_at": p.created_at,
        }
    ]


def _account_rows(p: Participant) -> list[dict]:
    user = p.user
    if user is None:
        return []
    return [
        {
            "email": user.email,
            "name_shown": user.display_name,
            "has_password": user.has_usable_password(),
            "email_notifications": user.email_notifications,
            "date_joined": user.date_joined,
            "last_login": user.last_login,
        }
    ]


def _consent_rows(p: Participant) -> list[dict]:
    return [
        {
            "id": c.pk,
            "explained": c.explained,
            "text_version": c.text_version,
            "given_on": c.given_on,
            "method": c.method,
            "recorded_by": _who(c.recorded_by),
            "recorded_at": c.recorded_at,
            "withdrawn_on": c.withdrawn_on,
            "withdrawal_recorded_by": _who(c.withdrawal_recorded_by),
        }
        for c in Consent.objects.of(p).select_related("recorded_by", "withdrawal_recorded_by")
    ]


def _stage_change_rows(p: Participant) -> list[dict]:
    return [
        {
            "id": s.pk,
            "from_stage": s.from_stage,
            "to_stage": s.to_stage,
            "on": s.on,
            "note": s.note,
            "recorded_by": _who(s.recorded_by),
            "recorded_at": s.recorded_at,
        }
        for s in StageChange.objects.of(p).select_related("recorded_by")
    ]


def _milestone_rows(p: Participant) -> list[dict]:
    return [
        {
            "id": m.pk,
            "category": m.category,
            "on": m.on,
            "note": m.note,
            "shared_with_participant": m.shared_with_participant,
            "recorded_by": _who(m.recorded_by),
            "recorded_at": m.recorded_at,
        }
        for m in Milestone.objects.of(p).select_related("recorded_by")
    ]


def _goal_rows(p: Participant) -> list[dict]:
    return [
        {
            "id": g.pk,
            "text": g.text,
            "started_on": g.started_on,
            "target_on": g.target_on,
            "status": g.status,
            "shared_with_participant": g.shared_with_participant,
            "next_review_on": g.next_review_on,
            "recorded_by": _who(g.recorded_by),
            "recorded_at": g.recorded_at,
        }
        for g in Goal.objects.of(p).select_related("recorded_by").order_by("pk")
    ]


def _goal_review_rows(p: Participant) -> list[dict]:
    return [
        {
            "id": r.pk,
            "goal_id": r.goal_id,
            "on": r.on,
            "note": r.note,
            "recorded_by": _who(r.recorded_by),
            "recorded_at": r.recorded_at,
        }
        for r in GoalReview.objects.of(p).select_related("recorded_by").order_by("pk")
    ]


def _note_rows(p: Participant) -> list[dict]:
    return [
        {
            "id": n.pk,
            "on": n.on,
            "kind": n.kind,
            "text": n.text,
            "author": _who(n.author),
            "written_at": n.written_at,
            "corrected_by": _who(n.corrected_by),
            "corrected_at": n.corrected_at,
        }
        for n in SupportNote.objects.of(p).select_related("author", "corrected_by").order_by("pk")
    ]


def _note_version_rows(p: Participant) -> list[dict]:
    return [
        {
            "id": v.pk,
            "note_id": v.note_id,
            "on": v.on,
            "kind": v.kind,
            "text": v.text,
            "written_by": _who(v.written_by),
            "written_at": v.written_at,
            "replaced_by": _who(v.replaced_by),
            "replaced_at": v.replaced_at,
            "reason": v.reason,
        }
        for v in SupportNoteVersion.objects.of(p)
        .select_related("written_by", "replaced_by")
        .order_by("pk")
    ]


def _progress_log_rows(p: Participant) -> list[dict]:
    # Only this person's own logs: a unit shared with someone else shows nothing of them.
    return [
        {
            "id": log.pk,
            "order": log.unit.order.title,
            "unit_number": log.unit.number,
            "quantity": log.quantity,
            "minutes": log.minutes,
            "place": log.place,
            "note": log.note,
            "photo": log.photo.name,
            "created_at": log.created_at,
        }
        for log in ProgressLog.objects.filter(participant=p)
        .select_related("unit__order")
        .order_by("pk")
    ]


def _unit_rows(p: Participant) -> list[dict]:
    return [
        {
            "id": unit.pk,
            "order": unit.order.title,
            "number": unit.number,
            "quantity": unit.quantity,
            "status": unit.status,
            "claimed_at": unit.claimed_at,
            "expires_at": unit.expires_at,
        }
        for unit in WorkUnit.objects.filter(holder=p).select_related("order").order_by("pk")
    ]


def _invitation_rows(p: Participant) -> list[dict]:
    # Never the token hash: it is a credential, not information about the person.
    return [
        {
            "id": i.pk,
            "email": i.email,
            "created_at": i.created_at,
            "expires_at": i.expires_at,
            "used_at": i.used_at,
            "revoked_at": i.revoked_at,
        }
        for i in Invitation.objects.filter(participant=p).order_by("pk")
    ]


def _introduction_rows(p: Participant) -> list[dict]:
    # What the coordinator wrote when introducing them; the coordinator is named as others
    # see them, like staff.
    return [
        {
            "id": i.pk,
            "network": i.network.name,
            "introduced_by": _who(i.by),
            "nickname": i.nickname,
            "contact_by": i.contact_by,
            "hopes": i.hopes,
            "agreed_on": i.agreed_on,
            "state": i.state,
            "answered_at": i.answered_at,
            "created_at": i.created_at,
        }
        for i in Introduction.objects.filter(participant=p)
        .select_related("network", "by")
        .order_by("pk")
    ]


def _audit_rows(p: Participant) -> list[dict]:
    return [
        {
            "id": row.pk,
            "at": row.at,
            "who": _who(row.actor) if row.actor_id else row.actor_label,
            "action": row.action,
            "record_type": row.record_type,
            "record_id": row.record_id,
            "summary": row.summary,
        }
        for row in AuditLog.objects.filter(workshop=p.workshop_id, participant_id=p.pk)
        .select_related("actor")
        .order_by("at", "pk")
    ]


def _check_in_rows(p: Participant) -> list[dict]:
    from participants.attendance_models import Attendance

    return [
        {
            "id": a.pk,
            "kind": a.kind,
            "place": a.place,
            "at": a.at,
            "staff_reply": a.staff_reply,
            "replied_by": _who(a.replied_by),
            "replied_at": a.replied_at,
        }
        for a in Attendance.objects.filter(participant=p)
        .select_related("replied_by")
        .order_by("pk")
    ]


def _suggestion_rows(p: Participant) -> list[dict]:
    from jobs.models import Suggestion

    return [
        {
            "id": s.pk,
            "order": s.unit.order.title,
            "unit_number": s.unit.number,
            "status": s.status,
            "suggested_by": _who(s.suggested_by),
        }
        for s in Suggestion.objects.filter(participant=p)
        .select_related("unit__order", "suggested_by")
        .order_by("pk")
    ]


def _skill_rows(p: Participant) -> list[dict]:
    from jobs.models import SkillTraining

    return [
        {"skill": t.skill_tag, "marked_by": _who(t.marked_by), "marked_at": t.marked_at}
        for t in SkillTraining.objects.filter(participant=p)
        .select_related("marked_by")
        .order_by("pk")
    ]


def _opening_proposal_rows(p: Participant) -> list[dict]:
    from companies.models import OpeningProposal

    # What was proposed and what the person agreed to share with the company.
    return [
        {
            "id": o.pk,
            "opening": o.opening.title,
            "status": o.status,
            "proposed_at": o.proposed_at,
            "shared_name": o.shared_name,
            "shared_work_kinds": o.shared_work_kinds,
            "shared_hours_per_week": o.shared_hours_per_week,
            "shared_introduction": o.shared_introduction,
            "agreed_at": o.agreed_at,
            "sent_at": o.sent_at,
        }
        for o in OpeningProposal.objects.filter(participant=p)
        .select_related("opening")
        .order_by("pk")
    ]


def _daily_report_rows(p: Participant) -> list[dict]:
    return [
        {
            "id": r.pk,
            "day": r.day,
            "line": r.line,
            "confirmed_at": r.confirmed_at,
            "confirmed_by": _who(r.confirmed_by),
            "staff_note": r.staff_note,
            "snapshot": r.snapshot,
        }
        for r in DailyReport.objects.filter(participant=p)
        .select_related("confirmed_by")
        .order_by("pk")
    ]


def _daily_report_note_rows(p: Participant) -> list[dict]:
    return [
        {
            "id": n.pk,
            "report": n.report_id,
            "text": n.text,
            "written_by": _who(n.written_by),
            "written_at": n.written_at,
        }
        for n in DailyReportNote.objects.filter(report__participant=p)
        .select_related("written_by")
        .order_by("pk")
    ]


def _mood_rows(p: Participant) -> list[dict]:
    return [
        {"id": m.pk, "day": m.day, "mood": m.mood, "recorded_at": m.recorded_at}
        for m in DailyMood.objects.filter(participant=p).order_by("pk")
    ]


def _contact_rows(p: Participant) -> list[dict]:
    return [
        {"id": c.pk, "method": c.method, "at": c.at, "by": _who(c.by), "line": c.line}
        for c in Contact.objects.filter(participant=p).select_related("by").order_by("pk")
    ]


def _weekly_evaluation_rows(p: Participant) -> list[dict]:
    return [
        {
            "id": e.pk,
            "week_start": e.week_start,
            "went_well": e.went_well,
            "try_next": e.try_next,
            "pace": e.pace,
            "numbers": e.numbers,
            "shared_with_participant": e.shared_with_participant,
            "written_by": _who(e.written_by),
            "written_at": e.written_at,
        }
        for e in WeeklyEvaluation.objects.filter(participant=p)
        .select_related("written_by")
        .order_by("pk")
    ]


# One table per kind of data held about a person. A new kind of record about participants
# (wage statements, say) adds its table here, so a disclosure never misses it.
EXPORT_TABLES: list[tuple[str, Callable[[Participant], list[dict]]]] = [
    ("participant", _participant_rows),
    ("account", _account_rows),
    ("consents", _consent_rows),
    ("stage_changes", _stage_change_rows),
    ("milestones", _milestone_rows),
    ("goals", _goal_rows),
    ("goal_reviews", _goal_review_rows),
    ("support_notes", _note_rows),
    ("support_note_versions", _note_version_rows),
    ("progress_logs", _progress_log_rows),
    ("units_held", _unit_rows),
    ("invitations", _invitation_rows),
    ("check_ins", _check_in_rows),
    ("suggestions", _suggestion_rows),
    ("skills", _skill_rows),
    ("opening_proposals", _opening_proposal_rows),
    ("daily_reports", _daily_report_rows),
    ("daily_report_notes", _daily_report_note_rows),
    ("moods", _mood_rows),
    ("contacts", _contact_rows),
    ("weekly_evaluations", _weekly_evaluation_rows),
    ("introductions", _introduction_rows),
    ("audit_log", _audit_rows),
]


def _csv(rows: list[dict]) -> bytes:
    if not rows:
        return csv_text([]).encode("utf-8")
    header = list(rows[0])
    return csv_text([header, *([row[key] for key in header] for row in rows)]).encode("utf-8")


@transaction.atomic
def export_participant(*, participant: Participant, exported_by: User) -> bytes:
    """A ZIP of everything held about one participant: `everything.json` and one CSV per
    table, plus their progress photos. The export itself is written to the audit log first,
    so the export contains its own record."""
    audit(
        actor=exported_by,
        action=AuditLog.Action.EXPORT,
        participant=participant,
        records=[participant],
        summary="full export for a disclosure request",
    )
    participant = Participant.objects.select_related("workshop", "user").get(pk=participant.pk)
    tables = {name: rows(participant) for name, rows in EXPORT_TABLES}
    everything = {"exported_at": timezone.now(), **tables}
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "everything.json",
            json.dumps(everything, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2),
        )
        for name, rows in tables.items():
            archive.writestr(f"csv/{name}.csv", _csv(rows))
        for log in tables["progress_logs"]:
            if log["photo"]:
                _add_file(
                    archive, log["photo"], f"photos/{log['id']}-{log['photo'].split('/')[-1]}"
                )
    return buffer.getvalue()


def _add_file(archive: zipfile.ZipFile, name: str, arcname: str) -> None:
    if default_storage.exists(name):
        with default_storage.open(name) as stored:
            archive.writestr(arcname, stored.read())
