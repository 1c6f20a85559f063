"""The participant's phone pages."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from jobs.models import WorkUnit
from participants.models import Participant
from workshop.roles import remember_role


def get_participant_for(user) -> Participant:
    """The signed-in person's own participant record (active or taking a break)."""
    participant = (
        Participant.objects.visible_to(user)
        .filter(user=user)
        .exclude(status=Participant.Status.ENDED)
        .select_related("workshop")
        .first()
    )
    if participant is None:
        raise Http404
    return participant


@require_GET
@login_required
def today(request: HttpRequest) -> HttpResponse:
    participant = get_participant_for(request.user)
    remember_role(request, f"participant:{participant.pk}")
    held = WorkUnit.objects.held_by(participant).select_related("order")
    return render(
        request, "participants/today.html", {"participant": participant, "held_units": held}
    )
