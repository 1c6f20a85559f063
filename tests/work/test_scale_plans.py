"""On PostgreSQL, the offer, board and home queries use the indexes meant for them and never
scan the units table, read from EXPLAIN (FORMAT JSON) after ANALYZE on 30,000 units."""

import json
import uuid

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


def bitmap_indexes(node: dict):
    """The indexes a bitmap heap scan's own bitmap reads (not those of its subplans)."""
    for child in node.get("Plans", []):
        if child.get("Parent Relationship") in {"SubPlan", "InitPlan"}:
            continue
        if child["Node Type"] == "Bitmap Index Scan":
            yield child["Index Name"]
        else:
            yield from bitmap_indexes(child)


def unit_scans(plan: list[dict]) -> list[tuple[str, str]]:
    """(node type, index) of each scan of the units table. A bitmap heap scan names no index
    itself: it is listed once for each index its bitmap index scans read (whether PostgreSQL
    reads an index directly or through a bitmap is its choice by the statistics of the day)."""
    scans = []
    for node in plan:
        if node.get("Relation Name") != UNITS:
            continue
        if node["Node Type"] == "Bitmap Heap Scan":
            scans += [(node["Node Type"], index) for index in bitmap_indexes(node)]
        else:
            scans.append((node["Node Type"], node.get("Index Name", "")))
    return scans


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


# --- every page's queries, right after a bulk insert, on stale statistics ------------------

LOGS = "jobs_progresslog"
# What a page may read from the units: the indexes meant for it, never the table. The board
# reads a page of one order's units by (order, number); the bound on rows read below catches
# a read of all of them (as a merge join over every order's units once did on the today page).
PAGE_INDEXES = {
    "jobs_workunit_pkey",
    "unit_number_unique_in_order",
    "unit_open_by_number",
    "unit_in_hand_by_order",
    "unit_submitted_by_age",
    "unit_held_by_holder",
    "unit_workshop_status",
    "unit_holder_status",
}
# Rows a page may read from the units and from the logs in all its queries together: a few
# pages' worth, while the tables hold tens of thousands.
ROWS_READ_AT_MOST = 1500


def rows_read(plan: list[dict], table: str) -> int:
    return sum(
        (node.get("Actual Rows", 0) + node.get("Rows Removed by Filter", 0))
        * node.get("Actual Loops", 1)
        for node in plan
        if node.get("Relation Name") == table and "Scan" in node["Node Type"]
    )


def page_plans(client, url: str) -> list[list[dict]]:
    """EXPLAIN ANALYZE of every SELECT the page makes, as it made it."""
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    plans = []
    with connection.cursor() as cursor:
        for query in context.captured_queries:
            if query["sql"].lstrip().upper().startswith("SELECT"):
                cursor.execute(f"EXPLAIN (ANALYZE, FORMAT JSON) {query['sql']}")
                found = cursor.fetchone()[0]
                found = json.loads(found) if isinstance(found, str) else found
                plans.append(list(nodes(found[0]["Plan"])))
    return plans


@pytest.fixture
def stale_world(workshop_a, company_a, staff_a, participant_a):
    """A workshop as a day finds it (orders with open units, people holding some, a page of
    handed-in units, the participant's history), ANALYZE, and then, with no ANALYZE after
    them, a 40,000-unit split and a year of approved units with their logs for the
    participant: every page is planned on statistics that know nothing of those."""
    from django.db.models import F

    from jobs.models import ProgressLog
    from tests.work.conftest import submitted_unit

    orders = [
        factories.OrderFactory(workshop=workshop_a, company=company_a, quantity=100_000)
        for _ in range(3)
    ]
    for order in orders:
        work.publish_units(order=order, by=staff_a, sizes=[10] * 40)
    people = factories.ParticipantFactory.create_batch(4, workshop=workshop_a)
    for person in people:
        work.take_next(participant=person, order_id=orders[1].pk)
    work.take_next(participant=participant_a, order_id=orders[1].pk)
    handed_in = factories.OrderFactory(workshop=workshop_a, company=company_a)
    for _ in range(22):
        submitted_unit(handed_in, people[0], quantity=5)
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {UNITS}")
        cursor.execute(f"ANALYZE {LOGS}")

    big = factories.OrderFactory(workshop=workshop_a, company=company_a, quantity=1_000_000)
    work.publish_units(order=big, by=staff_a, sizes=[10] * 40_000)
    history = WorkUnit.objects.filter(order=big, number__lte=15_000)
    history.update(
        status="approved",
        holder=participant_a,
        approved_quantity=F("quantity"),
        last_activity_at=timezone.now(),
    )
    ProgressLog.objects.bulk_create(
        ProgressLog(
            unit_id=pk, participant=participant_a, quantity=10, minutes=30, client_uuid=uuid.uuid4()
        )
        for pk in history.values_list("pk", flat=True)
    )
    return orders


def test_every_page_reads_a_few_rows_on_stale_statistics(
    stale_world, workshop_a, company_a, staff_a, member_a, participant_a
):
    """Right after the bulk inserts, without ANALYZE: each page's queries read the indexes
    meant for them and a bounded number of rows of the units and the logs."""
    from django.test import Client

    who = {"participant": participant_a.user, "staff": staff_a, "member": member_a}
    pages = {
        "/today/": "participant",
        "/api/v1/me/units/": "participant",
        f"/w/{workshop_a.slug}/": "staff",
        f"/w/{workshop_a.slug}/work/orders/{stale_world[1].pk}/board/": "staff",
        f"/w/{workshop_a.slug}/work/review/": "staff",
        f"/c/{company_a.slug}/orders/": "member",
    }
    assert WorkUnit.objects.count() > 40_000
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname FROM pg_indexes WHERE tablename = %s", [UNITS])
        units_indexes = {name for (name,) in cursor.fetchall()}
    for url, role in pages.items():
        client = Client()
        client.force_login(who[role])
        client.get(url)
        plans = page_plans(client, url)
        scans = [scan for plan in plans for scan in unit_scans(plan)]
        assert ("Seq Scan", "") not in scans, (url, scans)
        used = {node.get("Index Name") for plan in plans for node in plan} & units_indexes
        assert used <= PAGE_INDEXES, (url, used)
        for table in (UNITS, LOGS):
            read = sum(rows_read(plan, table) for plan in plans)
            assert read <= ROWS_READ_AT_MOST, (url, table, read)


def test_what_a_person_holds_is_read_from_their_small_index_on_stale_statistics(
    stale_world, participant_a
):
    held = (
        WorkUnit.objects.visible_to(participant_a.user)
        .select_related("order")
        .held_by(participant_a)
        .order_by("expires_at", "pk")
    )

    scans = unit_scans(plan_of(held))

    assert {index for _node, index in scans} == {"unit_held_by_holder"}, scans


def test_the_next_unit_number_is_one_step_down_its_index_on_stale_statistics(
    stale_world, workshop_a
):
    """Each batch of a split asks for the order's last unit number. Planned on statistics from
    before the split, MAX(number) read every unit of the order, batch after batch."""
    big = Order.objects.get(workshop=workshop_a, quantity=1_000_000)
    plan = list(
        nodes(
            json.loads(work._last_number(big.pk)[:1].explain(analyze=True, format="json"))[0][
                "Plan"
            ]
        )
    )

    assert rows_read(plan, UNITS) <= 2, plan
    assert {index for _node, index in unit_scans(plan)} == {"unit_number_unique_in_order"}
