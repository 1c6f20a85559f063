"""The results of a digital order in the company portal: CSV (for a spreadsheet) and JSON
Lines, for the whole order or the items approved since a day. Only approved answers; the
files are written as they are read (jobs/results.py)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from companies.forms import ResultsSinceForm
from companies.views import get_company_for_member, get_order_for
from jobs import results
from jobs.models import Order


def _results_of(request: HttpRequest, company_slug: str, pk: int):
    company = get_company_for_member(request.user, company_slug)
    order = get_order_for(request.user, company, pk)
    if order.kind != Order.Kind.DIGITAL:
        raise Http404
    form = ResultsSinceForm(request.GET)
    return company, order, form


def _refused(company, order) -> HttpResponse:
    return redirect("portal:order", company.slug, order.pk)


@require_GET
@login_required
def results_csv(request: HttpRequest, company_slug: str, pk: int) -> HttpResponse:
    company, order, form = _results_of(request, company_slug, pk)
    if not form.is_valid():
        messages.info(request, _("Please choose a day like 2026-12-07."))
        return _refused(company, order)
    return results.csv_download(order, since=form.moment())


@require_GET
@login_required
def results_jsonl(request: HttpRequest, company_slug: str, pk: int) -> HttpResponse:
    company, order, form = _results_of(request, company_slug, pk)
    if not form.is_valid():
        messages.info(request, _("Please choose a day like 2026-12-07."))
        return _refused(company, order)
    return results.jsonl_download(order, since=form.moment())
