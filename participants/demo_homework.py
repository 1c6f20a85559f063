"""Demo data for the home-work day (docs/homework.md): usual days for the home workers, a week
of check-ins answered by staff, confirmed daily reports, a phone contact and last week's
evaluation for some of them, so that today's contacts, /my-day/ and the monthly record show
something. Idempotent: a workshop that already has reports is left alone."""

import datetime

from django.db import transaction
from django.utils import timezone

from participants import attendance, homework
from participants.demo_support import _staff
from participants.homework_models import DailyReport
from participants.models import Participant
from workshop.models import Workshop

LINES = ["少し集中できた", "ゆっくりできた", "", "午前だけやりました"]


@transaction.atomic
def seed_demo_homework(workshop: Workshop) -> None:
    staff = _staff(workshop)
    if staff is None or DailyReport.objects.filter(participant__workshop=workshop).exists():
        return
    today = timezone.localdate()
    home_workers = list(
        Participant.objects.filter(workshop=workshop, works_from_home=True)
        .active()
        .exclude(user=None)
        .order_by("pk")[:4]
    )
    for number, participant in enumerate(home_workers):
        participant.usual_days = [0, 1, 2, 3, 4] if number % 2 == 0 else [0, 2, 4]
        participant.save(update_fields=["usual_days"])
        for back in range(6, 0, -1):
            day = today - datetime.timedelta(days=back)
            if day.weekday() not in participant.usual_days:
                continue
            start_at = timezone.make_aware(datetime.datetime.combine(day, datetime.time(9, 30)))
            start, _created = attendance.check_in(
                participant=participant, kind="start", place="home", now=start_at
            )
            attendance.reply_to_check_in(attendance=start, by=staff, text=homework.KIND_PHRASES[0])
            end, _created = attendance.check_in(
                participant=participant,
                kind="end",
                place="home",
                now=start_at + datetime.timedelta(hours=5),
            )
            attendance.reply_to_check_in(attendance=end, by=staff, text=homework.KIND_PHRASES[1])
            homework.write_line(participant=participant, day=day, line=LINES[back % len(LINES)])
            if back > 1:
                homework.confirm_report(participant=participant, day=day, by=staff)
        if number == 1:
            homework.record_contact(
                participant=participant,
                by=staff,
                line="電話で様子を聞きました。元気そうでした。",
                at=timezone.now() - datetime.timedelta(days=1),
            )
        if number == 0:
            homework.write_evaluation(
                participant=participant,
                week_start=homework.week_start_of(today) - datetime.timedelta(days=7),
                went_well="毎朝「始めます」を送れました。",
                try_next="午後も少しだけ続けてみる。",
                pace="about_right",
                shared=True,
                by=staff,
            )
