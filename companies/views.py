"""The company portal."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from companies.models import Company
from jobs.models import Order
from workshop.roles import remember_role


def get_company_for_member(user, slug: str) -> Company:
    """The company if the user is its member; 404 otherwise."""
    return get_object_or_404(Company.objects.of_member(user), slug=slug)


@require_GET
@login_required
def portal_home(request: HttpRequest, company_slug: str) -> HttpResponse:
    company = get_company_for_member(request.user, company_slug)
    remember_role(request, f"company:{company.slug}")
    orders = (
        Order.objects.visible_to(request.user)
        .filter(company=company)
        .select_related("workshop")
        .order_by("-created_at")[:50]
    )
    return render(request, "companies/portal_home.html", {"company": company, "orders": orders})
