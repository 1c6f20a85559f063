"""Check-ins (出席): a participant's one-tap "始めます" / "おわります", and the short reply staff
send back. Both are contact without a phone call, which supported home work asks for."""

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from participants.attendance_models import Attendance
from participants.models import Participant
from workshop.rules import RuleError

# A second tap of the same button within this time is the same check-in, not a new one.
DOUBLE_TAP = datetime.timedelta(minutes=5)
MAX_REPLY_LENGTH = 300


class AttendanceError(RuleError):
    """A rule about check-ins was not met; `code` is machine-readable, the message is kind."""


def check_in(
    *,
    participant: Participant,
    kind: str,
    place: str,
    now: datetime.datetime | None = None,
) -> tuple[Attendance, bool]:
    """Record "starting" or "finishing" for today. A double tap (or a retry on a weak
    connection) within a few minutes returns the first check-in. Returns (attendance, created)."""
    if kind not in Attendance.Kind.values:
        raise AttendanceError(_("Choose starting or finishing."), code="invalid")
    if place not in Attendance.Place.values:
        raise AttendanceError(_("Choose at home or at the workshop."), code="invalid")
    if participant.status == Participant.Status.ENDED:
        raise AttendanceError(_("Your support here has ended."), code="not_active")
    now = now or timezone.now()
    with transaction.atomic():
        # One check-in at a time per person, so two taps cannot both pass the double-tap check.
        Participant.objects.select_for_update().filter(pk=participant.pk).first()
        recent = (
            Attendance.objects.filter(
                participant=participant, kind=kind, place=place, at__gte=now - DOUBLE_TAP
            )
            .order_by("-at")
            .first()
        )
        if recent is not None:
            return recent, False
        attendance = Attendance.objects.create(
            participant=participant, kind=kind, place=place, at=now, day=timezone.localdate(now)
        )
    return attendance, True


def reply_to_check_in(*, attendance: Attendance, by, text: str) -> Attendance:
    """Staff answer a check-in with a short line ("おはようございます、無理せずに"). Replying again
    replaces the reply; an empty reply is refused."""
    text = text.strip()
    if not text:
        raise AttendanceError(_("Write a short reply."), code="invalid")
    if len(text) > MAX_REPLY_LENGTH:
        raise AttendanceError(
            _("Please keep the reply under %(max)s characters.") % {"max": MAX_REPLY_LENGTH},
            code="invalid",
        )
    with transaction.atomic():
        Attendance.objects.filter(pk=attendance.pk).update(
            staff_reply=text, replied_by=by, replied_at=timezone.now()
        )
    attendance.refresh_from_db()
    from participants.reminders import Reminder, remind

    remind(participant=attendance.participant, kind=Reminder.REPLY, url="/today/#check-in")
    return attendance
