"""The company portal."""

from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from companies.models import Company
from jobs.models import Order
from workshop.models import Workshop
from workshop.roles import remember_role

# The portal home is a summary; older orders will get their own list with paging.
PORTAL_ORDER_LIMIT = 50


def get_company_for_member(user, slug: str) -> Company:
    """The company if the user is its member; 404 otherwise."""
    return get_object_or_404(Company.objects.of_member(user), slug=slug)


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
        "workshops": Workshop.objects.visible_to(request.user).filter(
            partnerships__company=company
        ),
        "status_counts": status_counts,
        "orders": orders.select_related("workshop").order_by("-created_at", "-pk")[
            :PORTAL_ORDER_LIMIT
        ],
    }
    return render(request, "companies/portal_home.html", context)
