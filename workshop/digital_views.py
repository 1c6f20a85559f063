"""The staff console's pages of a digital order, under /w/<workshop>/digital/<order>/: its
answer form (the editor, the versions, the company's proposals), its items (uploads with a
progress bar, refusals naming the row and column) and how items are shown and checked. The
rules are in jobs/items.py; these views only ask and show."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from jobs import items as rules
from jobs.answer_forms import FieldType
from jobs.digital_models import AnswerForm, DigitalWork, Item, ItemImport
from jobs.models import Order
from workshop.digital_forms import (
    CheckingForm,
    DeclineForm,
    FieldFormSet,
    UploadForm,
    initial_rows,
    read_fields,
)
from workshop.models import Workshop
from workshop.order_views import get_order_for_staff
from workshop.views import get_workshop_for_staff

SAMPLE_ITEMS = 5


def get_digital_order_for_staff(user, workshop_slug: str, pk: int) -> tuple[Workshop, Order]:
    """A digital order of this workshop; 404 for any other order and anyone else."""
    workshop = get_workshop_for_staff(user, workshop_slug)
    order = get_order_for_staff(user, workshop, pk)
    if order.kind != Order.Kind.DIGITAL:
        raise Http404
    return workshop, order


def digital_context(request: HttpRequest, order: Order) -> dict:
    """What both sides' digital pages show: the form's versions, the last imports, a few items."""
    work = DigitalWork.objects.visible_to(request.user).filter(order=order).first()
    forms = AnswerForm.objects.visible_to(request.user).filter(order=order)
    return {
        "order": order,
        "work": work,
        "current": forms.filter(status=AnswerForm.Status.CURRENT).first(),
        "proposals": forms.filter(status=AnswerForm.Status.PROPOSED),
        "versions": forms.order_by("-version")[:10],
        "imports": ItemImport.objects.visible_to(request.user).filter(order=order)[:5],
        "sample": Item.objects.visible_to(request.user).filter(order=order)[:SAMPLE_ITEMS],
        "type_labels": FieldType.LABELS,
        "upload_form": UploadForm(),
    }


def order_page(request, workshop, order, *, status=200, **forms) -> HttpResponse:
    context = digital_context(request, order)
    work = context["work"]
    context.update(
        workshop=workshop,
        checking_form=CheckingForm(
            columns=work.columns if work else [],
            initial={
                "checking": work.checking if work else DigitalWork.Checking.EVERY,
                "spot_check_size": work.spot_check_size if work else 3,
                "shown_columns": work.shown_columns if work else [],
            },
        ),
        decline_form=DeclineForm(),
        can_split=order.status in (Order.Status.ACCEPTED, Order.Status.IN_PROGRESS),
    )
    context.update(forms)
    return render(request, "workshop/digital/order.html", context, status=status)


@require_GET
@login_required
def order(request: HttpRequest, workshop_slug: str, order_pk: int) -> HttpResponse:
    workshop, order = get_digital_order_for_staff(request.user, workshop_slug, order_pk)
    return order_page(request, workshop, order)


def editor_page(request, workshop, order, formset, *, status=200) -> HttpResponse:
    context = {
        "workshop": workshop,
        "order": order,
        "formset": formset,
        "current": rules.current_form(order),
        "type_labels": FieldType.LABELS,
    }
    return render(request, "workshop/digital/form.html", context, status=status)


@require_GET
@login_required
def form_editor(request: HttpRequest, workshop_slug: str, order_pk: int) -> HttpResponse:
    workshop, order = get_digital_order_for_staff(request.user, workshop_slug, order_pk)
    current = rules.current_form(order)
    formset = FieldFormSet(initial=initial_rows(current.fields) if current else [])
    return editor_page(request, workshop, order, formset)


@require_POST
@login_required
def form_save(request: HttpRequest, workshop_slug: str, order_pk: int) -> HttpResponse:
    workshop, order = get_digital_order_for_staff(request.user, workshop_slug, order_pk)
    formset = FieldFormSet(request.POST)
    fields = read_fields(formset)
    if fields is None:
        return editor_page(request, workshop, order, formset, status=400)
    try:
        form = rules.define_form(order=order, by=request.user, fields=fields)
    except rules.ItemError as refused:
        messages.error(request, refused.message)
        return editor_page(request, workshop, order, formset, status=400)
    if "add" in request.POST:
        # "Add a field": keep editing, with a new blank row below.
        return redirect("console_digital:form", workshop.slug, order.pk)
    messages.success(request, _("Answer form version %(v)s is saved.") % {"v": form.version})
    return redirect("console_digital:order", workshop.slug, order.pk)


def get_proposal(request, order: Order, pk: int) -> AnswerForm:
    forms = AnswerForm.objects.visible_to(request.user).filter(order=order)
    return get_object_or_404(forms, pk=pk)


@require_POST
@login_required
def accept_proposal(request: HttpRequest, workshop_slug: str, order_pk: int, pk: int):
    workshop, order = get_digital_order_for_staff(request.user, workshop_slug, order_pk)
    proposal = get_proposal(request, order, pk)
    try:
        rules.accept_proposal(form=proposal, by=request.user)
    except rules.ItemError as refused:
        messages.error(request, refused.message)
    else:
        messages.success(request, _("The company's form is in use now."))
    return redirect("console_digital:order", workshop.slug, order.pk)


@require_POST
@login_required
def decline_proposal(request: HttpRequest, workshop_slug: str, order_pk: int, pk: int):
    workshop, order = get_digital_order_for_staff(request.user, workshop_slug, order_pk)
    proposal = get_proposal(request, order, pk)
    form = DeclineForm(request.POST)
    if not form.is_valid():
        return order_page(request, workshop, order, decline_form=form, status=400)
    try:
        rules.decline_proposal(form=proposal, by=request.user, reason=form.cleaned_data["reason"])
    except rules.ItemError as refused:
        messages.error(request, refused.message)
    else:
        messages.success(request, _("The company's form was not taken."))
    return redirect("console_digital:order", workshop.slug, order.pk)


@require_POST
@login_required
def upload(request: HttpRequest, workshop_slug: str, order_pk: int) -> HttpResponse:
    workshop, order = get_digital_order_for_staff(request.user, workshop_slug, order_pk)
    form = UploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return order_page(request, workshop, order, upload_form=form, status=400)
    try:
        rules.start_import(
            order=order,
            by=request.user,
            upload=form.cleaned_data["file"],
            shown_columns=form.columns(),
        )
    except rules.ItemError as refused:
        form.add_error("file", refused.message)
        return order_page(request, workshop, order, upload_form=form, status=400)
    return redirect("console_digital:order", workshop.slug, order.pk)


@require_GET
@login_required
def import_progress(request: HttpRequest, workshop_slug: str, order_pk: int) -> HttpResponse:
    """The imports' progress bars, polled by htmx every 2 seconds while one is reading."""
    workshop, order = get_digital_order_for_staff(request.user, workshop_slug, order_pk)
    if not request.htmx:
        return redirect("console_digital:order", workshop.slug, order.pk)
    context = {**digital_context(request, order), "workshop": workshop}
    return render(request, "workshop/digital/order.html#imports", context)


@require_POST
@login_required
def checking(request: HttpRequest, workshop_slug: str, order_pk: int) -> HttpResponse:
    workshop, order = get_digital_order_for_staff(request.user, workshop_slug, order_pk)
    work = DigitalWork.objects.visible_to(request.user).filter(order=order).first()
    form = CheckingForm(request.POST, columns=work.columns if work else [])
    if not form.is_valid():
        return order_page(request, workshop, order, checking_form=form, status=400)
    try:
        rules.set_checking(
            order=order,
            by=request.user,
            checking=form.cleaned_data["checking"],
            spot_check_size=form.cleaned_data["spot_check_size"],
            shown_columns=form.cleaned_data.get("shown_columns") if work and work.columns else None,
        )
    except rules.ItemError as refused:
        form.add_error(None, refused.message)
        return order_page(request, workshop, order, checking_form=form, status=400)
    messages.success(request, _("Saved how the items are shown and checked."))
    return redirect("console_digital:order", workshop.slug, order.pk)
