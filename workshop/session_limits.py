"""Staff sign-ins end: after a while without activity and after a working day at most.
Staff screens hold support records (要配慮個人情報) and are often on shared desktops and
tablets; participants keep their long sign-in on their own phone, where signing in again is
a hurdle, and companies keep theirs.

A staff session is marked when the person signs in (one query, then), and each request reads
only the session. The last activity is written back at most once every few minutes, so a page
costs no extra query."""

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

SESSION_KEY = "staff_session"
# How stale the recorded last activity may get before it is written again.
REFRESH_SECONDS = 5 * 60


def is_staff_person(user) -> bool:
    """Staff or manager of any workshop, or an operator who can open the admin."""
    from workshop.models import StaffMembership

    return user.is_superuser or user.is_staff or StaffMembership.objects.filter(user=user).exists()


def allowed_seconds(limit: dict, now: float) -> int:
    """How long the session may still last without activity."""
    left = min(
        settings.STAFF_SESSION_IDLE_SECONDS,
        limit["since"] + settings.STAFF_SESSION_MAX_SECONDS - now,
    )
    return max(1, int(left))


@receiver(user_logged_in, dispatch_uid="engawa_staff_session_limits")
def mark_staff_session(sender, request: HttpRequest | None, user, **kwargs) -> None:
    if request is None or not hasattr(request, "session"):
        return
    if is_staff_person(user):
        now = time.time()
        limit = {"since": now, "seen": now}
        request.session[SESSION_KEY] = limit
        request.session.set_expiry(allowed_seconds(limit, now))
    else:
        request.session.pop(SESSION_KEY, None)


def is_over(limit: dict, now: float) -> bool:
    return (
        now - limit["since"] > settings.STAFF_SESSION_MAX_SECONDS
        or now - limit["seen"] > settings.STAFF_SESSION_IDLE_SECONDS
    )


class StaffSessionLimitMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        now = time.time()
        limit = request.session.get(SESSION_KEY)
        if limit and is_over(limit, now):
            logout(request)
            messages.info(
                request,
                _(
                    "To keep people's records safe, staff sign-ins end after a while. "
                    "Please sign in again."
                ),
            )
        response = self.get_response(request)
        limit = request.session.get(SESSION_KEY) if hasattr(request, "session") else None
        if limit:
            allowed = allowed_seconds(limit, now)
            if now - limit["seen"] >= REFRESH_SECONDS:
                request.session[SESSION_KEY] = {**limit, "seen": now}
                request.session.set_expiry(allowed)
            elif request.session.get_expiry_age() > allowed + REFRESH_SECONDS:
                # The login view set its own (long) lifetime after the sign-in was marked.
                request.session.set_expiry(allowed)
        return response
