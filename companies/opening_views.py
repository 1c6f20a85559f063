"""The company's openings (職場体験・求人) in its portal, under /c/<company>/openings/: post an
opening through a workshop it works with, read the proposals sent to it (only what each
participant agreed to share) and record the outcome it knows."""

from collections.abc import Callable

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from companies import openings
from companies.models import Company, Opening, OpeningProposal
from companies.opening_console_views import NoteForm, OpeningForm
from companies.views import get_company_for_member
from workshop.models import Workshop


class CompanyOpeningForm(OpeningForm):
    workshop = forms.ModelChoiceField(
        label=gettext_lazy("Offered through"), queryset=Workshop.objects.none()
    )
    field_order = ["workshop"]

    def __init__(self, *args, company: Company, user, **kwargs):
        super().__init__(*args, **kwargs)
        workshops = Workshop.objects.visible_to(user).filter(partnerships__company=company)
        self.fields["workshop"].queryset = workshops
        if len(workshops) == 1:
            self.fields["workshop"].initial = workshops[0]


def get_opening_for_company(user, company: Company, pk: int) -> Opening:
    return get_object_or_404(Opening.objects.visible_to(user), company=company, pk=pk)


def get_proposal_for_company(user, company: Company, pk: int) -> OpeningProposal:
    return get_object_or_404(
        OpeningProposal.objects.visible_to(user).seen_by_company(company).select_related("opening"),
        pk=pk,
    )


def _list_page(request, company: Company, form: CompanyOpeningForm, status: int = 200):
    context = {
        "company": company,
        "openings": Opening.objects.visible_to(request.user)
        .filter(company=company)
        .select_related("workshop")
        .order_by("status", "-created_at", "-pk"),
        "form": form,
    }
    return render(request, "companies/opening_portal_list.html", context, status=status)


@require_GET
@login_required
def opening_list(request: HttpRequest, company_slug: str) -> HttpResponse:
    company = get_company_for_member(request.user, company_slug)
    return _list_page(request, company, CompanyOpeningForm(company=company, user=request.user))


@require_POST
@login_required
def post(request: HttpRequest, company_slug: str) -> HttpResponse:
    company = get_company_for_member(request.user, company_slug)
    form = CompanyOpeningForm(request.POST, company=company, user=request.user)
    if not form.is_valid():
        return _list_page(request, company, form, status=400)
    fields = dict(form.cleaned_data)
    workshop = fields.pop("workshop")
    try:
        opening = openings.post_opening(
            workshop=workshop, company=company, by=request.user, fields=fields
        )
    except openings.OpeningInvalid as error:
        for name, problems in error.errors.items():
            for problem in problems:
                form.add_error(name if name in form.fields else None, problem)
        return _list_page(request, company, form, status=400)
    messages.success(request, _("The opening was posted. The workshop's staff can see it now."))
    return redirect("portal_openings:detail", company.slug, opening.pk)


def _detail_context(request, company: Company, opening: Opening) -> dict:
    # Only the snapshot fields are passed on: the template has nothing else to show.
    proposals = (
        OpeningProposal.objects.visible_to(request.user)
        .seen_by_company(company)
        .filter(opening=opening)
        .only(
            "pk",
            "opening",
            "status",
            "sent_at",
            "shared_name",
            "shared_work_kinds",
            "shared_hours_per_week",
            "shared_introduction",
        )
        .order_by("-sent_at", "-pk")
    )
    return {
        "company": company,
        "opening": opening,
        "work_kinds": openings.work_kind_labels(opening.work_kinds),
        "proposals": [
            (proposal, openings.work_kind_labels(proposal.shared_work_kinds))
            for proposal in proposals
        ],
        "note_form": NoteForm(),
    }


@require_GET
@login_required
def detail(request: HttpRequest, company_slug: str, pk: int) -> HttpResponse:
    company = get_company_for_member(request.user, company_slug)
    opening = get_opening_for_company(request.user, company, pk)
    context = _detail_context(request, company, opening)
    return render(request, "companies/opening_portal_detail.html", context)


@require_POST
@login_required
def close(request: HttpRequest, company_slug: str, pk: int) -> HttpResponse:
    company = get_company_for_member(request.user, company_slug)
    opening = get_opening_for_company(request.user, company, pk)
    try:
        openings.close_opening(opening=opening, by=request.user)
        messages.success(request, _("The opening was closed."))
    except openings.OpeningError as error:
        messages.error(request, error.message)
    return redirect("portal_openings:detail", company.slug, opening.pk)


def _outcome(
    request: HttpRequest, company_slug: str, pk: int, rule: Callable, done: str
) -> HttpResponse:
    """The company records an outcome it knows; with htmx only the list of proposals is
    swapped."""
    company = get_company_for_member(request.user, company_slug)
    proposal = get_proposal_for_company(request.user, company, pk)
    form = NoteForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    try:
        rule(proposal=proposal, by=request.user, note=note)
        messages.success(request, done)
    except openings.OpeningError as error:
        messages.error(request, error.message)
    if request.htmx:
        context = _detail_context(request, company, proposal.opening)
        return render(request, "companies/opening_portal_detail.html#proposals", context)
    return redirect("portal_openings:detail", company.slug, proposal.opening_id)


@require_POST
@login_required
def trial_held(request: HttpRequest, company_slug: str, pk: int) -> HttpResponse:
    return _outcome(
        request, company_slug, pk, openings.record_trial_held, _("Recorded: the trial was held.")
    )


@require_POST
@login_required
def hired(request: HttpRequest, company_slug: str, pk: int) -> HttpResponse:
    return _outcome(request, company_slug, pk, openings.record_hired, _("Recorded: hired."))


@require_POST
@login_required
def declined(request: HttpRequest, company_slug: str, pk: int) -> HttpResponse:
    return _outcome(
        request, company_slug, pk, openings.record_declined, _("Recorded: it did not go ahead.")
    )
