"""The company portal: orders written, sent, followed and talked about. Each view fetches through
the company's membership and `visible_to`, calls one rule of jobs/orders.py, and renders."""

import datetime
import math

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count, Q, Sum
from django.http import FileResponse, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from companies.forms import (
    UNIT_SUGGESTIONS,
    CancelForm,
    MessageForm,
    OrderFilesForm,
    OrderFilter,
    OrderForm,
    PendingUploads,
    RefuseChangesForm,
    ResultsSinceForm,
)
from companies.models import Company
from jobs import deliveries as delivery_rules
from jobs import orders as order_rules
from jobs.attachments import AttachmentRefused, identify
from jobs.documents import CONSUMPTION_TAX_PERCENT, consumption_tax_yen, slip_paper
from jobs.models import (
    ChangeProposal,
    Delivery,
    DigitalWork,
    Order,
    OrderEvent,
    OrderFile,
    OrderMessage,
)
from workshop.models import Workshop
from workshop.roles import is_company_admin, remember_role
from workshop.spreadsheets import streaming_csv_download

# The portal home is a summary; the order list pages through everything.
PORTAL_ORDER_LIMIT = 50
ORDERS_PER_PAGE = 50
# The pace behind "expected completion" is the work logged over this many days.
PACE_DAYS = 14
# Work has been taken on: progress means something from here.
PROGRESS_STATES = {
    Order.Status.ACCEPTED,
    Order.Status.IN_PROGRESS,
    Order.Status.DELIVERED,
    Order.Status.ACCEPTED_BY_COMPANY,
    Order.Status.INVOICED,
}


def get_company_for_member(user, slug: str) -> Company:
    """The company if the user is its member; 404 otherwise."""
    return get_object_or_404(Company.objects.of_member(user), slug=slug)


def get_order_for(user, company: Company, pk: int) -> Order:
    """One of this company's orders, fetched through its scope; 404 for anything else."""
    return get_object_or_404(
        Order.objects.visible_to(user).filter(company=company).select_related("workshop"), pk=pk
    )


def partner_workshops(user, company: Company):
    return Workshop.objects.visible_to(user).filter(partnerships__company=company)


@require_GET
@login_required
def portal_home(request: HttpRequest, company_slug: str) -> HttpResponse:
    """The company's orders with their status, newest first, and how many are at each step."""
    company = get_company_for_member(request.user, company_slug)
    remember_role(request, f"company:{company.slug}")
    orders = Order.objects.visible_to(request.user).filter(company=company)
    counts = dict(
        orders.order_by().values_list("status").annotate(n=Count("pk")).values_list("status", "n")
    )
    # In the pipeline's order, and only the steps that have orders in them.
    status_counts = [
        (value, label, counts[value]) for value, label in Order.Status.choices if counts.get(value)
    ]
    context = {
        "company": company,
        "is_admin": is_company_admin(request.user, company),
        "workshops": partner_workshops(request.user, company),
        "status_counts": status_counts,
        "orders": orders.select_related("workshop").order_by("-created_at", "-pk")[
            :PORTAL_ORDER_LIMIT
        ],
    }
    return render(request, "companies/portal_home.html", context)


# --- the order list and its CSV ---------------------------------------------------------------


def filtered_orders(request: HttpRequest, company: Company) -> OrderFilter:
    orders = (
        Order.objects.visible_to(request.user)
        .filter(company=company)
        .select_related("workshop")
        .order_by("-created_at", "-pk")
    )
    return OrderFilter(request.GET or None, queryset=orders)


@require_GET
@login_required
def order_list(request: HttpRequest, company_slug: str) -> HttpResponse:
    company = get_company_for_member(request.user, company_slug)
    filters = filtered_orders(request, company)
    page = Paginator(filters.qs, ORDERS_PER_PAGE).get_page(request.GET.get("page"))
    context = {"company": company, "filters": filters, "page": page}
    return render(request, "companies/order_list.html", context)


@require_GET
@login_required
def order_csv(request: HttpRequest, company_slug: str) -> StreamingHttpResponse:
    """The filtered list as CSV, UTF-8 with a byte-order mark so that Excel in Japan reads it."""
    company = get_company_for_member(request.user, company_slug)
    orders = filtered_orders(request, company).qs
    header = [
        _("No."),
        _("Title"),
        _("Workshop"),
        _("Status"),
        _("Kind of work"),
        _("Quantity"),
        _("Counted in"),
        _("Unit price (yen)"),
        _("Total price (yen)"),
        _("Desired delivery date"),
        _("Payment date"),
        _("Delivery method"),
        _("Ordered on"),
    ]

    def rows():
        yield header
        for order in orders.iterator(chunk_size=500):
            yield [
                order.number,
                order.title,
                order.workshop.name,
                order.get_status_display(),
                order.get_kind_display(),
                order.quantity,
                order.unit_label,
                "" if order.unit_price_yen is None else order.unit_price_yen,
                order.total_price_yen,
                order.desired_delivery_date.isoformat(),
                order.payment_date.isoformat() if order.payment_date else "",
                order.get_delivery_method_display(),
                timezone.localtime(order.created_at).date().isoformat(),
            ]

    filename = f"orders-{company.slug}-{timezone.localdate():%Y%m%d}.csv"
    return streaming_csv_download(filename, rows())


# --- writing an order ---------------------------------------------------------------------------


def keep_valid_uploads(request: HttpRequest, form: OrderForm) -> PendingUploads:
    """Check the files just chosen by their content and keep the good ones with those kept
    from earlier attempts; each refused file gets a message next to the files field."""
    pending = PendingUploads(request, request.POST.get("upload_token"))
    pending.keep_only(request.POST.getlist("keep"))
    for upload in request.FILES.getlist("files"):
        try:
            pending.add(upload, identify(upload))
        except AttachmentRefused as refused:
            form.add_error("files", f"{upload.name}: {refused.message}")
    return pending


def add_rule_errors(form: OrderForm, errors: dict[str, list[str]]) -> None:
    for field, messages_ in errors.items():
        target = field if field in form.fields else None
        for message in messages_:
            if target is None or target not in form.errors:
                form.add_error(target, message)


def check_what_parsed(form: OrderForm, *, for_submission: bool) -> None:
    """When some fields could not even be read, still say what else needs fixing, so the
    company sees every problem at once."""
    try:
        order_rules.clean_terms(
            {name: form.cleaned_data.get(name) for name in order_rules.TERM_FIELDS},
            for_submission=for_submission,
        )
    except order_rules.OrderInvalid as invalid:
        add_rule_errors(form, invalid.errors)


def attach_pending(order: Order, by, pending: PendingUploads) -> None:
    for upload in pending.all():
        with pending.open(upload) as stored:
            order_rules.attach_file(order=order, by=by, upload=stored)
    pending.clear()


def render_order_form(request, company, form, pending, order=None, status=200) -> HttpResponse:
    context = {
        "company": company,
        "form": form,
        "order": order,
        "upload_token": pending.token,
        "pending_uploads": pending.all(),
        "unit_suggestions": UNIT_SUGGESTIONS,
    }
    return render(request, "companies/order_form.html", context, status=status)


@require_GET
@login_required
def order_new(request: HttpRequest, company_slug: str) -> HttpResponse:
    company = get_company_for_member(request.user, company_slug)
    workshops = list(partner_workshops(request.user, company))
    form = OrderForm(workshops=partner_workshops(request.user, company))
    if len(workshops) == 1:
        form.fields["workshop"].initial = workshops[0]
    return render_order_form(request, company, form, PendingUploads(request, None))


def create(request: HttpRequest, company_slug: str, *, submit: bool) -> HttpResponse:
    company = get_company_for_member(request.user, company_slug)
    form = OrderForm(
        request.POST, request.FILES, workshops=partner_workshops(request.user, company)
    )
    pending = keep_valid_uploads(request, form)
    if not form.is_valid():
        check_what_parsed(form, for_submission=submit)
        return render_order_form(request, company, form, pending, status=400)
    try:
        with transaction.atomic():
            order = order_rules.create_order(
                company=company,
                workshop=form.cleaned_data["workshop"],
                by=request.user,
                terms=form.terms(),
                submit=submit,
            )
            attach_pending(order, request.user, pending)
    except order_rules.OrderInvalid as invalid:
        add_rule_errors(form, invalid.errors)
        return render_order_form(request, company, form, pending, status=400)
    if submit:
        messages.success(
            request, _("Your order was sent to %(workshop)s.") % {"workshop": order.workshop.name}
        )
    else:
        messages.success(request, _("The draft was saved. Send it when it is ready."))
    return redirect("portal:order", company.slug, order.pk)


@require_POST
@login_required
def order_create(request: HttpRequest, company_slug: str) -> HttpResponse:
    """Save the new order as a draft."""
    return create(request, company_slug, submit=False)


@require_POST
@login_required
def order_create_and_submit(request: HttpRequest, company_slug: str) -> HttpResponse:
    """Write the new order and send it to the workshop at once."""
    return create(request, company_slug, submit=True)


@require_GET
@login_required
def order_edit(request: HttpRequest, company_slug: str, pk: int) -> HttpResponse:
    company = get_company_for_member(request.user, company_slug)
    order = get_order_for(request.user, company, pk)
    if order.status != Order.Status.DRAFT:
        messages.info(request, _("Only a draft can be edited; this order was already sent."))
        return redirect("portal:order", company.slug, order.pk)
    form = OrderForm(initial={name: getattr(order, name) for name in order_rules.TERM_FIELDS})
    return render_order_form(request, company, form, PendingUploads(request, None), order)


@require_POST
@login_required
def order_update(request: HttpRequest, company_slug: str, pk: int) -> HttpResponse:
    """Save the changes to a draft."""
    company = get_company_for_member(request.user, company_slug)
    order = get_order_for(request.user, company, pk)
    form = OrderForm(request.POST, request.FILES)
    pending = keep_valid_uploads(request, form)
    if not form.is_valid():
        check_what_parsed(form, for_submission=False)
        return render_order_form(request, company, form, pending, order, status=400)
    try:
        with transaction.atomic():
            order = order_rules.update_draft(order=order, by=request.user, terms=form.terms())
            attach_pending(order, request.user, pending)
    except order_rules.OrderInvalid as invalid:
        add_rule_errors(form, invalid.errors)
        return render_order_form(request, company, form, pending, order, status=400)
    except order_rules.OrderStateError as refused:
        messages.error(request, refused.message)
        return redirect("portal:order", company.slug, order.pk)
    messages.success(request, _("The draft was saved. Send it when it is ready."))
    return redirect("portal:order", company.slug, order.pk)


@require_POST
@login_required
def order_submit(request: HttpRequest, company_slug: str, pk: int) -> HttpResponse:
    """Send a draft to the workshop."""
    company = get_company_for_member(request.user, company_slug)
    order = get_order_for(request.user, company, pk)
    try:
        order_rules.submit_order(order=order, by=request.user)
    except order_rules.OrderInvalid as invalid:
        messages.error(request, _("Please fix the draft before sending it."))
        # Show the problems next to the fields they belong to.
        form = OrderForm(
            data={
                name: "" if getattr(order, name) is None else getattr(order, name)
                for name in order_rules.TERM_FIELDS
            }
        )
        form.is_valid()
        add_rule_errors(form, invalid.errors)
        return render_order_form(
            request, company, form, PendingUploads(request, None), order, status=400
        )
    except order_rules.OrderStateError as refused:
        messages.error(request, refused.message)
    else:
        messages.success(
            request, _("Your order was sent to %(workshop)s.") % {"workshop": order.workshop.name}
        )
    return redirect("portal:order", company.slug, order.pk)


# --- one order ----------------------------------------------------------------------------------


def progress_of(order: Order) -> dict:
    """Units checked of all units, quantity logged, and when the rest may be done at the pace
    of the last two weeks. The units come from the order's counters (jobs/counters.py); one
    aggregate query for the logs."""
    scoped = Order.objects.filter(pk=order.pk)
    units = {"total": order.units_total, "approved": order.units_approved}
    since = timezone.now() - datetime.timedelta(days=PACE_DAYS)
    logged = scoped.aggregate(
        done=Sum("units__logs__quantity"),
        recent=Sum("units__logs__quantity", filter=Q(units__logs__created_at__gte=since)),
    )
    done = min(logged["done"] or 0, order.quantity)
    if order.kind == Order.Kind.DIGITAL:
        # An item is done when it has a result: under double entry two logs make one item.
        approved = DigitalWork.objects.filter(order=order).values_list("items_approved", flat=True)
        done = min(approved.first() or 0, order.quantity)
    remaining = order.quantity - done
    per_day = (logged["recent"] or 0) / PACE_DAYS
    expected = None
    if remaining and per_day:
        expected = timezone.localdate() + datetime.timedelta(days=math.ceil(remaining / per_day))
    return {
        "units_total": units["total"],
        "units_approved": units["approved"],
        "done": done,
        "percent": round(done * 100 / order.quantity) if order.quantity else 0,
        "remaining": remaining,
        "expected": expected,
    }


class RefusePartForm(forms.Form):
    """Refuse part of a delivery (the rest is accepted), with a reason the workshop reads.
    (Kept beside the views that use it; it holds no rule: jobs/deliveries.py checks the rest.)"""

    quantity = forms.IntegerField(
        label=gettext_lazy("How many to refuse"), min_value=1, max_value=10_000_000
    )
    reason = forms.CharField(
        label=gettext_lazy("What was wrong (the workshop redoes them)"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, number: int, **kwargs):
        kwargs.setdefault("auto_id", f"refuse{number}_%s")
        super().__init__(*args, **kwargs)


def order_context(request: HttpRequest, company: Company, order: Order, **extra) -> dict:
    return {
        "company": company,
        "order": order,
        "events": OrderEvent.objects.visible_to(request.user)
        .filter(order=order)
        .select_related("actor"),
        "thread": OrderMessage.objects.visible_to(request.user)
        .filter(order=order)
        .select_related("author"),
        "files": OrderFile.objects.visible_to(request.user).filter(order=order),
        "proposal": order.change_proposals.filter(status=ChangeProposal.Status.PENDING).first(),
        "show_progress": order.status in PROGRESS_STATES,
        "progress": progress_of(order) if order.status in PROGRESS_STATES else None,
        "can_cancel": order.status in order_rules.COMPANY_CANCELLABLE,
        "can_write": order.status in order_rules.LIVE_STATES,
        "can_add_files": order.status in order_rules.LIVE_STATES | {Order.Status.DRAFT},
        "message_form": extra.get("message_form") or MessageForm(),
        "files_form": extra.get("files_form") or OrderFilesForm(),
        "cancel_form": extra.get("cancel_form") or CancelForm(),
        "refuse_form": extra.get("refuse_form") or RefuseChangesForm(),
        "pace_days": PACE_DAYS,
        "deliveries": Delivery.objects.visible_to(request.user).filter(order=order),
        "delivery_totals": delivery_rules.totals_of(order),
        "digital": DigitalWork.objects.filter(order=order).first()
        if order.kind == Order.Kind.DIGITAL
        else None,
        "results_form": ResultsSinceForm(),
        # A refusal that came back with errors stays open, with what was typed.
        "refuse_part_form": extra.get("refuse_part_form"),
        "refusing": extra.get("refusing"),
    }


@require_GET
@login_required
def order_detail(request: HttpRequest, company_slug: str, pk: int) -> HttpResponse:
    company = get_company_for_member(request.user, company_slug)
    order = get_order_for(request.user, company, pk)
    return render(request, "companies/order_detail.html", order_context(request, company, order))


@require_POST
@login_required
def order_cancel(request: HttpRequest, company_slug: str, pk: int) -> HttpResponse:
    company = get_company_for_member(request.user, company_slug)
    order = get_order_for(request.user, company, pk)
    form = CancelForm(request.POST)
    form.is_valid()
    try:
        order_rules.cancel_order_by_company(
            order=order, by=request.user, reason=form.cleaned_data.get("reason", "")
        )
    except order_rules.OrderStateError as refused:
        messages.error(request, refused.message)
    else:
        messages.success(request, _("The order was cancelled."))
    return redirect("portal:order", company.slug, order.pk)


def get_proposal_for(order: Order, pk: int) -> ChangeProposal:
    return get_object_or_404(order.change_proposals.select_related("order"), pk=pk)


@require_POST
@login_required
def proposal_confirm(request: HttpRequest, company_slug: str, pk: int, proposal_pk: int):
    company = get_company_for_member(request.user, company_slug)
    order = get_order_for(request.user, company, pk)
    proposal = get_proposal_for(order, proposal_pk)
    try:
        order_rules.confirm_changes(proposal=proposal, by=request.user)
    except order_rules.OrderStateError as refused:
        messages.error(request, refused.message)
    else:
        messages.success(
            request, _("You agreed to the new terms. The workshop can start the work.")
        )
    return redirect("portal:order", company.slug, order.pk)


@require_POST
@login_required
def proposal_refuse(request: HttpRequest, company_slug: str, pk: int, proposal_pk: int):
    company = get_company_for_member(request.user, company_slug)
    order = get_order_for(request.user, company, pk)
    proposal = get_proposal_for(order, proposal_pk)
    form = RefuseChangesForm(request.POST)
    form.is_valid()
    try:
        order_rules.refuse_changes(
            proposal=proposal, by=request.user, reason=form.cleaned_data.get("reason", "")
        )
    except order_rules.OrderStateError as refused:
        messages.error(request, refused.message)
    else:
        messages.success(
            request,
            _("You did not agree to the new terms. The order waits for the workshop again."),
        )
    return redirect("portal:order", company.slug, order.pk)


@require_POST
@login_required
def message_post(request: HttpRequest, company_slug: str, pk: int) -> HttpResponse:
    """A message to the workshop. With htmx the thread is swapped in place; without, the page
    comes back at the thread."""
    company = get_company_for_member(request.user, company_slug)
    order = get_order_for(request.user, company, pk)
    form = MessageForm(request.POST)
    if form.is_valid():
        try:
            order_rules.post_message(
                order=order,
                by=request.user,
                side=OrderMessage.Side.COMPANY,
                body=form.cleaned_data["body"],
            )
        except order_rules.OrderInvalid as invalid:
            add_rule_errors(form, invalid.errors)
        except order_rules.OrderError as refused:
            form.add_error("body", refused.message)
    if form.errors:
        context = order_context(request, company, order, message_form=form)
        template = "companies/order_detail.html"
        if request.htmx:
            return render(request, template + "#messages", context)
        return render(request, template, context, status=400)
    if request.htmx:
        return render(
            request, "companies/order_detail.html#messages", order_context(request, company, order)
        )
    messages.success(request, _("Your message was sent."))
    return redirect(reverse("portal:order", args=[company.slug, order.pk]) + "#messages")


@require_POST
@login_required
def file_upload(request: HttpRequest, company_slug: str, pk: int) -> HttpResponse:
    """Add files to an order; each one is checked by its content, and refused ones are named."""
    company = get_company_for_member(request.user, company_slug)
    order = get_order_for(request.user, company, pk)
    form = OrderFilesForm(request.POST, request.FILES)
    attached = 0
    for upload in request.FILES.getlist("files"):
        try:
            order_rules.attach_file(order=order, by=request.user, upload=upload)
            attached += 1
        except AttachmentRefused as refused:
            form.add_error("files", f"{upload.name}: {refused.message}")
        except order_rules.OrderStateError as refused:
            form.add_error("files", refused.message)
            break
    if not request.FILES.getlist("files"):
        form.add_error("files", _("Please choose one or more files."))
    if form.errors:
        context = order_context(request, company, order, files_form=form)
        return render(request, "companies/order_detail.html", context, status=400)
    messages.success(request, _("Files added: %(count)s.") % {"count": attached})
    return redirect(reverse("portal:order", args=[company.slug, order.pk]) + "#files")


@require_GET
@login_required
def file_download(request: HttpRequest, company_slug: str, pk: int, file_pk: int):
    """Files are served through here, never from MEDIA, so that only the order's two sides get
    them, with the type read from their content."""
    company = get_company_for_member(request.user, company_slug)
    order = get_order_for(request.user, company, pk)
    attachment = get_object_or_404(
        OrderFile.objects.visible_to(request.user).filter(order=order), pk=file_pk
    )
    response = FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.original_name,
        content_type=attachment.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_GET
@login_required
def order_sheet(request: HttpRequest, company_slug: str, pk: int) -> HttpResponse:
    """The order sheet (発注書), to print or save as PDF from the browser."""
    company = get_company_for_member(request.user, company_slug)
    order = get_order_for(request.user, company, pk)
    submitted = (
        OrderEvent.objects.visible_to(request.user)
        .filter(order=order, to_status=Order.Status.SUBMITTED)
        .order_by("at")
        .first()
    )
    tax = consumption_tax_yen(order.total_price_yen)
    context = {
        "company": company,
        "order": order,
        "workshop": order.workshop,
        "ordered_on": timezone.localtime(submitted.at).date() if submitted else None,
        "tax_percent": CONSUMPTION_TAX_PERCENT,
        "tax": tax,
        "total_with_tax": order.total_price_yen + tax,
        "payment_date": order.payment_date
        or order_rules.default_payment_date(order.desired_delivery_date),
    }
    return render(request, "companies/order_sheet.html", context)


# --- deliveries (納品) and acceptance (検収) ----------------------------------------------------


def get_delivery_for(user, order: Order, number: int) -> Delivery:
    """One delivery of this order, through its scope; 404 for anything else."""
    return get_object_or_404(
        Delivery.objects.visible_to(user).filter(order=order).select_related("order__company"),
        number=number,
    )


@require_POST
@login_required
def delivery_accept(request: HttpRequest, company_slug: str, pk: int, number: int):
    company = get_company_for_member(request.user, company_slug)
    order = get_order_for(request.user, company, pk)
    delivery = get_delivery_for(request.user, order, number)
    try:
        delivery_rules.accept_delivery(delivery=delivery, by=request.user)
    except order_rules.OrderError as refused:
        messages.error(request, refused.message)
    else:
        order.refresh_from_db()
        if order.status == Order.Status.ACCEPTED_BY_COMPANY:
            text = _("Thank you. Every delivery is accepted, and the order is complete.")
        else:
            text = _("Thank you. Delivery %(number)s is accepted.") % {"number": number}
        messages.success(request, text)
    return redirect(reverse("portal:order", args=[company.slug, order.pk]) + "#deliveries")


@require_POST
@login_required
def delivery_refuse(request: HttpRequest, company_slug: str, pk: int, number: int):
    company = get_company_for_member(request.user, company_slug)
    order = get_order_for(request.user, company, pk)
    delivery = get_delivery_for(request.user, order, number)
    form = RefusePartForm(request.POST, number=number)
    if form.is_valid():
        try:
            delivery_rules.refuse_part(delivery=delivery, by=request.user, **form.cleaned_data)
        except order_rules.OrderStateError as refused:
            messages.error(request, refused.message)
            return redirect("portal:order", company.slug, order.pk)
        except delivery_rules.DeliveryError as refused:
            form.add_error(refused.field if refused.field in form.fields else None, refused.message)
        else:
            messages.success(
                request,
                _("We told the workshop what to redo. The rest of this delivery is accepted."),
            )
            return redirect(reverse("portal:order", args=[company.slug, order.pk]) + "#deliveries")
    context = order_context(request, company, order, refuse_part_form=form, refusing=number)
    return render(request, "companies/order_detail.html", context, status=400)


@require_GET
@login_required
def delivery_slip(request: HttpRequest, company_slug: str, pk: int, number: int):
    """The delivery slip (納品書), to print or save as PDF from the browser."""
    company = get_company_for_member(request.user, company_slug)
    order = get_order_for(request.user, company, pk)
    delivery = get_delivery_for(request.user, order, number)
    context = {
        "paper": slip_paper(delivery),
        "pdf_url": reverse("portal_money:slip_pdf", args=[company.slug, order.pk, number]),
        "body_class": "wide company sheet-page",
        "back_url": reverse("portal:order", args=[company.slug, order.pk]) + "#deliveries",
    }
    return render(request, "jobs/paper.html", context)
