"""The home-work day (docs/homework.md): supported home work asks a workshop for contact twice a
day, a daily report (日報) and an evaluation at least once a week, with the records kept.

- The daily report is built from what was recorded (check-ins with staff's replies, progress
  logs, contacts), never typed twice. The participant may add a line and tap a mood; staff
  confirm it with one tap, which freezes the day into the report's snapshot. A confirmed report
  never changes: later words are added notes.
- The mood is 要配慮個人情報: kept only with a standing consent, every read by staff and every
  write audited, purged and exported with the support notes (participants/privacy.py).
- Today's contacts: who is expected today, who started and finished, replies, reports waiting.
- The weekly evaluation, prefilled with the week's numbers, due on the staff home when missing.

Days are local days in the site's time zone (Asia/Tokyo)."""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Count, Exists, OuterRef, Q, Sum
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from jobs.models import ProgressLog
from participants import attendance
from participants.attendance_models import Attendance
from participants.homework_models import (
    Contact,
    DailyMood,
    DailyReport,
    DailyReportNote,
    Mood,
    Pace,
    WeeklyEvaluation,
)
from participants.models import Participant
from participants.pathway import Action, audit, standing_consent
from workshop.models import User, Workshop
from workshop.rules import RuleError

MAX_LINE = 300
MAX_NOTE = 500


class HomeworkError(RuleError):
    """A rule of the home-work day was not met. Codes: confirmed (a confirmed report does not
    change), consent_required (no mood without consent), invalid, future, empty, not_found."""


# --- days in the local time zone ------------------------------------------------------------


def day_bounds(day: datetime.date) -> tuple[datetime.datetime, datetime.datetime]:
    """The local day as [start, end) aware datetimes."""
    start = timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))
    end = timezone.make_aware(
        datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time.min)
    )
    return start, end


def week_start_of(day: datetime.date) -> datetime.date:
    return day - datetime.timedelta(days=day.weekday())


def _not_in_future(day: datetime.date) -> None:
    if day > timezone.localdate():
        raise HomeworkError(_("That day has not come yet."), code="future")


# --- the day, built from what was recorded --------------------------------------------------


@dataclass
class BuiltDay:
    """What the records say about one participant's day. `as_dict()` is what a confirmed
    report keeps; `from_dict()` reads it back."""

    day: datetime.date
    check_ins: list[dict] = field(default_factory=list)
    work: list[dict] = field(default_factory=list)
    contacts: list[dict] = field(default_factory=list)
    minutes: int = 0
    quantity: int = 0
    photos: int = 0
    places: list[str] = field(default_factory=list)

    @property
    def started(self) -> bool:
        return any(c["kind"] == Attendance.Kind.START for c in self.check_ins)

    @property
    def ended(self) -> bool:
        return any(c["kind"] == Attendance.Kind.END for c in self.check_ins)

    @property
    def is_empty(self) -> bool:
        return not (self.check_ins or self.work or self.contacts)

    def as_dict(self) -> dict:
        return {
            "day": self.day.isoformat(),
            "check_ins": self.check_ins,
            "work": self.work,
            "contacts": self.contacts,
            "minutes": self.minutes,
            "quantity": self.quantity,
            "photos": self.photos,
            "places": self.places,
        }

    @classmethod
    def from_dict(cls, data: dict) -> "BuiltDay":
        return cls(
            day=datetime.date.fromisoformat(data["day"]),
            check_ins=data.get("check_ins", []),
            work=data.get("work", []),
            contacts=data.get("contacts", []),
            minutes=data.get("minutes", 0),
            quantity=data.get("quantity", 0),
            photos=data.get("photos", 0),
            places=data.get("places", []),
        )


def _name(user: User | None) -> str:
    if user is None:
        return ""
    return user.display_name or user.username


def _hhmm(moment: datetime.datetime) -> str:
    return timezone.localtime(moment).strftime("%H:%M")


def day_in_address(text: str) -> datetime.date:
    """The day a report's address names (YYYY-MM-DD): one already begun, in Asia/Tokyo. Any
    other text, or a day still to come, is no page (404), for the phone and the API alike."""
    try:
        day = datetime.date.fromisoformat(text)
    except ValueError:
        raise Http404 from None
    if day > timezone.localdate():
        raise Http404
    return day


def build_day(participant: Participant, day: datetime.date) -> BuiltDay:
    """The day from the records: check-ins (by their local day), progress logs made during the
    local day (a log at 23:50 and one at 00:10 belong to two days), and contacts. Three queries."""
    start, end = day_bounds(day)
    built = BuiltDay(day=day)
    places: set[str] = set()
    for check in (
        Attendance.objects.filter(participant=participant, day=day)
        .select_related("replied_by")
        .order_by("at", "pk")
    ):
        places.add(check.place)
        built.check_ins.append(
            {
                "kind": check.kind,
                "place": check.place,
                "time": _hhmm(check.at),
                "reply": check.staff_reply,
                "replied_by": _name(check.replied_by) if check.staff_reply else "",
            }
        )
    lines: dict[tuple[int, str], dict] = {}
    for log in (
        ProgressLog.objects.filter(
            participant=participant, created_at__gte=start, created_at__lt=end
        )
        .select_related("unit__order")
        .order_by("created_at", "pk")
    ):
        order = log.unit.order
        line = lines.setdefault(
            (order.pk, log.place),
            {
                "title": order.title,
                "unit_label": order.unit_label,
                "place": log.place,
                "quantity": 0,
                "minutes": 0,
                "photos": 0,
            },
        )
        line["quantity"] += log.quantity
        line["minutes"] += log.minutes
        line["photos"] += 1 if log.photo else 0
        places.add(log.place)
        built.minutes += log.minutes
        built.quantity += log.quantity
        built.photos += 1 if log.photo else 0
    built.work = list(lines.values())
    for contact in (
        Contact.objects.filter(participant=participant, day=day)
        .select_related("by")
        .order_by("at", "pk")
    ):
        built.contacts.append(
            {
                "method": contact.method,
                "time": _hhmm(contact.at),
                "by": _name(contact.by),
                "line": contact.line,
            }
        )
    built.places = sorted(places)
    return built


@dataclass
class DayReport:
    """A report as a page or the API shows it: the row (None until someone wrote or confirmed
    anything), the day (frozen when confirmed, else built now), the mood and the added notes."""

    participant: Participant
    day: datetime.date
    report: DailyReport | None
    built: BuiltDay
    mood: str = ""
    notes: list[DailyReportNote] = field(default_factory=list)

    @property
    def line(self) -> str:
        return self.report.line if self.report else ""

    @property
    def is_confirmed(self) -> bool:
        return self.report is not None and self.report.is_confirmed

    @property
    def mood_label(self) -> str:
        return Mood(self.mood).label if self.mood else ""


def _mood_of(participant: Participant, day: datetime.date) -> DailyMood | None:
    return DailyMood.objects.of(participant).filter(day=day).first()


def day_report(*, participant: Participant, day: datetime.date, reader: User) -> DayReport:
    """The report of one day. Staff reading a mood is audited; the participant reading their
    own is not (the audit log traces who else read a person's records, docs/privacy.md)."""
    report = DailyReport.objects.filter(participant=participant, day=day).first()
    if report is not None and report.is_confirmed:
        built = BuiltDay.from_dict(report.snapshot)
    else:
        built = build_day(participant, day)
    mood = _mood_of(participant, day)
    if mood is not None and participant.user_id != reader.pk:
        audit(actor=reader, action=Action.READ, participant=participant, records=[mood])
    notes = list(report.notes.select_related("written_by")) if report else []
    return DayReport(
        participant=participant,
        day=day,
        report=report,
        built=built,
        mood=mood.mood if mood else "",
        notes=notes,
    )


def recent_days(participant: Participant, *, today: datetime.date, days: int = 7) -> list[dict]:
    """The last `days` days that have anything recorded, newest first, for lists of reports.
    Two queries."""
    since = today - datetime.timedelta(days=days - 1)
    start, _end = day_bounds(since)
    active: set[datetime.date] = set(
        Attendance.objects.filter(participant=participant, day__gte=since).values_list(
            "day", flat=True
        )
    )
    for moment in ProgressLog.objects.filter(
        participant=participant, created_at__gte=start
    ).values_list("created_at", flat=True):
        active.add(timezone.localdate(moment))
    reports = {
        r.day: r for r in DailyReport.objects.filter(participant=participant, day__gte=since)
    }
    active |= set(reports)
    return [
        {"day": day, "report": reports.get(day)}
        for day in sorted((d for d in active if d <= today), reverse=True)
    ]


# --- what the participant adds ---------------------------------------------------------------


def _confirmed_refusal() -> HomeworkError:
    return HomeworkError(
        _("This day's report has been confirmed, so it stays as it is."), code="confirmed"
    )


@transaction.atomic
def write_line(*, participant: Participant, day: datetime.date, line: str) -> DailyReport:
    """The participant's own "how the day went". Never required; an empty line clears it."""
    _not_in_future(day)
    line = line.strip()
    if len(line) > MAX_LINE:
        raise HomeworkError(
            _("Please keep it under %(max)s characters.") % {"max": MAX_LINE}, code="invalid"
        )
    report, _created = DailyReport.objects.select_for_update().get_or_create(
        participant=participant, day=day
    )
    if report.is_confirmed:
        raise _confirmed_refusal()
    report.line = line
    report.line_at = timezone.now() if line else None
    report.save(update_fields=["line", "line_at"])
    return report


@transaction.atomic
def set_mood(*, participant: Participant, day: datetime.date, mood: str, by: User) -> str:
    """Tap a mood for the day (or "" to take it away). Kept only with a standing consent;
    refused with code consent_required otherwise. Every write is audited."""
    _not_in_future(day)
    if mood and mood not in Mood.values:
        raise HomeworkError(_("Please choose one."), code="invalid")
    if standing_consent(participant) is None:
        raise HomeworkError(
            _("The mood can be kept once you have agreed to it with staff."),
            code="consent_required",
        )
    if (
        DailyReport.objects.filter(participant=participant, day=day)
        .exclude(confirmed_at=None)
        .exists()
    ):
        raise _confirmed_refusal()
    current = _mood_of(participant, day)
    if not mood:
        if current is not None:
            audit(actor=by, action=Action.DELETE, participant=participant, records=[current])
            DailyMood.objects.filter(pk=current.pk).delete()
        return ""
    if current is None:
        current = DailyMood.objects.create(participant=participant, day=day, mood=mood)
        audit(actor=by, action=Action.CREATE, participant=participant, records=[current])
    elif current.mood != mood:
        DailyMood.objects.filter(pk=current.pk).update(mood=mood, recorded_at=timezone.now())
        audit(actor=by, action=Action.UPDATE, participant=participant, records=[current])
    return mood


def mood_allowed(participant: Participant) -> bool:
    return standing_consent(participant) is not None


# --- what staff do with a report ---------------------------------------------------------------


@transaction.atomic
def confirm_report(
    *, participant: Participant, day: datetime.date, by: User, note: str = ""
) -> DailyReport:
    """One tap: the day as recorded now is kept in the report, with an optional note. A second
    confirmation is refused (code confirmed); corrections are added notes."""
    _not_in_future(day)
    note = note.strip()
    if len(note) > MAX_NOTE:
        raise HomeworkError(
            _("Please keep the note under %(max)s characters.") % {"max": MAX_NOTE},
            code="invalid",
        )
    report, _created = DailyReport.objects.select_for_update().get_or_create(
        participant=participant, day=day
    )
    if report.is_confirmed:
        raise HomeworkError(_("This day's report has already been confirmed."), code="confirmed")
    report.snapshot = build_day(participant, day).as_dict()
    report.confirmed_at = timezone.now()
    report.confirmed_by = by
    report.staff_note = note
    report.save(update_fields=["snapshot", "confirmed_at", "confirmed_by", "staff_note"])
    return report


def add_report_note(*, report: DailyReport, text: str, by: User) -> DailyReportNote:
    """A correction or a later word on a report, added beside it; the report stays as it was."""
    text = text.strip()
    if not text:
        raise HomeworkError(_("Write a short note."), code="empty")
    if len(text) > MAX_NOTE:
        raise HomeworkError(
            _("Please keep the note under %(max)s characters.") % {"max": MAX_NOTE},
            code="invalid",
        )
    return DailyReportNote.objects.create(report=report, text=text, written_by=by)


# --- contacts outside Engawa -------------------------------------------------------------------


def record_contact(
    *,
    participant: Participant,
    by: User,
    line: str = "",
    method: str = Contact.Method.PHONE,
    at: datetime.datetime | None = None,
) -> Contact:
    """A phone call (or visit) made outside Engawa: time, by whom, a line. Two taps."""
    at = at or timezone.now()
    if at > timezone.now() + datetime.timedelta(minutes=5):
        raise HomeworkError(_("That time has not come yet."), code="future")
    if method not in Contact.Method.values:
        raise HomeworkError(_("Please choose how."), code="invalid")
    line = line.strip()
    if len(line) > MAX_LINE:
        raise HomeworkError(
            _("Please keep it under %(max)s characters.") % {"max": MAX_LINE}, code="invalid"
        )
    return Contact.objects.create(
        participant=participant, by=by, line=line, method=method, at=at, day=timezone.localdate(at)
    )


# Kind phrases staff pick from when replying to several check-ins at once.
KIND_PHRASES = [
    "おはようございます。今日も無理せず、自分のペースでどうぞ。",
    "おつかれさまでした。ゆっくり休んでくださいね。",
    "ありがとうございます。何かあればいつでも声をかけてください。",
]


def reply_to_many(*, check_ins: list[Attendance], by: User, text: str) -> int:
    """The same kind reply to several check-ins (those not yet answered). Returns how many."""
    replied = 0
    for check in check_ins:
        if check.staff_reply:
            continue
        attendance.reply_to_check_in(attendance=check, by=by, text=text)
        replied += 1
    return replied


# --- today's contacts ----------------------------------------------------------------------------


@dataclass
class ContactRow:
    participant: Participant
    expected: bool
    starts: list[Attendance] = field(default_factory=list)
    ends: list[Attendance] = field(default_factory=list)
    contacts: list[Contact] = field(default_factory=list)
    report: DailyReport | None = None
    needs_call: bool = False

    @property
    def started(self) -> bool:
        return bool(self.starts)

    @property
    def ended(self) -> bool:
        return bool(self.ends)

    @property
    def check_ins(self) -> list[Attendance]:
        return sorted(self.starts + self.ends, key=lambda c: (c.at, c.pk))

    @property
    def waiting_replies(self) -> list[Attendance]:
        return [c for c in self.check_ins if not c.staff_reply]

    @property
    def contact_count(self) -> int:
        """Contacts today: check-ins that staff answered and contacts made outside Engawa."""
        return sum(1 for c in self.check_ins if c.staff_reply) + len(self.contacts)

    @property
    def report_waiting(self) -> bool:
        return (self.started or self.ended) and not (self.report and self.report.is_confirmed)


def todays_contacts(
    *, workshop: Workshop, reader: User, now: datetime.datetime | None = None
) -> list[ContactRow]:
    """Everyone expected today (active participants whose usual days include today) and anyone
    who checked in, with their check-ins, contacts and report. A person who started and has not
    finished by the workshop's closing time is marked, gently, for a call. Four queries."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    weekday = today.weekday()
    people = Participant.objects.visible_to(reader).filter(workshop=workshop)
    checked = Attendance.objects.filter(participant__workshop=workshop, day=today)
    candidates = (
        people.exclude(status=Participant.Status.ENDED)
        .filter(
            Q(status=Participant.Status.ACTIVE)
            | Q(Exists(checked.filter(participant=OuterRef("pk"))))
        )
        .order_by("nickname", "pk")
    )
    rows: dict[int, ContactRow] = {}
    check_ins = list(
        Attendance.objects.visible_to(reader)
        .filter(participant__workshop=workshop, day=today)
        .select_related("replied_by")
        .order_by("at", "pk")
    )
    checked_ids = {c.participant_id for c in check_ins}
    for participant in candidates:
        expected = weekday in (participant.usual_days or [])
        if expected or participant.pk in checked_ids:
            rows[participant.pk] = ContactRow(participant=participant, expected=expected)
    for check in check_ins:
        row = rows.get(check.participant_id)
        if row is not None:
            (row.starts if check.kind == Attendance.Kind.START else row.ends).append(check)
    for contact in (
        Contact.objects.filter(participant_id__in=rows, day=today)
        .select_related("by")
        .order_by("at", "pk")
    ):
        rows[contact.participant_id].contacts.append(contact)
    for report in DailyReport.objects.filter(participant_id__in=rows, day=today):
        rows[report.participant_id].report = report
    closing = timezone.make_aware(datetime.datetime.combine(today, workshop.closes_at))
    for row in rows.values():
        row.needs_call = row.started and not row.ended and not row.contacts and now >= closing
    return list(rows.values())


def reports_waiting(workshop: Workshop, reader: User, *, today: datetime.date, days: int = 7):
    """Days in the last week with a check-in and no confirmed report, oldest first: (participant,
    day) pairs for the staff home. One query."""
    since = today - datetime.timedelta(days=days)
    confirmed = DailyReport.objects.filter(
        participant=OuterRef("participant"), day=OuterRef("day"), confirmed_at__isnull=False
    )
    return (
        Attendance.objects.visible_to(reader)
        .filter(participant__workshop=workshop, day__gte=since, day__lte=today)
        .exclude(Exists(confirmed))
        .values("participant", "participant__nickname", "day")
        .distinct()
        .order_by("day", "participant__nickname")
    )


# --- the weekly evaluation -----------------------------------------------------------------------


def week_numbers(participant: Participant, week_start: datetime.date) -> dict:
    """The week's numbers, to prefill the evaluation: days worked at home and on site, minutes,
    quantity, check-ins answered, contacts, reports confirmed. Plain counts, never compared."""
    week_end = week_start + datetime.timedelta(days=7)
    start, _e = day_bounds(week_start)
    end, _e = day_bounds(week_end)
    logs = ProgressLog.objects.filter(
        participant=participant, created_at__gte=start, created_at__lt=end
    )
    totals = logs.aggregate(minutes=Sum("minutes"), quantity=Sum("quantity"))
    home_days: set[datetime.date] = set()
    site_days: set[datetime.date] = set()
    for moment, place in logs.values_list("created_at", "place"):
        (home_days if place == "home" else site_days).add(timezone.localdate(moment))
    checks = Attendance.objects.filter(
        participant=participant, day__gte=week_start, day__lt=week_end
    )
    for day, place in checks.values_list("day", "place"):
        (home_days if place == Attendance.Place.HOME else site_days).add(day)
    return {
        "days_at_home": len(home_days),
        "days_on_site": len(site_days),
        "minutes": totals["minutes"] or 0,
        "quantity": totals["quantity"] or 0,
        "replies": checks.exclude(staff_reply="").count(),
        "contacts": Contact.objects.filter(
            participant=participant, day__gte=week_start, day__lt=week_end
        ).count(),
        "reports_confirmed": DailyReport.objects.filter(
            participant=participant, day__gte=week_start, day__lt=week_end
        )
        .exclude(confirmed_at=None)
        .count(),
    }


def evaluations_due(workshop: Workshop, reader: User, *, today: datetime.date):
    """Home workers of the workshop with no evaluation of last week (the week before this
    Monday) although they worked or checked in that week. One query."""
    last_week = week_start_of(today) - datetime.timedelta(days=7)
    start, _e = day_bounds(last_week)
    end, _e = day_bounds(last_week + datetime.timedelta(days=7))
    worked = Attendance.objects.filter(
        participant=OuterRef("pk"),
        day__gte=last_week,
        day__lt=last_week + datetime.timedelta(days=7),
    )
    logged = ProgressLog.objects.filter(
        participant=OuterRef("pk"), created_at__gte=start, created_at__lt=end
    )
    done = WeeklyEvaluation.objects.filter(participant=OuterRef("pk"), week_start=last_week)
    return (
        Participant.objects.visible_to(reader)
        .filter(workshop=workshop, works_from_home=True)
        .exclude(status=Participant.Status.ENDED)
        .filter(Exists(worked) | Exists(logged))
        .exclude(Exists(done))
        .order_by("nickname", "pk")
    ), last_week


@transaction.atomic
def write_evaluation(
    *,
    participant: Participant,
    week_start: datetime.date,
    went_well: str,
    try_next: str,
    pace: str,
    shared: bool,
    by: User,
) -> WeeklyEvaluation:
    """Write (or rewrite, by the staff who keep it) the evaluation of a week. The week's numbers
    are taken as they are now. Audited like the other support records."""
    if week_start.weekday() != 0:
        raise HomeworkError(_("A week starts on a Monday."), code="invalid")
    _not_in_future(week_start)
    if pace not in Pace.values:
        raise HomeworkError(_("Please choose how the pace felt."), code="invalid")
    went_well, try_next = went_well.strip(), try_next.strip()
    values = {
        "went_well": went_well,
        "try_next": try_next,
        "pace": pace,
        "shared_with_participant": shared,
        "numbers": week_numbers(participant, week_start),
        "written_by": by,
        "written_at": timezone.now(),
    }
    evaluation, created = WeeklyEvaluation.objects.select_for_update().update_or_create(
        participant=participant, week_start=week_start, defaults=values
    )
    audit(
        actor=by,
        action=Action.CREATE if created else Action.UPDATE,
        participant=participant,
        records=[evaluation],
    )
    return evaluation


def evaluations_for(*, participant: Participant, reader: User, limit: int = 12) -> list:
    """Staff read a participant's evaluations (audited); the participant reads only the shared
    ones (not audited: their own record)."""
    if participant.user_id == reader.pk:
        return list(WeeklyEvaluation.objects.shared_with_owner(reader).of(participant)[:limit])
    evaluations = list(
        WeeklyEvaluation.objects.visible_to(reader)
        .of(participant)
        .select_related("written_by")[:limit]
    )
    audit(actor=reader, action=Action.READ, participant=participant, records=evaluations)
    return evaluations


# --- the month, for an audit of the workshop ---------------------------------------------------


@dataclass
class MonthRow:
    participant: Participant
    days_at_home: int = 0
    days_on_site: int = 0
    minutes: int = 0
    contacts: int = 0
    reports_confirmed: int = 0
    evaluations: int = 0

    @property
    def hours(self) -> str:
        return f"{self.minutes // 60}:{self.minutes % 60:02d}"


def month_record(*, workshop: Workshop, reader: User, month: datetime.date) -> list[MonthRow]:
    """Per participant for the month: days at home and on site, hours, contacts made (answered
    check-ins and contacts outside Engawa), reports confirmed, evaluations written. A fixed
    number of queries however many people."""
    first = month.replace(day=1)
    following = (first + datetime.timedelta(days=32)).replace(day=1)
    start, _e = day_bounds(first)
    end, _e = day_bounds(following)
    people = list(
        Participant.objects.visible_to(reader).filter(workshop=workshop).order_by("nickname", "pk")
    )
    rows = {p.pk: MonthRow(participant=p) for p in people}
    days: dict[tuple[int, str], set] = defaultdict(set)
    for pid, moment, place, minutes in ProgressLog.objects.filter(
        participant_id__in=rows, created_at__gte=start, created_at__lt=end
    ).values_list("participant_id", "created_at", "place", "minutes"):
        days[(pid, "home" if place == "home" else "on_site")].add(timezone.localdate(moment))
        rows[pid].minutes += minutes
    for pid, day, place, replied in Attendance.objects.filter(
        participant_id__in=rows, day__gte=first, day__lt=following
    ).values_list("participant_id", "day", "place", "staff_reply"):
        days[(pid, place)].add(day)
        if replied:
            rows[pid].contacts += 1
    for item in (
        Contact.objects.filter(participant_id__in=rows, day__gte=first, day__lt=following)
        .values("participant_id")
        .annotate(n=Count("pk"))
    ):
        rows[item["participant_id"]].contacts += item["n"]
    for item in (
        DailyReport.objects.filter(
            participant_id__in=rows, day__gte=first, day__lt=following, confirmed_at__isnull=False
        )
        .values("participant_id")
        .annotate(n=Count("pk"))
    ):
        rows[item["participant_id"]].reports_confirmed = item["n"]
    for item in (
        WeeklyEvaluation.objects.filter(
            participant_id__in=rows, week_start__gte=first, week_start__lt=following
        )
        .values("participant_id")
        .annotate(n=Count("pk"))
    ):
        rows[item["participant_id"]].evaluations = item["n"]
    for (pid, place), seen in days.items():
        if place == "home":
            rows[pid].days_at_home = len(seen)
        else:
            rows[pid].days_on_site = len(seen)
    return [
        row
        for row in rows.values()
        if row.minutes
        or row.contacts
        or row.days_at_home
        or row.days_on_site
        or row.reports_confirmed
    ]


# Lists on the staff home are cut at this length; the contacts page has everyone.
HOME_SHOWN = 20


def for_staff_home(workshop: Workshop, reader: User, *, today: datetime.date) -> dict:
    """What the staff home shows of the home-work day: weekly evaluations due (last week's, for
    people who worked then) and daily reports waiting to be confirmed. Two queries."""
    due, last_week = evaluations_due(workshop, reader, today=today)
    return {
        "evaluations_due": list(due[:HOME_SHOWN]),
        "evaluation_week": last_week,
        "reports_waiting": list(reports_waiting(workshop, reader, today=today)[:HOME_SHOWN]),
    }
