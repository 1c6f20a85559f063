"""Time and query count of the participant's today page and the staff console home as a
workshop's units grow. Prints a table; asserts nothing. Run by `make bench`.

    uv run python tests/bench/run.py [UNITS ...]      (default: 100 1000 10000)
"""

import datetime
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import (  # noqa: E402
    CaptureQueriesContext,
    setup_databases,
    setup_test_environment,
    teardown_databases,
)
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

from jobs.models import Order, WorkUnit  # noqa: E402
from tests import factories  # noqa: E402

REPEATS = 15


def build_workshop(size: int, tag: str):
    """One workshop with `size` units over a few orders: most open, some handed in or approved
    by another participant, three held by the participant being measured."""
    workshop = factories.WorkshopFactory(slug=f"bench-{tag}")
    staff = factories.StaffMembershipFactory(workshop=workshop).user
    company = factories.CompanyFactory()
    factories.PartnershipFactory(company=company, workshop=workshop)
    participant = factories.ParticipantFactory(workshop=workshop)
    other = factories.ParticipantFactory(workshop=workshop)
    orders = [
        factories.OrderFactory(workshop=workshop, company=company, status=Order.Status.ACCEPTED)
        for _ in range(5)
    ]
    factories.OrderFactory.create_batch(
        5, workshop=workshop, company=company, status=Order.Status.SUBMITTED
    )
    now = timezone.now()
    units = []
    for i in range(size):
        unit = WorkUnit(
            order=orders[i % len(orders)],
            workshop=workshop,
            number=i + 1,
            quantity=50,
            instructions="封筒に案内状を1枚ずつ入れてください。",
        )
        if i < 3:
            unit.status, unit.holder = WorkUnit.Status.CLAIMED, participant
            unit.claimed_at, unit.expires_at = now, now + datetime.timedelta(hours=48)
        elif i % 20 == 0:
            unit.status, unit.holder = WorkUnit.Status.SUBMITTED, other
        elif i % 10 == 0:
            unit.status, unit.holder = WorkUnit.Status.APPROVED, other
        units.append(unit)
    WorkUnit.objects.bulk_create(units, batch_size=2000)
    return workshop, staff, participant


def measure(client: Client, url: str) -> tuple[int, float, float, int]:
    """(status, median ms, worst ms, queries) over REPEATS requests after one warm-up."""
    client.get(url)
    timings = []
    for _ in range(REPEATS):
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            response = client.get(url)
            timings.append((time.perf_counter() - started) * 1000)
    return response.status_code, statistics.median(timings), max(timings), len(queries)


def main(sizes: list[int]) -> None:
    setup_test_environment()
    databases = setup_databases(verbosity=0, interactive=False)
    rows = []
    try:
        for size in sizes:
            workshop, staff, participant = build_workshop(size, str(size))
            pages = [
                ("participant today", participant.user, reverse("participants:today")),
                ("staff console home", staff, reverse("console:home", args=[workshop.slug])),
            ]
            for name, user, url in pages:
                client = Client()
                client.force_login(user)
                rows.append((name, size, *measure(client, url)))
    finally:
        teardown_databases(databases, verbosity=0)

    vendor = connection.vendor
    print(f"\nPages as a workshop grows ({vendor}, median of {REPEATS} requests)\n")
    header = ("page", "units", "status", "median ms", "worst ms", "queries")
    widths = (20, 7, 6, 9, 8, 7)
    print(
        "| "
        + " | ".join(
            f"{h:<{w}}" if i == 0 else f"{h:>{w}}"
            for i, (h, w) in enumerate(zip(header, widths, strict=True))
        )
        + " |"
    )
    print(
        "|"
        + "|".join("-" * (w + 2) if i == 0 else "-" * (w + 1) + ":" for i, w in enumerate(widths))
        + "|"
    )
    for name, size, status, median, worst, queries in rows:
        cells = (name, f"{size:,}", status, f"{median:.1f}", f"{worst:.1f}", queries)
        print(
            "| "
            + " | ".join(
                f"{c:<{w}}" if i == 0 else f"{c!s:>{w}}"
                for i, (c, w) in enumerate(zip(cells, widths, strict=True))
            )
            + " |"
        )
    print()


if __name__ == "__main__":
    main([int(arg) for arg in sys.argv[1:]] or [100, 1000, 10000])
