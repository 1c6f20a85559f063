"""Check-ins (出席): a participant's one-tap "始めます" / "おわります", and the short reply staff
send back. Both are contact without a phone call, which supported home work asks for."""

import datetime
import uuid

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from participants.attendance_models import Attendance
from participants.models import Participant
from workshop.rules import RuleError

# A second tap of the same button within this time is the same check-in, not a new one.
DOUBLE_TAP = datetime.timedelta(minutes=5)
# A check-in that waited on the phone keeps the time it was tapped, if that is today's and
# not in the future; an older one is refused (the phone keeps it and tells the person).
OFFLINE_CHECK_IN_WINDOW = datetime.timedelta(hours=18)
MAX_REPLY_LENGTH = 300


class AttendanceError(RuleError):
    """A rule about check-ins was not met; `code` is machine-readable, the message is kind."""


def check_in(
    *,
    participant: Participant,
    kind: str,
    place: str,
    now: datetime.datetime | None = None,
    client_uuid: uuid.UUID | None = None,
    tapped_at: datetime.datetime | None = None,
) -> tuple[Attendance, bool]:
    """Record "starting" or "finishing" for today. A double tap (or a retry on a weak
    connection) within a few minutes returns the first check-in, and so does the same
    `client_uuid` sent again from the phone's offline queue, however late. `tapped_at` is when
    the person tapped, for a check-in that waited on the phone. Returns (attendance, created)."""
    if kind not in Attendance.Kind.values:
        raise AttendanceError(_("Choose starting or finishing."), code="invalid")
    if place not in Attendance.Place.values:
        raise AttendanceError(_("Choose at home or at the workshop."), code="invalid")
    if participant.status == Participant.Status.ENDED:
        raise AttendanceError(_("Your support here has ended."), code="not_active")
    received = now or timezone.now()
    now = _when_tapped(tapped_at, received)
    with transaction.atomic():
        # One check-in at a time per person, so two taps cannot both pass the double-tap check.
        Participant.objects.select_for_update().filter(pk=participant.pk).first()
        if client_uuid is not None:
            same = Attendance.objects.filter(client_uuid=client_uuid).first()
            if same is not None:
                if same.participant_id != participant.pk:
                    raise AttendanceError(
                        _("This record was already used for something else."), code="uuid_reused"
                    )
                return same, False
        recent = (
            Attendance.objects.filter(
                participant=participant,
                kind=kind,
                place=place,
                at__gte=now - DOUBLE_TAP,
                at__lte=now + DOUBLE_TAP,
            )
            .order_by("-at")
            .first()
        )
        if recent is not None:
            return recent, False
        attendance = Attendance.objects.create(
            participant=participant,
            kind=kind,
            place=place,
            at=now,
            day=timezone.localdate(now),
            client_uuid=client_uuid,
            received_at=received,
        )
    return attendance, True


def _when_tapped(
    tapped_at: datetime.datetime | None, received: datetime.datetime
) -> datetime.datetime:
    """The time a check-in counts at: when it was tapped, never later than now (a phone's clock
    may run fast), and refused when it is too old to tell staff anything true about today."""
    if tapped_at is None or tapped_at > received:
        return received
    if received - tapped_at > OFFLINE_CHECK_IN_WINDOW or timezone.localdate(
        tapped_at
    ) != timezone.localdate(received):
        raise AttendanceError(
            _(
                "This check-in was made on an earlier day, so it could not be sent as today's. "
                "You can send it to staff as a note."
            ),
            code="check_in_too_old",
        )
    return tapped_at


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
