"""jobs/answering.py: drafts kept, the first final save logs one item once, a replayed save
counts once, an older save never overwrites a newer one, field-keyed Japanese messages, hand
back moves the unanswered items, and a redo opens only what was sent back."""

import datetime
import uuid

import pytest
from django.utils import timezone

from jobs import answering, work
from jobs.models import Answer, Item, ProgressLog, WorkUnit
from tests.digital.answering_factories import items, make_digital_order, make_digital_unit, take
from tests.i18n import ja

pytestmark = pytest.mark.django_db

COMPLETE = {"name": "緑茶ティーバッグ", "price": "598", "category": "食品"}


@pytest.fixture
def unit(workshop_a, company_a, participant_a):
    order = make_digital_order(workshop=workshop_a, company=company_a)
    return take(make_digital_unit(order), participant_a)


def save(participant, unit, item, values, **kwargs):
    kwargs.setdefault("client_uuid", uuid.uuid4())
    return answering.save_answer(
        participant=participant, unit=unit, item=item, values=values, **kwargs
    )


def logged(unit) -> int:
    return WorkUnit.objects.get(pk=unit.pk).quantity_logged()


def test_a_draft_is_kept_incomplete_and_logs_nothing(unit, participant_a):
    item = items(unit)[0]
    answer, applied = save(participant_a, unit, item, {"name": "緑茶"})
    assert applied and answer.status == Answer.Status.DRAFT
    assert Answer.objects.get(pk=answer.pk).values["name"] == "緑茶"
    assert logged(unit) == 0


def test_the_first_final_save_logs_one_item_and_later_saves_do_not(unit, participant_a):
    item = items(unit)[0]
    first = uuid.uuid4()
    answer, _ = save(participant_a, unit, item, COMPLETE, final=True, client_uuid=first)
    assert answer.status == Answer.Status.ANSWERED and answer.answered_at
    assert ProgressLog.objects.get(unit=unit).client_uuid == first
    save(participant_a, unit, item, {**COMPLETE, "price": "600"}, final=True)
    assert logged(unit) == 1
    assert Answer.objects.get(pk=answer.pk).values["price"] == "600"


def test_a_final_save_keeps_the_claim_alive(unit, participant_a):
    WorkUnit.objects.filter(pk=unit.pk).update(
        expires_at=timezone.now() + datetime.timedelta(minutes=5)
    )
    save(participant_a, unit, items(unit)[0], COMPLETE, final=True)
    unit.refresh_from_db()
    hours = participant_a.workshop.claim_timeout_hours
    assert unit.expires_at > timezone.now() + datetime.timedelta(hours=hours) - datetime.timedelta(
        minutes=1
    )


def test_a_replayed_save_counts_once(unit, participant_a):
    item, same = items(unit)[0], uuid.uuid4()
    save(participant_a, unit, item, COMPLETE, final=True, client_uuid=same)
    _answer, applied = save(participant_a, unit, item, COMPLETE, final=True, client_uuid=same)
    assert not applied
    assert logged(unit) == 1
    assert ProgressLog.objects.filter(unit=unit).count() == 1


def test_a_replay_of_the_first_final_save_after_a_newer_one_changes_nothing(unit, participant_a):
    item, first = items(unit)[0], uuid.uuid4()
    save(participant_a, unit, item, COMPLETE, final=True, client_uuid=first)
    save(participant_a, unit, item, {**COMPLETE, "price": "700"}, final=True)
    _, applied = save(participant_a, unit, item, COMPLETE, final=True, client_uuid=first)
    assert not applied
    assert Answer.objects.get(item=item).values["price"] == "700"
    assert logged(unit) == 1


def test_an_older_save_does_not_overwrite_a_newer_one(unit, participant_a):
    item, now = items(unit)[0], timezone.now()
    save(participant_a, unit, item, {"name": "新しい"}, client_saved_at=now)
    _answer, applied = save(
        participant_a,
        unit,
        item,
        {"name": "古い"},
        client_saved_at=now - datetime.timedelta(minutes=3),
    )
    assert not applied
    assert Answer.objects.get(item=item).values["name"] == "新しい"


def test_a_save_from_a_phone_clock_ahead_does_not_block_the_next_one(unit, participant_a):
    item = items(unit)[0]
    ahead = timezone.now() + datetime.timedelta(hours=2)
    save(participant_a, unit, item, {"name": "先"}, client_saved_at=ahead)
    save(participant_a, unit, item, {"name": "後"})
    assert Answer.objects.get(item=item).values["name"] == "後"


def test_a_uuid_of_another_item_is_refused(unit, participant_a):
    first, second = items(unit)[:2]
    same = uuid.uuid4()
    save(participant_a, unit, first, {"name": "一"}, client_uuid=same)
    with pytest.raises(answering.AnswerRefused) as refused:
        save(participant_a, unit, second, {"name": "二"}, client_uuid=same)
    assert refused.value.code == "uuid_reused"


def test_a_final_save_names_each_field_at_fault_in_japanese(unit, participant_a):
    with pytest.raises(answering.AnswerInvalid) as refused:
        save(participant_a, unit, items(unit)[0], {"price": "-5", "category": "本"}, final=True)
    problems = refused.value.problems
    assert problems["name"] == (ja("Please fill this in."), "answer_required")
    assert problems["price"] == (
        ja("Please write a number of at least %(low)s.", low="0"),
        "answer_below_min",
    )
    assert problems["category"][1] == "answer_not_a_choice"
    assert refused.value.message == ja("Please look at the fields marked below.")
    assert not Answer.objects.exists()


def test_a_draft_may_be_incomplete_but_not_wrong(unit, participant_a):
    with pytest.raises(answering.AnswerInvalid) as refused:
        save(participant_a, unit, items(unit)[0], {"price": "abc"})
    assert refused.value.problems == {"price": (ja("Please write a number."), "answer_not_number")}


def test_i_cant_read_this_answers_without_a_value(unit, participant_a):
    answer, _ = save(participant_a, unit, items(unit)[0], {}, cant_read=True, final=True)
    assert answer.cant_read and answer.status == Answer.Status.ANSWERED


def test_an_answered_item_stays_complete(unit, participant_a):
    item = items(unit)[0]
    save(participant_a, unit, item, COMPLETE, final=True)
    with pytest.raises(answering.AnswerInvalid) as refused:
        save(participant_a, unit, item, {"name": ""})
    assert "name" in refused.value.problems
    assert Answer.objects.get(item=item).status == Answer.Status.ANSWERED


def test_someone_not_holding_the_unit_cannot_save(unit, participant_a, workshop_a):
    from tests import factories

    other = factories.ParticipantFactory(workshop=workshop_a)
    with pytest.raises(answering.AnswerRefused) as refused:
        save(other, unit, items(unit)[0], COMPLETE, final=True)
    assert refused.value.code == "not_holder"


def test_after_hand_in_answers_cannot_change(unit, participant_a):
    item = items(unit)[0]
    save(participant_a, unit, item, COMPLETE, final=True)
    work.finish_unit(unit=unit, participant=participant_a)
    with pytest.raises(answering.AnswerRefused) as refused:
        save(participant_a, unit, item, {**COMPLETE, "price": "1"}, final=True)
    assert refused.value.code == "not_holder"


def test_hand_back_moves_unanswered_items_and_keeps_answered_ones_credited(unit, participant_a):
    first, second, third, fourth = items(unit)
    save(participant_a, unit, first, COMPLETE, final=True)
    save(participant_a, unit, second, COMPLETE, final=True)
    save(participant_a, unit, third, {"name": "途中"})
    rest = work.release_unit(unit=unit, participant=participant_a)
    unit.refresh_from_db()
    assert rest.pk != unit.pk and rest.status == WorkUnit.Status.OPEN
    assert unit.status == WorkUnit.Status.SUBMITTED and unit.quantity == 2
    assert set(Item.objects.filter(unit=unit).values_list("pk", flat=True)) == {first.pk, second.pk}
    assert set(Item.objects.filter(unit=rest).values_list("pk", flat=True)) == {third.pk, fourth.pk}
    assert rest.quantity == 2
    assert not Answer.objects.filter(item=third).exists()  # the draft went with the claim
    assert ProgressLog.objects.filter(unit=unit, participant=participant_a).count() == 2


def test_an_expired_claim_with_nothing_answered_reopens_without_drafts(
    unit, participant_a, workshop_a
):
    from tests import factories

    save(participant_a, unit, items(unit)[0], {"name": "途中"})
    WorkUnit.objects.filter(pk=unit.pk).update(
        expires_at=timezone.now() - datetime.timedelta(minutes=1)
    )
    other = factories.ParticipantFactory(workshop=workshop_a)
    taken = work.claim_unit(unit_id=unit.pk, participant=other)
    assert taken.pk == unit.pk
    assert not Answer.objects.exists()
    answer, _ = save(other, taken, items(unit)[0], COMPLETE, final=True)
    assert answer.participant == other


def test_an_expired_claim_part_done_moves_the_rest(unit, participant_a):
    save(participant_a, unit, items(unit)[0], COMPLETE, final=True)
    WorkUnit.objects.filter(pk=unit.pk).update(
        expires_at=timezone.now() - datetime.timedelta(minutes=1)
    )
    unit.refresh_from_db()
    with __import__("django.db").db.transaction.atomic():
        rest = work._expire(unit, now=timezone.now())
    assert rest.pk != unit.pk and Item.objects.filter(unit=rest).count() == 3


def redo(unit, participant, *, sent_back):
    """Hand in every item answered, then staff send some back (what checking does)."""
    for item in items(unit):
        save(participant, unit, item, COMPLETE, final=True)
    work.finish_unit(unit=unit, participant=participant)
    Answer.objects.filter(item__in=sent_back).update(
        status=Answer.Status.SENT_BACK, check_note="価格を見てください"
    )
    WorkUnit.objects.filter(pk=unit.pk).update(status=WorkUnit.Status.REDO)
    unit.refresh_from_db()
    return unit


def test_redo_keeps_answers_and_lets_only_sent_back_ones_change(unit, participant_a):
    first, second = items(unit)[:2]
    unit = redo(unit, participant_a, sent_back=[first])
    assert Answer.objects.get(item=second).values == Answer.objects.get(item=first).values
    with pytest.raises(answering.AnswerRefused) as refused:
        save(participant_a, unit, second, {**COMPLETE, "price": "1"}, final=True)
    assert refused.value.code == "answer_locked"
    draft, _ = save(participant_a, unit, first, {**COMPLETE, "price": "600"})
    assert draft.status == Answer.Status.SENT_BACK
    fixed, _ = save(participant_a, unit, first, {**COMPLETE, "price": "610"}, final=True)
    assert fixed.status == Answer.Status.ANSWERED and fixed.values["price"] == "610"
    assert logged(unit) == 4  # fixing counts nothing twice
    assert Answer.objects.get(item=second).values["price"] == "598"


def test_hand_back_of_a_second_entry_unit_moves_its_unanswered_items(
    unit, participant_a, workshop_a
):
    from tests import factories

    second = factories.WorkUnitFactory(order=unit.order, quantity=4)
    Item.objects.filter(unit=unit).update(second_unit=second)
    other = factories.ParticipantFactory(workshop=workshop_a)
    second = take(second, other)
    first_item = items(unit)[0]
    save(other, second, first_item, COMPLETE, final=True)
    rest = work.release_unit(unit=second, participant=other)
    assert Item.objects.filter(second_unit=rest).count() == 3
    assert Item.objects.get(pk=first_item.pk).second_unit_id == second.pk
    assert Item.objects.filter(unit=unit).count() == 4  # the first entries stay where they were


def test_a_count_typed_beside_the_answers_is_refused_but_minutes_are_kept(unit, participant_a):
    """A digital unit's quantity done is its answered items: the ordinary progress form (page
    or API) may not add a count on top, or the items would be counted twice."""
    with pytest.raises(work.WorkError) as refused:
        work.log_progress(
            unit=unit, participant=participant_a, client_uuid=uuid.uuid4(), quantity=2
        )
    assert refused.value.code == "answer_items"
    assert refused.value.message == ja(
        "For this work, each item you answer counts by itself: no need to count."
    )
    work.log_progress(unit=unit, participant=participant_a, client_uuid=uuid.uuid4(), minutes=30)
    assert logged(unit) == 0


def test_a_count_on_an_ordinary_unit_is_kept_while_digital_units_hold_items(
    unit, participant_a, workshop_a, company_a
):
    """Only the unit's own items make it digital: another order's items, waiting for their
    second entry or not, change nothing for a unit of things to fold."""
    from tests import factories

    assert Item.objects.filter(second_unit__isnull=True).exists()
    ordinary = factories.WorkUnitFactory(
        order=factories.OrderFactory(workshop=workshop_a, company=company_a), quantity=5
    )
    work.claim_unit(unit_id=ordinary.pk, participant=participant_a)
    log, created = work.log_progress(
        unit=ordinary, participant=participant_a, client_uuid=uuid.uuid4(), quantity=2
    )
    assert created and log.quantity == 2
