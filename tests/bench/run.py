"""Engawa at scale: builds 50 workshops, 5,000 participants, about SCALE units over 550 open
orders and a year of progress logs (at the database's speed: INSERT … SELECT, no Django rows), then
measures the pages, a take, take-next under contention and a split, and prints one table with
each target beside each figure. Asserts nothing. Run by `make bench SCALE=1m`.

    uv run python tests/bench/run.py [1k|10k|100k|1m]    (DATABASE_URL chooses the database)

Each run writes its figures to $BENCH_DIR (default /tmp/engawa-bench); a run at a larger scale
prints the ratio of each page's p50 to the 1k run's, which the targets bound (≤ 1.3×)."""

import json
import os
import statistics
import sys
import threading
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")

import django  # noqa: E402
from django.conf import settings  # noqa: E402

django.setup()
settings.ROOT_URLCONF = "tests.bench.urls"

from django.db import connection, transaction  # noqa: E402
from django.test import Client, override_settings  # noqa: E402
from django.test.utils import setup_databases, setup_test_environment  # noqa: E402
from django.utils import timezone  # noqa: E402

from jobs import work  # noqa: E402
from jobs.models import Order, ProgressLog, UnitEvent, WorkUnit  # noqa: E402
from participants.models import Participant  # noqa: E402
from tests import factories  # noqa: E402
from tests.bench.intake import TARGETS as IMPORT_TARGETS  # noqa: E402
from tests.bench.intake import measure_import  # noqa: E402
from workshop.models import User  # noqa: E402

SCALES = {"1k": 1_000, "10k": 10_000, "100k": 100_000, "1m": 1_000_000}
WORKSHOPS, PARTICIPANTS, ORDERS_PER_WORKSHOP = 50, 5_000, 10
# The measured workshop's orders, all for the measured company: a full page of its list.
MEASURED_ORDERS = 60
REPEATS = 21
BENCH_DIR = Path(os.environ.get("BENCH_DIR", "/tmp/engawa-bench"))


def load() -> str:
    return "/".join(f"{figure:.2f}" for figure in os.getloadavg())


def sql(statement: str, params=()) -> None:
    with connection.cursor() as cursor:
        cursor.execute(statement, params)


def series(count_sql: str) -> str:
    """FROM-clause rows (o, n): every order `o` with n from 1 to `count_sql` (an expression in
    o's columns). generate_series on PostgreSQL, a recursive series on SQLite."""
    orders = Order._meta.db_table
    if connection.vendor == "postgresql":
        return f"{orders} o CROSS JOIN LATERAL generate_series(1, {count_sql}) AS s(n)"
    return (
        f"{orders} o JOIN (WITH RECURSIVE s(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM s "
        f"WHERE n < %(most)s) SELECT n FROM s) s ON s.n <= {count_sql}"
    )


def build(units: int) -> dict:
    """The world, and how long each part took. Units, their events and a year of logs are made
    by SQL (INSERT … SELECT over a series): Django builds no row, so 1m builds in a few minutes.

    Every list the bench measures shows a full page at every scale: the measured workshop has
    60 orders for the measured company (a page of the company's list is 50), its first order
    at least 60 units (a page of the board is 50) and every other order of it at least 20 (eight
    open units to spread people over, two handed in: the review queue's page is 20 cards). So
    at 1k the measured workshop holds more than its share, and the total is about 2,000."""
    took = {}
    started = time.perf_counter()
    workshops = [factories.WorkshopFactory(hold_limit=1000) for _ in range(WORKSHOPS)]
    staff = [factories.StaffMembershipFactory(workshop=w).user for w in workshops]
    companies = []
    for workshop in workshops:
        company = factories.CompanyFactory()
        factories.PartnershipFactory(company=company, workshop=workshop)
        companies.append(company)
    member = factories.CompanyMembershipFactory(company=companies[0]).user
    users = User.objects.bulk_create(
        User(username=f"bench{i}", email=f"bench{i}@example.com", display_name=f"p{i}")
        for i in range(PARTICIPANTS)
    )
    if not users[0].pk:
        users = list(User.objects.filter(username__startswith="bench").order_by("pk"))
    Participant.objects.bulk_create(
        Participant(user=user, workshop=workshops[i % WORKSHOPS], nickname=f"p{i}")
        for i, user in enumerate(users)
    )
    took["people"] = time.perf_counter() - started

    started = time.perf_counter()
    counts = [MEASURED_ORDERS] + [ORDERS_PER_WORKSHOP] * (WORKSHOPS - 1)
    per_order = max(1, units // sum(counts))
    first, least = max(per_order, 60), max(per_order, 20)
    template = factories.OrderFactory.build()
    Order.objects.bulk_create(
        Order(
            workshop=workshop,
            company=company,
            title=f"封入作業 {w}-{i}",
            quantity=10 * (first if (w, i) == (0, 0) else least if w == 0 else per_order),
            unit_label=template.unit_label,
            unit_price_yen=template.unit_price_yen,
            total_price_yen=template.total_price_yen,
            desired_delivery_date=template.desired_delivery_date + timedelta(days=i),
            payment_date=template.payment_date,
            status=Order.Status.IN_PROGRESS,
        )
        for w, (workshop, company) in enumerate(zip(workshops, companies, strict=True))
        for i in range(counts[w])
    )
    orders = list(Order.objects.filter(workshop=workshops[0]).order_by("pk"))
    table, events = WorkUnit._meta.db_table, UnitEvent._meta.db_table
    now = timezone.now()
    how_many = (
        f"CASE WHEN o.id = {orders[0].pk} THEN {first} "
        f"WHEN o.workshop_id = {workshops[0].pk} THEN {least} ELSE {per_order} END"
    )
    sql(
        f"INSERT INTO {table} (order_id, workshop_id, number, quantity, instructions, "
        "estimated_minutes, home_ok, skill_tag, sample_photo, status, approved_quantity, "
        f"created_at) SELECT o.id, o.workshop_id, s.n, 10, '', 30, %(true)s, '', '', 'open', 0, "
        f"%(now)s FROM {series(how_many)}",
        {"true": True, "now": now, "most": first},
    )
    took["units, by SQL"] = time.perf_counter() - started
    # A year of work, by SQL: of every 10 units, 6 approved with a log each, spread over the
    # year and over the workshop's people (so a person's history grows with the scale); 1
    # handed in (by the workshop's first person); the rest open. Then the counters from the
    # units (jobs 0010's backfill).
    started = time.perf_counter()
    logs = ProgressLog._meta.db_table
    participants = Participant._meta.db_table
    per_workshop = PARTICIPANTS // WORKSHOPS
    sql(
        f"UPDATE {table} SET status = CASE WHEN number %% 10 < 6 THEN 'approved' "
        f"ELSE 'submitted' END, approved_quantity = CASE WHEN number %% 10 < 6 THEN quantity "
        f"ELSE 0 END, holder_id = people.id, last_activity_at = %s "
        f"FROM (SELECT id, workshop_id, row_number() OVER (PARTITION BY workshop_id "
        f"ORDER BY id) - 1 AS rank FROM {participants}) people "
        f"WHERE people.workshop_id = {table}.workshop_id AND people.rank = CASE "
        f"WHEN number %% 10 < 6 THEN number %% {per_workshop} ELSE 0 END "
        f"AND number %% 10 < 7 AND number > 3",
        [now],
    )
    # Each worked unit's last event (a split writes none per unit: its SplitJob is the record).
    sql(
        f"INSERT INTO {events} (unit_id, kind, actor_id, participant_id, at, quantity, note) "
        f"SELECT id, status, NULL, holder_id, %s, quantity, '' FROM {table} "
        f"WHERE status IN ('approved', 'submitted')",
        [now],
    )
    uuid_sql = (
        "gen_random_uuid()" if connection.vendor == "postgresql" else "lower(hex(randomblob(16)))"
    )
    year = (
        "now() - (id %% 365) * interval '1 day'"
        if connection.vendor == "postgresql"
        else "datetime('now', '-' || (id %% 365) || ' days')"
    )
    sql(
        f"INSERT INTO {logs} (unit_id, participant_id, client_uuid, quantity, minutes, place, "
        f"note, photo, created_at) SELECT id, holder_id, {uuid_sql}, quantity, 30, 'home', '', "
        f"'', {year} FROM {table} WHERE status = 'approved'"
    )
    # Then enough open units in the measured workshop for the takes and take-next at every scale,
    # through the split rule.
    for order, extra in ((orders[1], 300), (orders[2], 250)):
        Order.objects.filter(pk=order.pk).update(quantity=order.quantity + extra * 10)
        order.refresh_from_db()
        work.publish_units(order=order, by=staff[0], sizes=[10] * extra)

    from importlib import import_module

    from django.apps import apps

    import_module("jobs.migrations.0010_backfill_order_counters").backfill(apps, None)
    if connection.vendor == "postgresql":
        # VACUUM as well as ANALYZE: otherwise autovacuum starts on the million new rows while
        # the pages are measured, and the last pages measured pay for it (at 1m the company's
        # order list came out 1.3× its 1k figure in the bench, equal to it measured alone).
        for name in (table, logs, events, Order._meta.db_table):
            sql(f"VACUUM (ANALYZE) {name}")
    took["a year of logs and events, by SQL"] = time.perf_counter() - started
    return {
        "workshop": workshops[0],
        "staff": staff[0],
        "member": member,
        "company": companies[0],
        "order": orders[0],
        "orders": orders,
        "participant": Participant.objects.filter(workshop=workshops[0]).order_by("pk")[5],
        "people": list(Participant.objects.filter(workshop=workshops[0]).order_by("pk")[10:18]),
        "took": took,
        "units": WorkUnit.objects.count(),
    }


def p50(run, repeats: int = REPEATS) -> float:
    run()
    timings = []
    for _ in range(repeats):
        started = time.perf_counter()
        run()
        timings.append((time.perf_counter() - started) * 1000)
    return statistics.median(timings)


def page(client: Client, url: str) -> float:
    def get():
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)

    return p50(get)


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def measure_pages(world: dict) -> dict:
    w, order = world["workshop"], world["order"]
    participant = signed_in(world["participant"].user)
    staff = signed_in(world["staff"])
    return {
        "floor (minimal Django view)": page(participant, "/bench/floor/"),
        "today page": page(participant, "/today/"),
        "units API": page(participant, "/api/v1/me/units/"),
        "staff home": page(staff, f"/w/{w.slug}/"),
        "order board": page(staff, f"/w/{w.slug}/work/orders/{order.pk}/board/"),
        "review queue": page(staff, f"/w/{w.slug}/work/review/"),
        "company order list": page(
            signed_in(world["member"]), f"/c/{world['company'].slug}/orders/"
        ),
    }


def measure_take(world: dict) -> dict:
    """p50 of a take through the model function, through the phone's view, and of the
    database's own conditional UPDATE (the floor), each on a fresh open unit."""
    order = world["orders"][1]
    person = Participant.objects.select_related("workshop").get(pk=world["participant"].pk)
    free = iter(
        WorkUnit.objects.filter(order=order, status="open")
        .order_by("number")
        .values_list("pk", flat=True)[: 3 * (REPEATS + 1)]
    )
    table = WorkUnit._meta.db_table

    def database():
        with transaction.atomic():
            sql(
                f"UPDATE {table} SET status = 'claimed', holder_id = %s, expires_at = %s "
                f"WHERE id = %s AND status = 'open'",
                [person.pk, timezone.now(), next(free)],
            )

    client = signed_in(person.user)

    def view():
        # A phone follows the redirect, whose page shows (and so clears) the message; the
        # bench does not, and without this each take's message would pile up in the cookie,
        # every take then signing all the ones before (earlier runs measured that: +1.7 ms).
        client.cookies.pop("messages", None)
        assert client.post(f"/units/{next(free)}/take/").status_code == 302

    return {
        "take: database's conditional UPDATE": p50(database),
        "take: model function": p50(
            lambda: work.claim_unit(unit_id=next(free), participant=person)
        ),
        "take: phone view": p50(view),
    }


def measure_take_next(world: dict) -> dict:
    order = world["orders"][2]
    barrier = threading.Barrier(len(world["people"]))
    outcomes: list[str] = []

    def run(person):
        try:
            barrier.wait()
            for _ in range(25):
                try:
                    work.take_next(participant=person, order_id=order.pk)
                    outcomes.append("won")
                except work.WorkError as refused:
                    outcomes.append(refused.code)
        except Exception as error:
            outcomes.append(repr(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(p,)) for p in world["people"]]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    held = WorkUnit.objects.filter(order=order, status="claimed").values("pk")
    doubles = len(outcomes) and outcomes.count("won") - held.count()
    return {
        "take-next 8×25: success %": 100 * outcomes.count("won") / max(1, len(outcomes)),
        "take-next 8×25: errors": sum(o not in {"won", "taken", "none_left"} for o in outcomes),
        "take-next 8×25: double holders": abs(doubles),
    }


def split_through_the_worker(world: dict, units: int) -> float:
    """Seconds to publish a split of `units` units of 10 along the worker's path, as in
    production (TASKS_BACKEND=database): the request writes the job, the worker publishes it
    batch by batch, each batch a transaction of its own. (The tests' immediate backend would run
    it inside the request's transaction instead.) ANALYZE is left out: it follows in the worker."""
    order = factories.OrderFactory(
        workshop=world["workshop"], company=world["company"], quantity=10 * units
    )
    analyze, work.analyze_units = work.analyze_units, lambda: None
    worker = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}
    started = time.perf_counter()
    with override_settings(TASKS=worker):
        job = work.split_order(order=order, by=world["staff"], sizes=[10] * units).job
    work.publish_split_job(job_id=job.pk)
    seconds = time.perf_counter() - started
    work.analyze_units = analyze
    return seconds


def measure_split(world: dict, scale: str) -> dict:
    """A 100,000-unit split, then the today page before ANALYZE: how the page fares on stale
    statistics. At 1m, a 1,000,000-unit split too."""
    table = WorkUnit._meta.db_table
    postgresql = connection.vendor == "postgresql"
    if postgresql:
        # Statistics kept stale on purpose: autovacuum would otherwise ANALYZE the 100,000 new
        # rows while the page is measured (fresh statistics, and a core busy with it).
        sql(f"ALTER TABLE {table} SET (autovacuum_enabled = off)")
    # Compared with the same person's page just before the split: by now the takes above have
    # put units in their hands, which their page shows (a page of more rows, not of more data).
    person = signed_in(world["participant"].user)
    figures = {"today page just before the split": page(person, "/today/")}
    figures["split 100,000 units: s"] = split_through_the_worker(world, 100_000)
    if postgresql:
        # The split's pages written out first, as the checkpointer does in the seconds after:
        # what is measured is the plan on stale statistics, not the disk catching up.
        sql("CHECKPOINT")
    figures["today page right after the split (stale statistics)"] = page(person, "/today/")
    if postgresql:
        sql(f"ALTER TABLE {table} RESET (autovacuum_enabled)")
    work.analyze_units()
    if scale == "1m":
        figures["split 1,000,000 units: s"] = split_through_the_worker(world, 1_000_000)
        work.analyze_units()
    return figures


TARGETS = {
    "take: model function": "≤ 3 ms",
    "take: phone view": "≤ 6 ms",
    "take-next 8×25: success %": "≥ 95",
    "take-next 8×25: errors": "0",
    "take-next 8×25: double holders": "0",
    "split 100,000 units: s": "≤ 2 (PostgreSQL), ≤ 4 (SQLite)",
    "split 1,000,000 units: s": "≤ 20 (PostgreSQL)",
    "today page right after the split (stale statistics)": "≤ 1.3× just before",
}
PAGES = (
    "today page",
    "units API",
    "staff home",
    "order board",
    "review queue",
    "company order list",
)


def main(scale: str) -> None:
    units = SCALES[scale.lower()]
    setup_test_environment()
    setup_databases(verbosity=0, interactive=False)
    began = load()
    world = build(units)
    figures = {f"build: {name} (s)": seconds for name, seconds in world["took"].items()}
    figures.update(measure_pages(world))
    figures.update(measure_take(world))
    figures.update(measure_take_next(world))
    figures.update(measure_split(world, scale.lower()))
    figures.update(measure_import(world))  # digital work's items (tests/bench/intake.py)
    ended = load()
    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    (BENCH_DIR / f"{connection.vendor}-{scale}.json").write_text(json.dumps(figures))
    baseline_file = BENCH_DIR / f"{connection.vendor}-1k.json"
    baseline = json.loads(baseline_file.read_text()) if baseline_file.exists() else {}
    floor = figures["floor (minimal Django view)"]

    print(
        f"\nEngawa at {scale} ({world['units']:,} units) on {connection.vendor} "
        f"(p50 of {REPEATS}; ms unless said)"
    )
    print(f"load average (1/5/15 min) at start {began}, at end {ended}\n")
    print("| measure | figure | target | ×floor | ×1k |")
    print("| --- | ---: | --- | ---: | ---: |")
    for name, figure in figures.items():
        target = {**TARGETS, **IMPORT_TARGETS}.get(name, "≤ 1.3× at 1k" if name in PAGES else "")
        if name == "today page right after the split (stale statistics)":
            before = figures["today page just before the split"]
            versus_floor = f"{figure / before:.2f}× before"
        else:
            versus_floor = f"{figure / floor:.1f}" if name in PAGES or "view" in name else ""
        ratio = f"{figure / baseline[name]:.2f}" if name in PAGES and name in baseline else ""
        print(f"| {name} | {figure:,.1f} | {target} | {versus_floor} | {ratio} |")
    print()
    os._exit(0)  # the bench database is left for a look; the next run makes it again


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else os.environ.get("SCALE", "1k"))
