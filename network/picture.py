"""The coordinator's picture of a network: the workshops' own picture (participants/picture.py)
added up across the network, with 工賃 from issued wage statements, orders and revenue, and
public-sector orders per fiscal year. Every table of counts goes through network/suppression.py
before anyone sees it; nothing here returns a name, a note or a single person's row."""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Sum
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from jobs.models import Order
from network import suppression
from network.models import Network
from participants import picture
from participants.models import Stage
from participants.wage_models import WageStatement
from workshop.models import Workshop

SMALL_TEXT = "<5"
HIDDEN_TEXT = "×"
# Orders that a workshop took on: revenue is what they were taken for.
TAKEN = [
    Order.Status.ACCEPTED,
    Order.Status.IN_PROGRESS,
    Order.Status.DELIVERED,
    Order.Status.ACCEPTED_BY_COMPANY,
    Order.Status.INVOICED,
]


@dataclass
class NetworkTable:
    """One table as it may be shown: headers and rows of text, the same on the page and in
    the CSV."""

    key: str
    title: str
    headers: list[str]
    rows: list[list[str]] = field(default_factory=list)
    footnote: str = ""


def workshops_of(network: Network) -> list[Workshop]:
    return list(Workshop.objects.filter(network_membership__network=network).order_by("name"))


def shown(table: suppression.Suppressed, row: int, column: int, value: int | str) -> str:
    """The text of an entry: its value, "<5" or "×"."""
    mark = table.mark(row, column)
    if mark is suppression.Mark.SMALL:
        return SMALL_TEXT
    if mark is suppression.Mark.HIDDEN:
        return HIDDEN_TEXT
    return f"{value:,}" if isinstance(value, int) else str(value)


def count_rows(labels: list[str], cells: list[list[int]], *, row_totals: bool) -> list[list[str]]:
    """A suppressed count table as rows of text, with its totals row (and column)."""
    table = suppression.suppress(cells, row_totals=row_totals, column_totals=True)
    m = len(cells[0])
    values = suppression.values_of(table)
    rows = []
    for r, label in enumerate([*labels, _("Total")]):
        width = m + 1 if row_totals else m
        rows.append([label, *(shown(table, r, c, values[(r, c)]) for c in range(width))])
    return rows


def money(table: suppression.Suppressed, row: int, yen: int, column: int = 0) -> str:
    """Yen follow the count beside them: hidden ("×", never "<5", which would read as yen)
    wherever the count is."""
    if table.hidden(row, column):
        return HIDDEN_TEXT
    return f"¥{yen:,}"


# --- the tables ------------------------------------------------------------------------------


def people_by_stage(workshops: list[Workshop]) -> NetworkTable:
    per_workshop = [picture.people_by_stage(workshop=w) for w in workshops]
    stages = dict(Stage.choices)
    cells = [[counts[i].people for counts in per_workshop] for i in range(len(Stage.values))]
    return NetworkTable(
        "stages",
        _("People at each step now"),
        [_("Step"), *(w.name for w in workshops), _("Total")],
        count_rows([str(stages[s]) for s in Stage.values], cells, row_totals=True),
        _("Everyone whose support has not ended, including people taking a break."),
    )


def moves(workshops: list[Workshop], start: datetime.date, end: datetime.date) -> NetworkTable:
    tally: dict[datetime.date, list[int]] = defaultdict(lambda: [0, 0, 0])
    for w in workshops:
        for row in picture.moves_per_month(workshop=w, start=start, end=end):
            sums = tally[row.month]
            sums[0] += row.forward
            sums[1] += row.back
            sums[2] += row.first
    months = picture.months_between(start, end)
    return NetworkTable(
        "moves",
        _("Moves between steps, by month"),
        [
            pgettext("picture", "Month"),
            pgettext("picture", "Forward"),
            pgettext("picture", "Back"),
            _("First step recorded"),
            _("Total"),
        ],
        count_rows(
            [date_format(m, "YEAR_MONTH_FORMAT") for m in months],
            [tally[m] for m in months],
            row_totals=True,
        ),
        _("Step changes recorded in the network's workshops in each of the last 12 months."),
    )


def hours(workshops: list[Workshop], start: datetime.date, end: datetime.date) -> NetworkTable:
    tally: dict[datetime.date, list[int]] = defaultdict(lambda: [0, 0])
    for w in workshops:
        for row in picture.hours_by_place(workshop=w, start=start, end=end):
            tally[row.month][0] += row.home_minutes
            tally[row.month][1] += row.on_site_minutes
    months = picture.months_between(start, end)

    def in_hours(minutes: int) -> str:
        return f"{minutes / 60:,.1f}"

    rows = [
        [date_format(m, "YEAR_MONTH_FORMAT"), in_hours(tally[m][0]), in_hours(tally[m][1])]
        for m in months
    ]
    rows.append(
        [
            _("Total"),
            in_hours(sum(tally[m][0] for m in months)),
            in_hours(sum(tally[m][1] for m in months)),
        ]
    )
    return NetworkTable(
        "hours",
        _("Hours worked at home and on site, by month"),
        [pgettext("picture", "Month"), _("At home (hours)"), _("On site (hours)")],
        rows,
        _(
            "Hours logged across the whole network, never per workshop or per person: a sum "
            "of hours tells nobody who worked them."
        ),
    )


def wages(workshops: list[Workshop], start: datetime.date, end: datetime.date) -> NetworkTable:
    """工賃 paid per month from the issued wage statements (adjustments state a difference, so
    they add up): people paid, the total, and the average per person. The yen of a month with
    fewer than 5 people are hidden with its count."""
    rows = (
        WageStatement.objects.issued()
        .filter(workshop__in=workshops, month__gte=picture.month_start(start), month__lte=end)
        .order_by()
        .values("month")
        .annotate(people=Count("participant", distinct=True), yen=Sum("total_yen"))
    )
    by_month = {row["month"]: (row["people"], row["yen"] or 0) for row in rows}
    months = picture.months_between(start, end)
    people = [[by_month.get(m, (0, 0))[0]] for m in months]
    yen = [by_month.get(m, (0, 0))[1] for m in months]
    table = suppression.suppress(people, row_totals=False, column_totals=True)
    result = []
    for r, month in enumerate([*months, None]):
        count = people[r][0] if month else sum(p[0] for p in people)
        total = yen[r] if month else sum(yen)
        average = total // count if count else 0
        result.append(
            [
                date_format(month, "YEAR_MONTH_FORMAT") if month else _("Total"),
                shown(table, r, 0, count),
                money(table, r, total),
                money(table, r, average),
            ]
        )
    return NetworkTable(
        "wages",
        _("工賃 paid, by month"),
        [
            pgettext("picture", "Month"),
            _("People paid"),
            _("工賃 paid"),
            _("Average per person"),
        ],
        result,
        _(
            "From issued wage statements (adjustments included). The average is per person "
            "paid that month, rounded down to the yen; in the total row, per person-month."
        ),
    )


def orders_by_company(workshops: list[Workshop], year_start: datetime.date) -> list[NetworkTable]:
    """Orders taken this fiscal year and their revenue, by company and kind of work. Revenue
    cells are hidden wherever the count beside them is."""
    rows = (
        Order.objects.filter(
            workshop__in=workshops, status__in=TAKEN, created_at__date__gte=year_start
        )
        .order_by()
        .values_list("company__name", "kind")
        .annotate(n=Count("pk"), yen=Sum("total_price_yen"))
    )
    kinds = list(Order.Kind.values)
    counts: dict[str, list[int]] = defaultdict(lambda: [0] * len(kinds))
    revenue: dict[str, list[int]] = defaultdict(lambda: [0] * len(kinds))
    for company, kind, n, yen in rows:
        counts[company][kinds.index(kind)] += n
        revenue[company][kinds.index(kind)] += yen or 0
    companies = sorted(counts)
    kind_labels = [str(label) for label in Order.Kind.labels]
    headers = [_("Company"), *kind_labels, _("Total")]
    note = _("Orders the network's workshops took on since the fiscal year began on %(date)s.") % {
        "date": date_format(year_start, "SHORT_DATE_FORMAT")
    }
    if not companies:
        return [
            NetworkTable("orders", _("Orders by company and kind of work"), headers, [], note),
            NetworkTable("revenue", _("Revenue by company and kind of work"), headers, [], note),
        ]
    cells = [counts[c] for c in companies]
    table = suppression.suppress(cells, row_totals=True, column_totals=True)
    money_cells = [revenue[c] for c in companies]
    money_values = suppression.values_of(
        suppression.Suppressed(
            money_cells,
            [sum(row) for row in money_cells],
            [sum(row[k] for row in money_cells) for k in range(len(kinds))],
            sum(map(sum, money_cells)),
            table.marks,
        )
    )
    count_values = suppression.values_of(table)
    labels = [*companies, _("Total")]
    order_rows, revenue_rows = [], []
    for r, label in enumerate(labels):
        order_rows.append(
            [label, *(shown(table, r, c, count_values[(r, c)]) for c in range(len(kinds) + 1))]
        )
        revenue_rows.append(
            [
                label,
                *(money(table, r, money_values[(r, c)], c) for c in range(len(kinds) + 1)),
            ]
        )
    return [
        NetworkTable("orders", _("Orders by company and kind of work"), headers, order_rows, note),
        NetworkTable(
            "revenue", _("Revenue by company and kind of work"), headers, revenue_rows, note
        ),
    ]


def public_orders(workshops: list[Workshop]) -> NetworkTable:
    """Orders from public-sector buyers per fiscal year (4月–3月), for the yearly report on
    priority procurement (優先調達推進法)."""
    per_year: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    for created_at, yen in Order.objects.filter(
        workshop__in=workshops, status__in=TAKEN, company__public_buyer__isnull=False
    ).values_list("created_at", "total_price_yen"):
        year = picture.fiscal_year_start(created_at.date()).year
        per_year[year][0] += 1
        per_year[year][1] += yen
    years = sorted(per_year)
    headers = [_("Fiscal year"), _("Orders"), _("Amount")]
    if not years:
        rows = []
    else:
        table = suppression.suppress(
            [[per_year[y][0]] for y in years], row_totals=False, column_totals=True
        )
        rows = []
        for r, year in enumerate([*years, None]):
            count = per_year[year][0] if year else sum(v[0] for v in per_year.values())
            yen = per_year[year][1] if year else sum(v[1] for v in per_year.values())
            rows.append(
                [
                    _("FY%(year)s") % {"year": year} if year else _("Total"),
                    shown(table, r, 0, count),
                    money(table, r, yen),
                ]
            )
    return NetworkTable(
        "public",
        _("Orders from public-sector buyers, by fiscal year"),
        headers,
        rows,
        _("Companies marked as public-sector buyers; a fiscal year runs from April to March."),
    )


def build_tables(network: Network, today: datetime.date) -> list[NetworkTable]:
    workshops = workshops_of(network)
    start, end = picture.last_months(today)
    year_start = picture.fiscal_year_start(today)
    return [
        people_by_stage(workshops),
        moves(workshops, start, end),
        hours(workshops, start, end),
        wages(workshops, start, end),
        *orders_by_company(workshops, year_start),
        public_orders(workshops),
    ]
