"""Staff pages for openings (職場体験・求人) under /w/<workshop>/openings/: the workshop's openings,
posting one for a partner company, who might fit, and each proposal from the suggestion to its
outcome."""

from collections.abc import Callable

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from django.views.decorators.http import require_GET, require_POST

from companies import openings
from companies.models import Company, Opening, OpeningProposal
from participants.models import Participant, TaskKind
from workshop import limits
from workshop.models import Workshop
from workshop.views import get_workshop_for_staff


class OpeningForm(forms.Form):
    """The conditions of an opening; the same fields for staff and companies."""

    kind = forms.ChoiceField(
        label=gettext_lazy("Kind"), choices=Opening.Kind.choices, widget=forms.RadioSelect
    )
    title = forms.CharField(label=gettext_lazy("Title"), max_length=120)
    description = forms.CharField(
        max_length=limits.DESCRIPTION_LENGTH,
        label=gettext_lazy("What the work is"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
    )
    work_kinds = forms.MultipleChoiceField(
        label=gettext_lazy("Kinds of work"),
        choices=TaskKind.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    hours = forms.CharField(
        label=gettext_lazy("Days and hours"),
        max_length=120,
        required=False,
        help_text=gettext_lazy("e.g. 3 days a week, 10–14"),
    )
    hours_per_week = forms.IntegerField(
        label=gettext_lazy("Hours a week"), min_value=1, max_value=60, required=False
    )
    place = forms.CharField(label=gettext_lazy("Place"), max_length=200, required=False)
    remote = forms.ChoiceField(
        label=gettext_lazy("Remote work"),
        choices=Opening.Remote.choices,
        widget=forms.RadioSelect,
        initial=Opening.Remote.NO,
    )
    support = forms.CharField(
        max_length=limits.DESCRIPTION_LENGTH,
        label=gettext_lazy("Support available"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=gettext_lazy("e.g. a job coach visits in the first weeks"),
    )
    starts_on = forms.DateField(
        validators=[limits.validate_date],
        label=gettext_lazy("Starts on"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    ends_on = forms.DateField(
        validators=[limits.validate_date],
        label=gettext_lazy("Ends on"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )


class StaffOpeningForm(OpeningForm):
    company = forms.ModelChoiceField(
        label=gettext_lazy("Company"),
        queryset=Company.objects.none(),
        required=False,
        empty_label=gettext_lazy("An employer without an account here"),
    )
    employer_name = forms.CharField(
        label=gettext_lazy("Employer"),
        max_length=120,
        required=False,
        help_text=gettext_lazy("Only for an employer that has no account here."),
    )
    field_order = ["company", "employer_name"]

    def __init__(self, *args, workshop: Workshop, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["company"].queryset = Company.objects.visible_to(user).filter(
            partnerships__workshop=workshop
        )


class AgreementForm(forms.Form):
    """What the participant agreed, sitting with staff, that the company may read."""

    shared_name = forms.CharField(
        label=gettext_lazy("Name the company may see"),
        max_length=60,
        help_text=gettext_lazy("Their nickname, or their real name if they would like to give it."),
    )
    shared_work_kinds = forms.MultipleChoiceField(
        label=gettext_lazy("Kinds of work to mention"),
        choices=list(openings.WORK_KINDS.items()),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    shared_hours_per_week = forms.IntegerField(
        label=gettext_lazy("Hours a week they would like"),
        min_value=1,
        max_value=60,
        required=False,
    )
    shared_introduction = forms.CharField(
        max_length=limits.DESCRIPTION_LENGTH,
        label=gettext_lazy("A few words from them"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        help_text=gettext_lazy("Only what they have read and are happy for the company to read."),
    )
    agreed = forms.BooleanField(
        label=gettext_lazy(
            "The participant has read this and agrees that the company may see it, "
            "and nothing else."
        )
    )


class NoteForm(forms.Form):
    note = forms.CharField(
        label=pgettext_lazy("opening proposal", "Note"), required=False, max_length=1000
    )


def get_opening_for_staff(user, workshop: Workshop, pk: int) -> Opening:
    return get_object_or_404(Opening.objects.visible_to(user), workshop=workshop, pk=pk)


def get_proposal_for_staff(user, workshop: Workshop, pk: int) -> OpeningProposal:
    return get_object_or_404(
        OpeningProposal.objects.visible_to(user).select_related("opening", "participant"),
        opening__workshop=workshop,
        participant__workshop=workshop,
        pk=pk,
    )


def _list_page(request, workshop: Workshop, form: StaffOpeningForm, status: int = 200):
    context = {
        "workshop": workshop,
        "openings": Opening.objects.visible_to(request.user)
        .filter(workshop=workshop)
        .select_related("company")
        .order_by("status", "-created_at", "-pk"),
        "form": form,
    }
    return render(request, "companies/opening_console_list.html", context, status=status)


@require_GET
@login_required
def opening_list(request: HttpRequest, workshop_slug: str) -> HttpResponse:
    workshop = get_workshop_for_staff(request.user, workshop_slug)
    return _list_page(request, workshop, StaffOpeningForm(workshop=workshop, user=request.user))


@require_POST
@login_required
def post(request: HttpRequest, workshop_slug: str) -> HttpResponse:
    workshop = get_workshop_for_staff(request.user, workshop_slug)
    form = StaffOpeningForm(request.POST, workshop=workshop, user=request.user)
    if not form.is_valid():
        return _list_page(request, workshop, form, status=400)
    fields = dict(form.cleaned_data)
    company, employer_name = fields.pop("company"), fields.pop("employer_name")
    try:
        opening = openings.post_opening(
            workshop=workshop,
            by=request.user,
            fields=fields,
            company=company,
            employer_name=employer_name,
        )
    except openings.OpeningInvalid as error:
        for name, problems in error.errors.items():
            for problem in problems:
                form.add_error(name if name in form.fields else None, problem)
        return _list_page(request, workshop, form, status=400)
    messages.success(request, _("The opening was posted."))
    return redirect("console_openings:detail", workshop.slug, opening.pk)


def _detail_context(request, workshop: Workshop, opening: Opening) -> dict:
    participants = Participant.objects.visible_to(request.user)
    return {
        "workshop": workshop,
        "opening": opening,
        "work_kinds": openings.work_kind_labels(opening.work_kinds),
        "proposals": opening.proposals.select_related("participant").order_by("-proposed_at"),
        "fits": openings.might_fit(opening=opening, participants=participants),
    }


@require_GET
@login_required
def detail(request: HttpRequest, workshop_slug: str, pk: int) -> HttpResponse:
    workshop = get_workshop_for_staff(request.user, workshop_slug)
    opening = get_opening_for_staff(request.user, workshop, pk)
    context = _detail_context(request, workshop, opening)
    return render(request, "companies/opening_console_detail.html", context)


@require_POST
@login_required
def close(request: HttpRequest, workshop_slug: str, pk: int) -> HttpResponse:
    workshop = get_workshop_for_staff(request.user, workshop_slug)
    opening = get_opening_for_staff(request.user, workshop, pk)
    try:
        openings.close_opening(opening=opening, by=request.user)
        messages.success(request, _("The opening was closed."))
    except openings.OpeningError as error:
        messages.error(request, error.message)
    return redirect("console_openings:detail", workshop.slug, opening.pk)


@require_POST
@login_required
def propose(request: HttpRequest, workshop_slug: str, pk: int) -> HttpResponse:
    """Suggest the opening to one participant; with htmx, only the list of who might fit
    is swapped."""
    workshop = get_workshop_for_staff(request.user, workshop_slug)
    opening = get_opening_for_staff(request.user, workshop, pk)
    participant = get_object_or_404(
        Participant.objects.visible_to(request.user),
        workshop=workshop,
        pk=request.POST.get("participant") or 0,
    )
    try:
        proposal = openings.propose(opening=opening, participant=participant, by=request.user)
        messages.success(
            request,
            _("Suggested to %(name)s. Talk it over with them before anything goes to the company.")
            % {"name": participant.nickname},
        )
    except openings.OpeningError as error:
        messages.error(request, error.message)
        proposal = None
    if request.htmx:
        context = _detail_context(request, workshop, opening)
        return render(request, "companies/opening_console_detail.html#fits", context)
    if proposal is not None:
        return redirect("console_openings:proposal", workshop.slug, proposal.pk)
    return redirect("console_openings:detail", workshop.slug, opening.pk)


def _proposal_page(request, workshop, proposal, form: AgreementForm | None = None, status=200):
    if form is None:
        form = AgreementForm(initial=openings.profile_suggestion(participant=proposal.participant))
    context = {
        "workshop": workshop,
        "proposal": proposal,
        "opening": proposal.opening,
        "shared_work_kinds": openings.work_kind_labels(proposal.shared_work_kinds),
        "events": proposal.events.select_related("actor"),
        "form": form,
        "note_form": NoteForm(),
    }
    return render(request, "companies/opening_console_proposal.html", context, status=status)


@require_GET
@login_required
def proposal(request: HttpRequest, workshop_slug: str, pk: int) -> HttpResponse:
    workshop = get_workshop_for_staff(request.user, workshop_slug)
    return _proposal_page(request, workshop, get_proposal_for_staff(request.user, workshop, pk))


@require_POST
@login_required
def agree(request: HttpRequest, workshop_slug: str, pk: int) -> HttpResponse:
    workshop = get_workshop_for_staff(request.user, workshop_slug)
    proposal = get_proposal_for_staff(request.user, workshop, pk)
    form = AgreementForm(request.POST)
    if not form.is_valid():
        return _proposal_page(request, workshop, proposal, form, status=400)
    shared = openings.SharedProfile(
        name=form.cleaned_data["shared_name"],
        work_kinds=form.cleaned_data["shared_work_kinds"],
        hours_per_week=form.cleaned_data["shared_hours_per_week"],
        introduction=form.cleaned_data["shared_introduction"],
    )
    try:
        openings.record_agreement(proposal=proposal, by=request.user, shared=shared)
    except openings.OpeningInvalid as error:
        for name, problems in error.errors.items():
            for problem in problems:
                form.add_error(name if name in form.fields else None, problem)
        return _proposal_page(request, workshop, proposal, form, status=400)
    except openings.OpeningError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Their agreement and what they share were recorded."))
    return redirect("console_openings:proposal", workshop.slug, proposal.pk)


def _step(
    request: HttpRequest, workshop_slug: str, pk: int, rule: Callable, done: str
) -> HttpResponse:
    """One step of a proposal with an optional note: the rule decides whether it may happen."""
    workshop = get_workshop_for_staff(request.user, workshop_slug)
    proposal = get_proposal_for_staff(request.user, workshop, pk)
    form = NoteForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    try:
        rule(proposal=proposal, by=request.user, note=note)
        messages.success(request, done)
    except openings.OpeningError as error:
        messages.error(request, error.message)
    return redirect("console_openings:proposal", workshop.slug, proposal.pk)


@require_POST
@login_required
def participant_declined(request: HttpRequest, workshop_slug: str, pk: int) -> HttpResponse:
    return _step(
        request,
        workshop_slug,
        pk,
        openings.record_participant_declined,
        _("Recorded that they would rather not. Nothing was sent to the company."),
    )


@require_POST
@login_required
def send(request: HttpRequest, workshop_slug: str, pk: int) -> HttpResponse:
    return _step(
        request,
        workshop_slug,
        pk,
        openings.send_to_company,
        _("Sent. The company sees only what the participant agreed to share."),
    )


@require_POST
@login_required
def trial_held(request: HttpRequest, workshop_slug: str, pk: int) -> HttpResponse:
    return _step(
        request, workshop_slug, pk, openings.record_trial_held, _("Recorded: the trial was held.")
    )


@require_POST
@login_required
def hired(request: HttpRequest, workshop_slug: str, pk: int) -> HttpResponse:
    return _step(request, workshop_slug, pk, openings.record_hired, _("Recorded: hired."))


@require_POST
@login_required
def declined(request: HttpRequest, workshop_slug: str, pk: int) -> HttpResponse:
    return _step(
        request, workshop_slug, pk, openings.record_declined, _("Recorded: it did not go ahead.")
    )


@require_POST
@login_required
def withdraw(request: HttpRequest, workshop_slug: str, pk: int) -> HttpResponse:
    return _step(
        request,
        workshop_slug,
        pk,
        openings.withdraw_proposal,
        _("The proposal was withdrawn. The company no longer sees it."),
    )
