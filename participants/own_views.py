"""The participant's own pages about their path: their step and what staff chose to share."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from participants.models import Stage
from participants.pathway import own_steps_for
from participants.views import get_participant_for

# One kind sentence per step: where the person is, with no "next" and no ladder.
STAGE_WORDS = {
    Stage.CONNECTION: _("We are glad we met. Drop by whenever you feel like it."),
    Stage.PLACE: _("This is a place where you can simply be. Coming is enough."),
    Stage.TRYING_WORK: _("You are trying out some work, at your own pace."),
    Stage.REGULAR_WORK: _("You are keeping up your work. Thank you for it."),
    Stage.WORKPLACE_TRIAL: _("You are trying out a workplace. Taking it slowly is fine."),
    Stage.JOB_SEARCH: _("You are looking for a job. We will think it through with you."),
    Stage.EMPLOYED: _("You are working at a job. You are welcome here anytime."),
    Stage.SETTLED: _("You have settled into your work. We are always glad to see you."),
}


@require_GET
@login_required
def my_steps(request: HttpRequest) -> HttpResponse:
    """Where I am, in warm words, and the small steps and goals staff shared with me. Never a
    ladder, a progress bar or a "next step"; nothing about notes; nothing about anyone else."""
    participant = get_participant_for(request.user)
    steps = own_steps_for(participant=participant, user=request.user)
    context = {
        "participant": participant,
        "steps": steps,
        "stage_words": STAGE_WORDS.get(steps.stage, ""),
    }
    return render(request, "participants/my_steps.html", context)
