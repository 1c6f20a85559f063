"""The picture's numbers, each against the hand-written history in conftest.py."""

import datetime

from participants import picture
from participants.models import Stage
from tests import factories
from tests.picture.conftest import TODAY, build_history, change


def test_last_twelve_months_end_with_this_month():
    assert picture.last_months(TODAY) == (datetime.date(2025, 12, 1), TODAY)
    assert picture.fiscal_year_start(TODAY) == datetime.date(2026, 4, 1)
    assert picture.fiscal_year_start(datetime.date(2027, 2, 1)) == datetime.date(2026, 4, 1)


def test_it_counts_people_at_each_step_now_leaving_out_ended_support(history, workshop_a):
    counts = {row.stage: row.people for row in picture.people_by_stage(workshop=workshop_a)}

    # A 作業体験, B つながり (paused counts), D 一般就労, E 居場所; C's support ended.
    assert counts == {
        Stage.CONNECTION: 1,
        Stage.PLACE: 1,
        Stage.TRYING_WORK: 1,
        Stage.REGULAR_WORK: 0,
        Stage.WORKPLACE_TRIAL: 0,
        Stage.JOB_SEARCH: 0,
        Stage.EMPLOYED: 1,
        Stage.SETTLED: 0,
    }


def test_it_counts_moves_per_month_forward_back_and_first(history, workshop_a):
    start, end = picture.last_months(TODAY)

    rows = picture.moves_per_month(workshop=workshop_a, start=start, end=end)

    table = {row.month: (row.forward, row.back, row.first) for row in rows}
    assert len(rows) == 12
    assert rows[0].month == datetime.date(2025, 12, 1)
    assert rows[-1].month == datetime.date(2026, 11, 1)
    assert table[datetime.date(2026, 1, 1)] == (0, 0, 2)  # A and B start
    assert table[datetime.date(2026, 2, 1)] == (2, 0, 1)  # A, B forward; C starts
    assert table[datetime.date(2026, 3, 1)] == (1, 1, 0)  # C forward; B back
    assert table[datetime.date(2026, 4, 1)] == (1, 0, 0)
    assert table[datetime.date(2026, 5, 1)] == (1, 0, 0)
    assert table[datetime.date(2026, 7, 1)] == (1, 0, 0)
    # D's move in March 2025 is older than the twelve months.
    assert sum(row.total for row in rows) == 10


def test_it_takes_the_median_of_days_in_each_step(history, workshop_a):
    rows = {row.stage: row for row in picture.days_in_stage(workshop=workshop_a, until=TODAY)}

    # つながり: A 01-10→02-09 = 30, B 01-20→02-19 = 30, B 03-21→today = 244 → median 30.
    assert (rows[Stage.CONNECTION].stays, rows[Stage.CONNECTION].people) == (3, 2)
    assert rows[Stage.CONNECTION].median_days is None  # only two people: not shown
    # 居場所: A 02-09→04-10 = 60, B 02-19→03-21 = 30, C 02-01→03-03 = 30 → median 30.
    assert (rows[Stage.PLACE].stays, rows[Stage.PLACE].people) == (3, 3)
    assert rows[Stage.PLACE].median_days == 30
    # 一般就労: C 05-02→07-01 = 60, D 2025-03-10→today = 620; 定着: C 07-01→ended 08-31 = 61.
    assert rows[Stage.EMPLOYED].stays == 2
    assert rows[Stage.EMPLOYED].median_days is None
    assert rows[Stage.SETTLED].stays == 1
    assert rows[Stage.REGULAR_WORK].stays == 0


def test_it_takes_the_median_once_three_people_stayed(history, workshop_a):
    # 作業体験: A 04-10→today = 224, C 03-03→05-02 = 60, and F 2026-06-01→today = 172.
    f = factories.ParticipantFactory(workshop=workshop_a, nickname="F", stage=Stage.TRYING_WORK)
    change(f, datetime.date(2026, 6, 1), Stage.TRYING_WORK, Stage.PLACE)

    rows = {row.stage: row for row in picture.days_in_stage(workshop=workshop_a, until=TODAY)}

    assert rows[Stage.TRYING_WORK].stays == 3
    assert rows[Stage.TRYING_WORK].median_days == 172


def test_an_even_number_of_stays_has_the_middle_two_averaged(workshop_a):
    for days in [10, 20, 30, 41]:
        person = factories.ParticipantFactory(workshop=workshop_a, stage=Stage.PLACE)
        change(person, datetime.date(2026, 1, 1), Stage.CONNECTION)
        change(person, datetime.date(2026, 1, 1) + datetime.timedelta(days=days), Stage.PLACE)

    rows = {row.stage: row for row in picture.days_in_stage(workshop=workshop_a, until=TODAY)}

    assert rows[Stage.CONNECTION].median_days == 25


def test_it_sums_hours_at_home_and_on_site_per_month(history, workshop_a):
    start, end = picture.last_months(TODAY)

    rows = picture.hours_by_place(workshop=workshop_a, start=start, end=end)

    table = {row.month: (row.home_minutes, row.on_site_minutes) for row in rows}
    # 23:30 on October 31st in Tokyo is still October; 00:15 on November 1st is November.
    assert table[datetime.date(2026, 10, 1)] == (120, 45)
    assert table[datetime.date(2026, 11, 1)] == (0, 60)
    assert sum(home + site for home, site in table.values()) == 225
    october = next(row for row in rows if row.month == datetime.date(2026, 10, 1))
    assert (october.home_hours, october.on_site_hours) == (2.0, 0.8)


def test_it_counts_who_reached_work_ever_and_this_fiscal_year(history, workshop_a):
    rows = {
        row.stage: row
        for row in picture.reached_work(
            workshop=workshop_a, year_start=datetime.date(2026, 4, 1), until=TODAY
        )
    }

    # 一般就労: C (2026-05-02, this year) and D (2025-03-10, before). 定着: C (2026-07-01).
    assert (rows[Stage.EMPLOYED].ever, rows[Stage.EMPLOYED].this_year) == (2, 1)
    assert (rows[Stage.SETTLED].ever, rows[Stage.SETTLED].this_year) == (1, 1)


def test_someone_at_work_with_no_change_recorded_counts_ever_but_not_this_year(workshop_a):
    factories.ParticipantFactory(workshop=workshop_a, stage=Stage.SETTLED)

    rows = picture.reached_work(
        workshop=workshop_a, year_start=datetime.date(2026, 4, 1), until=TODAY
    )

    assert [(row.ever, row.this_year) for row in rows] == [(1, 0), (1, 0)]


def test_another_workshops_history_changes_nothing(history, workshop_a, workshop_b):
    build_history(workshop_b, prefix="b-")
    start, end = picture.last_months(TODAY)

    assert sum(r.people for r in picture.people_by_stage(workshop=workshop_a)) == 4
    assert (
        sum(r.total for r in picture.moves_per_month(workshop=workshop_a, start=start, end=end))
        == 10
    )
    hours = picture.hours_by_place(workshop=workshop_a, start=start, end=end)
    assert sum(r.home_minutes + r.on_site_minutes for r in hours) == 225
