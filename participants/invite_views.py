"""The page an invitation link opens: a kind welcome, and two ways to set up the account on
this phone (with an e-mail and password, or signed in on this phone only)."""

from collections.abc import Callable
from functools import wraps

from allauth.core import ratelimit
from django import forms
from django.contrib.auth import login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from participants.invitations import InvitationError, accept_invitation, find_invitation
from workshop import limits

# Browsers keep a cookie for at most 400 days; a phone-only account lives in its session.
THIS_PHONE_SESSION_SECONDS = 400 * 24 * 60 * 60
STATUS_FOR_ERROR = {"unknown": 404}


def rate_limited(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """allauth's rate limit "invitation_link" (per address, counted in the cache; see
    ACCOUNT_RATE_LIMITS): guessing links, or hammering one, gets a calm 429."""

    @wraps(view)
    def limited(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        # GETs count too (allauth skips them by default): guessing a link is a GET.
        refused = ratelimit.consume_or_429(request, action="invitation_link", limit_get=True)
        return refused or view(request, *args, **kwargs)

    return limited


class AccountForm(forms.Form):
    email = forms.EmailField(
        label=_("E-mail address"),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    password = forms.CharField(
        max_length=limits.PASSWORD_LENGTH,
        label=_("Password"),
        # Kept when the page comes back with a note, so nothing has to be typed twice.
        widget=forms.PasswordInput(render_value=True, attrs={"autocomplete": "new-password"}),
        help_text=_("At least 8 characters. Not only numbers."),
    )


def _unusable(request: HttpRequest, error: InvitationError) -> HttpResponse:
    return render(
        request,
        "participants/invite_unusable.html",
        {"error": error},
        status=STATUS_FOR_ERROR.get(error.code, 410),
    )


def _welcome(request: HttpRequest, token: str, form: AccountForm) -> HttpResponse:
    try:
        invitation = find_invitation(token=token)
    except InvitationError as error:
        return _unusable(request, error)
    context = {
        "invitation": invitation,
        "participant": invitation.participant,
        "form": form,
        "token": token,
    }
    return render(request, "participants/invite.html", context)


def _signed_in(request: HttpRequest, user) -> HttpResponse:
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    return redirect("participants:today")


@require_GET
@never_cache
@rate_limited
def welcome(request: HttpRequest, token: str) -> HttpResponse:
    return _welcome(request, token, AccountForm())


@require_POST
@never_cache
@rate_limited
def accept_with_email(request: HttpRequest, token: str) -> HttpResponse:
    form = AccountForm(request.POST)
    if not form.is_valid():
        return _welcome(request, token, form)
    try:
        user = accept_invitation(
            token=token,
            email=form.cleaned_data["email"],
            password=form.cleaned_data["password"],
        )
    except InvitationError as error:
        field = {"email_taken": "email", "password_invalid": "password"}.get(error.code)
        if field is None:
            return _unusable(request, error)
        form.add_error(field, error.message)
        return _welcome(request, token, form)
    return _signed_in(request, user)


@require_POST
@never_cache
@rate_limited
def accept_on_this_phone(request: HttpRequest, token: str) -> HttpResponse:
    try:
        user = accept_invitation(token=token)
    except InvitationError as error:
        return _unusable(request, error)
    response = _signed_in(request, user)
    request.session.set_expiry(THIS_PHONE_SESSION_SECONDS)
    return response
