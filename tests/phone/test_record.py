"""My record: what I did by day, the 工賃 staff approved this month, and apart from it what waits
for review; nobody else's."""

import datetime
import uuid

from django.conf import settings
from django.utils import timezone

from jobs import review, work
from jobs.models import WorkUnit
from participants import phone_record
from tests import factories
from tests.i18n import ja, yen


def at(days_ago: int, hour: int = 11) -> datetime.datetime:
    day = timezone.localdate() - datetime.timedelta(days=days_ago)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def test_it_shows_what_i_did_by_day_and_what_waits_for_review_apart_from_pay(
    sora, participant_a, order_a
):
    unit = factories.WorkUnitFactory(order=order_a)
    factories.ProgressLogFactory(unit=unit, participant=participant_a, quantity=10, minutes=20)
    factories.ProgressLogFactory(unit=unit, participant=participant_a, quantity=6, minutes=15)

    html = sora.get("/record/").content.decode()

    # Nothing approved yet: no pay; 16 items × ¥5 × 70% = ¥56 wait for review, apart.
    record = phone_record.month_record(participant_a)
    assert (record.wage_checked, record.wage_waiting, record.waiting_quantity) == (0, 56, 16)
    waiting = ja(
        "Waiting for staff to check: %(quantity)s items (about %(amount)s). "
        "It counts once they have checked it.",
        quantity=16,
        amount=yen("56"),
    )
    assert waiting in html
    assert "DM封入 3月号: " + ja("%(quantity)s %(label)s", quantity=16, label="枚") in html
    assert ja("%(minutes)s min of work", minutes=35) in html


def test_only_what_staff_approved_is_shown_as_pay(participant_a, order_a, staff_a):
    approved = factories.WorkUnitFactory(order=order_a, quantity=20, number=1)
    work.claim_unit(unit_id=approved.pk, participant=participant_a)
    work.log_progress(
        unit=approved, participant=participant_a, client_uuid=uuid.uuid4(), quantity=20
    )
    work.finish_unit(unit=approved, participant=participant_a)
    review.approve_part(unit=approved, by=staff_a, quantity=12)  # the rest is unit 2
    waiting = factories.WorkUnitFactory(order=order_a, number=3)
    factories.ProgressLogFactory(unit=waiting, participant=participant_a, quantity=10)

    record = phone_record.month_record(participant_a)

    # 12 approved × ¥5 × 70% = ¥42 is pay; the 8 not approved are neither pay nor waiting.
    assert (record.wage_checked, record.wage_waiting) == (42, 35)
    assert record.quantity == 30


def test_an_hourly_workshop_counts_minutes_once_approved(participant_a, order_a, workshop_a):
    workshop_a.pay_mode, workshop_a.hourly_wage_yen = "hourly", 300
    workshop_a.save()
    unit = factories.WorkUnitFactory(order=order_a)
    factories.ProgressLogFactory(unit=unit, participant=participant_a, minutes=90)

    record = phone_record.month_record(participant_a)

    assert (record.wage_checked, record.wage_waiting) == (0, 450)


def test_days_are_newest_first_and_last_month_is_left_out(participant_a, order_a):
    unit = factories.WorkUnitFactory(order=order_a)
    today = timezone.localdate()
    factories.ProgressLogFactory(unit=unit, participant=participant_a, created_at=at(0))
    if today.day > 1:
        factories.ProgressLogFactory(unit=unit, participant=participant_a, created_at=at(1))
    factories.ProgressLogFactory(unit=unit, participant=participant_a, created_at=at(40))

    days = [day.day for day in phone_record.month_record(participant_a).days]

    assert days == sorted(days, reverse=True)
    assert all(day.month == today.month for day in days)


def test_it_never_counts_or_names_anyone_else(sora, participant_a, order_a, workshop_a):
    other = factories.ParticipantFactory(workshop=workshop_a, nickname="はる")
    factories.ProgressLogFactory(
        unit=factories.WorkUnitFactory(
            order=factories.OrderFactory(workshop=workshop_a, title="はるの作業")
        ),
        participant=other,
        quantity=40,
    )

    html = sora.get("/record/").content.decode()

    assert "はる" not in html
    assert phone_record.month_record(participant_a).wage_estimate == 0
    assert ja("Nothing recorded this month yet. That is fine.") in html
    for word in ("ランキング", "順位", "連続", "バッジ", "平均"):
        assert word not in html
    sora.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = sora.get("/record/").content.decode().lower()
    for word in ("rank", "streak", "badge", "average", "top"):
        assert f" {word}" not in english


def test_a_redo_is_mentioned_kindly(sora, participant_a, order_a):
    factories.WorkUnitFactory(order=order_a, status=WorkUnit.Status.REDO, holder=participant_a)

    html = sora.get("/record/").content.decode()

    assert (
        ja("Staff would like you to look at part of it once more. Thank you for your care.") in html
    )


def test_staffs_redo_notes_are_shown_kindly(sora, participant_a, order_a, staff_a):
    from jobs import models as jobs_models

    unit = factories.WorkUnitFactory(
        order=order_a, status=WorkUnit.Status.REDO, holder=participant_a
    )
    jobs_models.UnitEvent.objects.create(
        unit=unit, kind="redo", participant=participant_a, actor=staff_a, note="角をそろえてね"
    )
    other = factories.ParticipantFactory(workshop=participant_a.workshop, nickname="はる")
    jobs_models.UnitEvent.objects.create(
        unit=unit, kind="redo", participant=other, actor=staff_a, note="はるさんへのメモ"
    )

    html = sora.get("/record/").content.decode()

    assert "角をそろえてね" in html
    assert "はるさんへのメモ" not in html
