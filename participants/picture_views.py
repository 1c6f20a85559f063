"""The workshop's picture at /w/<workshop>/picture/: each table of participants/picture.py with
a plain SVG bar chart beside it, and each table as CSV. Staff of the workshop only."""

import datetime
from dataclasses import dataclass, field

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_GET

from participants import picture
from participants.models import Stage
from workshop.models import Workshop
from workshop.spreadsheets import csv_download
from workshop.views import get_workshop_for_staff

STAGE_LABELS = dict(Stage.choices)
# Bar colours from the stylesheet's palette: wood, and the blue of notices.
SERIES_COLOURS = ("#7a4a23", "#274a6b", "#c9a47a")


@dataclass
class Bar:
    x: float
    y: float
    width: float
    height: float
    colour: str
    value: str
    text_x: float


@dataclass
class Chart:
    width: int
    height: int
    labels: list[tuple[float, str]] = field(default_factory=list)
    bars: list[Bar] = field(default_factory=list)
    summary: str = ""


@dataclass
class Table:
    key: str
    title: str
    headers: list[str]
    rows: list[list]  # plain values: str, datetime.date (a month), int, float or None
    series: list[str]  # the headers of the columns charted
    footnote: str = ""
    chart: Chart | None = None
    display_rows: list[list[str]] = field(default_factory=list)

    @property
    def legend(self) -> list[tuple[str, str]]:
        return [
            (name, SERIES_COLOURS[index % len(SERIES_COLOURS)])
            for index, name in enumerate(self.series)
        ]


def bar_chart(labels: list[str], values: list[list[float]], series: list[str]) -> Chart:
    """Horizontal bars, one group per row, one bar per series, scaled to the largest value.
    The numbers are written at the end of each bar; the table beside it is the source."""
    label_width, bar_space, bar_height, gap = 150, 260, 14, 10
    group = bar_height * len(series) + gap
    peak = max((value for row in values for value in row if value), default=0) or 1
    chart = Chart(width=label_width + bar_space + 60, height=group * len(labels) + gap)
    for index, (label, row) in enumerate(zip(labels, values, strict=True)):
        top = gap + index * group
        chart.labels.append((top + bar_height * len(series) / 2 + 4, label))
        for number, value in enumerate(row):
            width = round((value or 0) / peak * bar_space, 1)
            chart.bars.append(
                Bar(
                    x=label_width,
                    y=top + number * bar_height,
                    width=width,
                    height=bar_height - 2,
                    colour=SERIES_COLOURS[number % len(SERIES_COLOURS)],
                    value=_display(value),
                    text_x=label_width + width + 4,
                )
            )
    parts = [
        f"{label}: "
        + _(", ").join(f"{name} {_display(v)}" for name, v in zip(series, row, strict=True))
        for label, row in zip(labels, values, strict=True)
    ]
    chart.summary = _("; ").join(parts)
    return chart


def _display(value) -> str:
    if value is None:
        return "—"
    if isinstance(value, datetime.date):
        return date_format(value, "YEAR_MONTH_FORMAT")
    if isinstance(value, float):
        return f"{value:,.1f}".removesuffix(".0")
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def _csv_value(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.date):
        return value.strftime("%Y-%m")
    return str(value)


def build_tables(workshop: Workshop, today: datetime.date) -> list[Table]:
    start, end = picture.last_months(today)
    year_start = picture.fiscal_year_start(today)
    stages = picture.people_by_stage(workshop=workshop)
    moves = picture.moves_per_month(workshop=workshop, start=start, end=end)
    days = picture.days_in_stage(workshop=workshop, until=today)
    hours = picture.hours_by_place(workshop=workshop, start=start, end=end)
    reached = picture.reached_work(workshop=workshop, year_start=year_start, until=today)
    tables = [
        Table(
            "stages",
            _("People at each step now"),
            [_("Step"), pgettext("picture", "People")],
            [[STAGE_LABELS[row.stage], row.people] for row in stages],
            [pgettext("picture", "People")],
            _("Everyone whose support has not ended, including people taking a break."),
        ),
        Table(
            "moves",
            _("Moves between steps, by month"),
            [
                pgettext("picture", "Month"),
                pgettext("picture", "Forward"),
                pgettext("picture", "Back"),
                _("First step recorded"),
            ],
            [[row.month, row.forward, row.back, row.first] for row in moves],
            [pgettext("picture", "Forward"), pgettext("picture", "Back")],
            _(
                "Step changes recorded in each of the last 12 months. Forward and back follow "
                "the default order of the steps; going back or staying is fine."
            ),
        ),
        Table(
            "days",
            _("Days in each step (median)"),
            [
                _("Step"),
                pgettext("picture", "Stays"),
                pgettext("picture", "People"),
                _("Median days"),
            ],
            [[STAGE_LABELS[row.stage], row.stays, row.people, row.median_days] for row in days],
            [_("Median days")],
            _(
                "A stay begins on a recorded change into the step and ends on the person's "
                "next change; a stay going on now is counted up to today (or to the day "
                "support ended). Time before someone's first recorded change is not counted. "
                "With fewer than %(min)s people the median is not shown (—): it would be "
                "one person's own story."
            )
            % {"min": picture.MIN_PEOPLE_FOR_MEDIAN},
        ),
        Table(
            "hours",
            _("Hours worked at home and on site, by month"),
            [pgettext("picture", "Month"), _("At home (hours)"), _("On site (hours)")],
            [[row.month, row.home_hours, row.on_site_hours] for row in hours],
            [_("At home (hours)"), _("On site (hours)")],
            _("From the minutes logged with each piece of work, by where it was done."),
        ),
        Table(
            "reached",
            _("People who reached work"),
            [_("Step"), pgettext("picture", "Ever"), _("This fiscal year")],
            [[STAGE_LABELS[row.stage], row.ever, row.this_year] for row in reached],
            [pgettext("picture", "Ever"), _("This fiscal year")],
            _(
                "Counted from the first recorded change into the step (定着 counts as having "
                "reached 一般就労 too), or from being at it now when no change was recorded. "
                "The fiscal year began on %(date)s."
            )
            % {"date": date_format(year_start, "SHORT_DATE_FORMAT")},
        ),
    ]
    for table in tables:
        columns = [table.headers.index(name) for name in table.series]
        table.chart = bar_chart(
            [_display(row[0]) for row in table.rows],
            [[row[column] for column in columns] for row in table.rows],
            table.series,
        )
    return tables


@require_GET
@login_required
def picture_page(request: HttpRequest, workshop_slug: str) -> HttpResponse:
    workshop = get_workshop_for_staff(request.user, workshop_slug)
    today = timezone.localdate()
    tables = build_tables(workshop, today)
    for table in tables:
        table.display_rows = [[_display(value) for value in row] for row in table.rows]
    context = {"workshop": workshop, "tables": tables, "today": today}
    return render(request, "participants/picture.html", context)


@require_GET
@login_required
def export(request: HttpRequest, workshop_slug: str, table: str) -> HttpResponse:
    """One table as CSV, UTF-8 with a BOM so that Excel opens Japanese text correctly."""
    workshop = get_workshop_for_staff(request.user, workshop_slug)
    today = timezone.localdate()
    found = [t for t in build_tables(workshop, today) if t.key == table]
    if not found:
        raise Http404
    picture.record_export(workshop=workshop, by=request.user, table=table)
    rows = [found[0].headers, *([_csv_value(value) for value in row] for row in found[0].rows)]
    return csv_download(f"{workshop.slug}-{table}-{today:%Y%m%d}.csv", rows)
