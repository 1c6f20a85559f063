"""Asking for a company account (public), and the managers' page that decides on requests."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Case, IntegerField, Value, When
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from companies.models import AccountRequest
from companies.onboarding import (
    OnboardingError,
    approve_account_request,
    reject_account_request,
    request_account,
)
from workshop import limits
from workshop.models import Workshop


class AccountRequestForm(forms.ModelForm):
    workshop = forms.ModelChoiceField(
        label=gettext_lazy("Workshop you would like to work with"),
        queryset=Workshop.objects.order_by("name"),
        empty_label=gettext_lazy("Choose a workshop"),
    )
    # The model's text has no length; anyone may send this form, so it is bounded here.
    message = forms.CharField(
        label=capfirst(AccountRequest._meta.get_field("message").verbose_name),
        required=False,
        max_length=limits.MESSAGE_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    class Meta:
        model = AccountRequest
        fields = [
            "company_name",
            "contact_name",
            "email",
            "phone",
            "address",
            "workshop",
            "message",
        ]
        widgets = {
            "email": forms.EmailInput(attrs={"autocomplete": "email"}),
            "phone": forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
        }


class RejectForm(forms.Form):
    note = forms.CharField(
        max_length=limits.REASON_LENGTH,
        label=gettext_lazy("Message to the company"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=gettext_lazy("Sent to the company by e-mail with a polite reply."),
    )


def get_workshop_for_manager(user, slug: str) -> Workshop:
    """The workshop if the user manages it; 404 for plain staff and everyone else."""
    return get_object_or_404(Workshop.objects.managed_by(user), slug=slug)


def get_account_request_for(user, workshop: Workshop, pk: int) -> AccountRequest:
    return get_object_or_404(AccountRequest.objects.visible_to(user), workshop=workshop, pk=pk)


@require_GET
def request_form(request: HttpRequest) -> HttpResponse:
    return render(request, "companies/account_request_form.html", {"form": AccountRequestForm()})


@require_POST
def submit_request(request: HttpRequest) -> HttpResponse:
    form = AccountRequestForm(request.POST)
    if not form.is_valid():
        return render(request, "companies/account_request_form.html", {"form": form}, status=400)
    request_account(**form.cleaned_data)
    return redirect("companies:request_sent")


@require_GET
def request_sent(request: HttpRequest) -> HttpResponse:
    return render(request, "companies/account_request_sent.html")


@require_GET
@login_required
def account_requests(request: HttpRequest, workshop_slug: str) -> HttpResponse:
    workshop = get_workshop_for_manager(request.user, workshop_slug)
    requests = (
        AccountRequest.objects.visible_to(request.user)
        .filter(workshop=workshop)
        .annotate(
            waiting=Case(
                When(status=AccountRequest.Status.PENDING, then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            )
        )
        .select_related("decided_by", "company")
        .order_by("waiting", "-created_at")
    )
    context = {"workshop": workshop, "account_requests": requests, "reject_form": RejectForm()}
    return render(request, "companies/account_requests.html", context)


@require_POST
@login_required
def approve(request: HttpRequest, workshop_slug: str, pk: int) -> HttpResponse:
    workshop = get_workshop_for_manager(request.user, workshop_slug)
    account_request = get_account_request_for(request.user, workshop, pk)
    try:
        company = approve_account_request(account_request=account_request, decided_by=request.user)
    except OnboardingError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("%(company)s now has an account. We sent them an e-mail.") % {"company": company},
        )
    return redirect("console:account_requests", workshop.slug)


@require_POST
@login_required
def reject(request: HttpRequest, workshop_slug: str, pk: int) -> HttpResponse:
    workshop = get_workshop_for_manager(request.user, workshop_slug)
    account_request = get_account_request_for(request.user, workshop, pk)
    form = RejectForm(request.POST)
    form.is_valid()  # the note is optional and free text: nothing can make it invalid
    try:
        reject_account_request(
            account_request=account_request,
            decided_by=request.user,
            note=form.cleaned_data.get("note", ""),
        )
    except OnboardingError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("The request from %(company)s was declined. We sent them an e-mail.")
            % {"company": account_request.company_name},
        )
    return redirect("console:account_requests", workshop.slug)
