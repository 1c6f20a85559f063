"""Introductions (つなぐ): the coordinator's pages under /n/<network_slug>/introductions/ and
the workshop's under /w/<workshop_slug>/introductions/. The coordinator's pages show the state
of each introduction and nothing of the participant that may follow."""

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from network import introductions
from network.access import get_network_for_coordinator
from network.models import Introduction, Network
from participants.invitations import InvitationError
from workshop.invitation_views import InviteForm, _remember_link
from workshop.limits import REASON_LENGTH, TITLE_LENGTH, validate_text
from workshop.models import Workshop
from workshop.views import get_workshop_for_staff


class IntroductionForm(forms.Form):
    # The network's workshops, set per request.
    workshop = forms.ModelChoiceField(label=_("Workshop"), queryset=None)
    nickname = forms.CharField(
        label=_("Nickname"),
        max_length=30,
        validators=[validate_text],
        help_text=_("The name they would like to be called. It need not be a real name."),
    )
    contact_by = forms.CharField(
        label=_("How they would like to be contacted"),
        max_length=TITLE_LENGTH,
        validators=[validate_text],
        help_text=_("For example: a letter first, or through their mother, weekday afternoons."),
    )
    hopes = forms.CharField(
        label=_("What they hope for"),
        max_length=REASON_LENGTH,
        validators=[validate_text],
        widget=forms.Textarea,
    )
    agreed = forms.BooleanField(
        label=_("They agreed to be introduced to this workshop"),
        help_text=_("Today is recorded as the day they agreed."),
    )

    def __init__(self, *args, network: Network, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["workshop"].queryset = Workshop.objects.filter(
            network_membership__network=network
        ).order_by("name")


class CannotNowForm(forms.Form):
    reason = forms.CharField(
        label=_("A short reason for the coordinator (optional)"),
        max_length=REASON_LENGTH,
        required=False,
        validators=[validate_text],
        widget=forms.Textarea(attrs={"rows": 3}),
    )


# --- the coordinator's side --------------------------------------------------------------------


def _coordinator_introduction(request: HttpRequest, network: Network, pk: int) -> Introduction:
    return get_object_or_404(Introduction.objects.for_coordinator(request.user, network), pk=pk)


@require_GET
@login_required
def coordinator_list(request: HttpRequest, network_slug: str) -> HttpResponse:
    network = get_network_for_coordinator(request.user, network_slug)
    # Only what the coordinator wrote and the state: never the participant that may follow.
    rows = (
        Introduction.objects.for_coordinator(request.user, network)
        .select_related("workshop")
        .only("pk", "nickname", "state", "agreed_on", "reason", "workshop__name")
    )
    context = {"network": network, "introductions": rows}
    return render(request, "network/introductions.html", context)


@require_http_methods(["GET", "POST"])
@login_required
def coordinator_new(request: HttpRequest, network_slug: str) -> HttpResponse:
    network = get_network_for_coordinator(request.user, network_slug)
    form = IntroductionForm(request.POST or None, network=network)
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                introductions.introduce(
                    network=network,
                    workshop=data["workshop"],
                    by=request.user,
                    nickname=data["nickname"],
                    contact_by=data["contact_by"],
                    hopes=data["hopes"],
                )
            except introductions.IntroductionError as error:
                form.add_error("workshop", error.message)
            else:
                return redirect("network:introductions", network.slug)
        return render(
            request, "network/introduction_new.html", {"network": network, "form": form}, status=400
        )
    return render(request, "network/introduction_new.html", {"network": network, "form": form})


@require_POST
@login_required
def coordinator_withdraw(request: HttpRequest, network_slug: str, pk: int) -> HttpResponse:
    network = get_network_for_coordinator(request.user, network_slug)
    introduction = _coordinator_introduction(request, network, pk)
    introductions.withdraw(introduction=introduction, by=request.user)
    return redirect("network:introductions", network.slug)


# --- the workshop's side -----------------------------------------------------------------------


def _staff_introduction(workshop: Workshop, pk: int) -> Introduction:
    return get_object_or_404(Introduction.objects.for_workshop(workshop), pk=pk)


@require_GET
@login_required
def staff_list(request: HttpRequest, workshop_slug: str) -> HttpResponse:
    workshop = get_workshop_for_staff(request.user, workshop_slug)
    rows = Introduction.objects.for_workshop(workshop).select_related("network", "participant")
    return render(
        request, "network/staff_introductions.html", {"workshop": workshop, "introductions": rows}
    )


def _refused(request: HttpRequest, workshop: Workshop, error: introductions.IntroductionError):
    rows = Introduction.objects.for_workshop(workshop).select_related("network", "participant")
    context = {"workshop": workshop, "introductions": rows, "error": error.message}
    return render(request, "network/staff_introductions.html", context, status=400)


@require_POST
@login_required
def staff_met(request: HttpRequest, workshop_slug: str, pk: int) -> HttpResponse:
    workshop = get_workshop_for_staff(request.user, workshop_slug)
    introduction = _staff_introduction(workshop, pk)
    try:
        introductions.mark_met(introduction=introduction, by=request.user)
    except introductions.IntroductionError as error:
        return _refused(request, workshop, error)
    return redirect("introductions:list", workshop.slug)


@require_http_methods(["GET", "POST"])
@login_required
def staff_accept(request: HttpRequest, workshop_slug: str, pk: int) -> HttpResponse:
    """Accept: the invite form of the participants page, filled in with the nickname."""
    workshop = get_workshop_for_staff(request.user, workshop_slug)
    introduction = _staff_introduction(workshop, pk)
    form = InviteForm(request.POST or None, initial={"nickname": introduction.nickname})
    context = {"workshop": workshop, "introduction": introduction, "form": form}
    if request.method == "GET":
        return render(request, "network/staff_accept.html", context)
    if form.is_valid():
        try:
            participant, token = introductions.accept(
                introduction=introduction, by=request.user, **form.cleaned_data
            )
        except introductions.IntroductionError as error:
            return _refused(request, workshop, error)
        except InvitationError as error:
            form.add_error("nickname" if error.code == "nickname_taken" else None, error.message)
        else:
            _remember_link(request, participant, token)
            return redirect("console:invitation_link", workshop.slug, participant.pk)
    return render(request, "network/staff_accept.html", context, status=400)


@require_http_methods(["GET", "POST"])
@login_required
def staff_cannot_now(request: HttpRequest, workshop_slug: str, pk: int) -> HttpResponse:
    workshop = get_workshop_for_staff(request.user, workshop_slug)
    introduction = _staff_introduction(workshop, pk)
    form = CannotNowForm(request.POST or None)
    context = {"workshop": workshop, "introduction": introduction, "form": form}
    if request.method == "GET":
        return render(request, "network/staff_cannot_now.html", context)
    if form.is_valid():
        try:
            introductions.cannot_now(
                introduction=introduction, by=request.user, reason=form.cleaned_data["reason"]
            )
        except introductions.IntroductionError as error:
            return _refused(request, workshop, error)
        return redirect("introductions:list", workshop.slug)
    return render(request, "network/staff_cannot_now.html", context, status=400)
