"""The three APIs fuzzed with schemathesis against the schema they serve, as the people who use
them: a company's token, a workshop's staff member (session), a participant (session).

Stateless: every operation with generated (and mutated) parameters and bodies. Stateful: the
links of the schema (workshop/api_schema.link_created_objects: a created order leads to its
files, messages, cancel …) walked as sequences. All of schemathesis's checks run: no 5xx,
every response matches its schema, every status is documented, refusals of invalid data.

Two checks are left out, each for its reason (EXCLUDED below). Kept small and derandomized
(the same cases every run) so that it takes seconds in `make test` and never flakes in CI;
`FUZZ_EXAMPLES=200` runs it harder.

The schema is loaded at module level from the WSGI app (schemathesis 4's from_fixture does not
load on pytest 9)."""

import datetime
import os

import pytest
import schemathesis
from django.core.cache import cache
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.utils import timezone
from hypothesis import HealthCheck, settings
from schemathesis.core.failures import AcceptedNegativeData
from schemathesis.specs.openapi.checks import ignored_auth, positive_data_acceptance

from companies.models import CompanyMembership
from companies.tokens import create_token
from jobs.models import Order
from tests import factories

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "2"))
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)
STATEFUL = settings(
    max_examples=max(2, EXAMPLES // 2),
    stateful_step_count=4,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)
# Every check of schemathesis runs, but two, each for a reason:
# - positive_data_acceptance: a rule beyond the schema may refuse a schema-valid request (a
#   delivery date in the past, a workshop the company does not order from, an id that names
#   nothing); it answers 400 / 404 / 409 with a code, which the other checks hold to the schema.
# - ignored_auth: in process, the request it sends "without" the persona's credentials still
#   reached the view signed in (the WSGI test client's state); tests/api, tests/staff_api and
#   the isolation matrix check unauthenticated and wrongly authenticated calls directly.
EXCLUDED = [positive_data_acceptance, ignored_auth]
SESSION_EXCLUDED = EXCLUDED


class Handler(WSGIHandler):
    """The project's WSGI app, with the CSRF check off for session writes (as Django's test
    client does): the fuzzer cannot read a form's token. tests/api checks CSRF itself."""

    def get_response(self, request):
        request._dont_enforce_csrf_checks = True
        response = super().get_response(request)
        # No cookie is kept between calls: each carries exactly the persona's (or, in the
        # checks for ignored authentication, none), never a refreshed session from before.
        response.cookies.clear()
        return response


APP = Handler()
schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", APP)
FORM_TYPES = ("multipart/form-data", "application/x-www-form-urlencoded")


@schemathesis.hook
def filter_failure(context, failure, case, response) -> bool:
    """Two kinds of ST201 ("schema-violating request accepted") are dropped, each harmless;
    every other schema-violating request still fails.
    - "Incorrect type" between text and number: DRF reads a number sent for a text field as
      its text, and a numeric text sent for a number as the number (in a form body every value
      is text anyway). Booleans and moments are strict (companies/api_fields.py, enforced by
      tests/fuzz/test_hostile_inputs.py), and the hostile properties bound every value.
    - An empty list or empty string in a form-encoded body arrives as no part at all (a list
      has no items to send; the WSGI transport leaves empty parts out), which the server cannot
      tell from an optional field left out."""
    if not isinstance(failure, AcceptedNegativeData):
        return True
    if "incorrect type" in failure.message.lower():
        return False
    emptied = isinstance(case.body, dict) and any(v in ([], "") for v in case.body.values())
    return not (emptied and case.media_type in FORM_TYPES)


# Who is calling now: set by the persona fixtures below, read by the auth provider.
CALLER: dict = {}


def as_caller(case):
    """The persona's token or session cookie, put on the case itself (not passed beside it), so
    that schemathesis's checks for ignored authentication know what to take away."""
    if "token" in CALLER:
        case.headers = {**(case.headers or {}), "Authorization": f"Bearer {CALLER['token']}"}
    if "session" in CALLER:
        case.cookies = {**(case.cookies or {}), "sessionid": CALLER["session"]}
    return case


company_api = schema.include(path_regex=r"^/api/v1/(?!staff/|me/)")
staff_api = schema.include(path_regex=r"^/api/v1/staff/")
participant_api = schema.include(path_regex=r"^/api/v1/me/")


@pytest.fixture(autouse=True)
def one_connection_throughout():
    """Requests run inside the test's transaction: the app must not close the connection at
    the end of each request, as Django's test client also arranges."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    cache.clear()
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)
    cache.clear()


@pytest.fixture
def no_rate_limits(settings):
    from rest_framework.settings import api_settings

    rates = dict(api_settings.DEFAULT_THROTTLE_RATES)
    api_settings.DEFAULT_THROTTLE_RATES.update(api_token="100000/min", api_user="100000/min")
    yield
    api_settings.DEFAULT_THROTTLE_RATES.update(rates)


@pytest.fixture
def orders_in_every_state(workshop_a, company_a):
    """Orders of company A at workshop A that the fuzzer's ids may hit, and units to read."""
    soon = timezone.localdate() + datetime.timedelta(days=20)
    made = [
        factories.OrderFactory(
            workshop=workshop_a, company=company_a, status=state, desired_delivery_date=soon
        )
        for state in (Order.Status.DRAFT, Order.Status.SUBMITTED, Order.Status.ACCEPTED)
    ]
    factories.WorkUnitFactory(order=made[-1])
    return made


@pytest.fixture
def caller():
    yield CALLER
    CALLER.clear()


def signed_in(caller: dict, client, user) -> dict:
    """The fuzzer calls as this person with their session cookie."""
    client.force_login(user)
    caller.update(session=client.cookies["sessionid"].value)
    return {}


@pytest.fixture
def as_company(db, caller, company_a, orders_in_every_state, no_rate_limits):
    admin = factories.CompanyMembershipFactory(
        company=company_a, role=CompanyMembership.Role.ADMIN
    ).user
    caller.update(token=create_token(company=company_a, by=admin, name="fuzz")[1])
    return {}


@pytest.fixture
def as_staff(db, caller, client, staff_a, orders_in_every_state, no_rate_limits):
    return signed_in(caller, client, staff_a)


@pytest.fixture
def as_participant(db, caller, client, participant_a, orders_in_every_state, no_rate_limits):
    return signed_in(caller, client, participant_a.user)


# --- stateless ----------------------------------------------------------------------------------


@company_api.parametrize()
@FUZZ
def test_the_company_api_holds_under_fuzzing(case, as_company):
    as_caller(case).call_and_validate(excluded_checks=EXCLUDED)


@staff_api.parametrize()
@FUZZ
def test_the_staff_api_holds_under_fuzzing(case, as_staff):
    as_caller(case).call_and_validate(excluded_checks=SESSION_EXCLUDED)


@participant_api.parametrize()
@FUZZ
def test_the_participant_api_holds_under_fuzzing(case, as_participant):
    as_caller(case).call_and_validate(excluded_checks=SESSION_EXCLUDED)


# --- stateful (links) ---------------------------------------------------------------------------


def run_workflow(api, excluded: list) -> None:
    machine = api.as_state_machine()

    class Workflow(machine):
        def before_call(self, case):
            as_caller(case)

        def validate_response(self, response, case, additional_checks=None, **kwargs):
            case.validate_response(
                response,
                additional_checks=additional_checks,
                excluded_checks=excluded,
                transport_kwargs=kwargs or None,
                recorder=self.recorder,
            )

    Workflow.run(settings=STATEFUL)


def test_the_company_api_holds_along_its_links(as_company):
    run_workflow(company_api, EXCLUDED)


def test_the_staff_api_holds_along_its_links(as_staff):
    run_workflow(staff_api, SESSION_EXCLUDED)


def test_the_participant_api_holds_along_its_links(as_participant):
    run_workflow(participant_api, SESSION_EXCLUDED)


def test_every_api_operation_is_fuzzed():
    """The count of operations in reach, so a filter that drops an API shows here."""
    counts = [len(list(api.get_all_operations())) for api in (company_api, staff_api)]
    counts.append(len(list(participant_api.get_all_operations())))
    assert all(counts) and sum(counts) >= 70, counts
