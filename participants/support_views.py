"""Staff pages for support records, under /w/<workshop>/people/: a participant's consent, step,
small steps, goals, notes and timeline; the audit log for managers; the full export. Every
read and write goes through participants/pathway.py (and privacy.py), which audit it."""

import datetime

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from participants import pathway, privacy
from participants.models import (
    Consent,
    Goal,
    MilestoneCategory,
    NoteKind,
    Participant,
    Stage,
    SupportNote,
)
from participants.pathway import PathwayError
from workshop import limits
from workshop.models import AuditLog, StaffMembership, User, Workshop
from workshop.roles import is_manager_of
from workshop.views import get_workshop_for_staff

AUDIT_PAGE_SIZE = 50

# How the audit log's record types read on the page.
RECORD_LABELS = {
    "consent": gettext_lazy("consent"),
    "stage_change": gettext_lazy("stage change"),
    "milestone": gettext_lazy("small step"),
    "goal": gettext_lazy("goal"),
    "goal_review": gettext_lazy("goal review"),
    "support_note": gettext_lazy("support note"),
    "support_note_version": gettext_lazy("earlier text of a support note"),
    "participant": gettext_lazy("participant"),
    "participant_records": gettext_lazy("all support records of a participant"),
}


def _date_field(label, **kwargs) -> forms.DateField:
    return forms.DateField(
        label=label,
        validators=[limits.validate_date],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        **kwargs,
    )


def _text(rows: int = 4) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows})


class OwnIds:
    """The person page holds several of these forms, with fields of the same names (a date
    `on`, a `note`): each form's ids start with its own kind, so that every label finds its
    field."""

    ids = ""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", f"id_{self.ids}_%s")
        super().__init__(*args, **kwargs)


class ConsentForm(forms.Form):
    explained = forms.CharField(
        max_length=limits.DESCRIPTION_LENGTH,
        label=gettext_lazy("What was explained"),
        widget=_text(3),
        initial=gettext_lazy(
            "What support records are kept, who reads them, how long they are kept, and that "
            "consent can be withdrawn at any time without any disadvantage."
        ),
    )
    text_version = forms.CharField(
        label=gettext_lazy("Version of the consent text"),
        max_length=30,
        help_text=gettext_lazy("As printed on the explanation sheet, e.g. 2026-04."),
    )
    given_on = _date_field(gettext_lazy("Given on"), initial=timezone.localdate)
    method = forms.ChoiceField(
        label=gettext_lazy("How it was given"),
        choices=Consent.Method.choices,
        widget=forms.RadioSelect,
        initial=Consent.Method.SIGNED,
    )


class WithdrawForm(forms.Form):
    withdrawn_on = _date_field(gettext_lazy("Withdrawn on"), initial=timezone.localdate)


class StageForm(OwnIds, forms.Form):
    ids = "stage"

    to_stage = forms.ChoiceField(label=gettext_lazy("Step"), choices=Stage.choices)
    on = _date_field(gettext_lazy("Date"), initial=timezone.localdate)
    note = forms.CharField(
        max_length=limits.REASON_LENGTH,
        label=gettext_lazy("Note"),
        widget=_text(2),
        required=False,
        help_text=gettext_lazy("Staying, pausing or going back are all fine steps too."),
    )


class MilestoneForm(OwnIds, forms.Form):
    ids = "step"

    category = forms.ChoiceField(
        label=gettext_lazy("Kind of step"), choices=MilestoneCategory.choices
    )
    on = _date_field(gettext_lazy("Date"), initial=timezone.localdate)
    note = forms.CharField(
        max_length=limits.REASON_LENGTH, label=gettext_lazy("Note"), widget=_text(2), required=False
    )
    shared_with_participant = forms.BooleanField(
        label=gettext_lazy("Show on the participant's own page"), required=False, initial=True
    )


class GoalForm(OwnIds, forms.Form):
    ids = "goal"

    text = forms.CharField(
        max_length=limits.DESCRIPTION_LENGTH, label=gettext_lazy("Goal"), widget=_text(2)
    )
    started_on = _date_field(gettext_lazy("Set on"), initial=timezone.localdate)
    target_on = _date_field(gettext_lazy("Hoped-for date"), required=False)
    shared_with_participant = forms.BooleanField(
        label=gettext_lazy("Show on the participant's own page"), required=False
    )


class GoalUpdateForm(forms.Form):
    text = forms.CharField(
        max_length=limits.DESCRIPTION_LENGTH, label=gettext_lazy("Goal"), widget=_text(2)
    )
    target_on = _date_field(gettext_lazy("Hoped-for date"), required=False)
    status = forms.ChoiceField(label=gettext_lazy("Status"), choices=Goal.Status.choices)
    shared_with_participant = forms.BooleanField(
        label=gettext_lazy("Show on the participant's own page"), required=False
    )


class ReviewForm(forms.Form):
    on = _date_field(gettext_lazy("Date"), initial=timezone.localdate)
    note = forms.CharField(
        max_length=limits.REASON_LENGTH,
        label=gettext_lazy("How it went"),
        widget=_text(3),
        required=False,
    )


class NoteForm(OwnIds, forms.Form):
    ids = "note"

    on = _date_field(gettext_lazy("Date"), initial=timezone.localdate)
    kind = forms.ChoiceField(label=gettext_lazy("Kind"), choices=NoteKind.choices)
    text = forms.CharField(
        max_length=limits.DESCRIPTION_LENGTH, label=gettext_lazy("What happened"), widget=_text(5)
    )


class CorrectionForm(NoteForm):
    reason = forms.CharField(
        label=gettext_lazy("Reason for the correction"),
        max_length=200,
        help_text=gettext_lazy("The earlier text is kept in the history with this reason."),
    )


class AuditFilterForm(forms.Form):
    actor = forms.ModelChoiceField(
        label=gettext_lazy("Who"), queryset=User.objects.none(), required=False
    )
    action = forms.ChoiceField(
        label=gettext_lazy("What"),
        choices=[("", "---------"), *AuditLog.Action.choices],
        required=False,
    )
    record_type = forms.ChoiceField(
        label=gettext_lazy("Record"),
        choices=[("", "---------")],
        required=False,
    )
    participant = forms.ModelChoiceField(
        label=gettext_lazy("Participant"), queryset=Participant.objects.none(), required=False
    )
    since = _date_field(gettext_lazy("From"), required=False)
    until = _date_field(gettext_lazy("Until"), required=False)

    def __init__(self, *args, workshop: Workshop, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        staff = StaffMembership.objects.visible_to(user).filter(workshop=workshop)
        self.fields["actor"].queryset = User.objects.visible_to(user).filter(
            pk__in=staff.values("user")
        )
        self.fields["participant"].queryset = Participant.objects.visible_to(user).filter(
            workshop=workshop
        )
        self.fields["record_type"].choices = [("", "---------"), *RECORD_LABELS.items()]


# --- fetching, with 404 for anyone else ------------------------------------------------------


def get_participant_for_staff(user, workshop: Workshop, pk: int) -> Participant:
    return get_object_or_404(
        Participant.objects.visible_to(user).select_related("workshop"), workshop=workshop, pk=pk
    )


def get_workshop_for_manager(user, slug: str) -> Workshop:
    return get_object_or_404(Workshop.objects.managed_by(user), slug=slug)


def _staff_and_participant(request: HttpRequest, workshop_slug: str, pk: int):
    workshop = get_workshop_for_staff(request.user, workshop_slug)
    return workshop, get_participant_for_staff(request.user, workshop, pk)


def _show_error(request: HttpRequest, form: forms.Form, error: PathwayError) -> None:
    """Next to its field when it has one; a missing consent also at the top of the page,
    since the form it came from is not shown without consent."""
    form.add_error(error.field if error.field in form.fields else None, error.message)
    if error.code == "consent_required":
        messages.error(request, error.message)


def _person_url(workshop: Workshop, participant: Participant, section: str = "") -> str:
    url = reverse("support:person", args=[workshop.slug, participant.pk])
    return f"{url}#{section}" if section else url


# --- the list and a person's page ------------------------------------------------------------


@require_GET
@login_required
def people(request: HttpRequest, workshop_slug: str) -> HttpResponse:
    workshop = get_workshop_for_staff(request.user, workshop_slug)
    participants = (
        Participant.objects.visible_to(request.user)
        .filter(workshop=workshop)
        .annotate(
            has_consent=Exists(
                Consent.objects.filter(participant=OuterRef("pk"), withdrawn_on__isnull=True)
            )
        )
        .order_by("nickname")
    )
    context = {
        "workshop": workshop,
        "participants": participants,
        "is_manager": is_manager_of(request.user, workshop),
    }
    return render(request, "participants/support/people.html", context)


def _person_page(
    request: HttpRequest,
    workshop: Workshop,
    participant: Participant,
    status: int = 200,
    **forms_given: forms.Form,
) -> HttpResponse:
    record = pathway.support_record_for(participant=participant, reader=request.user)
    today = timezone.localdate()
    context = {
        "workshop": workshop,
        "participant": participant,
        "record": record,
        "is_manager": is_manager_of(request.user, workshop),
        "review_soon": today + datetime.timedelta(days=30),
        "consent_form": ConsentForm(),
        "withdraw_form": WithdrawForm(),
        "stage_form": StageForm(initial={"to_stage": participant.stage}),
        "milestone_form": MilestoneForm(),
        "goal_form": GoalForm(),
        "note_form": NoteForm(),
        **forms_given,
    }
    return render(request, "participants/support/person.html", context, status=status)


@require_GET
@login_required
@never_cache
def person(request: HttpRequest, workshop_slug: str, pk: int) -> HttpResponse:
    workshop, participant = _staff_and_participant(request, workshop_slug, pk)
    return _person_page(request, workshop, participant)


# --- writing ---------------------------------------------------------------------------------


@require_POST
@login_required
def record_consent(request: HttpRequest, workshop_slug: str, pk: int) -> HttpResponse:
    workshop, participant = _staff_and_participant(request, workshop_slug, pk)
    form = ConsentForm(request.POST)
    if form.is_valid():
        try:
            pathway.record_consent(
                participant=participant, recorded_by=request.user, **form.cleaned_data
            )
        except PathwayError as error:
            _show_error(request, form, error)
        else:
            messages.success(request, _("The consent was recorded."))
            return redirect(_person_url(workshop, participant, "consent"))
    return _person_page(request, workshop, participant, 400, consent_form=form)


@require_POST
@login_required
def withdraw_consent(request: HttpRequest, workshop_slug: str, pk: int) -> HttpResponse:
    workshop, participant = _staff_and_participant(request, workshop_slug, pk)
    form = WithdrawForm(request.POST)
    if form.is_valid():
        try:
            pathway.withdraw_consent(
                participant=participant, recorded_by=request.user, **form.cleaned_data
            )
        except PathwayError as error:
            _show_error(request, form, error)
        else:
            messages.success(
                request,
                _("The withdrawal was recorded. No new support records can be written now."),
            )
            return redirect(_person_url(workshop, participant, "consent"))
    return _person_page(request, workshop, participant, 400, withdraw_form=form)


@require_POST
@login_required
def change_stage(request: HttpRequest, workshop_slug: str, pk: int) -> HttpResponse:
    workshop, participant = _staff_and_participant(request, workshop_slug, pk)
    form = StageForm(request.POST)
    if form.is_valid():
        try:
            pathway.change_stage(
                participant=participant, recorded_by=request.user, **form.cleaned_data
            )
        except PathwayError as error:
            _show_error(request, form, error)
        else:
            messages.success(request, _("The step was recorded."))
            return redirect(_person_url(workshop, participant, "stage"))
    return _person_page(request, workshop, participant, 400, stage_form=form)


@require_POST
@login_required
def record_milestone(request: HttpRequest, workshop_slug: str, pk: int) -> HttpResponse:
    workshop, participant = _staff_and_participant(request, workshop_slug, pk)
    form = MilestoneForm(request.POST)
    if form.is_valid():
        try:
            pathway.record_milestone(
                participant=participant, recorded_by=request.user, **form.cleaned_data
            )
        except PathwayError as error:
            _show_error(request, form, error)
        else:
            messages.success(request, _("The small step was recorded."))
            return redirect(_person_url(workshop, participant, "steps"))
    return _person_page(request, workshop, participant, 400, milestone_form=form)


@require_POST
@login_required
def set_goal(request: HttpRequest, workshop_slug: str, pk: int) -> HttpResponse:
    workshop, participant = _staff_and_participant(request, workshop_slug, pk)
    form = GoalForm(request.POST)
    if form.is_valid():
        try:
            pathway.set_goal(participant=participant, recorded_by=request.user, **form.cleaned_data)
        except PathwayError as error:
            _show_error(request, form, error)
        else:
            messages.success(request, _("The goal was added."))
            return redirect(_person_url(workshop, participant, "goals"))
    return _person_page(request, workshop, participant, 400, goal_form=form)


@require_POST
@login_required
def write_note(request: HttpRequest, workshop_slug: str, pk: int) -> HttpResponse:
    workshop, participant = _staff_and_participant(request, workshop_slug, pk)
    form = NoteForm(request.POST)
    if form.is_valid():
        try:
            pathway.write_note(participant=participant, author=request.user, **form.cleaned_data)
        except PathwayError as error:
            _show_error(request, form, error)
        else:
            messages.success(request, _("The support note was saved."))
            return redirect(_person_url(workshop, participant, "notes"))
    return _person_page(request, workshop, participant, 400, note_form=form)


# --- a goal ----------------------------------------------------------------------------------


def _goal_page(
    request: HttpRequest,
    workshop: Workshop,
    participant: Participant,
    goal_pk: int,
    status: int = 200,
    **forms_given: forms.Form,
) -> HttpResponse:
    try:
        goal = pathway.get_goal_for(reader=request.user, participant=participant, pk=goal_pk)
    except Goal.DoesNotExist:
        raise Http404 from None
    context = {
        "workshop": workshop,
        "participant": participant,
        "goal": goal,
        "review_form": ReviewForm(),
        "update_form": GoalUpdateForm(
            initial={
                "text": goal.text,
                "target_on": goal.target_on,
                "status": goal.status,
                "shared_with_participant": goal.shared_with_participant,
            }
        ),
        **forms_given,
    }
    return render(request, "participants/support/goal.html", context, status=status)


def _goal_for_writing(request: HttpRequest, participant: Participant, goal_pk: int) -> Goal:
    return get_object_or_404(
        Goal.objects.visible_to(request.user).of(participant).select_related("participant"),
        pk=goal_pk,
    )


@require_GET
@login_required
@never_cache
def goal(request: HttpRequest, workshop_slug: str, pk: int, goal_pk: int) -> HttpResponse:
    workshop, participant = _staff_and_participant(request, workshop_slug, pk)
    return _goal_page(request, workshop, participant, goal_pk)


@require_POST
@login_required
def update_goal(request: HttpRequest, workshop_slug: str, pk: int, goal_pk: int) -> HttpResponse:
    workshop, participant = _staff_and_participant(request, workshop_slug, pk)
    goal = _goal_for_writing(request, participant, goal_pk)
    form = GoalUpdateForm(request.POST)
    if form.is_valid():
        try:
            pathway.update_goal(goal=goal, recorded_by=request.user, **form.cleaned_data)
        except PathwayError as error:
            _show_error(request, form, error)
        else:
            messages.success(request, _("The goal was updated."))
            return redirect("support:goal", workshop.slug, participant.pk, goal.pk)
    return _goal_page(request, workshop, participant, goal_pk, 400, update_form=form)


@require_POST
@login_required
def review_goal(request: HttpRequest, workshop_slug: str, pk: int, goal_pk: int) -> HttpResponse:
    workshop, participant = _staff_and_participant(request, workshop_slug, pk)
    goal = _goal_for_writing(request, participant, goal_pk)
    form = ReviewForm(request.POST)
    if form.is_valid():
        try:
            pathway.review_goal(goal=goal, recorded_by=request.user, **form.cleaned_data)
        except PathwayError as error:
            _show_error(request, form, error)
        else:
            messages.success(request, _("The review was recorded."))
            return redirect("support:goal", workshop.slug, participant.pk, goal.pk)
    return _goal_page(request, workshop, participant, goal_pk, 400, review_form=form)


# --- a note ----------------------------------------------------------------------------------


def _note_page(
    request: HttpRequest,
    workshop: Workshop,
    participant: Participant,
    note_pk: int,
    status: int = 200,
    form: CorrectionForm | None = None,
) -> HttpResponse:
    try:
        note = pathway.get_note_for(reader=request.user, participant=participant, pk=note_pk)
    except SupportNote.DoesNotExist:
        raise Http404 from None
    if form is None:
        form = CorrectionForm(initial={"on": note.on, "kind": note.kind, "text": note.text})
    context = {"workshop": workshop, "participant": participant, "note": note, "form": form}
    return render(request, "participants/support/note.html", context, status=status)


@require_GET
@login_required
@never_cache
def note(request: HttpRequest, workshop_slug: str, pk: int, note_pk: int) -> HttpResponse:
    workshop, participant = _staff_and_participant(request, workshop_slug, pk)
    return _note_page(request, workshop, participant, note_pk)


@require_POST
@login_required
def correct_note(request: HttpRequest, workshop_slug: str, pk: int, note_pk: int) -> HttpResponse:
    workshop, participant = _staff_and_participant(request, workshop_slug, pk)
    note = get_object_or_404(
        SupportNote.objects.visible_to(request.user).of(participant).select_related("participant"),
        pk=note_pk,
    )
    form = CorrectionForm(request.POST)
    if form.is_valid():
        try:
            pathway.correct_note(note=note, corrected_by=request.user, **form.cleaned_data)
        except PathwayError as error:
            _show_error(request, form, error)
        else:
            messages.success(request, _("The correction was saved. The earlier text is kept."))
            return redirect("support:note", workshop.slug, participant.pk, note.pk)
    return _note_page(request, workshop, participant, note_pk, 400, form)


# --- the timeline ----------------------------------------------------------------------------


@require_GET
@login_required
@never_cache
def timeline(request: HttpRequest, workshop_slug: str, pk: int) -> HttpResponse:
    workshop, participant = _staff_and_participant(request, workshop_slug, pk)
    page = pathway.timeline_for(
        participant=participant, reader=request.user, before=request.GET.get("before")
    )
    context = {"workshop": workshop, "participant": participant, "page": page}
    template = "participants/support/timeline.html"
    if request.htmx:
        template += "#entries"
    return render(request, template, context)


# --- managers: the export and the audit log --------------------------------------------------


@require_POST
@login_required
def export(request: HttpRequest, workshop_slug: str, pk: int) -> HttpResponse:
    """Everything held about one participant, for a disclosure request. Managers only."""
    workshop = get_workshop_for_manager(request.user, workshop_slug)
    participant = get_participant_for_staff(request.user, workshop, pk)
    data = privacy.export_participant(participant=participant, exported_by=request.user)
    response = HttpResponse(data, content_type="application/zip")
    filename = f"engawa-participant-{participant.pk}-{timezone.localdate():%Y%m%d}.zip"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


@require_GET
@login_required
def audit_log(request: HttpRequest, workshop_slug: str) -> HttpResponse:
    """Who read or wrote which support record, and when. Managers only; nobody can edit it."""
    workshop = get_workshop_for_manager(request.user, workshop_slug)
    form = AuditFilterForm(request.GET or None, workshop=workshop, user=request.user)
    rows = AuditLog.objects.visible_to(request.user).filter(workshop=workshop)
    if form.is_valid():
        filters = form.cleaned_data
        if filters["actor"]:
            rows = rows.filter(actor=filters["actor"])
        if filters["action"]:
            rows = rows.filter(action=filters["action"])
        if filters["record_type"]:
            rows = rows.filter(record_type=filters["record_type"])
        if filters["participant"]:
            rows = rows.filter(participant_id=filters["participant"].pk)
        if filters["since"]:
            rows = rows.filter(at__gte=_local_midnight(filters["since"]))
        if filters["until"]:
            rows = rows.filter(at__lt=_local_midnight(filters["until"], days_later=1))
    page = Paginator(rows.order_by("-at", "-pk"), AUDIT_PAGE_SIZE).get_page(request.GET.get("page"))
    nicknames = dict(
        Participant.objects.visible_to(request.user)
        .filter(workshop=workshop)
        .values_list("pk", "nickname")
    )
    page.object_list = list(page.object_list)
    for row in page.object_list:
        row.nickname = nicknames.get(row.participant_id, "")
        row.record_label = RECORD_LABELS.get(row.record_type, row.record_type)
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "workshop": workshop,
        "form": form,
        "page": page,
        "query": query.urlencode(),
    }
    return render(request, "participants/support/audit.html", context)


def _local_midnight(day: datetime.date, days_later: int = 0) -> datetime.datetime:
    return timezone.make_aware(
        datetime.datetime.combine(day + datetime.timedelta(days=days_later), datetime.time.min)
    )
