import datetime
import threading
import uuid

import pytest
from django.db import connection
from django.utils import timezone

from jobs import work
from jobs.models import Order, ProgressLog, WorkUnit
from tests import factories


def test_it_splits_into_units_of_a_size_with_a_smaller_last_one():
    assert work.split_sizes(quantity=1050, size=100) == [100] * 10 + [50]
    assert work.split_sizes(quantity=1, size=100) == [1]
    assert work.split_sizes(quantity=300, sizes=[100, 150, 50]) == [100, 150, 50]


@pytest.mark.parametrize(
    "kwargs",
    [{"size": 0}, {"sizes": [100, 100]}, {"sizes": [300, 0]}, {"size": None}],
)
def test_it_refuses_a_split_that_does_not_add_up(kwargs):
    with pytest.raises(work.WorkError) as refused:
        work.split_sizes(quantity=300, **kwargs)
    assert refused.value.code == "invalid_split"


def test_publishing_makes_open_units_and_starts_the_order(order_a, staff_a):
    made = work.publish_units(order=order_a, by=staff_a, sizes=[400, 400, 200])
    order_a.refresh_from_db()
    assert made == 3
    assert order_a.status == Order.Status.IN_PROGRESS
    assert list(order_a.units.values_list("number", "quantity", "status")) == [
        (1, 400, "open"),
        (2, 400, "open"),
        (3, 200, "open"),
    ]
    with pytest.raises(work.WorkError) as refused:
        work.publish_units(order=order_a, by=staff_a, sizes=[1])
    assert refused.value.code == "invalid_split"


def test_an_order_not_yet_accepted_cannot_be_split(workshop_a, company_a, staff_a):
    order = factories.OrderFactory(workshop=workshop_a, company=company_a, status="submitted")
    with pytest.raises(work.WorkError) as refused:
        work.publish_units(order=order, by=staff_a, sizes=[1000])
    assert refused.value.code == "wrong_state"


def test_a_hundred_thousand_units_are_inserted_in_bulk(
    workshop_a, company_a, staff_a, django_assert_max_num_queries
):
    order = factories.OrderFactory(workshop=workshop_a, company=company_a, quantity=100_000)
    sizes = work.split_sizes(quantity=100_000, size=1)
    with django_assert_max_num_queries(40):
        work.publish_units(order=order, by=staff_a, sizes=sizes)
    assert order.units.count() == 100_000


@pytest.fixture
def unit(order_a):
    return factories.WorkUnitFactory(order=order_a, number=1, quantity=50)


def test_taking_an_open_unit_holds_it_until_the_timeout(unit, participant_a):
    before = timezone.now()
    taken = work.claim_unit(unit_id=unit.pk, participant=participant_a)
    assert (taken.status, taken.holder) == ("claimed", participant_a)
    assert taken.expires_at >= before + datetime.timedelta(hours=48)


def test_it_refuses_a_second_claim(unit, participant_a, workshop_a):
    other = factories.ParticipantFactory(workshop=workshop_a, nickname="はる")
    work.claim_unit(unit_id=unit.pk, participant=participant_a)
    with pytest.raises(work.WorkError) as refused:
        work.claim_unit(unit_id=unit.pk, participant=other)
    assert refused.value.code == "taken"


def test_another_workshops_participant_cannot_take_the_unit(unit, participant_b):
    with pytest.raises(work.WorkError) as refused:
        work.claim_unit(unit_id=unit.pk, participant=participant_b)
    assert refused.value.code == "not_found"


def test_the_hold_limit_counts_units_in_hand(order_a, participant_a):
    units = [factories.WorkUnitFactory(order=order_a, number=n) for n in range(1, 5)]
    for held in units[:3]:
        work.claim_unit(unit_id=held.pk, participant=participant_a)
    with pytest.raises(work.WorkError) as refused:
        work.claim_unit(unit_id=units[3].pk, participant=participant_a)
    assert refused.value.code == "hold_limit"
    work.finish_unit(unit=units[0], participant=participant_a)  # handed in: no longer in hand
    work.claim_unit(unit_id=units[3].pk, participant=participant_a)


def test_a_log_retried_ten_times_counts_once(unit, participant_a):
    work.claim_unit(unit_id=unit.pk, participant=participant_a)
    client_uuid = uuid.uuid4()
    results = [
        work.log_progress(
            unit=unit, participant=participant_a, client_uuid=client_uuid, quantity=10, minutes=15
        )
        for _ in range(10)
    ]
    assert [created for _, created in results] == [True] + [False] * 9
    assert ProgressLog.objects.filter(unit=unit).count() == 1
    assert unit.quantity_logged() == 10


def test_logging_more_than_the_unit_holds_is_refused(unit, participant_a):
    work.claim_unit(unit_id=unit.pk, participant=participant_a)
    with pytest.raises(work.WorkError) as refused:
        work.log_progress(
            unit=unit, participant=participant_a, client_uuid=uuid.uuid4(), quantity=51
        )
    assert refused.value.code == "too_many"


def test_handing_back_keeps_logged_work_and_opens_the_rest(unit, participant_a):
    work.claim_unit(unit_id=unit.pk, participant=participant_a)
    work.log_progress(unit=unit, participant=participant_a, client_uuid=uuid.uuid4(), quantity=20)

    rest = work.release_unit(unit=unit, participant=participant_a, reason="今日は疲れました")

    unit.refresh_from_db()
    assert (unit.status, unit.quantity, unit.holder) == ("submitted", 20, participant_a)
    assert (rest.status, rest.quantity, rest.holder) == ("open", 30, None)
    assert rest.order_id == unit.order_id and rest.number != unit.number


def test_handing_back_with_nothing_logged_just_reopens(unit, participant_a):
    work.claim_unit(unit_id=unit.pk, participant=participant_a)
    reopened = work.release_unit(unit=unit, participant=participant_a)
    assert (reopened.pk, reopened.status, reopened.holder) == (unit.pk, "open", None)


def test_an_expired_claim_can_be_taken_while_the_logged_work_stays_credited(
    unit, participant_a, workshop_a
):
    work.claim_unit(unit_id=unit.pk, participant=participant_a)
    work.log_progress(unit=unit, participant=participant_a, client_uuid=uuid.uuid4(), quantity=5)
    WorkUnit.objects.filter(pk=unit.pk).update(
        expires_at=timezone.now() - datetime.timedelta(minutes=1)
    )
    other = factories.ParticipantFactory(workshop=workshop_a, nickname="はる")

    taken = work.claim_unit(unit_id=unit.pk, participant=other)

    unit.refresh_from_db()
    assert (taken.holder, taken.quantity, taken.status) == (other, 45, "claimed")
    assert (unit.holder, unit.quantity, unit.status) == (participant_a, 5, "submitted")
    assert ProgressLog.objects.get().participant == participant_a


def test_twenty_people_taking_the_same_unit_at_once_one_wins(transactional_db, workshop_a, order_a):
    unit = factories.WorkUnitFactory(order=order_a, number=1)
    people = [
        factories.ParticipantFactory(workshop=workshop_a, nickname=f"p{n}") for n in range(20)
    ]
    barrier = threading.Barrier(len(people))
    outcomes = []

    def take(person):
        try:
            barrier.wait()
            work.claim_unit(unit_id=unit.pk, participant=person)
            outcomes.append("won")
        except work.WorkError as refused:
            outcomes.append(refused.code)
        except Exception as error:
            outcomes.append(repr(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=take, args=(p,)) for p in people]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(outcomes) == ["taken"] * 19 + ["won"]
    unit.refresh_from_db()
    assert unit.status == "claimed" and unit.holder in people


def test_the_hold_limit_holds_under_concurrency(transactional_db, order_a, participant_a):
    units = [factories.WorkUnitFactory(order=order_a, number=n) for n in range(1, 9)]
    barrier = threading.Barrier(len(units))
    outcomes = []

    def take(held):
        try:
            barrier.wait()
            work.claim_unit(unit_id=held.pk, participant=participant_a)
            outcomes.append("won")
        except work.WorkError as refused:
            outcomes.append(refused.code)
        except Exception as error:
            outcomes.append(repr(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=take, args=(u,)) for u in units]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(outcomes) == ["hold_limit"] * 5 + ["won"] * 3
    assert WorkUnit.objects.filter(holder=participant_a, status="claimed").count() == 3


def test_a_unit_not_offered_to_someone_cannot_be_taken_by_its_address(order_a, participant_a):
    participant_a.works_on_site = False
    participant_a.save()
    on_site = factories.WorkUnitFactory(order=order_a, number=1, home_ok=False)
    needs_training = factories.WorkUnitFactory(order=order_a, number=2, skill_tag="sealing")
    for unit in (on_site, needs_training):
        with pytest.raises(work.WorkError) as refused:
            work.claim_unit(unit_id=unit.pk, participant=participant_a)
        assert refused.value.code == "not_offered"
    assert not WorkUnit.objects.filter(holder=participant_a).exists()
