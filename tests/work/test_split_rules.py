"""The rules of a split, each refusal with its code and its words, the boundaries of what a
split allows, and what a background split leaves behind (who started the order, when it
finished, why it stopped)."""

import itertools

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jobs import work
from jobs.models import Order, OrderEvent, SplitJob, WorkUnit
from tests import factories
from tests.i18n import in_japanese, ja, msgid

NOT_SPLITTABLE = [status for status in Order.Status if status not in work.SPLITTABLE]


def refusal(err) -> tuple[str, str]:
    with translation.override("ja"):
        return err.value.code, str(err.value.message)


# --- split_sizes ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "code", "msgid", "params"),
    [
        (
            {"quantity": 300, "sizes": [300, 0]},
            "invalid_split",
            msgid("Every unit needs at least 1 item."),
            {},
        ),
        (
            {"quantity": 1000, "sizes": [600, 600]},
            "invalid_split",
            msgid("The units add up to %(sum)s, but %(quantity)s are left to split."),
            {"sum": "1,200", "quantity": "1,000"},
        ),
        (
            {"quantity": 300, "size": 0},
            "invalid_split",
            msgid("Choose how many items go in one unit."),
            {},
        ),
        (
            {"quantity": 300, "size": None},
            "invalid_split",
            msgid("Choose how many items go in one unit."),
            {},
        ),
        (
            {"quantity": 0, "size": 10},
            "nothing_to_split",
            msgid("Nothing is left to split in this order."),
            {},
        ),
        (
            {"quantity": 0, "sizes": []},
            "nothing_to_split",
            msgid("Nothing is left to split in this order."),
            {},
        ),
        (
            {"quantity": 100_001, "size": 1},
            "too_many_units",
            msgid("That would make more than %(max)s units; please choose larger units."),
            {"max": "100,000"},
        ),
    ],
    ids=[
        "empty_unit",
        "sizes_not_adding_up",
        "size_zero",
        "no_size",
        "nothing_left",
        "empty_list",
        "too_many_units",
    ],
)
def test_every_refused_split_says_why_in_words_and_code(kwargs, code, msgid, params):
    with pytest.raises(work.WorkError) as refused:
        work.split_sizes(**kwargs)
    assert refusal(refused) == (code, ja(msgid, **params))


def test_units_of_a_single_item_are_allowed():
    assert work.split_sizes(quantity=3, sizes=[1, 1, 1]) == [1, 1, 1]
    assert work.split_sizes(quantity=3, sizes=[2, 1]) == [2, 1]
    assert work.split_sizes(quantity=2, size=1) == [1, 1]


def test_the_largest_allowed_split_is_a_hundred_thousand_units():
    assert len(work.split_sizes(quantity=100_000, size=1)) == work.MAX_UNITS_PER_SPLIT
    assert len(work.split_sizes(quantity=200_000, size=2)) == work.MAX_UNITS_PER_SPLIT


@given(quantity=st.integers(1, 5000), size=st.integers(1, 6000))
def test_units_of_a_size_add_up_to_the_quantity_and_only_the_last_is_smaller(quantity, size):
    sizes = work.split_sizes(quantity=quantity, size=size)
    assert sum(sizes) == quantity
    assert sizes[:-1] == [size] * (len(sizes) - 1)
    assert 1 <= sizes[-1] <= size


@given(sizes=st.lists(st.integers(1, 5), max_size=30))
def test_runs_say_how_many_units_of_each_size_follow_each_other(sizes):
    runs = work.runs_of(sizes)
    assert work.sizes_of(runs) == sizes
    assert all(count >= 1 for _, count in runs)
    assert all(a[0] != b[0] for a, b in itertools.pairwise(runs))


def test_runs_keep_the_order_of_the_sizes():
    assert work.runs_of([100, 100, 100, 50]) == [(100, 3), (50, 1)]
    assert work.runs_of([1, 2, 1]) == [(1, 1), (2, 1), (1, 1)]
    assert work.sizes_of([[2, 2], [1, 1]]) == [2, 2, 1]


# --- unit_minutes ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("size", "largest", "minutes", "expected"),
    [
        (1000, 1000, 30, 30),
        (500, 1000, 30, 15),
        (1, 1000, 30, 1),
        (1, 1000, 0, 1),
        (1, 2, 5, 2),
        (2, 3, 2, 1),
        (3, 4, 2, 2),
        (10, 10, 32767, 32767),
        (10, 10, 40000, 32767),
        (9, 10, 40000, 32767),
        (1, 2, 40000, 20000),
    ],
    ids=[
        "largest",
        "half",
        "tiny_is_a_minute",
        "no_minutes_is_a_minute",
        "half_rounds_to_even",
        "share_rounded_down",
        "share_rounded_up",
        "largest_allowed",
        "capped",
        "capped_share",
        "share_under_cap",
    ],
)
def test_a_unit_is_estimated_at_its_share_between_a_minute_and_the_largest_allowed(
    size, largest, minutes, expected
):
    assert work.unit_minutes(size, largest=largest, minutes=minutes) == expected


# --- plan_split -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "kwargs",
    [{"size": 100, "items": 1001}, {"sizes": [600, 401]}, {"sizes": [1001]}],
    ids=["items_over", "sizes_over", "one_unit_over"],
)
def test_a_plan_for_more_than_is_left_is_refused_saying_what_is_left(order_a, kwargs):
    with pytest.raises(work.WorkError) as refused:
        work.plan_split(order=order_a, **kwargs)
    assert refusal(refused) == (
        "invalid_split",
        ja("Only %(left)s items are left to split in this order.", left="1,000"),
    )


def test_a_plan_counts_only_what_earlier_splits_left(order_a, staff_a):
    work.publish_units(order=order_a, by=staff_a, sizes=[300])
    order = Order.objects.get(pk=order_a.pk)

    assert work.unsplit_quantity(order) == 700
    assert work.plan_split(order=order, size=300) == [300, 300, 100]
    assert work.plan_split(order=order, size=100, items=200) == [100, 100]
    assert work.plan_split(order=order, sizes=[700]) == [700]
    with pytest.raises(work.WorkError) as refused:
        work.plan_split(order=order, size=100, items=701)
    assert refusal(refused) == (
        "invalid_split",
        ja("Only %(left)s items are left to split in this order.", left="700"),
    )


# --- publishing: who may split, and when ----------------------------------------------------


@pytest.mark.parametrize("status", NOT_SPLITTABLE, ids=[s.value for s in NOT_SPLITTABLE])
def test_an_order_in_any_other_state_is_refused_naming_its_state(
    workshop_a, company_a, staff_a, status
):
    order = factories.OrderFactory(workshop=workshop_a, company=company_a, status=status)
    for split in (work.publish_units, work.split_order):
        with pytest.raises(work.WorkError) as refused:
            split(order=order, by=staff_a, sizes=[500, 500])
        assert refusal(refused) == (
            "wrong_state",
            ja(
                "Only an accepted order can be split; this order is %(status)s.",
                status=in_japanese(status.label),
            ),
        )
    assert not order.units.exists()


def test_an_order_in_progress_can_be_split_again(order_a, staff_a):
    work.publish_units(order=order_a, by=staff_a, sizes=[400])
    assert work.split_order(order=order_a, by=staff_a, sizes=[300, 300]).published == 2
    assert list(order_a.units.values_list("number", "quantity")) == [(1, 400), (2, 300), (3, 300)]


def test_a_split_while_another_is_being_published_is_refused_in_words(order_a, staff_a):
    SplitJob.objects.create(
        order=order_a, created_by=staff_a, runs=[[1, 10]], total=10, status="running"
    )
    with pytest.raises(work.WorkError) as refused:
        work.publish_units(order=order_a, by=staff_a, sizes=[100])
    assert refusal(refused) == (
        "split_running",
        ja("A split of this order is still being published. Please wait until it is done."),
    )


def test_a_finished_or_failed_split_does_not_hold_up_the_next(order_a, staff_a):
    for status in ("done", "failed"):
        SplitJob.objects.create(
            order=order_a, created_by=staff_a, runs=[[1, 10]], total=10, status=status
        )
    assert work.publish_units(order=order_a, by=staff_a, sizes=[100]) == 1


def test_a_split_of_exactly_what_is_left_is_published_and_one_more_is_refused(order_a, staff_a):
    work.publish_units(order=order_a, by=staff_a, sizes=[999])
    with pytest.raises(work.WorkError) as refused:
        work.split_order(order=order_a, by=staff_a, sizes=[1, 1])
    assert refusal(refused) == (
        "invalid_split",
        ja("Only %(left)s items are left to split in this order.", left="1"),
    )
    assert work.split_order(order=order_a, by=staff_a, sizes=[1]).published == 1


def test_another_workshops_split_of_that_order_leaves_ones_own_alone(order_a, order_b, staff_a):
    work.publish_units(order=order_a, by=staff_a, sizes=[100, 100])
    SplitJob.objects.create(
        order=order_b, created_by=staff_a, runs=[[1, 10]], total=10, status="running"
    )
    assert work.publish_units(order=order_a, by=staff_a, sizes=[100]) == 1


# --- what the units get -----------------------------------------------------------------------


def details(units) -> set[tuple]:
    return {
        (u.instructions, u.estimated_minutes, u.home_ok, u.skill_tag, u.sample_photo.name)
        for u in units
    }


def test_a_split_with_nothing_said_makes_plain_half_hour_units_for_home_too(order_a, staff_a):
    work.split_order(order=order_a, by=staff_a, sizes=[500, 500])
    assert details(order_a.units.all()) == {("", 30, True, "", "")}
    split = SplitJob.objects.get(order=order_a)
    assert (split.instructions, split.estimated_minutes, split.home_ok, split.skill_tag) == (
        "",
        30,
        True,
        "",
    )


def test_units_published_with_nothing_said_are_plain_half_hour_units_for_home_too(order_a, staff_a):
    assert work.publish_units(order=order_a, by=staff_a, sizes=[500, 500]) == 2
    assert details(order_a.units.all()) == {("", 30, True, "", "")}
    split = SplitJob.objects.get(order=order_a)
    assert (split.instructions, split.estimated_minutes, split.sample_photo) == ("", 30, "")


def test_the_skill_is_kept_without_the_spaces_typed_around_it(order_a, staff_a):
    work.split_order(order=order_a, by=staff_a, sizes=[1000], skill_tag="  sealing ")
    assert order_a.units.get().skill_tag == "sealing"
    assert SplitJob.objects.get(order=order_a).skill_tag == "sealing"


def test_units_are_numbered_after_the_orders_highest_whatever_other_orders_hold(
    order_a, staff_a, workshop_a, company_a
):
    factories.WorkUnitFactory(order=order_a, number=1, quantity=10)
    factories.WorkUnitFactory(order=order_a, number=7, quantity=10)
    other = factories.OrderFactory(workshop=workshop_a, company=company_a)
    factories.WorkUnitFactory(order=other, number=50, quantity=10)

    work.publish_units(order=order_a, by=staff_a, sizes=[10, 10])

    assert list(order_a.units.values_list("number", flat=True)) == [1, 7, 8, 9]
    assert work.next_number(other.pk) == 51
    assert work.next_number(factories.OrderFactory(workshop=workshop_a).pk) == 1


@pytest.mark.parametrize(
    ("sizes", "statements"),
    [([1, 2] * (work.MAX_SERIES_RUNS // 2), work.MAX_SERIES_RUNS), ([1, 2] * 10 + [1], 1)],
    ids=["most_runs_one_statement_each", "one_more_run_one_statement_for_all"],
)
def test_up_to_the_most_runs_each_run_is_a_statement_and_beyond_one_for_every_row(
    order_a, staff_a, sizes, statements
):
    assert len(work.runs_of(sizes)) == work.MAX_SERIES_RUNS + (statements == 1)
    with CaptureQueriesContext(connection) as context:
        work.publish_units(order=order_a, by=staff_a, sizes=sizes)
    table = connection.ops.quote_name(WorkUnit._meta.db_table)
    inserts = [q["sql"] for q in context.captured_queries if f"INSERT INTO {table}" in q["sql"]]
    assert len(inserts) == statements, inserts
    assert order_a.units.count() == len(sizes)


@pytest.mark.parametrize(
    "sizes",
    [[2, 2], [1, 2] * 10, [1, 2] * 10 + [1]],
    ids=["one_run", "most_runs_in_series", "row_by_row"],
)
def test_units_carry_their_size_number_and_details_however_they_are_inserted(
    order_a, staff_a, sizes
):
    factories.WorkUnitFactory(order=order_a, number=1, quantity=10)

    work.publish_units(
        order=order_a,
        by=staff_a,
        sizes=sizes,
        instructions="折る",
        estimated_minutes=20,
        home_ok=False,
        skill_tag="sealing",
        sample_photo="samples/a.jpg",
    )

    units = order_a.units.exclude(number=1).order_by("number")
    assert [(u.number, u.quantity, u.estimated_minutes) for u in units] == [
        (2 + index, size, 10 * size) for index, size in enumerate(sizes)
    ]
    assert {
        (u.instructions, u.home_ok, u.skill_tag, u.sample_photo.name, u.status) for u in units
    } == {("折る", False, "sealing", "samples/a.jpg", WorkUnit.Status.OPEN)}
    assert {(u.workshop_id, u.approved_quantity, u.holder_id) for u in units} == {
        (order_a.workshop_id, 0, None)
    }
    assert all(u.created_at is not None for u in units)
    order = Order.objects.get(pk=order_a.pk)
    assert (order.units_total, order.items_in_units) == (len(sizes) + 1, sum(sizes) + 10)


# --- the background split -------------------------------------------------------------------


@pytest.fixture
def small_inline_limit(monkeypatch):
    monkeypatch.setattr(work, "INLINE_SPLIT_LIMIT", 3)


def test_a_split_up_to_the_limit_is_published_at_once_and_one_more_in_the_background(
    order_a, staff_a, small_inline_limit
):
    at_once = work.split_order(order=order_a, by=staff_a, sizes=[100] * 3)
    background = work.split_order(order=order_a, by=staff_a, sizes=[100] * 4)

    assert (at_once.published, at_once.job) == (3, None)
    assert background.published == 0
    assert (background.job.status, background.job.total, background.job.done_count) == (
        "done",
        4,
        4,
    )
    assert order_a.units.count() == 7


def test_a_background_split_gives_its_units_what_staff_wrote(order_a, staff_a, small_inline_limit):
    outcome = work.split_order(
        order=order_a,
        by=staff_a,
        sizes=[200] * 4 + [100],
        instructions="折る",
        estimated_minutes=40,
        home_ok=False,
        skill_tag=" sealing ",
        sample_photo="samples/a.jpg",
    )

    assert outcome.job is not None
    units = order_a.units.order_by("number")
    assert details(units) == {
        ("折る", 40, False, "sealing", "samples/a.jpg"),
        ("折る", 20, False, "sealing", "samples/a.jpg"),
    }
    assert units.last().estimated_minutes == 20


def test_a_background_split_starts_the_order_in_the_name_of_who_split_it(
    order_a, staff_a, small_inline_limit
):
    outcome = work.split_order(order=order_a, by=staff_a, sizes=[100] * 5)

    assert outcome.job.finished_at is not None
    started = OrderEvent.objects.get(order=order_a, to_status=Order.Status.IN_PROGRESS)
    assert started.actor == staff_a


def test_a_background_split_reads_as_publishing_while_it_runs(
    order_a, staff_a, monkeypatch, small_inline_limit
):
    seen = []
    insert = work._insert_units

    def watching(order, **kwargs):
        seen.append(SplitJob.objects.get(order=order).status)
        return insert(order, **kwargs)

    monkeypatch.setattr(work, "BULK_BATCH", 2)
    monkeypatch.setattr(work, "_insert_units", watching)

    work.split_order(order=order_a, by=staff_a, sizes=[100] * 5)

    assert seen == ["running"] * 3


def test_running_one_split_leaves_other_waiting_splits_waiting(order_a, order_b, staff_a):
    waiting = SplitJob.objects.create(order=order_b, created_by=staff_a, runs=[[1, 10]], total=10)
    job = SplitJob.objects.create(order=order_a, created_by=staff_a, runs=[[100, 2]], total=2)

    assert work.publish_split_job(job_id=job.pk).status == "done"

    waiting.refresh_from_db()
    assert (waiting.status, waiting.done_count) == ("queued", 0)


@pytest.mark.parametrize("status", NOT_SPLITTABLE, ids=[s.value for s in NOT_SPLITTABLE])
def test_a_background_split_of_an_order_no_longer_splittable_stops_saying_why(
    workshop_a, company_a, staff_a, status
):
    order = factories.OrderFactory(workshop=workshop_a, company=company_a, status=status)
    job = SplitJob.objects.create(order=order, created_by=staff_a, runs=[[1, 10]], total=10)

    job = work.publish_split_job(job_id=job.pk)

    assert (job.status, job.done_count) == ("failed", 0)
    assert job.error == ja(
        "The order is %(status)s now, so the rest was not published.",
        status=in_japanese(status.label),
    )
    assert job.finished_at is not None
    assert not order.units.exists()


def test_a_background_split_needing_more_than_is_left_stops_saying_why(order_a, staff_a):
    work.publish_units(order=order_a, by=staff_a, sizes=[500])
    job = SplitJob.objects.create(order=order_a, created_by=staff_a, runs=[[300, 2]], total=2)

    job = work.publish_split_job(job_id=job.pk)

    assert (job.status, job.done_count) == ("failed", 0)
    assert job.error == ja("The order has fewer items left than this split needs.")
    assert job.finished_at is not None
    assert order_a.units.count() == 1


def test_a_finished_split_is_not_published_twice(order_a, staff_a, small_inline_limit):
    outcome = work.split_order(order=order_a, by=staff_a, sizes=[100] * 4)
    finished_at = outcome.job.finished_at

    again = work.publish_split_job(job_id=outcome.job.pk)

    assert (again.status, again.done_count, again.finished_at) == ("done", 4, finished_at)
    assert order_a.units.count() == 4


# --- any split ------------------------------------------------------------------------------


@settings(max_examples=20, deadline=None, suppress_health_check=list(HealthCheck))
@given(sizes=st.lists(st.integers(1, 30), min_size=1, max_size=30))
def test_any_split_makes_those_units_in_order_and_counts_them(
    sizes, django_db_blocker, workshop_a, company_a, staff_a
):
    order = factories.OrderFactory(workshop=workshop_a, company=company_a, quantity=sum(sizes))

    work.publish_units(order=order, by=staff_a, sizes=sizes, estimated_minutes=60)

    units = list(order.units.order_by("number"))
    assert [(u.number, u.quantity) for u in units] == [
        (index + 1, size) for index, size in enumerate(sizes)
    ]
    assert [u.estimated_minutes for u in units] == [
        work.unit_minutes(size, largest=max(sizes), minutes=60) for size in sizes
    ]
    order.refresh_from_db()
    assert (order.status, work.unsplit_quantity(order)) == (Order.Status.IN_PROGRESS, 0)
