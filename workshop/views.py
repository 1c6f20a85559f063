"""Where a signed-in person lands, and the staff console's pages."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET

from jobs.models import Order, WorkUnit
from workshop.models import Workshop
from workshop.roles import remember_role, roles_of


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
    workshop = get_workshop_for_staff(request.user, workshop_slug)
    remember_role(request, f"staff:{workshop.slug}")
    orders = Order.objects.visible_to(request.user).filter(workshop=workshop)
    units = WorkUnit.objects.visible_to(request.user).filter(workshop=workshop)
    context = {
        "workshop": workshop,
        "incoming_orders": orders.filter(status=Order.Status.SUBMITTED).select_related("company")[
            :20
        ],
        "open_orders": orders.open()
        .select_related("company")
        .order_by("desired_delivery_date")[:20],
        "reviews_waiting": units.filter(status=WorkUnit.Status.SUBMITTED).count(),
        "units_in_progress": units.filter(status=WorkUnit.Status.CLAIMED).count(),
    }
    return render(request, "workshop/console_home.html", context)
