"""Where a signed-in person lands, and the staff console's pages."""

import datetime

from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q, Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET

from jobs.models import Order, WorkUnit, board_states
from participants import homework, pathway, unsent
from participants.attendance_models import Attendance
from participants.models import Participant
from workshop.models import Workshop
from workshop.roles import is_manager_of, remember_role, roles_of

# The console home is a summary; the full lists have their own pages.
CONSOLE_LIST_LIMIT = 20
# Today's check-ins shown on the home; the reply page lists them all.
CHECK_INS_SHOWN = 30
# Units quiet for a while, shown gently so that staff may reach out; the board has the rest.
QUIET_SHOWN = 5
# "Due soon" means within this many days (and anything already past its date).
DUE_SOON_DAYS = 7


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
    """One screen for today: orders to decide on, today's check-ins, units in progress and the
    quiet ones, reviews waiting, orders due soon. A fixed number of queries however many
    orders, units and check-ins there are; every filter uses an index (unit: workshop+status,
    attendance: day, order: workshop+status)."""
    workshop = get_workshop_for_staff(request.user, workshop_slug)
    remember_role(request, f"staff:{workshop.slug}")
    orders = Order.objects.visible_to(request.user).filter(workshop=workshop)
    units = WorkUnit.objects.visible_to(request.user).filter(workshop=workshop)
    now = timezone.now()
    today = timezone.localdate()
    # The board's own definitions, so the home and the board never disagree.
    tabs = board_states(now)
    in_progress = tabs["taken"] | Q(status=WorkUnit.Status.REDO)
    # Only the units in people's hands are counted (a few per person); the handed-in ones,
    # which pile up with the backlog, come from the orders' counters below.
    unit_counts = units.filter(
        status__in=[WorkUnit.Status.CLAIMED, WorkUnit.Status.REDO]
    ).aggregate(
        taken=Count("pk", filter=tabs["taken"]),
        in_progress=Count("pk", filter=in_progress),
        quiet=Count("pk", filter=tabs["quiet"]),
    )
    order_counts = orders.aggregate(
        incoming=Count("pk", filter=Q(status=Order.Status.SUBMITTED)),
        reviews_waiting=Sum("units_submitted"),
    )
    open_orders = orders.open().select_related("company").order_by("desired_delivery_date", "pk")
    check_ins = Attendance.objects.visible_to(request.user).filter(
        participant__workshop=workshop, day=today
    )
    check_in_counts = check_ins.aggregate(
        total=Count("pk"), waiting=Count("pk", filter=Q(staff_reply=""))
    )
    context = {
        "workshop": workshop,
        "is_manager": is_manager_of(request.user, workshop),
        "incoming_count": order_counts["incoming"],
        "incoming_orders": orders.filter(status=Order.Status.SUBMITTED)
        .select_related("company")
        .order_by("created_at")[:CONSOLE_LIST_LIMIT],
        "open_orders": open_orders[:CONSOLE_LIST_LIMIT],
        "due_soon": open_orders.filter(
            desired_delivery_date__lte=today + datetime.timedelta(days=DUE_SOON_DAYS)
        )[:CONSOLE_LIST_LIMIT],
        "due_soon_days": DUE_SOON_DAYS,
        "units_taken": unit_counts["taken"],
        "units_in_progress": unit_counts["in_progress"],
        "units_quiet_count": unit_counts["quiet"],
        "units_quiet": units.filter(tabs["quiet"])
        .select_related("order", "holder")
        .order_by("last_activity_at", "pk")[:QUIET_SHOWN],
        "reviews_waiting": order_counts["reviews_waiting"] or 0,
        "check_ins": check_ins.select_related("participant").order_by("-at", "-pk")[
            :CHECK_INS_SHOWN
        ],
        "check_ins_count": check_in_counts["total"],
        "check_ins_waiting": check_in_counts["waiting"],
        "participants_active": Participant.objects.visible_to(request.user)
        .filter(workshop=workshop)
        .active()
        .count(),
        "reviews_due": pathway.reviews_due(workshop),
        "homework": homework.for_staff_home(workshop, request.user, today=today),
        "kept_on_phones": unsent.waiting_by_person(workshop),
    }
    for unit in context["units_quiet"]:
        unit.quiet_days = (now - unit.last_activity_at).days
    return render(request, "workshop/console_home.html", context)
