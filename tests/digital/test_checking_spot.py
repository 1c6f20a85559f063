"""Spot checks: a sample of spot_check_size items of each handed-in unit, drawn once and kept,
decides for the whole unit."""

import pytest

from jobs import checking, counters
from jobs.models import Answer, Credit, DigitalWork, SpotSample, WorkUnit
from tests.digital import checking_factories as make


@pytest.fixture
def order(workshop_a, company_a):
    return make.digital_order(
        workshop_a, company_a, items=10, checking=DigitalWork.Checking.SPOT, spot_check_size=3
    )


@pytest.fixture
def unit(order, participant_a):
    (unit,) = make.split(order, size=10)
    make.take_and_answer(unit, participant_a)
    return unit


def test_the_sample_has_the_chosen_size_and_stays_the_same(unit):
    drawn = checking.spot_sample(unit)
    assert len(drawn) == 3 and len(set(drawn)) == 3
    assert set(drawn) <= set(make.unit_items(unit).values_list("pk", flat=True))
    assert checking.spot_sample(unit) == drawn
    assert SpotSample.objects.filter(unit=unit).count() == 1  # drawn at hand-in, kept


def test_a_small_unit_is_checked_whole(order, participant_a, workshop_a, company_a):
    small = make.digital_order(
        workshop_a, company_a, items=2, checking=DigitalWork.Checking.SPOT, spot_check_size=5
    )
    (unit,) = make.split(small, size=2)
    make.take_and_answer(unit, participant_a)
    assert len(checking.spot_sample(unit)) == 2


def test_approving_the_sample_approves_the_rest(order, unit, staff_a, participant_a):
    checking.approve_all(unit=unit, by=staff_a)
    unit.refresh_from_db()
    assert unit.status == WorkUnit.Status.APPROVED and unit.approved_quantity == 10
    assert order.items.approved().count() == 10
    assert Credit.objects.get(unit=unit).quantity == 10
    assert counters.stored(order.pk) == counters.recount(order.pk)


def test_sending_back_from_the_sample_sends_the_unit_back(unit, staff_a):
    drawn = checking.spot_sample(unit)
    answer = Answer.objects.get(unit=unit, item_id=drawn[0])
    checking.check_answers(unit=unit, by=staff_a, send_back={answer.pk: "色をもう一度見てね。"})
    unit.refresh_from_db()
    assert unit.status == WorkUnit.Status.REDO
    assert not Answer.objects.filter(unit=unit, status="approved").exists()
