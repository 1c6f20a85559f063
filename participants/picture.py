"""The workshop's picture: how many people are at each step, how they moved, how long steps
last, where work was done, who reached employment. Only aggregates, never a name. Each function
takes a workshop and dates and returns plain numbers, in a fixed number of queries."""

import datetime
import statistics
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count, Min, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone

from jobs.models import ProgressLog
from participants.models import Participant, Stage, StageChange
from workshop.models import AuditLog, Workshop

STAGE_ORDER = {stage: index for index, stage in enumerate(Stage.values)}
# A median of one or two people's stays is their own history, not a picture: it is left out.
MIN_PEOPLE_FOR_MEDIAN = 3
WORK_STAGES = (Stage.EMPLOYED, Stage.SETTLED)


def month_start(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def add_months(month: datetime.date, n: int) -> datetime.date:
    index = month.year * 12 + month.month - 1 + n
    return datetime.date(index // 12, index % 12 + 1, 1)


def last_months(today: datetime.date, n: int = 12) -> tuple[datetime.date, datetime.date]:
    """The first day of the month n-1 months ago, and today: the last n months, this one
    included."""
    return add_months(month_start(today), -(n - 1)), today


def months_between(start: datetime.date, end: datetime.date) -> list[datetime.date]:
    months, month = [], month_start(start)
    while month <= end:
        months.append(month)
        month = add_months(month, 1)
    return months


def fiscal_year_start(day: datetime.date) -> datetime.date:
    """Japanese welfare reports count by 年度, from April 1."""
    return datetime.date(day.year if day.month >= 4 else day.year - 1, 4, 1)


# --- people by step now --------------------------------------------------------------------


@dataclass(frozen=True)
class StageCount:
    stage: str
    people: int


def people_by_stage(*, workshop: Workshop) -> list[StageCount]:
    """Everyone whose support has not ended (active or taking a break), by their step now.
    Every step is listed, empty ones too. One query."""
    counts = dict(
        Participant.objects.filter(workshop=workshop)
        .exclude(status=Participant.Status.ENDED)
        .order_by()
        .values_list("stage")
        .annotate(n=Count("pk"))
    )
    return [StageCount(stage, counts.get(stage, 0)) for stage in Stage.values]


# --- moves between steps -------------------------------------------------------------------


@dataclass(frozen=True)
class MonthMoves:
    month: datetime.date
    forward: int
    back: int
    first: int  # a first step recorded, with no step before it

    @property
    def total(self) -> int:
        return self.forward + self.back + self.first


def moves_per_month(
    *, workshop: Workshop, start: datetime.date, end: datetime.date
) -> list[MonthMoves]:
    """Recorded step changes per month, from `start`'s month to `end` (inclusive): forward
    (to a later step in the default order), back (to an earlier one), or a first step. A
    change to the same step counts as neither. One query."""
    rows = (
        StageChange.objects.filter(
            participant__workshop=workshop, on__gte=month_start(start), on__lte=end
        )
        .annotate(month=TruncMonth("on"))
        .order_by()
        .values_list("month", "from_stage", "to_stage")
        .annotate(n=Count("pk"))
    )
    tally: dict[datetime.date, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for month, from_stage, to_stage, n in rows:
        month = month.date() if isinstance(month, datetime.datetime) else month
        if not from_stage:
            tally[month]["first"] += n
        elif STAGE_ORDER.get(to_stage, 0) > STAGE_ORDER.get(from_stage, 0):
            tally[month]["forward"] += n
        elif STAGE_ORDER.get(to_stage, 0) < STAGE_ORDER.get(from_stage, 0):
            tally[month]["back"] += n
    return [
        MonthMoves(month, tally[month]["forward"], tally[month]["back"], tally[month]["first"])
        for month in months_between(start, end)
    ]


# --- time in each step ---------------------------------------------------------------------


@dataclass(frozen=True)
class StageTime:
    stage: str
    stays: int
    people: int
    median_days: float | None  # None when fewer than MIN_PEOPLE_FOR_MEDIAN people


def days_in_stage(*, workshop: Workshop, until: datetime.date) -> list[StageTime]:
    """Median days in each step. A stay begins with a recorded change into the step and lasts
    until the participant's next recorded change; the stay someone is in now is counted up to
    `until` (or to the day their support ended). Time before a person's first recorded change
    is not counted, because nobody recorded where it began. Two queries."""
    ended = dict(
        Participant.objects.filter(workshop=workshop, status=Participant.Status.ENDED)
        .exclude(ended_on__isnull=True)
        .values_list("pk", "ended_on")
    )
    changes = (
        StageChange.objects.filter(participant__workshop=workshop, on__lte=until)
        .order_by("participant", "on", "pk")
        .values_list("participant", "on", "to_stage")
    )
    stays: dict[str, list[int]] = defaultdict(list)
    people: dict[str, set[int]] = defaultdict(set)
    previous = None
    for participant, on, to_stage in changes:
        if previous and previous[0] == participant:
            stays[previous[2]].append((on - previous[1]).days)
        elif previous:
            _close_stay(previous, until, ended, stays)
        people[to_stage].add(participant)
        previous = (participant, on, to_stage)
    if previous:
        _close_stay(previous, until, ended, stays)
    return [
        StageTime(
            stage,
            len(stays[stage]),
            len(people[stage]),
            statistics.median(stays[stage])
            if len(people[stage]) >= MIN_PEOPLE_FOR_MEDIAN
            else None,
        )
        for stage in Stage.values
    ]


def _close_stay(previous, until, ended, stays) -> None:
    participant, on, stage = previous
    end = min(until, ended.get(participant) or until)
    stays[stage].append(max(0, (end - on).days))


# --- hours worked at home and on site ------------------------------------------------------


@dataclass(frozen=True)
class MonthHours:
    month: datetime.date
    home_minutes: int
    on_site_minutes: int

    @property
    def home_hours(self) -> float:
        return round(self.home_minutes / 60, 1)

    @property
    def on_site_hours(self) -> float:
        return round(self.on_site_minutes / 60, 1)


def hours_by_place(
    *, workshop: Workshop, start: datetime.date, end: datetime.date
) -> list[MonthHours]:
    """Minutes logged per month (in the site's time zone) at home and on site. One query."""
    since = timezone.make_aware(datetime.datetime.combine(month_start(start), datetime.time()))
    before = timezone.make_aware(
        datetime.datetime.combine(end + datetime.timedelta(days=1), datetime.time())
    )
    rows = (
        ProgressLog.objects.filter(
            unit__workshop=workshop, created_at__gte=since, created_at__lt=before
        )
        .annotate(month=TruncMonth("created_at"))
        .order_by()
        .values_list("month", "place")
        .annotate(minutes=Sum("minutes"))
    )
    tally: dict[datetime.date, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for month, place, minutes in rows:
        month = timezone.localtime(month).date() if isinstance(month, datetime.datetime) else month
        tally[month_start(month)][place] += minutes or 0
    return [
        MonthHours(month, tally[month]["home"], tally[month]["on_site"])
        for month in months_between(start, end)
    ]


# --- reaching employment -------------------------------------------------------------------


@dataclass(frozen=True)
class Reached:
    stage: str
    ever: int
    this_year: int


def reached_work(
    *, workshop: Workshop, year_start: datetime.date, until: datetime.date
) -> list[Reached]:
    """People who reached 一般就労, and 定着, ever and since `year_start`. Someone reached a
    step with their first recorded change into it or a later one (定着 implies 一般就労), or, with
    no change recorded, by being at it now (counted in "ever" only: nobody knows when).
    Ended participants count too: reaching work is often why support ends. Two queries."""
    first_into: dict[tuple[int, str], datetime.date] = {}
    for participant, stage, first in (
        StageChange.objects.filter(
            participant__workshop=workshop, to_stage__in=WORK_STAGES, on__lte=until
        )
        .order_by()
        .values_list("participant", "to_stage")
        .annotate(first=Min("on"))
    ):
        first_into[(participant, stage)] = first
    now_at = dict(
        Participant.objects.filter(workshop=workshop, stage__in=WORK_STAGES).values_list(
            "pk", "stage"
        )
    )
    result = []
    for index, stage in enumerate(WORK_STAGES):
        counted = WORK_STAGES[index:]  # reaching 定着 means 一般就労 was reached too
        dates: dict[int, datetime.date | None] = {}
        for (participant, into), first in first_into.items():
            if into in counted:
                known = dates.get(participant)
                dates[participant] = min(known, first) if known else first
        for participant, current in now_at.items():
            if current in counted:
                dates.setdefault(participant, None)
        this_year = sum(1 for day in dates.values() if day and year_start <= day <= until)
        result.append(Reached(stage, len(dates), this_year))
    return result


def record_export(*, workshop: Workshop, by, table: str) -> None:
    """A table of the picture left the system as CSV: written to the audit log. The numbers
    are aggregates, but they are made from stage changes (要配慮個人情報)."""
    AuditLog.objects.create(
        actor=by,
        actor_label=str(by)[:150],
        workshop=workshop,
        action=AuditLog.Action.EXPORT,
        record_type="picture",
        summary=table,
    )
