"""Staff and managers read the most private records in the system, so in production they must
sign in with a second factor (TOTP or a passkey, through allauth's MFA). Until they have set
one up, the staff areas send them to the page that does it; participants and companies are
not asked. `STAFF_MFA_REQUIRED` (on by default without DEBUG) switches this."""

from allauth.mfa.utils import is_mfa_enabled
from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from workshop.models import StaffMembership

# The areas where support records and other people's work are read.
STAFF_AREAS = ("/w/", "/admin/", "/api/v1/staff/", "/staff/")


def needs_second_factor(request: HttpRequest) -> bool:
    user = request.user
    return (
        settings.STAFF_MFA_REQUIRED
        and user.is_authenticated
        and request.path.startswith(STAFF_AREAS)
        and (user.is_superuser or StaffMembership.objects.filter(user=user).exists())
        and not is_mfa_enabled(user)
    )


class StaffSecondFactorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if needs_second_factor(request):
            message = _(
                "Staff pages hold very private records. Please set up a second sign-in step "
                "(an authenticator app or a passkey) first."
            )
            if request.path.startswith("/api/"):
                return JsonResponse({"code": "mfa_required", "detail": message}, status=403)
            messages.info(request, message)
            return redirect("mfa_index")
        return self.get_response(request)
