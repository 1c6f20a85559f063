"""Personas for two workshops and two companies. Everything owned by "a" must stay invisible
to everyone of "b", and the other way round."""

import datetime
import os
import re
import tomllib
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import timezone, translation

from companies.models import CompanyMembership
from tests import factories
from workshop.models import StaffMembership


@pytest.fixture(autouse=True)
def default_language():
    """Each test starts in the site's default language (Japanese), whatever the test before it
    left active: a request in English activates English on the thread, and a rule's message
    computed afterwards would come out in English in a test that expects the default."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.deactivate()


@pytest.fixture
def today() -> datetime.date:
    """The site's day (Japan's, TIME_ZONE) when the test runs. Read here, at the test's setup,
    never at import: a module-level `TODAY = timezone.localdate()` goes stale in a run that
    crosses midnight in Japan (15:00 UTC) while the rules read the day afresh
    (tests/test_no_import_time_dates.py keeps such constants out)."""
    return timezone.localdate()


@pytest.fixture
def in_three_weeks(today) -> datetime.date:
    """A delivery date three weeks after `today`."""
    return today + datetime.timedelta(days=21)


@pytest.fixture
def workshop_a(db):
    return factories.WorkshopFactory(name="ひだまり作業所", slug="hidamari")


@pytest.fixture
def workshop_b(db):
    return factories.WorkshopFactory(name="みなと作業所", slug="minato")


@pytest.fixture
def staff_a(workshop_a):
    return factories.StaffMembershipFactory(
        workshop=workshop_a, user__email="staff-a@example.com"
    ).user


@pytest.fixture
def manager_a(workshop_a):
    return factories.StaffMembershipFactory(
        workshop=workshop_a, role=StaffMembership.Role.MANAGER, user__email="manager-a@example.com"
    ).user


@pytest.fixture
def staff_b(workshop_b):
    return factories.StaffMembershipFactory(
        workshop=workshop_b, user__email="staff-b@example.com"
    ).user


@pytest.fixture
def manager_b(workshop_b):
    return factories.StaffMembershipFactory(
        workshop=workshop_b, role=StaffMembership.Role.MANAGER, user__email="manager-b@example.com"
    ).user


@pytest.fixture
def company_a(workshop_a):
    company = factories.CompanyFactory(name="丘の上印刷", slug="okanoue-print")
    factories.PartnershipFactory(company=company, workshop=workshop_a)
    return company


@pytest.fixture
def company_b(workshop_b):
    company = factories.CompanyFactory(name="まちかど商店", slug="machikado")
    factories.PartnershipFactory(company=company, workshop=workshop_b)
    return company


@pytest.fixture
def member_a(company_a):
    return factories.CompanyMembershipFactory(
        company=company_a, user__email="member-a@example.com"
    ).user


@pytest.fixture
def company_admin_a(company_a):
    return factories.CompanyMembershipFactory(
        company=company_a, role=CompanyMembership.Role.ADMIN, user__email="admin-a@example.com"
    ).user


@pytest.fixture
def member_b(company_b):
    return factories.CompanyMembershipFactory(
        company=company_b, user__email="member-b@example.com"
    ).user


@pytest.fixture
def participant_a(workshop_a):
    return factories.ParticipantFactory(
        workshop=workshop_a, nickname="そら", user__email="sora@example.com"
    )


@pytest.fixture
def participant_b(workshop_b):
    return factories.ParticipantFactory(
        workshop=workshop_b, nickname="うみ", user__email="umi@example.com"
    )


@pytest.fixture
def order_a(workshop_a, company_a):
    return factories.OrderFactory(workshop=workshop_a, company=company_a, title="DM封入 3月号")


@pytest.fixture
def order_b(workshop_b, company_b):
    return factories.OrderFactory(workshop=workshop_b, company=company_b, title="商品データ入力")


FOCUSED_RULE_TESTS = ("tests/jobs/test_work_rules.py", "tests/work/test_suggestions.py")


def mutmut_selection() -> tuple[str, ...]:
    """The tests mutmut chooses each mutant's tests from (pyproject.toml, [tool.mutmut])."""
    with (Path(__file__).resolve().parents[1] / "pyproject.toml").open("rb") as file:
        return tuple(tomllib.load(file)["tool"]["mutmut"]["pytest_add_cli_args_test_selection"])


def refuse_ids_mutmut_cannot_run(items) -> None:
    """mutmut runs a mutant's tests by their ids, and could not find tests whose ids had
    spaces, commas or characters beyond ASCII (pytest writes those as `\\xd7`): the whole
    module's mutation run then stops at its clean run. Refused here, when the test is written."""
    selected = tuple(path + end for path in mutmut_selection() for end in ("/", "::"))
    unrunnable = [
        item.nodeid
        for item in items
        if item.nodeid.startswith(selected) and re.search(r"[\s,\\]", item.nodeid)
    ]
    if unrunnable:
        raise pytest.UsageError(
            "Test ids with spaces, commas or escaped characters cannot be run by mutmut "
            "(make mutate); give their parameters plain ids: " + ", ".join(unrunnable[:5])
        )


def pytest_collection_modifyitems(config, items):
    """Under `make mutate` (mutmut names the mutant in MUTANT_UNDER_TEST), run the focused rule
    tests first and the slow ones (threads on a flushed database) last: a mutant that a focused
    test kills then stops (-x) after seconds, not after the concurrency tests."""
    refuse_ids_mutmut_cannot_run(items)
    if "__mutmut_" not in os.environ.get("MUTANT_UNDER_TEST", ""):
        return

    def cost(item) -> int:
        marker = item.get_closest_marker("django_db")
        if "transactional_db" in item.fixturenames or (marker and marker.kwargs.get("transaction")):
            return 2
        return 0 if item.nodeid.startswith(FOCUSED_RULE_TESTS) else 1

    items.sort(key=cost)
