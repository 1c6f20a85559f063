"""The joint order desk's pages: the company's (/c/<company_slug>/network-orders/), the
coordinator's (/n/<network_slug>/desk/) and the workshop's (/w/<workshop_slug>/shares/). Each
view fetches through network/access.py, calls one rule of network/desk.py and renders."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from companies.forms import UNIT_SUGGESTIONS
from companies.views import add_rule_errors, get_company_for_member
from jobs import orders as order_rules
from jobs.models import Delivery, Order
from jobs.money_models import Invoice
from network import capacity, desk
from network.access import (
    get_joint_order_for_company,
    get_joint_order_for_coordinator,
    get_network_for_coordinator,
    get_share_for_staff,
)
from network.desk_forms import AcceptShareForm, DeclineShareForm, JointOrderForm, RouteForm
from network.models import JointOrder, JointOrderEvent, Network, Share
from workshop.models import Workshop
from workshop.views import get_workshop_for_staff

# --- the company's side ---------------------------------------------------------------------


@require_GET
@login_required
def company_list(request: HttpRequest, company_slug: str) -> HttpResponse:
    company = get_company_for_member(request.user, company_slug)
    rows = JointOrder.objects.visible_to(request.user).filter(company=company)
    context = {
        "company": company,
        "joint_orders": rows.select_related("network"),
        "networks": desk.networks_for(company),
    }
    return render(request, "network/company_joint_orders.html", context)


def _render_form(request, company, form, status=200) -> HttpResponse:
    context = {"company": company, "form": form, "unit_suggestions": UNIT_SUGGESTIONS}
    return render(request, "network/company_joint_order_form.html", context, status=status)


@require_http_methods(["GET", "POST"])
@login_required
def company_new(request: HttpRequest, company_slug: str) -> HttpResponse:
    """The order form, sent to the network's desk: the coordinator finds the workshops."""
    company = get_company_for_member(request.user, company_slug)
    form = JointOrderForm(request.POST or None, networks=desk.networks_for(company))
    if request.method == "GET":
        return _render_form(request, company, form)
    if not form.is_valid():
        return _render_form(request, company, form, status=400)
    try:
        joint_order = desk.send_to_network(
            company=company,
            network=form.cleaned_data["network"],
            by=request.user,
            terms=form.terms(),
        )
    except order_rules.OrderInvalid as invalid:
        add_rule_errors(form, invalid.errors)
        return _render_form(request, company, form, status=400)
    messages.success(
        request,
        _("Your order was sent to the joint order desk of %(network)s.")
        % {"network": joint_order.network.name},
    )
    return redirect("joint_orders:detail", company.slug, joint_order.pk)


@require_GET
@login_required
def company_estimate(request: HttpRequest, company_slug: str) -> HttpResponse:
    """The expected delivery date for what the form says so far (htmx, from the form)."""
    company = get_company_for_member(request.user, company_slug)
    network = desk.networks_for(company).filter(pk=_number(request.GET.get("network"))).first()
    quantity = _number(request.GET.get("quantity"))
    kind = request.GET.get("kind")
    estimate = None
    if network and quantity and kind in Order.Kind.values:
        estimate = capacity.estimate_for_network(network, kind=kind, quantity=quantity)
    context = {"estimate": estimate, "asked": bool(network and quantity)}
    return render(request, "network/company_joint_order_form.html#estimate", context)


def _number(text: str | None) -> int:
    text = (text or "").replace(",", "").strip()
    return int(text) if text.isascii() and text.isdigit() and len(text) < 9 else 0


@require_GET
@login_required
def company_detail(request: HttpRequest, company_slug: str, pk: int) -> HttpResponse:
    """One order, as the company sees it: combined progress and deliveries of the workshops
    that took part, and the documents of each."""
    company = get_company_for_member(request.user, company_slug)
    joint_order = get_joint_order_for_company(request.user, company, pk)
    accepted = (
        joint_order.shares.filter(status=Share.Status.ACCEPTED)
        .select_related("workshop", "order")
        .order_by("pk")
    )
    orders = Order.objects.visible_to(request.user).filter(network_share__in=accepted)
    quantity_waiting = sum(
        joint_order.shares.filter(status=Share.Status.SENT).values_list("quantity", flat=True)
    )
    context = {
        "company": company,
        "joint_order": joint_order,
        "accepted": accepted,
        "waiting": quantity_waiting,
        "at_desk": desk.unrouted(joint_order)[0],
        "progress": desk.combined_progress(joint_order),
        "estimate": capacity.estimate_for_joint_order(joint_order),
        "deliveries": Delivery.objects.visible_to(request.user)
        .filter(order__in=orders)
        .select_related("order", "order__workshop")
        .order_by("delivered_on", "pk"),
        "invoices": Invoice.objects.visible_to(request.user)
        .filter(lines__order__in=orders)
        .distinct()
        .select_related("workshop"),
        "events": JointOrderEvent.objects.filter(joint_order=joint_order).exclude(
            what=JointOrderEvent.What.ROUTED
        ),
    }
    return render(request, "network/company_joint_order.html", context)


# --- the coordinator's side -----------------------------------------------------------------


@require_GET
@login_required
def desk_list(request: HttpRequest, network_slug: str) -> HttpResponse:
    network = get_network_for_coordinator(request.user, network_slug)
    rows = JointOrder.objects.visible_to(request.user).filter(network=network)
    context = {"network": network, "joint_orders": rows.select_related("company")}
    return render(request, "network/desk.html", context)


def _desk_context(request, network: Network, joint_order: JointOrder, form=None) -> dict:
    quantity, yen = desk.unrouted(joint_order)
    workshops = Workshop.objects.filter(network_membership__network=network).order_by("name")
    shares = joint_order.shares.select_related("workshop").order_by("pk")
    estimates = capacity.share_estimates(joint_order)
    return {
        "network": network,
        "joint_order": joint_order,
        "at_desk": quantity,
        "at_desk_yen": yen,
        "capacity": capacity.capacity(
            network, quantity=quantity or joint_order.quantity, kind=joint_order.kind
        ),
        "pace_weeks": capacity.PACE_WEEKS,
        "shares": [(share, estimates.get(share.pk)) for share in shares],
        "form": form or RouteForm(workshops=workshops),
        "events": JointOrderEvent.objects.filter(joint_order=joint_order).select_related(
            "share__workshop", "actor"
        ),
    }


@require_GET
@login_required
def desk_detail(request: HttpRequest, network_slug: str, pk: int) -> HttpResponse:
    network = get_network_for_coordinator(request.user, network_slug)
    joint_order = get_joint_order_for_coordinator(request.user, network, pk)
    return render(request, "network/desk_order.html", _desk_context(request, network, joint_order))


@require_POST
@login_required
def desk_route(request: HttpRequest, network_slug: str, pk: int) -> HttpResponse:
    """Route what waits at the desk: one workshop, or shares for several."""
    network = get_network_for_coordinator(request.user, network_slug)
    joint_order = get_joint_order_for_coordinator(request.user, network, pk)
    workshops = Workshop.objects.filter(network_membership__network=network).order_by("name")
    form = RouteForm(request.POST, workshops=workshops)
    if form.is_valid():
        parts = [desk.Part(workshop, quantity) for workshop, quantity in form.parts()]
        try:
            desk.route(joint_order=joint_order, by=request.user, parts=parts)
        except desk.DeskError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The shares were sent to the workshops."))
            return redirect("network:desk_order", network.slug, joint_order.pk)
    context = _desk_context(request, network, joint_order, form)
    return render(request, "network/desk_order.html", context, status=400)


# --- the workshop's side --------------------------------------------------------------------


@require_GET
@login_required
def share_list(request: HttpRequest, workshop_slug: str) -> HttpResponse:
    workshop = get_workshop_for_staff(request.user, workshop_slug)
    rows = (
        Share.objects.visible_to(request.user)
        .filter(workshop=workshop)
        .select_related("joint_order", "joint_order__company", "joint_order__network", "order")
        .order_by("-routed_at", "-pk")
    )
    return render(request, "network/shares.html", {"workshop": workshop, "shares": rows})


def _share_page(request, workshop, share, *, accept_form=None, decline_form=None, status=200):
    context = {
        "workshop": workshop,
        "share": share,
        "joint_order": share.joint_order,
        "accept_form": accept_form or AcceptShareForm(auto_id="accept_%s"),
        "decline_form": decline_form or DeclineShareForm(auto_id="decline_%s"),
    }
    return render(request, "network/share.html", context, status=status)


@require_GET
@login_required
def share_detail(request: HttpRequest, workshop_slug: str, pk: int) -> HttpResponse:
    workshop = get_workshop_for_staff(request.user, workshop_slug)
    return _share_page(request, workshop, get_share_for_staff(request.user, workshop, pk))


@require_POST
@login_required
def share_accept(request: HttpRequest, workshop_slug: str, pk: int) -> HttpResponse:
    """Take the share on: it becomes an accepted order of this workshop."""
    workshop = get_workshop_for_staff(request.user, workshop_slug)
    share = get_share_for_staff(request.user, workshop, pk)
    form = AcceptShareForm(request.POST, auto_id="accept_%s")
    if form.is_valid():
        try:
            with transaction.atomic():
                order = desk.accept_share(
                    share=share,
                    by=request.user,
                    minutes_per_item=form.cleaned_data["minutes_per_item"],
                )
        except (desk.DeskError, order_rules.OrderError) as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The share is now an order of this workshop."))
            return redirect("console_orders:order", workshop.slug, order.pk)
    return _share_page(request, workshop, share, accept_form=form, status=400)


@require_POST
@login_required
def share_decline(request: HttpRequest, workshop_slug: str, pk: int) -> HttpResponse:
    """Give the share back to the desk, with a reason the coordinator reads."""
    workshop = get_workshop_for_staff(request.user, workshop_slug)
    share = get_share_for_staff(request.user, workshop, pk)
    form = DeclineShareForm(request.POST, auto_id="decline_%s")
    if form.is_valid():
        try:
            desk.decline_share(share=share, by=request.user, reason=form.cleaned_data["reason"])
        except desk.DeskError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The share went back to the network's desk."))
            return redirect("shares:list", workshop.slug)
    return _share_page(request, workshop, share, decline_form=form, status=400)
