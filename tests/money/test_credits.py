"""What approval credits: approved items, to the person whose logs they were; never what was
logged and not approved."""

import uuid

from jobs import money, review, work
from jobs.models import Credit, ProgressLog
from tests import factories
from tests.work.conftest import submitted_unit


def test_approving_30_of_50_logged_credits_30_and_the_rest_is_never_pay(
    order_a, participant_a, staff_a
):
    unit = submitted_unit(order_a, participant_a, quantity=50)  # all 50 logged

    review.approve_part(unit=unit, by=staff_a, quantity=30)

    credit = Credit.objects.get(participant=participant_a)
    assert (credit.unit_id, credit.quantity) == (unit.pk, 30)
    # 30 枚 × ¥5 × 70% = ¥105; the 20 not approved would have made it ¥175.
    picture = money.pay_picture(participant_a, money.first_of_month(credit.approved_at.date()))
    assert picture.checked == 105
    assert picture.waiting == 0


def test_handing_in_unlogged_items_as_done_credits_them_to_the_holder_when_approved(
    order_a, participant_a, staff_a
):
    unit = submitted_unit(order_a, participant_a, quantity=30, logged=25)

    review.approve_unit(unit=unit, by=staff_a)

    assert Credit.objects.get(unit=unit).quantity == 30
    assert sum(ProgressLog.objects.filter(unit=unit).values_list("quantity", flat=True)) == 30


def test_minutes_count_in_full_even_when_only_part_is_approved(order_a, participant_a, staff_a):
    unit = submitted_unit(order_a, participant_a, quantity=50)  # 30 minutes logged

    review.approve_part(unit=unit, by=staff_a, quantity=10)

    assert Credit.objects.get(unit=unit).minutes == 30


def test_a_redo_is_not_credited_until_approved(order_a, participant_a, staff_a):
    unit = submitted_unit(order_a, participant_a, quantity=20)
    review.ask_redo(unit=unit, by=staff_a, note="角をそろえてください")

    assert not Credit.objects.exists()
    work.finish_unit(unit=unit, participant=participant_a)
    review.approve_unit(unit=unit, by=staff_a)
    assert Credit.objects.get().quantity == 20


def test_approved_items_are_shared_in_the_order_they_were_logged():
    logs = [(1, 10), (2, 5), (1, 10)]

    assert money.allocate_approved(logs, 12) == {1: 10, 2: 2}
    assert money.allocate_approved(logs, 25) == {1: 20, 2: 5}
    assert money.allocate_approved(logs, 40) == {1: 20, 2: 5}


def test_someone_who_logged_only_minutes_before_handing_back_is_credited_their_time(
    order_a, workshop_a, participant_a, staff_a
):
    other = factories.ParticipantFactory(workshop=workshop_a)
    unit = factories.WorkUnitFactory(order=order_a, quantity=10)
    work.claim_unit(unit_id=unit.pk, participant=other)
    work.log_progress(unit=unit, participant=other, client_uuid=uuid.uuid4(), minutes=15)
    work.release_unit(unit=unit, participant=other)  # nothing counted: the unit opens again
    work.claim_unit(unit_id=unit.pk, participant=participant_a)
    work.finish_unit(unit=unit, participant=participant_a)

    review.approve_unit(unit=unit, by=staff_a)

    credits = {c.participant_id: (c.quantity, c.minutes) for c in Credit.objects.all()}
    assert credits == {other.pk: (0, 15), participant_a.pk: (10, 0)}
