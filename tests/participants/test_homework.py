"""The home-work day (docs/homework.md): the daily report built from what was recorded, its
confirmation (never changed afterwards, by any route), the mood under consent and audit, today's
contacts, the weekly evaluation, the monthly record and the tenancy of all of it."""

import csv
import datetime
import io
import zoneinfo

import pytest
from django.contrib.admin.sites import site as admin_site
from django.urls import reverse
from django.utils import timezone

from participants import attendance, homework, privacy
from participants.attendance_models import Attendance
from participants.homework_models import Contact, DailyMood, DailyReport, WeeklyEvaluation
from tests import factories
from tests.i18n import ja
from tests.participants.conftest import audit_rows
from workshop.models import AuditLog

TOKYO = zoneinfo.ZoneInfo("Asia/Tokyo")


def at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=TOKYO)


def log(participant, order, when, *, quantity=10, minutes=30, place="home"):
    unit = factories.WorkUnitFactory(order=order)
    return factories.ProgressLogFactory(
        unit=unit,
        participant=participant,
        quantity=quantity,
        minutes=minutes,
        place=place,
        created_at=when,
    )


def check_in(participant, kind, when, place="home"):
    return attendance.check_in(participant=participant, kind=kind, place=place, now=when)[0]


# --- the report, built -------------------------------------------------------------------------


def test_a_day_is_built_from_check_ins_replies_and_logs(sora, staff_a, order_a, yesterday):
    start = check_in(sora, "start", at(yesterday, 9, 30))
    attendance.reply_to_check_in(attendance=start, by=staff_a, text="おはようございます")
    log(sora, order_a, at(yesterday, 11), quantity=40, minutes=60)
    log(sora, order_a, at(yesterday, 14), quantity=20, minutes=30)
    check_in(sora, "end", at(yesterday, 15))

    day = homework.build_day(sora, yesterday)

    assert [(c["kind"], c["time"], c["reply"]) for c in day.check_ins] == [
        ("start", "09:30", "おはようございます"),
        ("end", "15:00", ""),
    ]
    assert day.work == [
        {
            "title": order_a.title,
            "unit_label": order_a.unit_label,
            "place": "home",
            "quantity": 60,
            "minutes": 90,
            "photos": 0,
        }
    ]
    assert (day.minutes, day.quantity, day.started, day.ended) == (90, 60, True, True)


def test_a_day_with_only_a_check_in(sora, yesterday):
    check_in(sora, "start", at(yesterday, 10))
    day = homework.build_day(sora, yesterday)
    assert day.started and not day.ended
    assert day.work == [] and day.minutes == 0


def test_a_day_across_midnight_in_tokyo_is_two_days(sora, order_a, yesterday):
    """23:50 and 00:10 Tokyo time belong to two days, although both are the same UTC date."""
    day = yesterday - datetime.timedelta(days=1)
    log(sora, order_a, at(day, 23, 50), quantity=5, minutes=10)
    log(sora, order_a, at(yesterday, 0, 10), quantity=7, minutes=15)
    assert (
        at(day, 23, 50).astimezone(datetime.UTC).date()
        == at(yesterday, 0, 10).astimezone(datetime.UTC).date()
    )
    assert homework.build_day(sora, day).quantity == 5
    assert homework.build_day(sora, yesterday).quantity == 7


# --- the participant's own words ------------------------------------------------------------


def test_participant_sees_their_day_on_the_phone_and_may_add_a_line(client, sora, order_a, today):
    check_in(sora, "start", at(today, 0, 1))
    client.force_login(sora.user)
    page = client.get(reverse("myday:today"))
    assert page.status_code == 200
    assert ja("You don't have to write anything.") in page.content.decode()
    response = client.post(
        reverse("myday:line", args=[today.isoformat()]), {"line": "ゆっくりできた"}
    )
    assert response.status_code == 302
    assert DailyReport.objects.get(participant=sora, day=today).line == "ゆっくりできた"


def test_mood_needs_consent_and_is_audited(client, participant_a, staff_a, today):
    with pytest.raises(homework.HomeworkError) as refused:
        homework.set_mood(participant=participant_a, day=today, mood="calm", by=participant_a.user)
    assert refused.value.code == "consent_required"
    client.force_login(participant_a.user)
    assert (
        ja("How do you feel? (if you like)")
        not in client.get(reverse("myday:today")).content.decode()
    )

    from tests.participants.conftest import give_consent

    give_consent(participant_a, staff_a)
    client.post(reverse("myday:mood", args=[today.isoformat()]), {"mood": "calm"})
    mood = DailyMood.objects.get(participant=participant_a, day=today)
    assert mood.mood == "calm"
    assert audit_rows(record_type="mood") == [
        ("sora@example.com", "create", "mood", mood.pk, participant_a.pk)
    ]
    homework.day_report(participant=participant_a, day=today, reader=staff_a)
    assert audit_rows(record_type="mood", action="read") == [
        (staff_a.email, "read", "mood", mood.pk, participant_a.pk)
    ]


# --- confirmation and what never changes -------------------------------------------------------


def confirm_url(participant, day, action="confirm"):
    return reverse(
        f"homework:{action}", args=[participant.workshop.slug, participant.pk, day.isoformat()]
    )


def test_staff_confirm_in_one_tap_and_the_report_is_frozen(
    client, sora, staff_a, order_a, yesterday
):
    check_in(sora, "start", at(yesterday, 9))
    log(sora, order_a, at(yesterday, 10), quantity=10)
    client.force_login(staff_a)
    response = client.post(confirm_url(sora, yesterday), {"note": "よく頑張りました"})
    assert response.status_code == 302
    report = DailyReport.objects.get(participant=sora, day=yesterday)
    assert report.is_confirmed and report.confirmed_by == staff_a
    assert report.snapshot["quantity"] == 10

    # Later records do not change what was confirmed.
    Attendance.objects.filter(participant=sora).update(
        staff_reply="後から", replied_at=timezone.now()
    )
    log(sora, order_a, at(yesterday, 23), quantity=99)
    shown = homework.day_report(participant=sora, day=yesterday, reader=staff_a)
    assert shown.built.quantity == 10 and shown.built.check_ins[0]["reply"] == ""


def test_a_confirmed_report_cannot_be_changed_by_any_route(client, sora, staff_a, yesterday):
    check_in(sora, "start", at(yesterday, 9))
    homework.write_line(participant=sora, day=yesterday, line="はじめ")
    homework.confirm_report(participant=sora, day=yesterday, by=staff_a)
    before = DailyReport.objects.values().get(participant=sora, day=yesterday)

    client.force_login(staff_a)
    assert client.post(confirm_url(sora, yesterday), {"note": "二度目"}).status_code == 409
    client.force_login(sora.user)
    assert (
        client.post(
            reverse("myday:line", args=[yesterday.isoformat()]), {"line": "変更"}
        ).status_code
        == 409
    )
    client.post(reverse("myday:mood", args=[yesterday.isoformat()]), {"mood": "tired"})
    assert not DailyMood.objects.filter(participant=sora, day=yesterday).exists()
    for refused_call in (
        lambda: homework.write_line(participant=sora, day=yesterday, line="x"),
        lambda: homework.confirm_report(participant=sora, day=yesterday, by=staff_a),
    ):
        with pytest.raises(homework.HomeworkError) as refused:
            refused_call()
        assert refused.value.code == "confirmed"
    assert DailyReport.objects.values().get(participant=sora, day=yesterday) == before

    # The admin can only look.
    model_admin = admin_site._registry[DailyReport]
    request = type("R", (), {"user": staff_a})()
    assert not model_admin.has_change_permission(request, None)
    assert not model_admin.has_delete_permission(request, None)
    assert not model_admin.has_add_permission(request)

    # Corrections are added notes, beside the report.
    client.force_login(staff_a)
    client.post(confirm_url(sora, yesterday, "add_note"), {"text": "時間は14時まで"})
    assert DailyReport.objects.values().get(participant=sora, day=yesterday) == before
    assert (
        DailyReport.objects.get(participant=sora, day=yesterday).notes.get().text
        == "時間は14時まで"
    )


def test_another_workshop_gets_404_for_every_report_page(
    client, sora, staff_b, member_a, order_a, today, yesterday
):
    check_in(sora, "start", at(yesterday, 9))
    homework.confirm_report(participant=sora, day=yesterday, by=None)
    slug, pk, day = sora.workshop.slug, sora.pk, yesterday.isoformat()
    pages = [
        ("get", reverse("homework:contacts", args=[slug])),
        ("get", reverse("homework:person", args=[slug, pk])),
        ("get", reverse("homework:report", args=[slug, pk, day])),
        ("post", reverse("homework:confirm", args=[slug, pk, day])),
        ("post", reverse("homework:add_note", args=[slug, pk, day])),
        ("post", reverse("homework:record_contact", args=[slug, pk])),
        (
            "get",
            reverse(
                "homework:evaluation", args=[slug, pk, homework.week_start_of(today).isoformat()]
            ),
        ),
        ("get", reverse("homework:month", args=[slug])),
        ("get", reverse("homework:month_csv", args=[slug])),
    ]
    for person in (staff_b, member_a):
        client.force_login(person)
        for method, url in pages:
            assert getattr(client, method)(url).status_code == 404, (person, url)
    assert not DailyReport.objects.visible_to(member_a).exists()
    assert not DailyReport.objects.visible_to(staff_b).exists()


# --- today's contacts ----------------------------------------------------------------------------


def test_todays_contacts_lists_expected_started_ended_and_missing(
    client, workshop_a, staff_a, today
):
    now = at(today, 18)
    weekday = today.weekday()
    expected_quiet = factories.ParticipantFactory(
        workshop=workshop_a, nickname="あお", usual_days=[weekday]
    )
    still_working = factories.ParticipantFactory(
        workshop=workshop_a, nickname="いろ", usual_days=[weekday]
    )
    finished = factories.ParticipantFactory(
        workshop=workshop_a, nickname="うた", usual_days=[weekday]
    )
    walk_in = factories.ParticipantFactory(workshop=workshop_a, nickname="えま", usual_days=[])
    factories.ParticipantFactory(workshop=workshop_a, nickname="おと", usual_days=[])
    check_in(still_working, "start", at(today, 9))
    check_in(finished, "start", at(today, 9))
    check_in(finished, "end", at(today, 15))
    check_in(walk_in, "start", at(today, 10), place="on_site")

    rows = {
        r.participant.nickname: r
        for r in homework.todays_contacts(workshop=workshop_a, reader=staff_a, now=now)
    }

    assert set(rows) == {"あお", "いろ", "うた", "えま"}
    assert (rows["あお"].expected, rows["あお"].started) == (True, False)
    assert rows["いろ"].started and not rows["いろ"].ended and rows["いろ"].needs_call
    assert rows["うた"].ended and not rows["うた"].needs_call
    assert not rows["えま"].expected and rows["えま"].started
    assert rows["うた"].report_waiting
    # Before closing time nobody is marked for a call.
    early = homework.todays_contacts(workshop=workshop_a, reader=staff_a, now=at(today, 12))
    assert not any(r.needs_call for r in early)
    # A phone call recorded in two taps takes the mark away.
    homework.record_contact(
        participant=still_working, by=staff_a, line="電話しました", at=at(today, 0, 5)
    )
    rows = {
        r.participant.nickname: r
        for r in homework.todays_contacts(workshop=workshop_a, reader=staff_a, now=now)
    }
    assert not rows["いろ"].needs_call and rows["いろ"].contact_count == 1
    assert expected_quiet.pk in {r.participant.pk for r in rows.values()}


def test_bulk_reply_and_phone_contact_from_the_contacts_page(client, workshop_a, staff_a, sora):
    other = factories.ParticipantFactory(workshop=workshop_a, nickname="かぜ")
    one = check_in(sora, "start", timezone.now())
    two = check_in(other, "start", timezone.now())
    client.force_login(staff_a)
    assert client.get(reverse("homework:contacts", args=[workshop_a.slug])).status_code == 200
    phrase = homework.KIND_PHRASES[0]
    client.post(
        reverse("homework:reply_to_many", args=[workshop_a.slug]),
        {"check_ins": [one.pk, two.pk], "text": phrase},
    )
    assert set(Attendance.objects.values_list("staff_reply", flat=True)) == {phrase}
    client.post(
        reverse("homework:record_contact", args=[workshop_a.slug, sora.pk]),
        {"method": "phone", "line": "声が明るかった"},
    )
    contact = Contact.objects.get(participant=sora)
    assert (contact.by, contact.line, contact.day) == (
        staff_a,
        "声が明るかった",
        timezone.localdate(),
    )


# --- the weekly evaluation -----------------------------------------------------------------------


def test_weekly_evaluation_is_due_then_done_and_shared_when_chosen(
    client, sora, staff_a, order_a, today
):
    last_week = homework.week_start_of(today) - datetime.timedelta(days=7)
    check_in(sora, "start", at(last_week + datetime.timedelta(days=1), 9))
    log(sora, order_a, at(last_week + datetime.timedelta(days=1), 10), quantity=30, minutes=45)
    client.force_login(staff_a)
    home = client.get(reverse("console:home", args=[sora.workshop.slug])).content.decode()
    url = reverse("homework:evaluation", args=[sora.workshop.slug, sora.pk, last_week.isoformat()])
    assert url in home

    page = client.get(url)
    assert page.context["numbers"]["minutes"] == 45 and page.context["numbers"]["days_at_home"] == 1
    client.post(
        url, {"went_well": "毎日始められた", "try_next": "少し長めに", "pace": "about_right"}
    )
    evaluation = WeeklyEvaluation.objects.get(participant=sora)
    assert evaluation.numbers["quantity"] == 30 and not evaluation.shared_with_participant
    assert (
        url not in client.get(reverse("console:home", args=[sora.workshop.slug])).content.decode()
    )
    assert audit_rows(record_type="weekly_evaluation")[0][1] == "create"

    client.force_login(sora.user)
    assert "毎日始められた" not in client.get(reverse("myday:today")).content.decode()
    WeeklyEvaluation.objects.filter(pk=evaluation.pk).update(shared_with_participant=True)
    assert "毎日始められた" in client.get(reverse("myday:today")).content.decode()


# --- the month, export and purge ----------------------------------------------------------------


def test_monthly_record_page_and_csv(client, sora, staff_a, order_a, today):
    day = today.replace(day=1)
    start = check_in(sora, "start", at(day, 9))
    attendance.reply_to_check_in(attendance=start, by=staff_a, text="おはよう")
    log(sora, order_a, at(day, 10), minutes=90)
    log(sora, order_a, at(day, 11), minutes=30, place="on_site")
    homework.record_contact(participant=sora, by=staff_a, at=at(day, 12))
    homework.confirm_report(participant=sora, day=day, by=staff_a)
    client.force_login(staff_a)
    response = client.get(
        reverse("homework:month_csv", args=[sora.workshop.slug]), {"month": f"{day:%Y-%m}"}
    )
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[1] == [sora.nickname, "1", "1", "2:00", "2", "1", "0"]
    assert client.get(reverse("homework:month", args=[sora.workshop.slug])).status_code == 200


def test_export_and_purge_cover_the_new_records(sora, staff_a, yesterday):
    check_in(sora, "start", at(yesterday, 9))
    homework.set_mood(participant=sora, day=yesterday, mood="good", by=sora.user)
    homework.confirm_report(participant=sora, day=yesterday, by=staff_a)
    homework.record_contact(participant=sora, by=staff_a, at=at(yesterday, 12))
    homework.write_evaluation(
        participant=sora,
        week_start=homework.week_start_of(yesterday),
        went_well="よかった",
        try_next="",
        pace="light",
        shared=False,
        by=staff_a,
    )
    tables = dict(privacy.EXPORT_TABLES)
    for name in ("daily_reports", "moods", "contacts", "weekly_evaluations", "daily_report_notes"):
        assert name in tables
    assert tables["moods"](sora)[0]["mood"] == "good"
    assert {name for name, _model, _path in privacy.PURGED} >= {"moods", "weekly_evaluations"}
    privacy._purge_one(sora)
    assert not DailyMood.objects.filter(participant=sora).exists()
    assert not WeeklyEvaluation.objects.filter(participant=sora).exists()
    assert AuditLog.objects.filter(action="purge", participant_id=sora.pk).exists()
