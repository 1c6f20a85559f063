"""The page an invitation link opens: a kind welcome, and two ways to set up the account on
this phone (with an e-mail and password, or signed in on this phone only)."""

from django import forms
from django.contrib.auth import login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from participants.invitations import InvitationError, accept_invitation, find_invitation

# Browsers keep a cookie for at most 400 days; a phone-only account lives in its session.
THIS_PHONE_SESSION_SECONDS = 400 * 24 * 60 * 60
STATUS_FOR_ERROR = {"unknown": 404}


class AccountForm(forms.Form):
    email = forms.EmailField(
        label=_("E-mail address"),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    password = forms.CharField(
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
def welcome(request: HttpRequest, token: str) -> HttpResponse:
    return _welcome(request, token, AccountForm())


@require_POST
@never_cache
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
def accept_on_this_phone(request: HttpRequest, token: str) -> HttpResponse:
    try:
        user = accept_invitation(token=token)
    except InvitationError as error:
        return _unusable(request, error)
    response = _signed_in(request, user)
    request.session.set_expiry(THIS_PHONE_SESSION_SECONDS)
    return response
