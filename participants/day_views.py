"""The participant's own daily report (日報) on the phone, under /my-day/ (docs/homework.md):
the day in warm words, built from what they recorded, a line and a mood they may add, and the
weekly evaluations staff chose to share."""

import datetime
import json

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from participants import homework, reminders
from participants.homework_models import Mood
from participants.reminder_models import PushSubscription, ReminderSettings
from participants.views import get_participant_for


class LineForm(forms.Form):
    line = forms.CharField(
        label=gettext_lazy("How did the day go? (if you like)"),
        max_length=homework.MAX_LINE,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


def _day(text: str | None) -> datetime.date:
    return timezone.localdate() if text is None else homework.day_in_address(text)


def _page(request, participant, day, *, form=None, status=200) -> HttpResponse:
    report = homework.day_report(participant=participant, day=day, reader=request.user)
    today = timezone.localdate()
    context = {
        "participant": participant,
        "r": report,
        "form": form or LineForm(initial={"line": report.line}),
        "moods": Mood.choices,
        "mood_allowed": homework.mood_allowed(participant),
        "is_today": day == today,
        "days": homework.recent_days(participant, today=today, days=7),
        "evaluations": homework.evaluations_for(
            participant=participant, reader=request.user, limit=4
        ),
    }
    return render(request, "participants/phone/day.html", context, status=status)


@require_GET
@login_required
def my_day(request: HttpRequest, day: str | None = None) -> HttpResponse:
    participant = get_participant_for(request.user)
    return _page(request, participant, _day(day))


@require_POST
@login_required
def write_line(request: HttpRequest, day: str) -> HttpResponse:
    participant = get_participant_for(request.user)
    the_day = _day(day)
    form = LineForm(request.POST)
    if form.is_valid():
        try:
            homework.write_line(
                participant=participant, day=the_day, line=form.cleaned_data["line"]
            )
        except homework.HomeworkError as refused:
            messages.info(request, refused.message)
            return _page(request, participant, the_day, form=form, status=409)
        messages.success(request, _("Thank you. It is kept with your day."))
        return redirect("myday:day", day=the_day.isoformat())
    return _page(request, participant, the_day, form=form, status=400)


@require_POST
@login_required
def set_mood(request: HttpRequest, day: str) -> HttpResponse:
    participant = get_participant_for(request.user)
    the_day = _day(day)
    try:
        homework.set_mood(
            participant=participant, day=the_day, mood=request.POST.get("mood", ""), by=request.user
        )
    except homework.HomeworkError as refused:
        messages.info(request, refused.message)
    return redirect("myday:day", day=the_day.isoformat())


# --- reminders ----------------------------------------------------------------------------------


class ReminderSettingsForm(forms.ModelForm):
    class Meta:
        model = ReminderSettings
        fields = [
            "on_reply",
            "on_redo",
            "on_suggestion",
            "on_statement",
            "quiet_from",
            "quiet_until",
            "email_fallback",
        ]
        widgets = {
            "quiet_from": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "quiet_until": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        }


@require_http_methods(["GET", "POST"])
@login_required
def reminder_settings(request: HttpRequest) -> HttpResponse:
    participant = get_participant_for(request.user)
    form = ReminderSettingsForm(request.POST or None, instance=reminders.settings_for(participant))
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Saved. Only what you chose will reach you."))
        return redirect("myday:reminders")
    context = {
        "participant": participant,
        "form": form,
        "public_key": reminders.public_key(),
        "devices": PushSubscription.objects.visible_to(request.user).count(),
    }
    status = 400 if request.method == "POST" else 200
    return render(request, "participants/phone/reminders.html", context, status=status)


def _json(request: HttpRequest) -> dict:
    try:
        body = json.loads(request.body or b"{}")
    except ValueError:
        return {}
    return body if isinstance(body, dict) else {}


@require_POST
@login_required
def push_subscribe(request: HttpRequest) -> JsonResponse:
    """The installed app hands in its push subscription (the browser's PushSubscription JSON)."""
    get_participant_for(request.user)
    body = _json(request)
    keys = body.get("keys") if isinstance(body.get("keys"), dict) else {}
    try:
        reminders.subscribe(
            user=request.user,
            endpoint=str(body.get("endpoint", "")),
            p256dh=str(keys.get("p256dh", "")),
            auth=str(keys.get("auth", "")),
        )
    except reminders.ReminderError as refused:
        return JsonResponse({"code": refused.code, "detail": refused.message}, status=400)
    return JsonResponse({"subscribed": True}, status=201)


@require_POST
@login_required
def push_unsubscribe(request: HttpRequest) -> JsonResponse:
    get_participant_for(request.user)
    removed = reminders.unsubscribe(
        user=request.user, endpoint=str(_json(request).get("endpoint", ""))
    )
    return JsonResponse({"removed": removed})
