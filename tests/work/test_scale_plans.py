"""On PostgreSQL, the offer, board and home queries use the indexes meant for them and never
scan the units table, read from EXPLAIN (FORMAT JSON) after ANALYZE on 30,000 units."""

import json

import pytest
from django.db import connection
from django.db.models import Count
from django.utils import timezone

from jobs import offers, work
from jobs.models import Order, WorkUnit, board_states
from tests import factories

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason=(
            "reads PostgreSQL's own query plans (EXPLAIN FORMAT JSON), which SQLite does not "
            "have; CI runs these in its PostgreSQL pass"
        ),
    ),
]
UNITS = WorkUnit._meta.db_table


def nodes(plan: dict):
    yield plan
    for child in plan.get("Plans", []):
        yield from nodes(child)


def plan_of(queryset) -> list[dict]:
    return list(nodes(json.loads(queryset.explain(format="json"))[0]["Plan"]))


def unit_scans(plan: list[dict]) -> list[tuple[str, str]]:
    return [
        (node["Node Type"], node.get("Index Name", ""))
        for node in plan
        if node.get("Relation Name") == UNITS
    ]


@pytest.fixture
def big_workshop(workshop_a, company_a, staff_a, participant_a):
    orders = [
        factories.OrderFactory(workshop=workshop_a, company=company_a, quantity=100_000)
        for _ in range(3)
    ]
    for order in orders:
        work.publish_units(order=order, by=staff_a, sizes=[10] * 2000)
    Order.objects.filter(pk=orders[0].pk).update(quantity=200_000)
    orders[0].refresh_from_db()
    work.split_order(order=orders[0], by=staff_a, sizes=[10] * 10_000)
    others = factories.ParticipantFactory.create_batch(3, workshop=workshop_a)
    for person in others:
        work.take_next(participant=person, order_id=orders[1].pk)
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {UNITS}")
    return orders


def test_the_offers_read_the_partial_indexes_and_never_scan_the_units(big_workshop, participant_a):
    plan = plan_of(offers.offers_query(participant_a, limit=10, now=timezone.now()))

    scans = unit_scans(plan)
    assert ("Seq Scan", "") not in scans, scans
    used = {index for _node, index in scans}
    assert "unit_open_by_number" in used, scans


def test_the_board_reads_the_few_units_in_hand_and_a_page_by_number(big_workshop):
    order = big_workshop[1]
    now = timezone.now()
    filters = board_states(now)
    units = WorkUnit.objects.filter(order=order)
    in_hand = units.filter(status__in=["claimed", "redo"]).annotate(n=Count("pk"))
    page = units.filter(filters["all"]).order_by("number")[:25]

    for queryset in (in_hand, page):
        scans = unit_scans(plan_of(queryset))
        assert scans and ("Seq Scan", "") not in scans, scans
    assert {index for _node, index in unit_scans(plan_of(in_hand))} == {"unit_in_hand_by_order"}


def test_the_staff_home_counts_only_units_in_hand(big_workshop, workshop_a):
    units = WorkUnit.objects.filter(
        workshop=workshop_a, status__in=["claimed", "submitted", "redo"]
    ).annotate(n=Count("pk"))

    scans = unit_scans(plan_of(units))

    assert scans and ("Seq Scan", "") not in scans, scans


def test_take_next_picks_from_the_open_index(big_workshop, participant_a):
    order = big_workshop[2]
    candidates = (
        WorkUnit.objects.available_to(participant_a)
        .filter(status="open", order=order)
        .order_by("number")[:1]
    )

    scans = unit_scans(plan_of(candidates))

    assert ("Seq Scan", "") not in scans, scans
    assert "unit_open_by_number" in {index for _node, index in scans}, scans


def test_the_review_queue_reads_the_oldest_handed_in_units_from_their_index(
    big_workshop, workshop_a
):
    from django.db.models import Prefetch

    from jobs.models import ProgressLog

    WorkUnit.objects.filter(order=big_workshop[2], number__lte=3000).update(
        status="submitted", holder=factories.ParticipantFactory(workshop=workshop_a)
    )
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {UNITS}")
    page = (
        WorkUnit.objects.filter(workshop=workshop_a, status="submitted")
        .prefetch_related(Prefetch("logs", queryset=ProgressLog.objects.all()))
        .order_by("last_activity_at", "pk")[:20]
    )

    scans = unit_scans(plan_of(page))

    assert ("Seq Scan", "") not in scans, scans
    assert "unit_submitted_by_age" in {index for _node, index in scans}, scans
