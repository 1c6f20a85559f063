"""Staff pages of the home-work day under /w/<workshop_slug>/home-work/ (docs/homework.md):
today's contacts, a participant's days and weeks, the daily report with its confirmation, the
weekly evaluation and the monthly record (page and CSV). Rules are in participants/homework.py."""

import datetime

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from participants import homework
from participants.attendance_models import Attendance
from participants.homework_models import Contact, Pace
from participants.support_views import get_participant_for_staff
from workshop.spreadsheets import csv_download
from workshop.views import get_workshop_for_staff

WEEKDAYS = [
    (0, gettext_lazy("Mon")),
    (1, gettext_lazy("Tue")),
    (2, gettext_lazy("Wed")),
    (3, gettext_lazy("Thu")),
    (4, gettext_lazy("Fri")),
    (5, gettext_lazy("Sat")),
    (6, gettext_lazy("Sun")),
]


def parse_day(text: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        raise Http404 from None


class UsualDaysForm(forms.Form):
    days = forms.TypedMultipleChoiceField(
        label=gettext_lazy("Usual days"),
        choices=WEEKDAYS,
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )


class ConfirmForm(forms.Form):
    note = forms.CharField(
        label=gettext_lazy("A note (if you wish)"), max_length=homework.MAX_NOTE, required=False
    )


class NoteForm(forms.Form):
    text = forms.CharField(
        label=gettext_lazy("Add a note"),
        max_length=homework.MAX_NOTE,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class BulkReplyForm(forms.Form):
    check_ins = forms.TypedMultipleChoiceField(coerce=int, choices=[])
    text = forms.CharField(label=pgettext_lazy("check-in", "Reply"), max_length=300)

    def __init__(self, *args, choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["check_ins"].choices = choices


class ContactForm(forms.Form):
    method = forms.ChoiceField(
        label=gettext_lazy("How"), choices=Contact.Method.choices, initial="phone"
    )
    line = forms.CharField(label=gettext_lazy("A line"), max_length=300, required=False)
    at = forms.TimeField(label=gettext_lazy("Time"), required=False)


class EvaluationForm(forms.Form):
    went_well = forms.CharField(
        label=gettext_lazy("What went well"), widget=forms.Textarea(attrs={"rows": 3})
    )
    try_next = forms.CharField(
        label=gettext_lazy("What to try next week"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )
    pace = forms.ChoiceField(
        label=gettext_lazy("How the pace felt"), choices=Pace.choices, widget=forms.RadioSelect
    )
    shared = forms.BooleanField(label=gettext_lazy("Share with the participant"), required=False)


def _staff(request: HttpRequest, workshop_slug: str, pk: int | None = None):
    workshop = get_workshop_for_staff(request.user, workshop_slug)
    if pk is None:
        return workshop, None
    return workshop, get_participant_for_staff(request.user, workshop, pk)


# --- today's contacts --------------------------------------------------------------------------


@require_GET
@login_required
def contacts(request: HttpRequest, workshop_slug: str) -> HttpResponse:
    workshop, _p = _staff(request, workshop_slug)
    rows = homework.todays_contacts(workshop=workshop, reader=request.user)
    context = {
        "workshop": workshop,
        "rows": rows,
        "today": timezone.localdate(),
        "phrases": homework.KIND_PHRASES,
        "waiting": [c for row in rows for c in row.waiting_replies],
        "contact_form": ContactForm(),
    }
    return render(request, "participants/homework/contacts.html", context)


@require_POST
@login_required
def reply_to_many(request: HttpRequest, workshop_slug: str) -> HttpResponse:
    workshop, _p = _staff(request, workshop_slug)
    today = Attendance.objects.visible_to(request.user).filter(
        participant__workshop=workshop, day=timezone.localdate()
    )
    form = BulkReplyForm(request.POST, choices=[(c.pk, c.pk) for c in today])
    if form.is_valid():
        chosen = list(today.filter(pk__in=form.cleaned_data["check_ins"]))
        try:
            count = homework.reply_to_many(
                check_ins=chosen, by=request.user, text=form.cleaned_data["text"]
            )
        except homework.attendance.AttendanceError as refused:
            messages.error(request, refused.message)
        else:
            messages.success(request, _("Replied to %(count)s check-ins.") % {"count": count})
    else:
        messages.error(request, _("Choose the check-ins and a reply."))
    return redirect("homework:contacts", workshop_slug=workshop.slug)


@require_POST
@login_required
def record_contact(request: HttpRequest, workshop_slug: str, pk: int) -> HttpResponse:
    workshop, participant = _staff(request, workshop_slug, pk)
    form = ContactForm(request.POST)
    if form.is_valid():
        at = None
        if form.cleaned_data["at"]:
            at = timezone.make_aware(
                datetime.datetime.combine(timezone.localdate(), form.cleaned_data["at"])
            )
        try:
            homework.record_contact(
                participant=participant,
                by=request.user,
                line=form.cleaned_data["line"],
                method=form.cleaned_data["method"],
                at=at,
            )
        except homework.HomeworkError as refused:
            messages.error(request, refused.message)
        else:
            messages.success(request, _("Contact recorded."))
    else:
        messages.error(request, _("Please check the time."))
    return redirect(request.POST.get("next") or reverse("homework:contacts", args=[workshop.slug]))


# --- one participant's days and weeks ----------------------------------------------------------


@require_http_methods(["GET", "POST"])
@login_required
def person(request: HttpRequest, workshop_slug: str, pk: int) -> HttpResponse:
    workshop, participant = _staff(request, workshop_slug, pk)
    form = UsualDaysForm(request.POST or None, initial={"days": participant.usual_days})
    if request.method == "POST" and form.is_valid():
        participant.usual_days = sorted(form.cleaned_data["days"])
        participant.save(update_fields=["usual_days"])
        messages.success(request, _("Usual days saved."))
        return redirect("homework:person", workshop_slug=workshop.slug, pk=participant.pk)
    today = timezone.localdate()
    context = {
        "workshop": workshop,
        "participant": participant,
        "form": form,
        "days": homework.recent_days(participant, today=today, days=14),
        "evaluations": homework.evaluations_for(participant=participant, reader=request.user),
        "this_week": homework.week_start_of(today),
        "last_week": homework.week_start_of(today) - datetime.timedelta(days=7),
    }
    return render(request, "participants/homework/person.html", context)


def _report_page(
    request, workshop, participant, day, *, status=200, confirm_form=None, note_form=None
):
    context = {
        "workshop": workshop,
        "participant": participant,
        "r": homework.day_report(participant=participant, day=day, reader=request.user),
        "confirm_form": confirm_form or ConfirmForm(),
        "note_form": note_form or NoteForm(),
        "previous": day - datetime.timedelta(days=1),
        "next": day + datetime.timedelta(days=1) if day < timezone.localdate() else None,
    }
    return render(request, "participants/homework/report.html", context, status=status)


@require_GET
@login_required
def report(request: HttpRequest, workshop_slug: str, pk: int, day: str) -> HttpResponse:
    workshop, participant = _staff(request, workshop_slug, pk)
    return _report_page(request, workshop, participant, parse_day(day))


@require_POST
@login_required
def confirm(request: HttpRequest, workshop_slug: str, pk: int, day: str) -> HttpResponse:
    workshop, participant = _staff(request, workshop_slug, pk)
    the_day = parse_day(day)
    form = ConfirmForm(request.POST)
    if form.is_valid():
        try:
            homework.confirm_report(
                participant=participant,
                day=the_day,
                by=request.user,
                note=form.cleaned_data["note"],
            )
        except homework.HomeworkError as refused:
            messages.error(request, refused.message)
            return _report_page(
                request, workshop, participant, the_day, status=409, confirm_form=form
            )
        messages.success(request, _("Report confirmed."))
        return redirect(
            request.POST.get("next") or reverse("homework:report", args=[workshop.slug, pk, day])
        )
    return _report_page(request, workshop, participant, the_day, status=400, confirm_form=form)


@require_POST
@login_required
def add_note(request: HttpRequest, workshop_slug: str, pk: int, day: str) -> HttpResponse:
    workshop, participant = _staff(request, workshop_slug, pk)
    the_day = parse_day(day)
    report = participant.daily_reports.filter(day=the_day).first()
    if report is None or not report.is_confirmed:
        raise Http404
    form = NoteForm(request.POST)
    if form.is_valid():
        try:
            homework.add_report_note(report=report, text=form.cleaned_data["text"], by=request.user)
        except homework.HomeworkError as refused:
            messages.error(request, refused.message)
        else:
            messages.success(request, _("Note added."))
            return redirect("homework:report", workshop_slug=workshop.slug, pk=pk, day=day)
    return _report_page(request, workshop, participant, the_day, status=400, note_form=form)


@require_http_methods(["GET", "POST"])
@login_required
def evaluation(request: HttpRequest, workshop_slug: str, pk: int, week: str) -> HttpResponse:
    workshop, participant = _staff(request, workshop_slug, pk)
    week_start = parse_day(week)
    if week_start.weekday() != 0 or week_start > timezone.localdate():
        raise Http404
    existing = participant.weekly_evaluations.filter(week_start=week_start).first()
    initial = {}
    if existing is not None:
        initial = {
            "went_well": existing.went_well,
            "try_next": existing.try_next,
            "pace": existing.pace,
            "shared": existing.shared_with_participant,
        }
    form = EvaluationForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            homework.write_evaluation(
                participant=participant,
                week_start=week_start,
                went_well=form.cleaned_data["went_well"],
                try_next=form.cleaned_data["try_next"],
                pace=form.cleaned_data["pace"],
                shared=form.cleaned_data["shared"],
                by=request.user,
            )
        except homework.HomeworkError as refused:
            messages.error(request, refused.message)
        else:
            messages.success(request, _("Weekly evaluation saved."))
            return redirect("homework:person", workshop_slug=workshop.slug, pk=pk)
    context = {
        "workshop": workshop,
        "participant": participant,
        "form": form,
        "week_start": week_start,
        "week_end": week_start + datetime.timedelta(days=6),
        "numbers": homework.week_numbers(participant, week_start),
        "existing": existing,
    }
    return render(
        request,
        "participants/homework/evaluation.html",
        context,
        status=400 if request.method == "POST" else 200,
    )


# --- the month ----------------------------------------------------------------------------------


def _month(request: HttpRequest) -> datetime.date:
    text = request.GET.get("month", "")
    try:
        return (
            datetime.date.fromisoformat(f"{text}-01")
            if text
            else timezone.localdate().replace(day=1)
        )
    except ValueError:
        return timezone.localdate().replace(day=1)


@require_GET
@login_required
def month(request: HttpRequest, workshop_slug: str) -> HttpResponse:
    workshop, _p = _staff(request, workshop_slug)
    first = _month(request)
    rows = homework.month_record(workshop=workshop, reader=request.user, month=first)
    previous = (first - datetime.timedelta(days=1)).replace(day=1)
    following = (first + datetime.timedelta(days=32)).replace(day=1)
    context = {
        "workshop": workshop,
        "rows": rows,
        "month": first,
        "previous": previous,
        "following": following if following <= timezone.localdate() else None,
    }
    return render(request, "participants/homework/month.html", context)


@require_GET
@login_required
def month_csv(request: HttpRequest, workshop_slug: str) -> HttpResponse:
    workshop, _p = _staff(request, workshop_slug)
    first = _month(request)
    rows = homework.month_record(workshop=workshop, reader=request.user, month=first)
    header = [
        _("Participant"),
        _("Days at home"),
        _("Days at the workshop"),
        _("Hours"),
        _("Contacts"),
        _("Reports confirmed"),
        _("Weekly evaluations"),
    ]
    body = [
        [
            row.participant.nickname,
            row.days_at_home,
            row.days_on_site,
            row.hours,
            row.contacts,
            row.reports_confirmed,
            row.evaluations,
        ]
        for row in rows
    ]
    return csv_download(f"home-work-{workshop.slug}-{first:%Y-%m}.csv", [header, *body])
