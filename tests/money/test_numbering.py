"""Document numbers: gapless per workshop, kind and fiscal year, and distinct and consecutive
when several staff issue at the same moment (real threads, on SQLite and PostgreSQL alike)."""

import datetime
import threading

import pytest
from django.db import connection, transaction

from jobs import money, numbering
from jobs.money_models import DocumentKind
from participants import wages
from participants.models import WageStatement
from tests import factories
from tests.money.conftest import approved_work, this_month

INVOICE = DocumentKind.INVOICE


@pytest.mark.parametrize(
    ("day", "start", "year"),
    [
        (datetime.date(2027, 3, 31), 4, 2026),
        (datetime.date(2027, 4, 1), 4, 2027),
        (datetime.date(2026, 12, 31), 1, 2026),
        (datetime.date(2026, 9, 30), 10, 2025),
    ],
)
def test_the_fiscal_year_starts_in_april_unless_the_workshop_says_otherwise(day, start, year):
    assert numbering.fiscal_year_of(day, start_month=start) == year


def take(workshop, kind=INVOICE, on=datetime.date(2026, 11, 20)) -> str:
    with transaction.atomic():
        return numbering.take_number(workshop=workshop, kind=kind, on=on)[0]


def test_each_workshop_kind_and_fiscal_year_counts_on_its_own(workshop_a, workshop_b):
    assert [take(workshop_a), take(workshop_a), take(workshop_b)] == [
        "INV-2026-000001",
        "INV-2026-000002",
        "INV-2026-000001",
    ]
    assert take(workshop_a, DocumentKind.WAGE_STATEMENT) == "PAY-2026-000001"
    assert take(workshop_a, DocumentKind.RETURN_INVOICE) == "RET-2026-000001"
    assert take(workshop_a, on=datetime.date(2027, 3, 31)) == "INV-2026-000003"
    assert take(workshop_a, on=datetime.date(2027, 4, 1)) == "INV-2027-000001"


def test_a_workshop_with_a_calendar_fiscal_year_restarts_in_january(workshop_a):
    settings = money.settings_for(workshop_a)
    settings.fiscal_year_start_month = 1
    settings.save()

    assert take(workshop_a, on=datetime.date(2026, 12, 31)) == "INV-2026-000001"
    assert take(workshop_a, on=datetime.date(2027, 1, 1)) == "INV-2027-000001"


def test_an_issue_that_is_rolled_back_gives_its_number_back(workshop_a):
    with pytest.raises(RuntimeError), transaction.atomic():
        numbering.take_number(workshop=workshop_a, kind=INVOICE, on=datetime.date(2026, 11, 20))
        raise RuntimeError("the issue failed after taking a number")

    assert take(workshop_a) == "INV-2026-000001"


def test_a_number_is_only_taken_inside_the_issuing_transaction(transactional_db, workshop_a):
    with pytest.raises(RuntimeError):
        numbering.take_number(workshop=workshop_a, kind=INVOICE, on=datetime.date(2026, 11, 20))


def run_at_once(count: int, action) -> list:
    barrier = threading.Barrier(count)
    outcomes: list = []

    def worker(index):
        try:
            barrier.wait()
            outcomes.append(action(index))
        except Exception as error:  # any failure is an outcome to assert on
            outcomes.append(repr(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


def test_eight_numbers_taken_at_once_are_distinct_and_consecutive(transactional_db, workshop_a):
    numbers = run_at_once(8, lambda _i: take(workshop_a))

    assert sorted(numbers) == [f"INV-2026-{n:06d}" for n in range(1, 9)]


def test_two_staff_issuing_statements_at_the_same_moment_get_consecutive_numbers(
    transactional_db, workshop_a, company_a
):
    first = factories.StaffMembershipFactory(workshop=workshop_a).user
    second = factories.StaffMembershipFactory(workshop=workshop_a).user
    order = factories.OrderFactory(workshop=workshop_a, company=company_a)
    statements = []
    for nickname in ("そら", "はる"):
        person = factories.ParticipantFactory(workshop=workshop_a, nickname=nickname)
        approved_work(order, person, quantity=10, by=first)
        statement = wages.draft_statement(participant=person, month=this_month(), by=first)
        statements.append(wages.check_statement(statement=statement, by=first))
    staff = [first, second]

    outcomes = run_at_once(
        2,
        lambda i: wages.issue_statement(statement=statements[i], by=staff[i]).number,
    )

    fiscal_year = numbering.fiscal_year_of(this_month())
    assert sorted(outcomes) == [f"PAY-{fiscal_year}-000001", f"PAY-{fiscal_year}-000002"]
    assert set(WageStatement.objects.values_list("status", flat=True)) == {"issued"}
