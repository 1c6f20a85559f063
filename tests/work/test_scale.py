"""Issue 14: pages cost the same however many units there are; take in four statements; take-next
without herding; counters equal to a recount; a split of 100,000 units in a few statements.
Asserted by query counts, rows and plans, never by time."""

import datetime
import threading
import uuid

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jobs import counters, review, work
from jobs.models import Order, UnitEvent, WorkUnit
from tests import factories
from tests.work.conftest import queries_for

Status = WorkUnit.Status


def statements(context) -> list[str]:
    """The captured statements, without the savepoints the test's own transaction adds."""
    return [
        query["sql"]
        for query in context.captured_queries
        if not query["sql"].upper().startswith(("SAVEPOINT", "RELEASE SAVEPOINT", "ROLLBACK TO"))
    ]


def assert_counters_match(*orders) -> None:
    for order in orders:
        assert counters.stored(order.pk) == counters.recount(order.pk)


# --- pages: the same queries at any size ---------------------------------------------------


def page_urls(workshop, order, company) -> dict[str, str]:
    return {
        "today": "/today/",
        "units api": "/api/v1/me/units/",
        "staff home": f"/w/{workshop.slug}/",
        "board": f"/w/{workshop.slug}/work/orders/{order.pk}/board/",
        "review": f"/w/{workshop.slug}/work/review/",
        "company orders": f"/c/{company.slug}/orders/",
    }


def test_every_page_makes_the_same_queries_for_10_and_3000_units(
    workshop_a, company_a, order_a, staff_a, member_a, participant_a
):
    other = factories.ParticipantFactory(workshop=workshop_a, nickname="はる")
    work.publish_units(order=order_a, by=staff_a, sizes=[10] * 10)
    for unit in WorkUnit.objects.filter(order=order_a)[:3]:
        work.claim_unit(unit_id=unit.pk, participant=other)
    clients = {
        "participant": Client(),
        "staff": Client(),
        "member": Client(),
    }
    clients["participant"].force_login(participant_a.user)
    clients["staff"].force_login(staff_a)
    clients["member"].force_login(member_a)
    who = {
        "today": "participant",
        "units api": "participant",
        "staff home": "staff",
        "board": "staff",
        "review": "staff",
        "company orders": "member",
    }
    urls = page_urls(workshop_a, order_a, company_a)
    for name, url in urls.items():
        queries_for(clients[who[name]], url)  # warm: sessions, caches
    few = {name: queries_for(clients[who[name]], url) for name, url in urls.items()}

    Order.objects.filter(pk=order_a.pk).update(quantity=100_000)
    order_a.refresh_from_db()
    work.publish_units(order=order_a, by=staff_a, sizes=[10] * 1990)
    second = factories.OrderFactory(workshop=workshop_a, company=company_a, quantity=10_000)
    work.publish_units(order=second, by=staff_a, sizes=[10] * 1000)

    many = {name: queries_for(clients[who[name]], url) for name, url in urls.items()}
    assert many == few
    assert_counters_match(order_a, second)


def test_the_board_counts_come_from_the_counters_and_expired_claims_count_as_open(
    workshop_a, order_a, staff_a, participant_a
):
    work.publish_units(order=order_a, by=staff_a, sizes=[10] * 6)
    units = list(WorkUnit.objects.filter(order=order_a).order_by("number"))
    work.claim_unit(unit_id=units[0].pk, participant=participant_a)
    work.claim_unit(unit_id=units[1].pk, participant=participant_a)
    WorkUnit.objects.filter(pk=units[1].pk).update(
        expires_at=timezone.now() - datetime.timedelta(minutes=1)
    )
    client = Client()
    client.force_login(staff_a)

    response = client.get(f"/w/{workshop_a.slug}/work/orders/{order_a.pk}/board/")

    counts = response.context["counts"]
    assert (counts["all"], counts["open"], counts["taken"]) == (6, 5, 1)
    assert response.context["left"] == order_a.quantity - 60


# --- issue 11: offers show what is left -----------------------------------------------------


@pytest.fixture
def expired_with_work(order_a, participant_a, workshop_a):
    """Someone else's expired claim on 20 items, 8 of them logged: 12 are left to do."""
    holder = factories.ParticipantFactory(workshop=workshop_a, nickname="はる")
    unit = factories.WorkUnitFactory(order=order_a, quantity=20, estimated_minutes=40)
    work.claim_unit(unit_id=unit.pk, participant=holder)
    work.log_progress(
        unit=unit, participant=holder, client_uuid=uuid.uuid4(), quantity=8, minutes=15
    )
    WorkUnit.objects.filter(pk=unit.pk).update(
        expires_at=timezone.now() - datetime.timedelta(minutes=1)
    )
    return unit


def test_an_expired_claim_with_logged_work_is_offered_as_what_is_left(
    client, participant_a, expired_with_work
):
    from jobs.money import unit_pay_estimate

    client.force_login(participant_a.user)

    offered = client.get("/api/v1/me/units/").json()
    today = client.get("/today/").context["available_units"]
    page = client.get(f"/api/v1/me/units/{expired_with_work.pk}/").json()

    left = WorkUnit(order=expired_with_work.order, quantity=12, estimated_minutes=40 * 12 // 20)
    pay = unit_pay_estimate(left, participant_a.workshop)
    assert [(unit["id"], unit["quantity"], unit["pay_estimate_yen"]) for unit in offered] == [
        (expired_with_work.pk, 12, pay)
    ]
    assert [unit.quantity for unit in today] == [12]
    assert (page["quantity"], page["pay_estimate_yen"]) == (12, pay)


def test_taking_it_says_that_what_is_now_yours_is_the_rest(
    client, participant_a, expired_with_work
):
    from tests.i18n import ja

    client.force_login(participant_a.user)

    response = client.post(f"/units/{expired_with_work.pk}/take/", follow=True)

    mine = WorkUnit.objects.get(holder=participant_a, status=Status.CLAIMED)
    assert mine.pk != expired_with_work.pk and mine.quantity == 12
    assert response.redirect_chain[-1][0] == f"/units/{mine.pk}/"
    html = response.content.decode()
    assert ja(
        "Part of it was already done, so what is yours now is the rest: "
        "%(quantity)s %(label)s (about %(pay)s). Take your time.",
        quantity="12",
        label=mine.order.unit_label,
        pay=ja("¥%(amount)s", amount=f"{_pay(mine, participant_a):,}"),
    ) in html.replace("&amp;", "&")
    assert_counters_match(mine.order)


def _pay(unit, participant) -> int:
    from jobs.money import unit_pay_estimate

    return unit_pay_estimate(unit, participant.workshop)


# --- take -----------------------------------------------------------------------------------


def test_the_phones_take_reads_the_persons_record_only_in_its_lock(client, order_a, participant_a):
    """The take's page: the session, the user, then the take's four statements (the lock
    reading the person's own record) and the order it shows, and no other read."""
    unit = factories.WorkUnitFactory(order=order_a)
    client.force_login(participant_a.user)

    with CaptureQueriesContext(connection) as context:
        response = client.post(f"/units/{unit.pk}/take/")

    assert response.status_code == 302
    done = [sql for sql in statements(context) if sql.upper() not in {"BEGIN", "COMMIT"}]
    assert len(done) == 7, done
    reads_of_the_person = [sql for sql in done if 'FROM "participants_participant"' in sql]
    assert len(reads_of_the_person) == 1 and reads_of_the_person == [done[2]], done
    assert WorkUnit.objects.get(pk=unit.pk).holder_id == participant_a.pk


def test_the_phones_take_is_not_found_for_a_user_without_a_participant_record(
    client, order_a, staff_a
):
    unit = factories.WorkUnitFactory(order=order_a)
    client.force_login(staff_a)
    assert client.post(f"/units/{unit.pk}/take/").status_code == 404
    assert WorkUnit.objects.get(pk=unit.pk).status == Status.OPEN


def test_taking_an_open_unit_is_four_statements(order_a, participant_a):
    """Lock the taker, the UPDATE … RETURNING that decides (availability and the hold limit in
    its WHERE), counters, event. On PostgreSQL the hold limit is counted in the UPDATE, after
    the lock is held (jobs.work._has_room says why); this runs on both databases."""
    unit = factories.WorkUnitFactory(order=order_a)
    participant = type(participant_a).objects.select_related("workshop").get(pk=participant_a.pk)

    with CaptureQueriesContext(connection) as context:
        taken = work.claim_unit(unit_id=unit.pk, participant=participant)

    assert len(statements(context)) == 4, statements(context)
    assert "UPDATE" in statements(context)[1] and "RETURNING" in statements(context)[1]
    assert (taken.pk, taken.status, taken.holder_id) == (unit.pk, Status.CLAIMED, participant.pk)
    assert taken.expires_at is not None and taken.claimed_at is not None
    assert UnitEvent.objects.filter(unit=unit, kind=UnitEvent.Kind.CLAIMED).count() == 1
    assert_counters_match(order_a)


def test_different_people_are_offered_different_units_of_one_order(workshop_a, order_a, staff_a):
    from jobs.offers import offered_units

    work.publish_units(order=order_a, by=staff_a, sizes=[10] * 20)
    people = factories.ParticipantFactory.create_batch(8, workshop=workshop_a)

    offered = {offered_units(person, limit=10)[0].pk for person in people}

    assert len(offered) == 8


def test_take_next_gives_the_next_open_unit_and_says_calmly_when_none_is_left(
    workshop_a, order_a, staff_a, participant_a
):
    work.publish_units(order=order_a, by=staff_a, sizes=[10, 10])
    first = work.take_next(participant=participant_a, order_id=order_a.pk)
    second = work.take_next(participant=participant_a)

    assert {first.number, second.number} == {1, 2}
    with pytest.raises(work.WorkError) as refused:
        work.take_next(participant=participant_a, order_id=order_a.pk)
    assert refused.value.code == "none_left"
    assert_counters_match(order_a)


def test_take_next_through_the_page(client, workshop_a, order_a, staff_a, participant_a):
    work.publish_units(order=order_a, by=staff_a, sizes=[10, 10])
    client.force_login(participant_a.user)

    response = client.post("/units/next/", {"order": order_a.pk})

    mine = WorkUnit.objects.get(holder=participant_a)
    assert response.status_code == 302 and response["Location"] == f"/units/{mine.pk}/"


@pytest.mark.django_db(transaction=True)
def test_eight_people_taking_next_at_once_each_get_their_own_units(workshop_a, staff_a):
    company = factories.CompanyFactory()
    factories.PartnershipFactory(company=company, workshop=workshop_a)
    order = factories.OrderFactory(workshop=workshop_a, company=company, quantity=2000)
    work.publish_units(order=order, by=staff_a, sizes=[10] * 200)
    type(workshop_a).objects.filter(pk=workshop_a.pk).update(hold_limit=100)
    people = factories.ParticipantFactory.create_batch(8, workshop=workshop_a)
    barrier = threading.Barrier(len(people))
    outcomes: list[str] = []

    def take(person):
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

    threads = [threading.Thread(target=take, args=(person,)) for person in people]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert len(outcomes) == 200
    assert all(outcome in {"won", "none_left"} for outcome in outcomes), outcomes
    assert outcomes.count("won") >= 190
    held = WorkUnit.objects.filter(order=order, status=Status.CLAIMED)
    assert held.count() == outcomes.count("won")
    assert UnitEvent.objects.filter(unit__order=order, kind=UnitEvent.Kind.CLAIMED).count() == (
        outcomes.count("won")
    )
    assert_counters_match(order)


# --- counters -------------------------------------------------------------------------------

STEPS = st.lists(
    st.tuples(
        st.sampled_from(
            ["take", "take_next", "log", "finish", "release", "expire", "approve", "redo", "part"]
        ),
        st.integers(min_value=0, max_value=30),
    ),
    max_size=25,
)


@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
@given(steps=STEPS)
def test_counters_equal_a_recount_after_any_sequence_of_rules(
    steps, django_db_blocker, workshop_a, company_a, staff_a
):
    order = factories.OrderFactory(workshop=workshop_a, company=company_a, quantity=500)
    people = factories.ParticipantFactory.create_batch(2, workshop=workshop_a)
    work.publish_units(order=order, by=staff_a, sizes=[20] * 5 + [7])
    for action, pick in steps:
        units = list(WorkUnit.objects.filter(order=order).order_by("number"))
        unit = units[pick % len(units)]
        person = people[pick % 2]
        try:
            if action == "take":
                work.claim_unit(unit_id=unit.pk, participant=person)
            elif action == "take_next":
                work.take_next(participant=person, order_id=order.pk)
            elif action == "log" and unit.holder_id:
                work.log_progress(
                    unit=unit,
                    participant=unit.holder,
                    client_uuid=uuid.uuid4(),
                    quantity=min(3, unit.quantity),
                    minutes=5,
                )
            elif action == "finish" and unit.holder_id:
                work.finish_unit(unit=unit, participant=unit.holder)
            elif action == "release" and unit.holder_id:
                work.release_unit(unit=unit, participant=unit.holder)
            elif action == "expire":
                WorkUnit.objects.filter(pk=unit.pk, status=Status.CLAIMED).update(
                    expires_at=timezone.now() - datetime.timedelta(minutes=1)
                )
            elif action == "approve":
                review.approve_unit(unit=unit, by=staff_a)
            elif action == "redo":
                review.ask_redo(unit=unit, by=staff_a, note="もう一度")
            elif action == "part" and unit.quantity > 1:
                review.approve_part(unit=unit, by=staff_a, quantity=1)
        except work.WorkError:
            pass
        assert counters.stored(order.pk) == counters.recount(order.pk), (action, pick)


def test_counters_equal_a_recount_after_the_demo(db):
    call_command("seed_demo", verbosity=0)

    orders = list(Order.objects.all())
    assert orders
    assert [counters.stored(order.pk) for order in orders] == [
        counters.recount(order.pk) for order in orders
    ]


def test_the_backfill_migration_sets_the_counters_from_the_units(order_a, staff_a, participant_a):
    import importlib

    from django.apps import apps

    backfill = importlib.import_module("jobs.migrations.0010_backfill_order_counters").backfill
    work.publish_units(order=order_a, by=staff_a, sizes=[10] * 5)
    unit = WorkUnit.objects.filter(order=order_a).first()
    work.claim_unit(unit_id=unit.pk, participant=participant_a)
    expected = counters.recount(order_a.pk)
    Order.objects.filter(pk=order_a.pk).update(**dict.fromkeys(counters.COUNTERS, 0))

    backfill(apps, None)

    assert counters.stored(order_a.pk) == expected
    assert expected["units_total"] == 5 and expected["units_claimed"] == 1


# --- split ----------------------------------------------------------------------------------


def test_a_split_of_100000_units_is_a_few_statements_per_batch(order_a, staff_a):
    Order.objects.filter(pk=order_a.pk).update(quantity=300_000)
    order_a.refresh_from_db()
    sizes = [3] * 99_999 + [1]

    with CaptureQueriesContext(connection) as context:
        outcome = work.split_order(order=order_a, by=staff_a, sizes=sizes)

    assert outcome.job is not None
    outcome.job.refresh_from_db()
    assert (outcome.job.status, outcome.job.done_count) == ("done", 100_000)
    batches = 100_000 // work.BULK_BATCH
    assert len(statements(context)) <= 20 + 12 * batches, len(statements(context))
    assert WorkUnit.objects.filter(order=order_a).count() == 100_000
    assert not UnitEvent.objects.filter(unit__order=order_a).exists()  # the job is the record
    numbers = WorkUnit.objects.filter(order=order_a).order_by("number")
    assert list(numbers.values_list("number", flat=True)[:2]) == [1, 2]
    last = numbers.last()
    assert (last.number, last.quantity, last.status) == (100_000, 1, Status.OPEN)
    assert_counters_match(order_a)


def test_a_split_of_many_different_sizes_is_one_prepared_statement(order_a, staff_a):
    sizes = [1, 2] * 30

    with CaptureQueriesContext(connection) as context:
        work.publish_units(order=order_a, by=staff_a, sizes=sizes)

    inserts = [sql for sql in statements(context) if "INSERT INTO" in sql and "workunit" in sql]
    assert len(inserts) <= 2
    assert (
        list(
            WorkUnit.objects.filter(order=order_a)
            .order_by("number")
            .values_list("quantity", flat=True)
        )
        == sizes
    )
    assert_counters_match(order_a)
