"""jobs/prepared.py: a statement compiled once and run with new values is exactly the statement
Django compiles for those values, for every prepared statement in the code, over random values;
and what cannot be prepared safely is refused at its first use."""

import datetime

import pytest
from django.db import IntegrityError, transaction
from hypothesis import given, settings
from hypothesis import strategies as st

from jobs import counters, work
from jobs.models import Order, UnitEvent, WorkUnit
from jobs.prepared import Prepared, by_pk_later, compile_update, pipelined
from participants import views
from tests import factories
from workshop import sessions

pytestmark = pytest.mark.django_db

ids = st.integers(min_value=1, max_value=2**31 - 1)
times = st.datetimes(
    min_value=datetime.datetime(2000, 1, 1),
    max_value=datetime.datetime(2100, 1, 1),
    timezones=st.just(datetime.UTC),
)
texts = st.text(max_size=40).filter(lambda text: "\x00" not in text)


def same(prepared: Prepared, shape, **values) -> None:
    """Run twice, so that the second call reuses what the first compiled."""
    for _ in range(2):
        statement, params = prepared.sql(shape, **values)
        fresh_statement, fresh_params = prepared.build(shape, **values)
        assert statement == fresh_statement
        assert params == list(fresh_params)
        assert [type(param) for param in params] == [type(param) for param in fresh_params]


@settings(max_examples=60, deadline=None)
@given(
    works_on_site=st.booleans(),
    limit=st.integers(min_value=1, max_value=50),
    person=ids,
    workshop=ids,
    unit=ids,
    now=times,
    hours=st.integers(min_value=1, max_value=24 * 14),
)
def test_the_take_of_a_chosen_unit(works_on_site, limit, person, workshop, unit, now, hours):
    same(
        work._TAKE_CHOSEN,
        (works_on_site, limit),
        person=person,
        workshop=workshop,
        unit=unit,
        now=now,
        until=now + datetime.timedelta(hours=hours),
    )


@settings(max_examples=40, deadline=None)
@given(by=st.sampled_from(["pk", "user"]), person=ids, unit=st.none() | ids)
def test_the_lock_of_the_taker(by, person, unit):
    same(work._LOCK, by, person=person, unit=unit)


@settings(max_examples=60, deadline=None)
@given(
    unit_id=ids,
    kind=st.sampled_from([str(kind) for kind in work.Kind]),
    actor_id=st.none() | ids,
    participant_id=st.none() | ids,
    quantity=st.none() | st.integers(min_value=0, max_value=10**6),
    note=texts,
    at=times,
)
def test_an_event(unit_id, kind, actor_id, participant_id, quantity, note, at):
    same(
        work._EVENT,
        None,
        unit_id=unit_id,
        kind=kind,
        actor_id=actor_id,
        participant_id=participant_id,
        quantity=quantity,
        note=note,
        at=at,
    )


@settings(max_examples=40, deadline=None)
@given(
    changes=st.dictionaries(
        st.sampled_from(counters.COUNTERS), st.integers(min_value=-5, max_value=5), min_size=1
    ),
    order=ids,
)
def test_a_counters_update(changes, order):
    same(counters._UPDATE, tuple(sorted(changes.items())), order=order)


@settings(max_examples=20, deadline=None)
@given(user=ids)
def test_a_persons_own_record(user):
    same(views._OWN_RECORD, None, user=user)


@settings(max_examples=40, deadline=None)
@given(key=texts, now=times)
def test_a_sessions_read(key, now):
    same(sessions._SESSION, None, key=key, now=now)


@settings(max_examples=20, deadline=None)
@given(pk=ids)
def test_a_users_read_by_pk(pk):
    from jobs.prepared import _BY_PK
    from workshop.models import User

    same(_BY_PK, User, pk=pk)


def test_a_value_written_into_the_sql_text_must_be_in_the_shape():
    def written(_shape, *, unit, least):
        units = WorkUnit.objects.filter(pk=unit).extra(where=[f"quantity > {least}"])
        return units.query.sql_with_params()

    with pytest.raises(ValueError, match="least"):
        Prepared(written).sql(None, unit=1, least=3)


def test_a_value_the_statement_does_not_use_is_refused():
    def unused(_shape, *, unit, ignored):
        return compile_update(WorkUnit.objects.filter(pk=unit), quantity=1)

    with pytest.raises(ValueError, match="ignored"):
        Prepared(unused).sql(None, unit=1, ignored=2)


def test_only_plain_values_are_parameters():
    def by_pk(_shape, *, unit):
        return WorkUnit.objects.filter(pk=unit).query.sql_with_params()

    with pytest.raises(TypeError):
        Prepared(by_pk).sql(None, unit=1.5)


def test_a_none_value_is_a_shape_of_its_own():
    def holder(_shape, *, person):
        return WorkUnit.objects.filter(holder=person).query.sql_with_params()

    prepared = Prepared(holder)
    with_nobody, no_params = prepared.sql(None, person=None)
    with_someone, params = prepared.sql(None, person=7)

    assert "IS NULL" in with_nobody and no_params == []
    assert "IS NULL" not in with_someone and params == [7]


# --- sent ahead, read later: the take's last statements travel with its COMMIT ---------------


@pytest.mark.django_db(transaction=True)
def test_a_row_read_later_is_the_row_as_the_transaction_left_it():
    order = factories.OrderFactory()

    with pipelined(), transaction.atomic():
        counters.added(order.pk, units=3, items=30)
        read = by_pk_later(Order, order.pk)
        nothing = by_pk_later(Order, order.pk + 1_000)

    found = read()
    assert isinstance(found, Order) and found.pk == order.pk and found.title == order.title
    assert (found.units_total, found.items_in_units) == (3, 30)
    assert found.desired_delivery_date == order.desired_delivery_date
    assert nothing() is None


@pytest.mark.django_db(transaction=True)
def test_a_statement_sent_ahead_that_fails_fails_its_transaction_and_nothing_of_it_stays():
    """An error of a statement whose result nobody waited for (on PostgreSQL it is known only
    at the COMMIT) still undoes the whole transaction, counters included."""
    order = factories.OrderFactory()

    with pytest.raises(IntegrityError), pipelined(), transaction.atomic():
        counters.added(order.pk, units=1, items=10)
        work.send_event(10**9, UnitEvent.Kind.CLAIMED)  # no such unit

    assert counters.stored(order.pk)["units_total"] == 0
    assert not UnitEvent.objects.filter(unit_id=10**9).exists()
    # The connection is usable afterwards, outside any pipeline.
    assert Order.objects.filter(pk=order.pk).count() == 1


@pytest.mark.django_db(transaction=True)
def test_a_take_with_its_order_commits_everything_and_gives_the_order_read_with_it():
    person = factories.ParticipantFactory()
    unit = factories.WorkUnitFactory(order__workshop=person.workshop)

    taken = work.claim_unit(unit_id=unit.pk, participant=person, with_order=True)

    assert "order" in taken._state.fields_cache  # no query of its own afterwards
    assert taken.order.pk == unit.order_id and taken.order.unit_label == unit.order.unit_label
    assert taken.order.units_claimed == 1  # read after the take's counters moved
    unit.refresh_from_db()
    assert (unit.status, unit.holder_id) == (WorkUnit.Status.CLAIMED, person.pk)
    assert UnitEvent.objects.filter(unit=unit, kind=UnitEvent.Kind.CLAIMED).count() == 1
