"""The counters stay equal to a recount, whatever staff decide on a digital order's answers
and in whatever order: random decisions per answer (approve, ask to fix, do not accept), redos
handed in again, double entry agreeing or not and settled by picking or typing. After all of
it: the order's counters equal jobs.counters.recount, DigitalWork.items_approved equals the
items with a result, each approved answer is credited once to its own person, a rejected
answer never is."""

from collections import Counter

import pytest
from django.db import transaction
from django.db.models import Sum
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jobs import checking, counters, work
from jobs.models import Answer, Credit, DigitalWork, Item, WorkUnit
from jobs.work import WorkError
from tests.digital import checking_factories as make

DECISION = st.sampled_from(["approve", "send_back", "reject", "leave"])
STEPS = st.lists(
    st.tuples(st.integers(0, 5), st.lists(DECISION, min_size=4, max_size=4)), max_size=8
)


def decide(unit, staff, decisions):
    answers = list(
        Answer.objects.filter(unit=unit, status__in=checking.DECIDABLE).order_by("item__number")
    )
    chosen = {"approve": [], "send_back": {}, "reject": {}}
    for answer, decision in zip(answers, decisions, strict=False):
        if decision == "approve":
            chosen["approve"].append(answer.pk)
        elif decision != "leave":
            chosen[decision][answer.pk] = "もう一度見てね。"
    if not any(chosen.values()):
        return
    checking.check_answers(unit=unit, by=staff, **chosen)


def fix_and_hand_in(unit):
    Answer.objects.filter(unit=unit, status=Answer.Status.SENT_BACK).update(
        status=Answer.Status.ANSWERED
    )
    work.finish_unit(unit=unit, participant=unit.holder)


def check_invariants(order):
    assert counters.stored(order.pk) == counters.recount(order.pk)
    digital = DigitalWork.objects.get(order=order)
    assert digital.items_approved == Item.objects.filter(order=order).approved().count()
    for unit in WorkUnit.objects.filter(order=order, status=WorkUnit.Status.APPROVED):
        approved = Counter(
            Answer.objects.filter(unit=unit, status="approved").values_list(
                "participant", flat=True
            )
        )
        credited = dict(Credit.objects.filter(unit=unit).values_list("participant", "quantity"))
        assert {p: q for p, q in credited.items() if q} == dict(approved)
        assert unit.approved_quantity == sum(approved.values())
    unapproved = WorkUnit.objects.filter(order=order).exclude(status=WorkUnit.Status.APPROVED)
    assert not Credit.objects.filter(unit__in=unapproved).exists()


@pytest.mark.django_db
@settings(max_examples=12, deadline=None, suppress_health_check=list(HealthCheck))
@given(steps=STEPS)
def test_every_item_counters_equal_a_recount_after_any_decisions(
    steps, workshop_a, company_a, staff_a
):
    with transaction.atomic():
        order = make.digital_order(workshop_a, company_a, items=8)
        units = make.split(order, size=4)
        for n, unit in enumerate(units):
            make.take_and_answer(unit, make.participant(workshop_a, f"ひと{n}"))
        for index, decisions in steps:
            unit = units[index % len(units)]
            unit.refresh_from_db()
            try:
                if unit.status == WorkUnit.Status.SUBMITTED:
                    decide(unit, staff_a, decisions)
                elif unit.status == WorkUnit.Status.REDO:
                    fix_and_hand_in(unit)
            except WorkError:
                pass
            check_invariants(order)
        transaction.set_rollback(True)


@pytest.mark.django_db
@settings(max_examples=10, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    differ=st.lists(st.booleans(), min_size=4, max_size=4),
    settle=st.lists(
        st.sampled_from(["first", "second", "typed", "reject"]), min_size=4, max_size=4
    ),
)
def test_double_entry_counters_equal_a_recount(differ, settle, workshop_a, company_a, staff_a):
    with transaction.atomic():
        order = make.digital_order(
            workshop_a, company_a, items=4, checking=DigitalWork.Checking.DOUBLE
        )
        first, second = make.split(order, size=4)
        make.take_and_answer(first, make.participant(workshop_a, "そら"))

        def values(item):
            base = make.default_values(item)
            return {**base, "color": "赤"} if differ[item.number - 1] else base

        make.take_and_answer(second, make.participant(workshop_a, "うみ"), values)
        check_invariants(order)
        for item in checking.disagreements(workshop_a):
            pair = list(item.answers.order_by("pk"))
            how = settle[item.number - 1]
            if how == "typed":
                checking.resolve_disagreement(item=item, by=staff_a, values=pair[0].values)
            elif how == "reject":
                checking.resolve_disagreement(
                    item=item, by=staff_a, pick=pair[0].pk, reject={pair[1].pk: "色を見てね。"}
                )
            else:
                chosen = pair[0] if how == "first" else pair[1]
                checking.resolve_disagreement(item=item, by=staff_a, pick=chosen.pk)
            check_invariants(order)
        assert Item.objects.filter(order=order).approved().count() == 4
        paid = Credit.objects.filter(order=order).aggregate(n=Sum("quantity"))["n"]
        assert paid == 8 - sum(
            1 for d, s in zip(differ, settle, strict=True) if d and s == "reject"
        )
        transaction.set_rollback(True)
