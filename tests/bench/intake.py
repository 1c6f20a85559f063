"""Digital work's import at scale (issue 9): a 100,000-row CSV read by the background task's
path, its time and its peak memory (tracemalloc), beside 10,000 rows, so the ratio shows memory
flat in the number of rows. Part of `make bench` (tests/bench/run.py), or alone:
`uv run python tests/bench/intake.py`. Asserts nothing."""

import csv
import io
import os
import sys
import time
import tracemalloc
from pathlib import Path

if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")
    import django

    django.setup()

from django.core.files.uploadedfile import SimpleUploadedFile

from jobs import items
from jobs.models import Order
from tests import factories

TARGETS = {
    "import 100,000 CSV rows: s": "background; no target",
    "import peak memory 100,000 ÷ 10,000 rows": "≤ 1.5 (flat)",
}


def _csv(rows: int) -> bytes:
    out = io.StringIO(newline="")
    writer = csv.writer(out)
    writer.writerow(["商品コード", "商品名", "規格", "価格"])
    for n in range(1, rows + 1):
        writer.writerow(
            [f"M{n:06d}", f"りんごとにんじんのジュース {n}", "1000ml", f"{198 + n % 900:,}"]
        )
    return out.getvalue().encode("cp932")


def _import(world: dict, rows: int, *, traced: bool) -> tuple[float, int]:
    order = factories.OrderFactory(
        workshop=world["workshop"], company=world["company"], kind=Order.Kind.DIGITAL, quantity=1
    )
    data = _csv(rows)
    upload = SimpleUploadedFile("items.csv", data)
    if traced:
        tracemalloc.start()
    started = time.perf_counter()
    record = items.start_import(order=order, by=world["staff"], upload=upload)
    seconds = time.perf_counter() - started
    peak = 0
    if traced:
        peak = tracemalloc.get_traced_memory()[1] - len(data)
        tracemalloc.stop()
    assert record.rows_done == rows, record.message
    return seconds, peak


def measure_import(world: dict) -> dict:
    seconds, _peak = _import(world, 100_000, traced=False)
    _seconds, small = _import(world, 10_000, traced=True)
    _seconds, large = _import(world, 100_000, traced=True)
    return {
        "import 100,000 CSV rows: s": seconds,
        "import peak memory 10,000 rows: MB": small / 1e6,
        "import peak memory 100,000 rows: MB": large / 1e6,
        "import peak memory 100,000 ÷ 10,000 rows": large / small,
    }


if __name__ == "__main__":
    from django.db import connection
    from django.test.utils import setup_databases, setup_test_environment

    setup_test_environment()
    setup_databases(verbosity=0, interactive=False)
    membership = factories.StaffMembershipFactory()
    world = {
        "workshop": membership.workshop,
        "company": factories.CompanyFactory(),
        "staff": membership.user,
    }
    print(f"\nDigital work's import on {connection.vendor}\n")
    print("| measure | figure | target |")
    print("| --- | ---: | --- |")
    for name, figure in measure_import(world).items():
        print(f"| {name} | {figure:,.2f} | {TARGETS.get(name, '')} |")
    os._exit(0)
