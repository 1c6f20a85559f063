"""The staff's invoices, under /w/<workshop>/money/invoices/: orders ready to bill, drafting an
invoice for one order or the month of a company, its lines, check and issue, the PDF, marking
it paid, return invoices; what is unpaid and past due. Order confirmations and slips as PDF.
The rules are in jobs/invoicing.py and jobs/confirmations.py."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from companies.models import Company
from jobs import confirmations, invoicing, money, pdf
from jobs.documents import confirmation_paper, invoice_paper, slip_paper
from jobs.models import Invoice, InvoiceLine
from jobs.money_access import get_confirmation_for, get_delivery_for, get_invoice_for_staff
from workshop.money_forms import (
    InvoiceLineForm,
    MonthInvoiceForm,
    PaymentForm,
    ReturnInvoiceForm,
    parse_month,
)
from workshop.order_views import get_order_for_staff
from workshop.roles import is_manager_of
from workshop.views import get_workshop_for_staff

TABS = ("to_check", "unpaid", "past_due", "paid", "all")
PER_PAGE_LIMIT = 200


def invoice_url(invoice: Invoice) -> str:
    return reverse("console_money:invoice", args=[invoice.workshop.slug, invoice.pk])


@require_GET
@login_required
def invoices(request: HttpRequest, workshop_slug: str) -> HttpResponse:
    """Orders ready to bill, and invoices by what they need: checking or issuing, payment."""
    workshop = get_workshop_for_staff(request.user, workshop_slug)
    tab = request.GET.get("tab") if request.GET.get("tab") in TABS else "to_check"
    scoped = Invoice.objects.visible_to(request.user).filter(workshop=workshop)
    today = timezone.localdate()
    unpaid = Q(status=Invoice.Status.ISSUED, kind=Invoice.Kind.INVOICE, payment__isnull=True)
    filters = {
        "to_check": Q(status__in=[Invoice.Status.DRAFT, Invoice.Status.CHECKED]),
        "unpaid": unpaid,
        "past_due": unpaid & Q(due_date__lt=today),
        "paid": Q(payment__isnull=False),
        "all": Q(),
    }
    counts = scoped.aggregate(
        **{name: Count("pk", filter=condition) for name, condition in filters.items()}
    )
    ready = (
        invoicing.invoiceable_orders(workshop)
        .select_related("company")
        .order_by("company__name", "pk")
    )
    context = {
        "workshop": workshop,
        "tab": tab,
        "tabs": [(name, counts[name]) for name in TABS],
        "invoices": scoped.filter(filters[tab])
        .select_related("company", "original", "payment")
        .order_by("due_date", "-pk")[:PER_PAGE_LIMIT],
        "ready": ready,
        "ready_companies": Company.objects.filter(pk__in=ready.values("company")).order_by("name"),
        "month": money.first_of_month(today),
        "today": today,
        "is_manager": is_manager_of(request.user, workshop),
    }
    return render(request, "workshop/money/invoices.html", context)


@require_POST
@login_required
def invoice_order(request: HttpRequest, workshop_slug: str, order_pk: int) -> HttpResponse:
    workshop = get_workshop_for_staff(request.user, workshop_slug)
    order = get_order_for_staff(request.user, workshop, order_pk)
    try:
        invoice = invoicing.draft_invoice_for_order(order=order, by=request.user)
    except invoicing.InvoiceError as error:
        messages.info(request, error.message)
        return redirect("console_money:invoices", workshop.slug)
    messages.success(request, _("A draft invoice was made. Check it, then issue it."))
    return redirect(invoice_url(invoice))


@require_POST
@login_required
def invoice_month(request: HttpRequest, workshop_slug: str) -> HttpResponse:
    """One invoice for the month for a company (月締め)."""
    workshop = get_workshop_for_staff(request.user, workshop_slug)
    form = MonthInvoiceForm(request.POST)
    if not form.is_valid():
        return redirect("console_money:invoices", workshop.slug)
    company = get_object_or_404(
        Company.objects.filter(partnerships__workshop=workshop), pk=form.cleaned_data["company"]
    )
    try:
        invoice = invoicing.draft_month_invoice(
            workshop=workshop,
            company=company,
            month=parse_month(form.cleaned_data["month"]),
            by=request.user,
        )
    except invoicing.InvoiceError as error:
        messages.info(request, error.message)
        return redirect("console_money:invoices", workshop.slug)
    messages.success(request, _("A draft invoice was made. Check it, then issue it."))
    return redirect(invoice_url(invoice))


def invoice_page(request, invoice: Invoice, *, status: int = 200, **forms) -> HttpResponse:
    context = {
        "workshop": invoice.workshop,
        "invoice": invoice,
        "paper": invoice_paper(invoice),
        "lines": list(invoice.lines.all()),
        "returns": invoice.returns.all(),
        "payment": getattr(invoice, "payment", None) if invoice.is_issued else None,
        "amount_due": invoicing.amount_due(invoice) if invoice.is_issued else None,
        "line_form": forms.get("line_form") or InvoiceLineForm(),
        "payment_form": forms.get("payment_form") or PaymentForm(),
        "return_form": forms.get("return_form") or ReturnInvoiceForm(),
        "pdf_url": reverse("console_money:invoice_pdf", args=[invoice.workshop.slug, invoice.pk]),
        "back_url": reverse("console_money:invoices", args=[invoice.workshop.slug]),
        "today": timezone.localdate(),
    }
    return render(request, "workshop/money/invoice.html", context, status=status)


@require_GET
@login_required
def invoice_detail(request: HttpRequest, workshop_slug: str, pk: int) -> HttpResponse:
    workshop = get_workshop_for_staff(request.user, workshop_slug)
    return invoice_page(request, get_invoice_for_staff(request.user, workshop, pk))


@require_GET
@login_required
def invoice_pdf(request: HttpRequest, workshop_slug: str, pk: int) -> HttpResponse:
    workshop = get_workshop_for_staff(request.user, workshop_slug)
    return pdf.pdf_response(invoice_paper(get_invoice_for_staff(request.user, workshop, pk)))


def _act(request, workshop_slug: str, pk: int, action, success: str) -> HttpResponse:
    workshop = get_workshop_for_staff(request.user, workshop_slug)
    invoice = get_invoice_for_staff(request.user, workshop, pk)
    try:
        action(invoice=invoice, by=request.user)
    except invoicing.InvoiceError as error:
        messages.info(request, error.message)
        return redirect(invoice_url(invoice))
    messages.success(request, success)
    return redirect(invoice_url(invoice))


@require_POST
@login_required
def check(request: HttpRequest, workshop_slug: str, pk: int) -> HttpResponse:
    return _act(request, workshop_slug, pk, invoicing.check_invoice, _("Marked as checked."))


@require_POST
@login_required
def back_to_draft(request: HttpRequest, workshop_slug: str, pk: int) -> HttpResponse:
    return _act(request, workshop_slug, pk, invoicing.back_to_draft, _("Back to draft."))


@require_POST
@login_required
def issue(request: HttpRequest, workshop_slug: str, pk: int) -> HttpResponse:
    return _act(
        request,
        workshop_slug,
        pk,
        invoicing.issue_invoice,
        _("Issued. The company can see and download it now."),
    )


@require_POST
@login_required
def discard(request: HttpRequest, workshop_slug: str, pk: int) -> HttpResponse:
    workshop = get_workshop_for_staff(request.user, workshop_slug)
    invoice = get_invoice_for_staff(request.user, workshop, pk)
    try:
        invoicing.discard_draft(invoice=invoice, by=request.user)
    except invoicing.InvoiceError as error:
        messages.info(request, error.message)
        return redirect(invoice_url(invoice))
    messages.success(request, _("The draft was discarded."))
    return redirect("console_money:invoices", workshop.slug)


@require_POST
@login_required
def add_line(request: HttpRequest, workshop_slug: str, pk: int) -> HttpResponse:
    workshop = get_workshop_for_staff(request.user, workshop_slug)
    invoice = get_invoice_for_staff(request.user, workshop, pk)
    form = InvoiceLineForm(request.POST)
    if form.is_valid():
        try:
            invoicing.add_line(invoice=invoice, by=request.user, **form.cleaned_data)
        except invoicing.InvoiceError as error:
            form.add_error(None, error.message)
        else:
            return redirect(invoice_url(invoice) + "#lines")
    return invoice_page(request, invoice, status=400, line_form=form)


@require_POST
@login_required
def remove_line(request: HttpRequest, workshop_slug: str, pk: int, line_pk: int):
    workshop = get_workshop_for_staff(request.user, workshop_slug)
    invoice = get_invoice_for_staff(request.user, workshop, pk)
    line = InvoiceLine.objects.filter(invoice=invoice, pk=line_pk).first()
    if line is not None:
        try:
            invoicing.remove_line(line=line, by=request.user)
        except invoicing.InvoiceError as error:
            messages.info(request, error.message)
    return redirect(invoice_url(invoice) + "#lines")


@require_POST
@login_required
def mark_paid(request: HttpRequest, workshop_slug: str, pk: int) -> HttpResponse:
    workshop = get_workshop_for_staff(request.user, workshop_slug)
    invoice = get_invoice_for_staff(request.user, workshop, pk)
    form = PaymentForm(request.POST)
    if form.is_valid():
        try:
            invoicing.record_payment(invoice=invoice, by=request.user, **form.cleaned_data)
        except invoicing.InvoiceError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Marked as paid."))
            return redirect(invoice_url(invoice))
    return invoice_page(request, invoice, status=400, payment_form=form)


@require_POST
@login_required
def start_return(request: HttpRequest, workshop_slug: str, pk: int) -> HttpResponse:
    workshop = get_workshop_for_staff(request.user, workshop_slug)
    invoice = get_invoice_for_staff(request.user, workshop, pk)
    form = ReturnInvoiceForm(request.POST)
    if form.is_valid():
        try:
            draft = invoicing.draft_return_invoice(
                original=invoice, by=request.user, reason=form.cleaned_data["reason"]
            )
        except invoicing.InvoiceError as error:
            form.add_error("reason", error.message)
        else:
            messages.success(request, _("A return invoice was drafted: add what is returned."))
            return redirect(invoice_url(draft))
    return invoice_page(request, invoice, status=400, return_form=form)


# --- order confirmations and slips -----------------------------------------------------------


@require_GET
@login_required
def confirmation(request: HttpRequest, workshop_slug: str, order_pk: int) -> HttpResponse:
    workshop = get_workshop_for_staff(request.user, workshop_slug)
    order = get_order_for_staff(request.user, workshop, order_pk)
    found = get_confirmation_for(request.user, order)
    context = {
        "workshop": workshop,
        "paper": confirmation_paper(found),
        "pdf_url": reverse("console_money:confirmation_pdf", args=[workshop.slug, order.pk]),
        "back_url": reverse("console_orders:order", args=[workshop.slug, order.pk]),
        "body_class": "wide staff sheet-page",
    }
    return render(request, "jobs/paper.html", context)


@require_GET
@login_required
def confirmation_pdf(request: HttpRequest, workshop_slug: str, order_pk: int) -> HttpResponse:
    workshop = get_workshop_for_staff(request.user, workshop_slug)
    order = get_order_for_staff(request.user, workshop, order_pk)
    return pdf.pdf_response(confirmation_paper(get_confirmation_for(request.user, order)))


@require_POST
@login_required
def issue_confirmation(request: HttpRequest, workshop_slug: str, order_pk: int) -> HttpResponse:
    """For an order accepted before confirmations were issued automatically."""
    workshop = get_workshop_for_staff(request.user, workshop_slug)
    order = get_order_for_staff(request.user, workshop, order_pk)
    try:
        confirmations.issue_confirmation_now(order=order, by=request.user)
    except confirmations.ConfirmationError as error:
        messages.info(request, error.message)
        return redirect("console_orders:order", workshop.slug, order.pk)
    return redirect("console_money:confirmation", workshop.slug, order.pk)


@require_GET
@login_required
def slip_pdf(request: HttpRequest, workshop_slug: str, order_pk: int, number: int):
    workshop = get_workshop_for_staff(request.user, workshop_slug)
    order = get_order_for_staff(request.user, workshop, order_pk)
    return pdf.pdf_response(slip_paper(get_delivery_for(request.user, order, number)))
