"""An approved answer counts like an approved hands-on item in the participant's month (工賃)
and pay picture; double entry pays both; an answer not accepted is not paid."""

import pytest
from django.utils import timezone

from jobs import checking, money
from jobs.models import Answer, DigitalWork
from tests.digital import checking_factories as make


def month():
    return timezone.localdate().replace(day=1)


def line_quantity(participant):
    work = money.month_work(participant, month())
    return sum(line.quantity for line in work.lines), work.gross


@pytest.fixture
def order(workshop_a, company_a):
    return make.digital_order(workshop_a, company_a, items=4)


def test_approved_answers_are_pay_and_a_rejected_one_is_not(order, participant_a, staff_a):
    (unit,) = make.split(order, size=4)
    answers = make.take_and_answer(unit, participant_a)
    assert line_quantity(participant_a) == (0, 0)  # handed in is waiting, never pay
    assert money.pay_picture(participant_a, month()).waiting_quantity == 4
    checking.check_answers(
        unit=unit,
        by=staff_a,
        approve=[a.pk for a in answers[1:]],
        reject={answers[0].pk: "品番ではなく商品名を書いてね。"},
    )
    quantity, gross = line_quantity(participant_a)
    assert quantity == 3
    assert gross == money.piece_wage(order, order.workshop, 3)
    assert money.pay_picture(participant_a, month()).checked == gross
    assert Answer.objects.get(pk=answers[0].pk).check_note == "品番ではなく商品名を書いてね。"


def test_double_entry_pays_both_people(workshop_a, company_a):
    order = make.digital_order(workshop_a, company_a, items=2, checking=DigitalWork.Checking.DOUBLE)
    first, second = make.split(order, size=2)
    sora, umi = make.participant(workshop_a, "そら"), make.participant(workshop_a, "うみ")
    make.take_and_answer(first, sora)
    make.take_and_answer(second, umi)
    assert line_quantity(sora)[0] == 2 and line_quantity(umi)[0] == 2
