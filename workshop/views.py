"""Where a signed-in person lands, and the staff console's pages."""

from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET

from jobs.models import Order, WorkUnit
from participants import pathway
from participants.models import Participant
from workshop.models import Workshop
from workshop.roles import is_manager_of, remember_role, roles_of

# The console home is a summary; the full lists have their own pages.
CONSOLE_LIST_LIMIT = 20


@require_GET
def root(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("home")
    return redirect("account_login")


@require_GET
@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Send each person to the home of their role; with several roles, to the one used last,
    or let them choose."""
    roles = roles_of(request.user)
    if len(roles) == 1:
        return redirect(roles[0].url)
    last = request.session.get("role")
    for role in roles:
        if role.key == last:
            return redirect(role.url)
    return render(request, "home.html", {"roles": roles})


def get_workshop_for_staff(user, slug: str) -> Workshop:
    """The workshop if the user is its staff; 404 otherwise, never 403."""
    return get_object_or_404(Workshop.objects.staffed_by(user), slug=slug)


@require_GET
@login_required
def console_home(request: HttpRequest, workshop_slug: str) -> HttpResponse:
    """What needs staff today: orders to decide on, open orders by due date, and counts.
    A fixed number of queries however many orders and units there are."""
    workshop = get_workshop_for_staff(request.user, workshop_slug)
    remember_role(request, f"staff:{workshop.slug}")
    orders = Order.objects.visible_to(request.user).filter(workshop=workshop)
    units = WorkUnit.objects.visible_to(request.user).filter(workshop=workshop)
    now = timezone.now()
    unit_counts = units.aggregate(
        taken=Count("pk", filter=Q(status=WorkUnit.Status.CLAIMED, expires_at__gte=now)),
        reviews_waiting=Count("pk", filter=Q(status=WorkUnit.Status.SUBMITTED)),
    )
    context = {
        "workshop": workshop,
        "is_manager": is_manager_of(request.user, workshop),
        "incoming_count": orders.filter(status=Order.Status.SUBMITTED).count(),
        "incoming_orders": orders.filter(status=Order.Status.SUBMITTED)
        .select_related("company")
        .order_by("created_at")[:CONSOLE_LIST_LIMIT],
        "open_orders": orders.open()
        .select_related("company")
        .annotate(
            units_total=Count("units"),
            units_approved=Count("units", filter=Q(units__status=WorkUnit.Status.APPROVED)),
        )
        .order_by("desired_delivery_date", "pk")[:CONSOLE_LIST_LIMIT],
        "units_taken": unit_counts["taken"],
        "reviews_waiting": unit_counts["reviews_waiting"],
        "participants_active": Participant.objects.visible_to(request.user)
        .filter(workshop=workshop)
        .active()
        .count(),
        "reviews_due": pathway.reviews_due(workshop),
    }
    return render(request, "workshop/console_home.html", context)
