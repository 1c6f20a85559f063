"""Staff pages for inviting participants: the workshop's list of participants with an invite
form, the page that shows a new link once (with a QR code to print), and reissuing a link."""

import qrcode
import qrcode.image.svg
from django import forms
from django.contrib.auth.decorators import login_required
from django.db.models import Exists, OuterRef
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from participants.invitations import (
    INVITATION_VALID_FOR,
    InvitationError,
    invitation_url,
    invite_participant,
    reissue_invitation,
)
from participants.models import Invitation, Participant, TaskKind
from workshop.models import Workshop
from workshop.views import get_workshop_for_staff

# The token is kept in the session only between the POST that made it and the one page that
# shows it, so that a reload does not invite twice and the link is not shown again later.
SESSION_KEY = "invitation_links"


class InviteForm(forms.Form):
    nickname = forms.CharField(
        label=_("Nickname"),
        max_length=30,
        help_text=_("The name shown on screens. It need not be a real name."),
    )
    works_from_home = forms.BooleanField(
        label=_("Would like to work from home"), required=False, initial=True
    )
    works_on_site = forms.BooleanField(
        label=_("Would like to work at the workshop"), required=False
    )
    liked_task_kinds = forms.MultipleChoiceField(
        label=_("Kinds of task they like"),
        choices=TaskKind.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    hours_per_week_wished = forms.IntegerField(
        label=_("Hours a week they would like"), min_value=0, max_value=60, required=False
    )
    email = forms.EmailField(
        label=_("E-mail address (optional)"),
        required=False,
        help_text=_("If you enter one, the link is also sent there."),
    )


def get_participant_for_staff(user, workshop: Workshop, pk: int) -> Participant:
    return get_object_or_404(Participant.objects.visible_to(user), workshop=workshop, pk=pk)


def _participants_page(
    request: HttpRequest, workshop: Workshop, form: InviteForm, status: int = 200
) -> HttpResponse:
    participants = (
        Participant.objects.visible_to(request.user)
        .filter(workshop=workshop)
        .annotate(
            has_usable_link=Exists(Invitation.objects.usable().filter(participant=OuterRef("pk")))
        )
        .order_by("nickname")
    )
    context = {"workshop": workshop, "participants": participants, "form": form}
    return render(request, "workshop/participants.html", context, status=status)


def _remember_link(request: HttpRequest, participant: Participant, token: str) -> None:
    links = request.session.get(SESSION_KEY, {})
    links[str(participant.pk)] = token
    request.session[SESSION_KEY] = links


@require_GET
@login_required
def participants(request: HttpRequest, workshop_slug: str) -> HttpResponse:
    workshop = get_workshop_for_staff(request.user, workshop_slug)
    return _participants_page(request, workshop, InviteForm())


@require_POST
@login_required
def invite(request: HttpRequest, workshop_slug: str) -> HttpResponse:
    workshop = get_workshop_for_staff(request.user, workshop_slug)
    form = InviteForm(request.POST)
    if not form.is_valid():
        return _participants_page(request, workshop, form, status=400)
    try:
        participant, token = invite_participant(
            workshop=workshop, created_by=request.user, **form.cleaned_data
        )
    except InvitationError as error:
        form.add_error("nickname" if error.code == "nickname_taken" else None, error.message)
        return _participants_page(request, workshop, form, status=400)
    _remember_link(request, participant, token)
    return redirect("console:invitation_link", workshop.slug, participant.pk)


@require_POST
@login_required
def reissue(request: HttpRequest, workshop_slug: str, pk: int) -> HttpResponse:
    workshop = get_workshop_for_staff(request.user, workshop_slug)
    participant = get_participant_for_staff(request.user, workshop, pk)
    try:
        token = reissue_invitation(participant=participant, created_by=request.user)
    except InvitationError as error:
        form = InviteForm()
        form.add_error(None, error.message)
        return _participants_page(request, workshop, form, status=400)
    _remember_link(request, participant, token)
    return redirect("console:invitation_link", workshop.slug, participant.pk)


def qr_svg(text: str) -> str:
    """The QR code as inline SVG: no image file, nothing to store, prints sharp."""
    image = qrcode.make(text, image_factory=qrcode.image.svg.SvgPathImage, border=2)
    return image.to_string(encoding="unicode")


@require_GET
@login_required
@never_cache
def invitation_link(request: HttpRequest, workshop_slug: str, pk: int) -> HttpResponse:
    workshop = get_workshop_for_staff(request.user, workshop_slug)
    participant = get_participant_for_staff(request.user, workshop, pk)
    links = request.session.get(SESSION_KEY, {})
    token = links.pop(str(participant.pk), None)
    request.session[SESSION_KEY] = links
    context = {"workshop": workshop, "participant": participant}
    if token is not None:
        invitation = participant.invitations.order_by("-created_at").first()
        url = invitation_url(token)
        context |= {
            "url": url,
            # Safe: SVG made by qrcode from our own URL, nothing typed by anyone.
            "qr": mark_safe(qr_svg(url)),
            "invitation": invitation,
            "valid_days": INVITATION_VALID_FOR.days,
        }
    return render(request, "workshop/invitation_link.html", context)
