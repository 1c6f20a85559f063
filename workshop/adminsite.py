"""The admin site itself: who may enter. Kept apart from workshop/admin.py because Django
imports the default site's class while admin modules (including this app's) are being loaded."""

from django.contrib import admin
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from workshop.models import StaffMembership


def managed_workshop_ids(request: HttpRequest) -> frozenset[int]:
    """The workshops the signed-in person manages, asked once per request."""
    cached = getattr(request, "_managed_workshop_ids", None)
    if cached is None:
        user = request.user
        cached = frozenset(
            StaffMembership.objects.filter(
                user=user, role=StaffMembership.Role.MANAGER
            ).values_list("workshop_id", flat=True)
            if user.is_authenticated
            else ()
        )
        request._managed_workshop_ids = cached
    return cached


def may_use_admin(request: HttpRequest) -> bool:
    user = request.user
    return (
        user.is_authenticated
        and user.is_active
        and (user.is_superuser or bool(managed_workshop_ids(request)))
    )


class EngawaAdminSite(admin.AdminSite):
    """The admin site. Roles come from memberships, not from `User.is_staff`, so entry is
    decided here; signing in goes through the normal login page (and its MFA), never through
    the admin's own password form."""

    site_header = _("Engawa administration")
    site_title = _("Engawa administration")
    index_title = _("Workshop data")

    def has_permission(self, request: HttpRequest) -> bool:
        return may_use_admin(request)

    def login(self, request: HttpRequest, extra_context=None) -> HttpResponse:
        next_url = request.GET.get("next") or reverse("admin:index", current_app=self.name)
        if not request.user.is_authenticated:
            return redirect_to_login(next_url, reverse("account_login"))
        if self.has_permission(request):
            return redirect(reverse("admin:index", current_app=self.name))
        raise PermissionDenied
