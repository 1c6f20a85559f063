"""The company's documents in its portal, under /c/<company>/: issued invoices and return
invoices (list, page, PDF), the order confirmation (注文請書) of each accepted order, and the
delivery slips as PDF. Read only; drafts are still the workshop's own and answer 404."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from companies.views import get_company_for_member, get_order_for
from jobs import invoicing, pdf
from jobs.documents import confirmation_paper, invoice_paper, slip_paper
from jobs.models import Invoice
from jobs.money_access import get_confirmation_for, get_delivery_for, get_invoice_for_company

MAX_LISTED = 200


@require_GET
@login_required
def invoices(request: HttpRequest, company_slug: str) -> HttpResponse:
    company = get_company_for_member(request.user, company_slug)
    issued = (
        Invoice.objects.visible_to(request.user)
        .filter(company=company, status=Invoice.Status.ISSUED)
        .select_related("workshop", "original", "payment")
        .order_by("-issued_on", "-pk")[:MAX_LISTED]
    )
    context = {"company": company, "invoices": issued, "today": timezone.localdate()}
    return render(request, "companies/invoices.html", context)


@require_GET
@login_required
def invoice_detail(request: HttpRequest, company_slug: str, pk: int) -> HttpResponse:
    company = get_company_for_member(request.user, company_slug)
    invoice = get_invoice_for_company(request.user, company, pk)
    context = {
        "company": company,
        "paper": invoice_paper(invoice),
        "pdf_url": reverse("portal_money:invoice_pdf", args=[company.slug, invoice.pk]),
        "back_url": reverse("portal_money:invoices", args=[company.slug]),
        "body_class": "wide company sheet-page",
        "amount_due": invoicing.amount_due(invoice),
    }
    return render(request, "jobs/paper.html", context)


@require_GET
@login_required
def invoice_pdf(request: HttpRequest, company_slug: str, pk: int) -> HttpResponse:
    company = get_company_for_member(request.user, company_slug)
    return pdf.pdf_response(invoice_paper(get_invoice_for_company(request.user, company, pk)))


@require_GET
@login_required
def confirmation(request: HttpRequest, company_slug: str, pk: int) -> HttpResponse:
    company = get_company_for_member(request.user, company_slug)
    order = get_order_for(request.user, company, pk)
    found = get_confirmation_for(request.user, order)
    context = {
        "company": company,
        "paper": confirmation_paper(found),
        "pdf_url": reverse("portal_money:confirmation_pdf", args=[company.slug, order.pk]),
        "back_url": reverse("portal:order", args=[company.slug, order.pk]),
        "body_class": "wide company sheet-page",
    }
    return render(request, "jobs/paper.html", context)


@require_GET
@login_required
def confirmation_pdf(request: HttpRequest, company_slug: str, pk: int) -> HttpResponse:
    company = get_company_for_member(request.user, company_slug)
    order = get_order_for(request.user, company, pk)
    return pdf.pdf_response(confirmation_paper(get_confirmation_for(request.user, order)))


@require_GET
@login_required
def slip_pdf(request: HttpRequest, company_slug: str, pk: int, number: int) -> HttpResponse:
    company = get_company_for_member(request.user, company_slug)
    order = get_order_for(request.user, company, pk)
    return pdf.pdf_response(slip_paper(get_delivery_for(request.user, order, number)))
