"""The company portal's page of a digital order, under /c/<company>/digital/<order>/: the
answer form in use, a form to propose one (staff accept or decline it), and the upload of the
order's items with their progress. The rules are in jobs/items.py."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from companies.models import Company
from companies.views import get_company_for_member, get_order_for
from jobs import items as rules
from jobs.models import Order
from workshop.digital_forms import FieldFormSet, UploadForm, initial_rows, read_fields
from workshop.digital_views import digital_context


def get_digital_order_for(user, company_slug: str, pk: int) -> tuple[Company, Order]:
    """A digital order of this company; 404 for any other order and anyone else."""
    company = get_company_for_member(user, company_slug)
    order = get_order_for(user, company, pk)
    if order.kind != Order.Kind.DIGITAL:
        raise Http404
    return company, order


def order_page(request, company, order, *, status=200, **forms) -> HttpResponse:
    context = digital_context(request, order)
    start = context["proposals"].first() or context["current"]
    context.update(
        company=company,
        formset=FieldFormSet(initial=initial_rows(start.fields) if start else []),
        can_change=order.status in rules.OPEN_STATUSES,
    )
    context.update(forms)
    return render(request, "companies/digital_order.html", context, status=status)


@require_GET
@login_required
def order(request: HttpRequest, company_slug: str, order_pk: int) -> HttpResponse:
    company, order = get_digital_order_for(request.user, company_slug, order_pk)
    return order_page(request, company, order)


@require_POST
@login_required
def propose_form(request: HttpRequest, company_slug: str, order_pk: int) -> HttpResponse:
    company, order = get_digital_order_for(request.user, company_slug, order_pk)
    formset = FieldFormSet(request.POST)
    fields = read_fields(formset)
    if fields is None:
        return order_page(request, company, order, formset=formset, status=400)
    try:
        rules.propose_form(order=order, by=request.user, fields=fields)
    except rules.ItemError as refused:
        messages.error(request, refused.message)
        return order_page(request, company, order, formset=formset, status=400)
    messages.success(
        request, _("Your form was sent to the workshop; they will accept it or reply.")
    )
    return redirect(reverse("portal_digital:order", args=[company.slug, order.pk]) + "#form-title")


@require_POST
@login_required
def upload(request: HttpRequest, company_slug: str, order_pk: int) -> HttpResponse:
    company, order = get_digital_order_for(request.user, company_slug, order_pk)
    form = UploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return order_page(request, company, order, upload_form=form, status=400)
    try:
        rules.start_import(
            order=order,
            by=request.user,
            upload=form.cleaned_data["file"],
            shown_columns=form.columns(),
        )
    except rules.ItemError as refused:
        form.add_error("file", refused.message)
        return order_page(request, company, order, upload_form=form, status=400)
    return redirect("portal_digital:order", company.slug, order.pk)


@require_GET
@login_required
def import_progress(request: HttpRequest, company_slug: str, order_pk: int) -> HttpResponse:
    company, order = get_digital_order_for(request.user, company_slug, order_pk)
    if not request.htmx:
        return redirect("portal_digital:order", company.slug, order.pk)
    context = {**digital_context(request, order), "company": company}
    return render(request, "companies/digital_order.html#imports", context)
