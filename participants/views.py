"""The participant's phone pages."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from jobs.models import WorkUnit
from participants.models import Participant
from workshop.roles import remember_role

# Enough to choose from on a phone screen without scrolling through a wall of work.
SUGGESTED_UNITS = 10


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
    """Home screen: what I hold, and a few units I could take up now (one per order, so that
    different kinds of work show). Nothing about anyone else."""
    participant = get_participant_for(request.user)
    remember_role(request, f"participant:{participant.pk}")
    units = WorkUnit.objects.visible_to(request.user).select_related("order")
    held = units.held_by(participant).order_by("expires_at", "pk")
    available = (
        units.claimable()
        .available_to(participant)
        .one_per_order()
        .order_by("order__desired_delivery_date", "order_id", "number")[:SUGGESTED_UNITS]
    )
    context = {
        "participant": participant,
        "is_paused": participant.status == Participant.Status.PAUSED,
        "held_units": held,
        "available_units": available,
    }
    return render(request, "participants/today.html", context)
