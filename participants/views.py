"""The participant's phone pages: today's home. The other pages are in phone_views.py."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from jobs import offers
from jobs.models import WorkUnit
from jobs.prepared import Prepared
from participants.attendance_models import Attendance
from participants.models import Participant, with_workshop
from workshop.roles import remember_role

# Enough to choose from on a phone screen without scrolling through a wall of work.
SUGGESTED_UNITS = 10
STAFF_SUGGESTIONS = 3


def _own_record_sql(_shape, *, user: int) -> tuple[str, list]:
    return Participant.objects.own_record(user).with_workshop_columns().query.sql_with_params()


# Read on every phone page and every take: compiled once (jobs/prepared.py).
_OWN_RECORD = Prepared(_own_record_sql)


def get_participant_for(user, *, ended_too: bool = False) -> Participant:
    """The signed-in person's own participant record, with its workshop (active or taking a
    break; with `ended_too`, also once support ended — their pay statements stay theirs to
    read). A person always sees their own record (ParticipantQuerySet.visible_to)."""
    if not user.is_authenticated:
        raise Http404
    rows = _OWN_RECORD.execute(None, user=user.pk)
    if rows:
        return with_workshop(rows[0])
    if ended_too:
        participant = (
            Participant.objects.filter(user=user).select_related("workshop").order_by("-pk")
        ).first()
        if participant is not None:
            return participant
    raise Http404


def check_in_context(participant: Participant) -> dict:
    """Today's check-ins (with staff's replies) and which place to offer first."""
    today_check_ins = list(
        Attendance.objects.filter(participant=participant, day=timezone.localdate()).order_by(
            "at", "pk"
        )
    )
    if today_check_ins:
        place = today_check_ins[-1].place
    else:
        place = "home" if participant.works_from_home else "on_site"
    return {
        "participant": participant,
        "check_ins": today_check_ins,
        "check_in_place": place,
        "started": any(c.kind == Attendance.Kind.START for c in today_check_ins),
        "waiting_for_reply": any(not c.staff_reply for c in today_check_ins),
    }


@require_GET
@login_required
def today(request: HttpRequest) -> HttpResponse:
    """Home screen: check-ins, what I hold, staff's suggestions and a few units I could take
    up now (one per order, so that different kinds of work show). Nothing about anyone else."""
    participant = get_participant_for(request.user)
    remember_role(request, f"participant:{participant.pk}")
    if request.htmx and request.GET.get("part") == "check_in":
        return render(request, "participants/today.html#check_in", check_in_context(participant))
    units = WorkUnit.objects.visible_to(request.user).select_related("order")
    held = units.held_by(participant).order_by("expires_at", "pk")
    now = timezone.now()
    suggested = [
        offers.show_what_is_left(unit, unit.logged_before)
        for unit in offers.with_logged_before(units.suggested_to(participant, now), now)[
            :STAFF_SUGGESTIONS
        ]
    ]
    available = offers.offered_units(participant, limit=SUGGESTED_UNITS, now=now)
    context = {
        **check_in_context(participant),
        "is_paused": participant.status == Participant.Status.PAUSED,
        "held_units": held,
        "suggested_units": suggested,
        "available_units": available,
    }
    return render(request, "participants/today.html", context)
