"""Document numbers: gapless per workshop, kind of document and fiscal year, e.g.
INV-2026-000123. A number is taken inside the transaction that issues the document, by locking
the kind's counter row and raising it, so two staff issuing at the same moment wait for each
other and get consecutive numbers, and a rolled-back issue gives its number back (no gap).
PostgreSQL locks the row (SELECT … FOR UPDATE); SQLite's IMMEDIATE transactions (see
workshop/settings.py) serialise the whole issue."""

import datetime

from django.db import IntegrityError, transaction
from django.db.models import F

from jobs import money
from jobs.money_models import DOCUMENT_PREFIX, DocumentCounter, DocumentKind
from workshop.models import Workshop


def fiscal_year_of(day: datetime.date, *, start_month: int = 4) -> int:
    """The fiscal year a day falls in, named by the calendar year it starts in: with the
    Japanese default (April), 2027-03-31 is in fiscal 2026 and 2027-04-01 in fiscal 2027."""
    return day.year if day.month >= start_month else day.year - 1


def format_number(kind: str, fiscal_year: int, sequence: int) -> str:
    return f"{DOCUMENT_PREFIX[DocumentKind(kind)]}-{fiscal_year}-{sequence:06d}"


def take_number(*, workshop: Workshop, kind: str, on: datetime.date) -> tuple[str, int]:
    """The next number of `kind` in the workshop's fiscal year of `on`, and that year. Call it
    inside the transaction that issues the document (it refuses to run outside one)."""
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        raise RuntimeError("take_number must run inside the issuing transaction.")
    fiscal_year = fiscal_year_of(
        on, start_month=money.settings_for(workshop).fiscal_year_start_month
    )
    counters = DocumentCounter.objects.filter(workshop=workshop, kind=kind, fiscal_year=fiscal_year)
    if not counters.select_for_update().exists():
        try:
            # The first number of a year: two issuers may both try to make the counter; the
            # unique constraint lets one win, and the other then waits on its lock.
            with transaction.atomic():
                DocumentCounter.objects.create(
                    workshop=workshop, kind=kind, fiscal_year=fiscal_year, last=0
                )
        except IntegrityError:
            pass
    counter = counters.select_for_update().get()
    counters.filter(pk=counter.pk).update(last=F("last") + 1)
    sequence = counters.values_list("last", flat=True).get()
    return format_number(kind, fiscal_year, sequence), fiscal_year
