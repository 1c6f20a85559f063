"""Every item checked: approve all, approve some, send back with a note per answer (the unit
goes back with its answers kept), and not accepting an answer (not paid, told kindly why)."""

import pytest
from django.utils import translation

from jobs import checking, counters, review
from jobs.models import Answer, Credit, DigitalWork, WorkUnit
from jobs.work import WorkError
from tests.digital import checking_factories as make
from tests.i18n import ja


@pytest.fixture
def order(workshop_a, company_a):
    return make.digital_order(workshop_a, company_a, items=4)


@pytest.fixture
def unit(order, participant_a):
    (unit,) = make.split(order, size=4)
    make.take_and_answer(unit, participant_a)
    return unit


def test_it_approves_every_answer_and_the_unit(order, unit, staff_a, participant_a):
    checking.approve_all(unit=unit, by=staff_a)
    unit.refresh_from_db()
    assert unit.status == WorkUnit.Status.APPROVED
    assert unit.approved_quantity == 4
    assert set(Answer.objects.filter(unit=unit).values_list("status", flat=True)) == {"approved"}
    results = list(order.items.order_by("number").values_list("result", flat=True))
    assert results[0] == {"name": "スプーン1", "price": "100", "color": "白"}
    assert DigitalWork.objects.get(order=order).items_approved == 4
    credit = Credit.objects.get(unit=unit)
    assert (credit.participant, credit.quantity) == (participant_a, 4)
    assert counters.stored(order.pk) == counters.recount(order.pk)


def test_a_redo_keeps_the_answers_and_asks_only_for_the_ones_sent_back(
    order, unit, staff_a, participant_a
):
    answers = list(Answer.objects.filter(unit=unit).order_by("item__number"))
    phrase = review.redo_phrases_for(unit.workshop)[0].text
    checking.check_answers(
        unit=unit,
        by=staff_a,
        approve=[answers[0].pk, answers[1].pk],
        send_back={answers[2].pk: f"{phrase} 価格は税込でお願いします。"},
    )
    unit.refresh_from_db()
    assert unit.status == WorkUnit.Status.REDO
    statuses = dict(Answer.objects.filter(unit=unit).values_list("pk", "status"))
    assert [statuses[a.pk] for a in answers] == ["approved", "approved", "sent_back", "answered"]
    sent_back = Answer.objects.get(pk=answers[2].pk)
    assert sent_back.values == answers[2].values  # kept, to fix rather than type again
    assert "税込" in sent_back.check_note
    assert order.items.approved().count() == 2
    assert not Credit.objects.filter(unit=unit).exists()  # pay when the unit is decided

    # The participant fixes the one sent back and hands the unit in again.
    Answer.objects.filter(pk=sent_back.pk).update(
        status=Answer.Status.ANSWERED, values={**sent_back.values, "price": "110"}
    )
    from jobs import work

    work.finish_unit(unit=unit, participant=participant_a)
    checking.approve_all(unit=unit, by=staff_a)
    unit.refresh_from_db()
    assert unit.status == WorkUnit.Status.APPROVED and unit.approved_quantity == 4
    assert order.items.get(number=3).result["price"] == "110"
    assert Credit.objects.get(unit=unit).quantity == 4
    assert counters.stored(order.pk) == counters.recount(order.pk)


def test_an_answer_not_accepted_is_not_paid_and_says_why(order, unit, staff_a, participant_a):
    answers = list(Answer.objects.filter(unit=unit).order_by("item__number"))
    checking.check_answers(
        unit=unit,
        by=staff_a,
        approve=[a.pk for a in answers[1:]],
        reject={answers[0].pk: "商品名が説明の文と違っていました。次は説明の最初の言葉を見てね。"},
    )
    unit.refresh_from_db()
    assert unit.status == WorkUnit.Status.APPROVED and unit.approved_quantity == 3
    rejected = Answer.objects.get(pk=answers[0].pk)
    assert rejected.status == Answer.Status.REJECTED and "説明" in rejected.check_note
    assert order.items.get(number=1).result is None
    assert Credit.objects.get(unit=unit, participant=participant_a).quantity == 3


def test_it_asks_for_a_note_when_sending_back(unit, staff_a):
    answer = Answer.objects.filter(unit=unit).first()
    with pytest.raises(WorkError) as refused:
        checking.check_answers(unit=unit, by=staff_a, send_back={answer.pk: "  "})
    assert refused.value.code == "note_required"


def test_it_refuses_an_answer_of_another_unit(order, unit, staff_a, participant_b, workshop_a):
    other = make.digital_order(workshop_a, unit.order.company, items=1)
    (other_unit,) = make.split(other, size=1)
    someone = make.participant(workshop_a, "ほし")
    (stranger,) = make.take_and_answer(other_unit, someone)
    with pytest.raises(WorkError) as refused:
        checking.check_answers(unit=unit, by=staff_a, approve=[stranger.pk])
    assert refused.value.code == "not_in_unit"


@pytest.mark.parametrize("decide", ["approve_unit", "approve_part"])
def test_the_count_review_refuses_a_unit_of_answers_in_words(unit, staff_a, decide):
    """A unit of items is checked answer by answer: approving it, or part of it, by its count
    is refused, saying where to check it, and changes nothing."""
    status = WorkUnit.objects.get(pk=unit.pk).status
    with pytest.raises(WorkError) as refused:
        if decide == "approve_unit":
            review.approve_unit(unit=unit, by=staff_a)
        else:
            review.approve_part(unit=unit, by=staff_a, quantity=1)
    assert refused.value.code == "digital_unit"
    with translation.override("ja"):
        assert str(refused.value.message) == ja(
            "This unit holds answers: please check them on its own page."
        )
    assert WorkUnit.objects.get(pk=unit.pk).status == status
    assert not Credit.objects.exists()


@pytest.mark.parametrize("decide", ["approve_unit", "approve_part"])
def test_an_ordinary_unit_is_approved_by_its_count_while_units_of_answers_wait(
    unit, staff_a, participant_a, workshop_a, company_a, decide
):
    """Only the unit's own items make it a unit of answers: another order's, waiting for
    their check, change nothing for a unit of envelopes."""
    from tests import factories
    from tests.work.conftest import submitted_unit

    ordinary = submitted_unit(
        factories.OrderFactory(workshop=workshop_a, company=company_a), participant_a, quantity=4
    )
    if decide == "approve_unit":
        approved = review.approve_unit(unit=ordinary, by=staff_a)
    else:
        approved, _rest = review.approve_part(unit=ordinary, by=staff_a, quantity=3)
    assert approved.status == WorkUnit.Status.APPROVED
