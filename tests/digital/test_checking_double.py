"""Double entry: two people answer each item; agreeing answers are approved without staff and
both are paid, differing ones wait for staff, who pick one entry or type the right answer."""

import pytest

from jobs import checking, counters
from jobs.answer_forms import AnswerError
from jobs.models import Answer, Credit, DigitalWork, Item, WorkUnit
from jobs.work import WorkError
from tests.digital import checking_factories as make


@pytest.fixture
def order(workshop_a, company_a):
    return make.digital_order(workshop_a, company_a, items=3, checking=DigitalWork.Checking.DOUBLE)


@pytest.fixture
def people(workshop_a):
    return make.participant(workshop_a, "そら"), make.participant(workshop_a, "うみ")


def differ_on_second(item):
    values = make.default_values(item)
    if item.number == 2:
        values["name"] = "スプーン２号"
    return values


def test_agreeing_entries_are_approved_without_staff_and_both_are_paid(order, people):
    first, second = make.split(order, size=3)
    make.take_and_answer(first, people[0])
    assert not Item.objects.approved().exists()  # the second entry is not in yet
    # Full-width and spaces differ, the answer does not (answer_forms.same_answer).
    make.take_and_answer(
        second,
        people[1],
        lambda item: {**make.default_values(item), "name": f" スプーン{item.number} "},
    )
    for unit in (first, second):
        unit.refresh_from_db()
        assert unit.status == WorkUnit.Status.APPROVED and unit.approved_quantity == 3
    assert order.items.approved().count() == 3
    assert DigitalWork.objects.get(order=order).items_approved == 3
    assert {c.participant: c.quantity for c in Credit.objects.filter(order=order)} == {
        people[0]: 3,
        people[1]: 3,
    }
    assert counters.stored(order.pk) == counters.recount(order.pk)


def test_differing_entries_wait_for_staff_who_pick_one(order, people, staff_a):
    first, second = make.split(order, size=3)
    make.take_and_answer(first, people[0])
    make.take_and_answer(second, people[1], differ_on_second)
    item = order.items.get(number=2)
    assert list(checking.disagreements(order.workshop)) == [item]
    assert set(item.answers.values_list("status", flat=True)) == {"disagreed"}
    first.refresh_from_db()
    assert first.status == WorkUnit.Status.SUBMITTED  # waits for the one decision
    chosen = item.answers.get(unit=first)
    checking.resolve_disagreement(item=item, by=staff_a, pick=chosen.pk)
    item.refresh_from_db()
    assert item.result == chosen.values
    for unit in (first, second):
        unit.refresh_from_db()
        assert unit.status == WorkUnit.Status.APPROVED and unit.approved_quantity == 3
    # Both did the work: both are paid for the item staff settled.
    assert sorted(Credit.objects.filter(order=order).values_list("quantity", flat=True)) == [3, 3]
    assert DigitalWork.objects.get(order=order).items_approved == 3
    assert counters.stored(order.pk) == counters.recount(order.pk)


def test_staff_type_the_right_answer_checked_by_the_form(order, people, staff_a):
    first, second = make.split(order, size=3)
    make.take_and_answer(first, people[0])
    make.take_and_answer(second, people[1], differ_on_second)
    item = order.items.get(number=2)
    with pytest.raises(AnswerError) as refused:
        checking.resolve_disagreement(item=item, by=staff_a, values={"name": "x", "price": "-1"})
    assert refused.value.code == "answer_below_min"
    checking.resolve_disagreement(
        item=item, by=staff_a, values={"name": "木のスプーン 2号", "price": "２００", "color": "赤"}
    )
    item.refresh_from_db()
    assert item.result == {"name": "木のスプーン 2号", "price": "200", "color": "赤"}


def test_an_entry_staff_do_not_accept_is_not_paid(order, people, staff_a):
    first, second = make.split(order, size=3)
    make.take_and_answer(first, people[0])
    make.take_and_answer(second, people[1], differ_on_second)
    item = order.items.get(number=2)
    kept, wrong = item.answers.get(unit=first), item.answers.get(unit=second)
    checking.resolve_disagreement(
        item=item,
        by=staff_a,
        pick=kept.pk,
        reject={wrong.pk: "「号」は入れずに数字だけでお願いします。"},
    )
    wrong.refresh_from_db()
    assert wrong.status == Answer.Status.REJECTED and "数字" in wrong.check_note
    assert Credit.objects.get(participant=people[1]).quantity == 2
    assert Credit.objects.get(participant=people[0]).quantity == 3
    with pytest.raises(WorkError) as again:
        checking.resolve_disagreement(item=item, by=staff_a, pick=kept.pk)
    assert again.value.code == "not_disagreed"


def test_entries_are_compared_only_once_both_are_handed_in(order, people):
    first, second = make.split(order, size=3)
    make.take_and_answer(first, people[0])
    make.take_and_answer(second, people[1], hand_in=False)
    assert set(Answer.objects.values_list("status", flat=True)) == {"answered"}
