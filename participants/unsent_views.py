"""Staff's page of records kept on participants' phones (/staff/<workshop>/unsent/): what was
refused and why, what the person chose, and the two ways to settle one: record the work by
hand (credited in review like any log), or close it. Rules in participants/unsent.py."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from jobs.models import WorkUnit
from participants import unsent
from participants.phone_views import MAX_MINUTES, MAX_QUANTITY
from participants.unsent_models import UnsentRecord
from workshop import limits
from workshop.views import get_workshop_for_staff

LISTED = 100


class RecordByHandForm(forms.Form):
    unit = forms.IntegerField(label=gettext_lazy("Unit"), min_value=1, max_value=limits.MAX_ID)
    quantity = forms.IntegerField(
        label=gettext_lazy("Quantity"), min_value=0, max_value=MAX_QUANTITY, initial=0
    )
    minutes = forms.IntegerField(
        label=gettext_lazy("Minutes"), min_value=0, max_value=MAX_MINUTES, initial=0
    )


def get_record_for(user, workshop, pk: int) -> UnsentRecord:
    return get_object_or_404(
        UnsentRecord.objects.visible_to(user)
        .filter(workshop=workshop)
        .select_related("participant", "unit__order"),
        pk=pk,
    )


@require_GET
@login_required
def unsent_list(request: HttpRequest, workshop_slug: str) -> HttpResponse:
    workshop = get_workshop_for_staff(request.user, workshop_slug)
    records = list(
        UnsentRecord.objects.visible_to(request.user)
        .filter(workshop=workshop)
        .for_staff()
        .select_related("participant", "unit__order")
        .order_by("made_at", "pk")[:LISTED]
    )
    for record in records:
        record.units = unsent.units_to_record_on(record) if record.kind == "log" else []
    return render(request, "participants/unsent.html", {"workshop": workshop, "records": records})


@require_POST
@login_required
def record_by_hand(request: HttpRequest, workshop_slug: str, pk: int) -> HttpResponse:
    workshop = get_workshop_for_staff(request.user, workshop_slug)
    record = get_record_for(request.user, workshop, pk)
    form = RecordByHandForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Please check the numbers."))
        return redirect("unsent:list", workshop_slug=workshop.slug)
    unit = get_object_or_404(
        WorkUnit.objects.visible_to(request.user).filter(workshop=workshop),
        pk=form.cleaned_data["unit"],
    )
    try:
        unsent.record_by_hand(
            record=record,
            by=request.user,
            unit=unit,
            quantity=form.cleaned_data["quantity"],
            minutes=form.cleaned_data["minutes"],
        )
    except unsent.UnsentError as refused:
        messages.error(request, refused.message)
        return redirect("unsent:list", workshop_slug=workshop.slug)
    messages.success(
        request, _("Recorded. It will be credited when the unit is approved in review.")
    )
    return redirect("unsent:list", workshop_slug=workshop.slug)


@require_POST
@login_required
def close(request: HttpRequest, workshop_slug: str, pk: int) -> HttpResponse:
    workshop = get_workshop_for_staff(request.user, workshop_slug)
    record = get_record_for(request.user, workshop, pk)
    try:
        unsent.close_by_staff(record=record, by=request.user)
    except unsent.UnsentError as refused:
        messages.error(request, refused.message)
    else:
        messages.success(request, _("Closed."))
    return redirect("unsent:list", workshop_slug=workshop.slug)
