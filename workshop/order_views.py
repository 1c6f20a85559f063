"""The staff side of orders, under /w/<workshop>/orders/: the incoming list and each order's page,
where staff estimate the work, accept it, propose other terms, decline or cancel it, and write
to the company. The rules themselves are in jobs/orders.py; these views only ask and show."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from jobs import deliveries as delivery_rules
from jobs import orders as rules
from jobs.documents import slip_paper
from jobs.models import ChangeProposal, Delivery, Order, OrderFile, OrderMessage
from workshop import limits
from workshop.models import Workshop
from workshop.views import get_workshop_for_staff

Status = Order.Status
ORDERS_PER_PAGE = 50

# The tabs of the list: which statuses each shows, and in what order. Orders waiting for a
# decision come oldest first, so nobody's order waits at the bottom of the pile.
TABS = {
    "submitted": ([Status.SUBMITTED], ["created_at", "pk"]),
    "accepted": ([Status.ACCEPTED], ["desired_delivery_date", "pk"]),
    "in_progress": ([Status.IN_PROGRESS], ["desired_delivery_date", "pk"]),
    "done": (
        [Status.DELIVERED, Status.ACCEPTED_BY_COMPANY, Status.INVOICED],
        ["-updated_at", "-pk"],
    ),
    "declined": ([Status.DECLINED], ["-updated_at", "-pk"]),
    "cancelled": ([Status.CANCELLED], ["-updated_at", "-pk"]),
}
TAB_LABELS = {
    "submitted": gettext_lazy("To decide"),
    "accepted": gettext_lazy("Accepted"),
    "in_progress": gettext_lazy("In progress"),
    "done": gettext_lazy("Delivered and after"),
    "declined": gettext_lazy("Declined"),
    "cancelled": gettext_lazy("Cancelled"),
}

# Starting points for a reason to decline: staff pick one and may add their own words.
DECLINE_PHRASES = [
    (
        "hands",
        gettext_lazy(
            "We are sorry, but we do not have enough people to finish this by the delivery date."
        ),
    ),
    (
        "tools",
        gettext_lazy(
            "We are sorry, but this work needs tools or space that our workshop does not have."
        ),
    ),
    (
        "price",
        gettext_lazy(
            "We are sorry, but at this price we could not pay the participants a fair wage."
        ),
    ),
    (
        "busy",
        gettext_lazy(
            "We are fully booked for now. We would be glad if you asked us again another time."
        ),
    ),
]


# --- forms ----------------------------------------------------------------------------------


class OrderPageForm(forms.Form):
    """Several forms share the order's page; each keeps its own element ids."""

    id_prefix = "order"

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", f"{self.id_prefix}_%s")
        super().__init__(*args, **kwargs)


class MinutesField(forms.IntegerField):
    def __init__(self, **kwargs):
        kwargs.setdefault("label", gettext_lazy("Minutes per item (your estimate)"))
        kwargs.setdefault(
            "help_text",
            gettext_lazy("How long one item takes a participant, roughly. Used for the wage."),
        )
        super().__init__(min_value=1, max_value=32767, **kwargs)
        self.widget.attrs.update({"inputmode": "numeric", "autocomplete": "off"})


class AcceptForm(OrderPageForm):
    id_prefix = "accept"
    minutes_per_item = MinutesField(
        error_messages={"required": gettext_lazy("Please enter your estimate first.")}
    )
    below_floor_ok = forms.BooleanField(
        required=False,
        label=gettext_lazy("I have seen this and still want to accept the order."),
    )
    note = forms.CharField(
        max_length=limits.REASON_LENGTH,
        label=gettext_lazy("Note to the company (optional)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ProposeForm(OrderPageForm):
    id_prefix = "propose"
    unit_price_yen = forms.IntegerField(
        max_value=limits.MAX_ORDER_TOTAL_YEN,
        label=gettext_lazy("Unit price (yen)"),
        min_value=0,
        required=False,
    )
    total_price_yen = forms.IntegerField(
        max_value=limits.MAX_ORDER_TOTAL_YEN,
        label=gettext_lazy("Total price (yen)"),
        min_value=0,
        required=False,
        help_text=gettext_lazy("Leave empty to use unit price × quantity."),
    )
    desired_delivery_date = forms.DateField(
        validators=[limits.validate_date],
        label=gettext_lazy("Delivery date"),
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    payment_date = forms.DateField(
        validators=[limits.validate_date],
        label=gettext_lazy("Payment date"),
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    minutes_per_item = MinutesField(required=False)
    note = forms.CharField(
        max_length=limits.REASON_LENGTH,
        label=gettext_lazy("Why, in a few words, for the company"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class DeclineForm(OrderPageForm):
    id_prefix = "decline"
    phrase = forms.ChoiceField(
        label=gettext_lazy("Start from"),
        choices=DECLINE_PHRASES,
        required=False,
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        max_length=limits.REASON_LENGTH,
        label=gettext_lazy("In your own words"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("The company reads this. Choose a phrase, write, or both."),
    )

    def reason_text(self) -> str:
        phrase = dict(DECLINE_PHRASES).get(self.cleaned_data.get("phrase") or "", "")
        own_words = self.cleaned_data.get("reason", "")
        return "\n".join(part for part in [str(phrase), own_words] if part)


class CancelForm(OrderPageForm):
    id_prefix = "cancel"
    reason = forms.CharField(
        max_length=limits.REASON_LENGTH,
        label=gettext_lazy("Reason for the company"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )


class MessageForm(OrderPageForm):
    id_prefix = "message"
    body = forms.CharField(
        max_length=limits.MESSAGE_LENGTH,
        label=gettext_lazy("Message to the company"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )


class DeliveryForm(OrderPageForm):
    id_prefix = "delivery"
    quantity = forms.IntegerField(
        label=gettext_lazy("Quantity delivered"), min_value=1, max_value=10_000_000
    )
    delivered_on = forms.DateField(
        validators=[limits.validate_date],
        label=gettext_lazy("Delivered on"),
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    method = forms.ChoiceField(
        label=gettext_lazy("Delivery method"), choices=Order.DeliveryMethod.choices
    )
    note = forms.CharField(
        label=gettext_lazy("Note on the delivery slip (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    final = forms.BooleanField(
        label=gettext_lazy("This is the final delivery"),
        required=False,
        help_text=gettext_lazy(
            "Only when the company agreed to take fewer than ordered. A delivery that completes "
            "the quantity is the final one anyway."
        ),
    )


# --- fetching -------------------------------------------------------------------------------


def get_order_for_staff(user, workshop: Workshop, pk: int) -> Order:
    """An order sent to this workshop; 404 for anyone else's, and for drafts, which stay the
    company's own even when the staff member also belongs to that company."""
    orders = (
        Order.objects.visible_to(user)
        .filter(workshop=workshop)
        .exclude(status=Status.DRAFT)
        .select_related("company", "workshop")
    )
    return get_object_or_404(orders, pk=pk)


def whole_number(value, *, maximum: int = 32767) -> int | None:
    """A positive whole number typed into a field as it is being typed, or None."""
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if 0 < number <= maximum else None


def order_page(request: HttpRequest, workshop: Workshop, order: Order, *, status=200, **forms):
    """The order's page, with any form that came back with errors in place of a fresh one."""
    proposals = list(order.change_proposals.select_related("proposed_by", "decided_by"))
    pending = next((p for p in proposals if p.status == ChangeProposal.Status.PENDING), None)
    estimate_minutes = (
        whole_number(request.GET.get("minutes_per_item"))
        or order.minutes_per_item
        or (pending.minutes_per_item if pending else None)
    )
    if "accept_form" in forms:
        estimate_minutes = whole_number(forms["accept_form"].data.get("minutes_per_item"))
    source = pending or order
    context = {
        "workshop": workshop,
        "order": order,
        "files": order.files.all(),
        "events": order.events.select_related("actor"),
        "thread": order.messages.select_related("author"),
        "pending_proposal": pending,
        "past_proposals": [p for p in proposals if p is not pending],
        "list_tab": next(name for name, (states, _o) in TABS.items() if order.status in states),
        "estimate": rules.hourly_estimate(order=order, minutes_per_item=estimate_minutes),
        "proposal_estimate": rules.hourly_estimate(
            order=order, minutes_per_item=estimate_minutes, total_price_yen=source.total_price_yen
        ),
        "accept_form": AcceptForm(initial={"minutes_per_item": estimate_minutes}),
        "propose_form": ProposeForm(
            initial={
                "unit_price_yen": source.unit_price_yen,
                "total_price_yen": source.total_price_yen,
                "desired_delivery_date": source.desired_delivery_date,
                "payment_date": source.payment_date,
                "minutes_per_item": estimate_minutes,
            }
        ),
        "decline_form": DeclineForm(),
        "cancel_form": CancelForm(),
        "message_form": MessageForm(),
        "can_cancel": order.status in rules.WORKSHOP_CANCELLABLE,
        "deliveries": order.deliveries.select_related("recorded_by", "decided_by"),
        "delivery_totals": delivery_rules.totals_of(order),
        "can_deliver": order.status == Status.IN_PROGRESS,
        "delivery_form": DeliveryForm(
            initial={"delivered_on": timezone.localdate(), "method": order.delivery_method}
        ),
        **forms,
    }
    return render(request, "workshop/order.html", context, status=status)


def back_to(order: Order, workshop: Workshop, anchor: str = "") -> HttpResponse:
    url = reverse("console_orders:order", args=[workshop.slug, order.pk])
    return redirect(url + (f"#{anchor}" if anchor else ""))


def refused(request: HttpRequest, error: rules.OrderError, workshop, order) -> HttpResponse:
    """A rule said no (someone else already decided, say): a calm note on the order's page."""
    messages.info(request, error.message)
    return back_to(order, workshop)


# --- pages ----------------------------------------------------------------------------------


@require_GET
@login_required
def order_list(request: HttpRequest, workshop_slug: str) -> HttpResponse:
    workshop = get_workshop_for_staff(request.user, workshop_slug)
    tab = request.GET.get("tab", "submitted")
    if tab not in TABS:
        tab = "submitted"
    statuses, ordering = TABS[tab]
    orders = Order.objects.visible_to(request.user).filter(workshop=workshop)
    counts = orders.aggregate(
        **{name: Count("pk", filter=Q(status__in=states)) for name, (states, _o) in TABS.items()}
    )
    page = Paginator(
        orders.filter(status__in=statuses).select_related("company").order_by(*ordering),
        ORDERS_PER_PAGE,
    ).get_page(request.GET.get("page"))
    context = {
        "workshop": workshop,
        "tab": tab,
        "tabs": [(name, TAB_LABELS[name], counts[name]) for name in TABS],
        "page": page,
    }
    return render(request, "workshop/orders.html", context)


@require_GET
@login_required
def order_detail(request: HttpRequest, workshop_slug: str, pk: int) -> HttpResponse:
    workshop = get_workshop_for_staff(request.user, workshop_slug)
    order = get_order_for_staff(request.user, workshop, pk)
    return order_page(request, workshop, order)


@require_GET
@login_required
def hourly(request: HttpRequest, workshop_slug: str, pk: int) -> HttpResponse:
    """The hourly equivalent at the minutes (and, for a proposal, the price) typed so far:
    swapped in as staff type, and a plain page link without JavaScript."""
    workshop = get_workshop_for_staff(request.user, workshop_slug)
    order = get_order_for_staff(request.user, workshop, pk)
    minutes = whole_number(request.GET.get("minutes_per_item"))
    if not request.htmx:
        url = reverse("console_orders:order", args=[workshop.slug, order.pk])
        return redirect(f"{url}?minutes_per_item={minutes or ''}#decide")
    total = whole_number(request.GET.get("total_price_yen"), maximum=10**10)
    unit_price = whole_number(request.GET.get("unit_price_yen"), maximum=10**10)
    if total is None and unit_price is not None:
        total = unit_price * order.quantity
    context = {
        "order": order,
        "estimate": rules.hourly_estimate(
            order=order, minutes_per_item=minutes, total_price_yen=total
        ),
        "for_proposal": request.GET.get("for") == "proposal",
        "accept_form": AcceptForm(),
    }
    return render(request, "workshop/order.html#hourly", context)


@require_GET
@login_required
def download_file(request: HttpRequest, workshop_slug: str, pk: int, file_pk: int):
    workshop = get_workshop_for_staff(request.user, workshop_slug)
    order = get_order_for_staff(request.user, workshop, pk)
    files = OrderFile.objects.visible_to(request.user)
    attachment = get_object_or_404(files, order=order, pk=file_pk)
    return FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.original_name,
        content_type=attachment.content_type,
    )


# --- decisions ------------------------------------------------------------------------------


@require_POST
@login_required
def accept(request: HttpRequest, workshop_slug: str, pk: int) -> HttpResponse:
    workshop = get_workshop_for_staff(request.user, workshop_slug)
    order = get_order_for_staff(request.user, workshop, pk)
    form = AcceptForm(request.POST)
    if not form.is_valid():
        return order_page(request, workshop, order, status=400, accept_form=form)
    minutes = form.cleaned_data["minutes_per_item"]
    # Recomputed here, whatever the page showed: an order below the floor is accepted only
    # once someone has looked at what it pays.
    estimate = rules.hourly_estimate(order=order, minutes_per_item=minutes)
    if estimate.below_floor and not form.cleaned_data["below_floor_ok"]:
        form.add_error(
            "below_floor_ok",
            _("This order pays less than your workshop's floor. Tick the box to accept it anyway."),
        )
        return order_page(request, workshop, order, status=400, accept_form=form)
    try:
        rules.accept_order(
            order=order, by=request.user, minutes_per_item=minutes, note=form.cleaned_data["note"]
        )
    except rules.OrderError as error:
        return refused(request, error, workshop, order)
    messages.success(
        request,
        _("You accepted the order. We let the company know. Next, split it into units."),
    )
    return back_to(order, workshop)


@require_POST
@login_required
def propose(request: HttpRequest, workshop_slug: str, pk: int) -> HttpResponse:
    workshop = get_workshop_for_staff(request.user, workshop_slug)
    order = get_order_for_staff(request.user, workshop, pk)
    form = ProposeForm(request.POST)
    if form.is_valid():
        try:
            rules.propose_changes(order=order, by=request.user, **form.cleaned_data)
        except rules.OrderInvalid as error:
            for field, problems in error.errors.items():
                for problem in problems:
                    form.add_error(field if field in form.fields else None, problem)
        except rules.OrderError as error:
            return refused(request, error, workshop, order)
        else:
            messages.success(
                request,
                _("We sent your proposal to the company. The order starts once they confirm it."),
            )
            return back_to(order, workshop)
    return order_page(request, workshop, order, status=400, propose_form=form, open_form="propose")


@require_POST
@login_required
def withdraw_proposal(request: HttpRequest, workshop_slug: str, pk: int, proposal_pk: int):
    workshop = get_workshop_for_staff(request.user, workshop_slug)
    order = get_order_for_staff(request.user, workshop, pk)
    proposal = get_object_or_404(order.change_proposals, pk=proposal_pk)
    try:
        rules.withdraw_proposal(proposal=proposal, by=request.user)
    except rules.OrderError as error:
        return refused(request, error, workshop, order)
    messages.success(request, _("You withdrew the proposal. We let the company know."))
    return back_to(order, workshop)


@require_POST
@login_required
def decline(request: HttpRequest, workshop_slug: str, pk: int) -> HttpResponse:
    workshop = get_workshop_for_staff(request.user, workshop_slug)
    order = get_order_for_staff(request.user, workshop, pk)
    form = DeclineForm(request.POST)
    if form.is_valid():
        try:
            rules.decline_order(order=order, by=request.user, reason=form.reason_text())
        except rules.OrderStateError as error:
            return refused(request, error, workshop, order)
        except rules.OrderError as error:
            form.add_error("reason", error.message)
        else:
            messages.success(request, _("You declined the order. We sent the company your reason."))
            return back_to(order, workshop)
    return order_page(request, workshop, order, status=400, decline_form=form, open_form="decline")


@require_POST
@login_required
def cancel(request: HttpRequest, workshop_slug: str, pk: int) -> HttpResponse:
    workshop = get_workshop_for_staff(request.user, workshop_slug)
    order = get_order_for_staff(request.user, workshop, pk)
    form = CancelForm(request.POST)
    form.is_valid()  # free text; the rule says whether a reason is missing
    try:
        rules.cancel_order_by_workshop(
            order=order, by=request.user, reason=form.cleaned_data.get("reason", "")
        )
    except rules.OrderStateError as error:
        return refused(request, error, workshop, order)
    except rules.OrderError as error:
        form.add_error("reason", error.message)
        return order_page(
            request, workshop, order, status=400, cancel_form=form, open_form="cancel"
        )
    messages.success(request, _("You cancelled the order. We sent the company your reason."))
    return back_to(order, workshop)


@require_POST
@login_required
def post_message(request: HttpRequest, workshop_slug: str, pk: int) -> HttpResponse:
    workshop = get_workshop_for_staff(request.user, workshop_slug)
    order = get_order_for_staff(request.user, workshop, pk)
    form = MessageForm(request.POST)
    form.is_valid()
    try:
        rules.post_message(
            order=order,
            by=request.user,
            side=OrderMessage.Side.WORKSHOP,
            body=form.cleaned_data.get("body", ""),
        )
    except rules.OrderInvalid as error:
        for problem in error.errors.get("body", []):
            form.add_error("body", problem)
    except rules.OrderError as error:
        return refused(request, error, workshop, order)
    else:
        form = MessageForm()
        if not request.htmx:
            return back_to(order, workshop, "thread")
    if request.htmx:
        context = {
            "workshop": workshop,
            "order": order,
            "thread": order.messages.select_related("author"),
            "message_form": form,
        }
        return render(request, "workshop/order.html#thread", context)
    return order_page(request, workshop, order, status=400, message_form=form)


# --- deliveries (納品) ----------------------------------------------------------------------


@require_POST
@login_required
def deliver(request: HttpRequest, workshop_slug: str, pk: int) -> HttpResponse:
    """Record a delivery and issue its slip."""
    workshop = get_workshop_for_staff(request.user, workshop_slug)
    order = get_order_for_staff(request.user, workshop, pk)
    form = DeliveryForm(request.POST)
    if form.is_valid():
        try:
            delivery = delivery_rules.record_delivery(
                order=order, by=request.user, **form.cleaned_data
            )
        except rules.OrderStateError as error:
            return refused(request, error, workshop, order)
        except delivery_rules.DeliveryError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            order.refresh_from_db()
            if order.status == Status.DELIVERED:
                text = _(
                    "Delivery %(number)s recorded. The order is delivered; we asked the "
                    "company to confirm acceptance."
                )
            else:
                text = _("Delivery %(number)s recorded. We let the company know.")
            messages.success(request, text % {"number": delivery.number})
            return back_to(order, workshop, "deliveries")
    return order_page(request, workshop, order, status=400, delivery_form=form)


def get_delivery_for(user, order: Order, number: int) -> Delivery:
    """One delivery of an order, through its scope; 404 for anything else."""
    return get_object_or_404(
        Delivery.objects.visible_to(user)
        .filter(order=order)
        .select_related("order__workshop", "order__company"),
        number=number,
    )


@require_GET
@login_required
def delivery_slip(request: HttpRequest, workshop_slug: str, pk: int, number: int) -> HttpResponse:
    """The delivery slip (納品書), to print or save as PDF from the browser."""
    workshop = get_workshop_for_staff(request.user, workshop_slug)
    order = get_order_for_staff(request.user, workshop, pk)
    delivery = get_delivery_for(request.user, order, number)
    context = {
        "paper": slip_paper(delivery),
        "pdf_url": reverse("console_money:slip_pdf", args=[workshop.slug, order.pk, number]),
        "body_class": "wide staff sheet-page",
        "back_url": reverse("console_orders:order", args=[workshop.slug, order.pk]) + "#deliveries",
    }
    return render(request, "jobs/paper.html", context)
