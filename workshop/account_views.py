"""A person's own settings: for now, whether to get e-mail about orders and messages."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from jobs.notifications import set_email_notifications
from workshop.models import User


class NotificationsForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["email_notifications"]


@require_GET
@login_required
def notifications(request: HttpRequest) -> HttpResponse:
    form = NotificationsForm(instance=request.user)
    return render(request, "workshop/account_notifications.html", {"form": form})


@require_POST
@login_required
def save_notifications(request: HttpRequest) -> HttpResponse:
    form = NotificationsForm(request.POST)
    form.is_valid()  # one checkbox: unticked is simply "no"
    enabled = form.cleaned_data.get("email_notifications", False)
    set_email_notifications(user=request.user, enabled=enabled)
    if enabled:
        messages.success(request, _("We will e-mail you about orders and messages."))
    else:
        messages.success(request, _("We will no longer e-mail you about orders and messages."))
    return redirect("account_settings:notifications")
