"""The staff's work console, under /w/<workshop>/work/: split an accepted order into units and
publish them, follow the order's board, review handed-in units, suggest a unit to someone, and
mark who is trained for which skill. The rules are in jobs/work.py and jobs/review.py; these
views only ask and show."""

import re
import uuid

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.files.storage import default_storage
from django.core.files.uploadhandler import MemoryFileUploadHandler
from django.core.paginator import Paginator
from django.db.models import Case, CharField, Count, F, Prefetch, Sum, Value, When
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_POST

from jobs import review as review_rules
from jobs import work as rules
from jobs.models import (
    QUIET_AFTER,
    Item,
    Order,
    ProgressLog,
    RedoPhrase,
    SkillTraining,
    SplitJob,
    Suggestion,
    WorkUnit,
    board_states,
)
from jobs.photos import PhotoRefused, clean_photo
from participants.models import Participant
from workshop import limits
from workshop.models import Workshop
from workshop.order_views import get_order_for_staff
from workshop.views import get_workshop_for_staff

Status = WorkUnit.Status
UNITS_PER_PAGE = 50
REVIEWS_PER_PAGE = 20
# A unit held this long without a log is shown gently on the board, so staff may reach out.
PHOTO_SALT = "engawa.work.sample-photo"

# The board's tabs: which units each shows. "Open" counts expired claims too: expiry is
# computed when read (DESIGN.md, invariant 2).
BOARD_TABS = {
    "all": gettext_lazy("All"),
    "open": gettext_lazy("Open"),
    "taken": gettext_lazy("Taken"),
    "quiet": gettext_lazy("No progress for a while"),
    "submitted": gettext_lazy("Waiting for review"),
    "redo": gettext_lazy("Being redone"),
    "approved": pgettext_lazy("work unit", "Approved"),
}


# --- forms ----------------------------------------------------------------------------------

SIZE_TOKEN = re.compile(r"^(\d{1,7})(?:[x×*](\d{1,6}))?$")


def parse_sizes(text: str) -> list[int]:
    """ "100, 100, 50" or "100x10 50" (ten units of 100 and one of 50) → a list of sizes."""
    sizes = []
    for token in re.split(r"[\s,、，]+", text.strip().lower()):
        if not token:
            continue
        match = SIZE_TOKEN.match(token)
        if match is None:
            raise forms.ValidationError(
                _("Write sizes as numbers, like 100, 100, 50 or 100x10, 50."), code="invalid"
            )
        size, count = int(match[1]), int(match[2] or 1)
        if len(sizes) + count > rules.MAX_UNITS_PER_SPLIT:
            raise forms.ValidationError(
                _("That would make more than %(max)s units; please choose larger units.")
                % {"max": f"{rules.MAX_UNITS_PER_SPLIT:,}"},
                code="too_many_units",
            )
        sizes.extend([size] * count)
    return sizes


class SplitForm(forms.Form):
    how = forms.ChoiceField(
        label=gettext_lazy("How to split"),
        choices=[
            ("size", gettext_lazy("Units of one size (the last one may be smaller)")),
            ("list", gettext_lazy("A list of sizes")),
        ],
        initial="size",
        widget=forms.RadioSelect,
    )
    size = forms.IntegerField(
        label=gettext_lazy("Items in one unit"),
        min_value=1,
        max_value=10_000_000,
        required=False,
    )
    sizes = forms.CharField(
        label=gettext_lazy("Sizes of the units"),
        required=False,
        max_length=limits.MESSAGE_LENGTH,
        help_text=gettext_lazy("For example 100, 100, 50, or 100x10, 50 for ten units of 100."),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    items = forms.IntegerField(
        max_value=limits.MAX_ORDER_QUANTITY,
        label=gettext_lazy("Items to split now"),
        min_value=1,
        required=False,
        help_text=gettext_lazy(
            "Leave empty to split everything left. Split the rest later, with other instructions "
            "if you like."
        ),
    )
    instructions = forms.CharField(
        label=gettext_lazy("Instructions for each unit"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    estimated_minutes = forms.IntegerField(
        label=gettext_lazy("Minutes for one unit (estimate)"),
        min_value=1,
        max_value=rules.MAX_ESTIMATED_MINUTES,
        required=False,
        help_text=gettext_lazy(
            "For a full-size unit; a smaller one gets its share. Leave empty to use the order's "
            "minutes per item."
        ),
    )
    home_ok = forms.BooleanField(
        label=gettext_lazy("Can be done at home"), required=False, initial=True
    )
    skill_tag = forms.CharField(
        label=gettext_lazy("Skill needed (optional)"),
        required=False,
        max_length=30,
        help_text=gettext_lazy(
            "A unit with a skill, say “sealing”, is offered only to people you marked as "
            "trained for it."
        ),
        widget=forms.TextInput(attrs={"list": "known-skills", "autocomplete": "off"}),
    )
    sample_photo = forms.FileField(
        label=gettext_lazy("Sample photo (optional)"),
        required=False,
        help_text=gettext_lazy("How a finished item should look. Location data is removed."),
        widget=forms.ClearableFileInput(attrs={"accept": "image/*"}),
    )
    # A signed file name (signing.dumps): longer than a title, far shorter than a reason.
    photo_token = forms.CharField(
        max_length=limits.REASON_LENGTH, required=False, widget=forms.HiddenInput
    )

    def clean(self):
        data = super().clean()
        if data.get("how") == "size" and not data.get("size"):
            self.add_error("size", _("Choose how many items go in one unit."))
        if data.get("how") == "list":
            try:
                data["size_list"] = parse_sizes(data.get("sizes") or "")
            except forms.ValidationError as error:
                self.add_error("sizes", error)
            else:
                if not data["size_list"]:
                    self.add_error("sizes", _("Write the sizes of the units."))
        return data

    def photo_name(self) -> str:
        """The stored sample photo this form refers to (saved at the preview), or ""."""
        token = self.cleaned_data.get("photo_token") or ""
        if not token:
            return ""
        try:
            return signing.loads(token, salt=PHOTO_SALT)
        except signing.BadSignature:
            return ""


class ReachOutForm(forms.Form):
    note = forms.CharField(
        label=gettext_lazy("What you did or said (optional)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ReleaseForm(forms.Form):
    note = forms.CharField(
        label=gettext_lazy("Note for the unit's history (optional)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class SuggestForm(forms.Form):
    participant = forms.ModelChoiceField(
        label=gettext_lazy("Suggest to"),
        queryset=Participant.objects.none(),
        widget=forms.RadioSelect,
        empty_label=None,
        error_messages={"required": gettext_lazy("Choose who to suggest it to.")},
    )
    note = forms.CharField(
        label=gettext_lazy("A word with it (optional)"),
        required=False,
        max_length=200,
        help_text=gettext_lazy("They see this with the suggestion. They are free to leave it."),
    )

    def __init__(self, *args, participants=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["participant"].queryset = participants


class RedoForm(forms.Form):
    phrase = forms.TypedChoiceField(
        label=gettext_lazy("Start from a phrase"),
        coerce=int,
        required=False,
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=gettext_lazy("In your own words"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=gettext_lazy("They read this. Keep it short and kind."),
    )

    def __init__(self, *args, phrases: list[RedoPhrase], **kwargs):
        # The card's partial approval has a note too, under the same prefix: ids differ.
        kwargs.setdefault("auto_id", "id_redo_%s")
        super().__init__(*args, **kwargs)
        # The phrases are already in memory: no query per card.
        self.phrases = {phrase.pk: phrase.text for phrase in phrases}
        self.fields["phrase"].choices = list(self.phrases.items())

    def note_text(self) -> str:
        phrase = self.phrases.get(self.cleaned_data.get("phrase"), "")
        own_words = self.cleaned_data.get("note", "")
        return "\n".join(part for part in [phrase, own_words] if part)


class PartForm(forms.Form):
    quantity = forms.IntegerField(
        max_value=limits.MAX_ORDER_QUANTITY,
        label=gettext_lazy("How many are good"),
        min_value=1,
        error_messages={"required": gettext_lazy("Enter how many are good.")},
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    note = forms.CharField(label=gettext_lazy("Note (optional)"), required=False, max_length=1000)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "id_part_%s")  # not the redo form's ids on the same card
        super().__init__(*args, **kwargs)


class PhraseForm(forms.Form):
    text = forms.CharField(label=gettext_lazy("New phrase"), max_length=200)


class SkillForm(forms.Form):
    participant = forms.ModelChoiceField(
        label=gettext_lazy("Participant"),
        queryset=Participant.objects.none(),
        empty_label=gettext_lazy("Choose someone"),
    )
    skill_tag = forms.CharField(
        label=gettext_lazy("Skill"),
        max_length=30,
        widget=forms.TextInput(attrs={"list": "known-skills", "autocomplete": "off"}),
    )

    def __init__(self, *args, participants=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["participant"].queryset = participants


# --- fetching -------------------------------------------------------------------------------


def get_unit_for_staff(user, workshop: Workshop, pk: int) -> WorkUnit:
    """A unit of this workshop; 404 for any other."""
    units = WorkUnit.objects.visible_to(user).filter(workshop=workshop)
    return get_object_or_404(units.select_related("order", "holder"), pk=pk)


def staff_participants(user, workshop: Workshop):
    return Participant.objects.visible_to(user).filter(workshop=workshop)


def known_skills(workshop: Workshop) -> list[str]:
    """Skills already in use in this workshop, offered as the skill field's suggestions."""
    trained = SkillTraining.objects.filter(participant__workshop=workshop).values_list(
        "skill_tag", flat=True
    )
    tagged = (
        WorkUnit.objects.filter(workshop=workshop).exclude(skill_tag="").values_list("skill_tag")
    )
    return sorted(set(trained) | {tag for (tag,) in tagged.distinct()})


def to_board(workshop: Workshop, order_id: int) -> HttpResponse:
    return redirect("console_work:board", workshop.slug, order_id)


# --- splitting ------------------------------------------------------------------------------


def split_page(
    request: HttpRequest,
    workshop: Workshop,
    order: Order,
    *,
    form: SplitForm | None = None,
    plan: dict | None = None,
    status: int = 200,
) -> HttpResponse:
    left = rules.unsplit_quantity(order)
    context = {
        "workshop": workshop,
        "order": order,
        "left": left,
        "units_count": order.units.count(),
        "form": form or SplitForm(initial={"instructions": order.instructions}),
        "plan": plan,
        "job": SplitJob.objects.visible_to(request.user).filter(order=order).first(),
        "splittable": order.status in rules.SPLITTABLE,
        "known_skills": known_skills(workshop),
    }
    return render(request, "workshop/work/split.html", context, status=status)


def plan_for(order: Order, form: SplitForm) -> dict:
    """What the reviewed form would publish: the sizes and how to say them."""
    data = form.cleaned_data
    left = rules.unsplit_quantity(order)
    if data["how"] == "list":
        sizes = rules.plan_split(order=order, sizes=data["size_list"])
    else:
        sizes = rules.plan_split(order=order, size=data["size"], items=data.get("items"))
    minutes = data.get("estimated_minutes") or min(
        rules.MAX_ESTIMATED_MINUTES, (order.minutes_per_item or 1) * max(sizes)
    )
    return {
        "sizes": sizes,
        "runs": rules.runs_of(sizes),
        "units": len(sizes),
        "items": sum(sizes),
        "left_after": left - sum(sizes),
        "minutes": minutes,
        "in_background": len(sizes) > rules.INLINE_SPLIT_LIMIT,
    }


def keep_sample_photo(request: HttpRequest, form: SplitForm) -> bool:
    """Clean an uploaded sample photo (no metadata) and keep it, remembered in the form by a
    signed token so that the publish step needs no second upload. False if it was refused."""
    upload = request.FILES.get("sample_photo")
    if upload is None:
        return True
    try:
        photo = clean_photo(upload.read(), name=uuid.uuid4().hex)
    except PhotoRefused as refused:
        form.add_error("sample_photo", refused.message)
        return False
    name = default_storage.save(f"samples/{timezone.now():%Y/%m}/{photo.name}", photo)
    form.data = form.data.copy()
    form.data["photo_token"] = signing.dumps(name, salt=PHOTO_SALT)
    form.cleaned_data["photo_token"] = form.data["photo_token"]
    return True


def photo_too_large(request: HttpRequest) -> bool:
    return int(request.META.get("CONTENT_LENGTH") or 0) > settings.FILE_UPLOAD_MAX_MEMORY_SIZE


@require_GET
@login_required
def split(request: HttpRequest, workshop_slug: str, order_pk: int) -> HttpResponse:
    workshop = get_workshop_for_staff(request.user, workshop_slug)
    order = get_order_for_staff(request.user, workshop, order_pk)
    return split_page(request, workshop, order)


def keep_uploads_in_memory(request: HttpRequest) -> None:
    """Photos stay in memory (invariant 6: the original is never written, not even to a
    temporary file). Called before the body is read, so CSRF is checked after it (Django's
    "modifying upload handlers on the fly")."""
    request.upload_handlers = [MemoryFileUploadHandler(request)]


def read_split_form(request: HttpRequest) -> SplitForm:
    form = SplitForm(request.POST, request.FILES)
    if form.is_valid() and photo_too_large(request):
        # The memory handler does not take a body this large; the photo never arrived.
        form.add_error(
            "sample_photo",
            _("This photo is too large. Please take it again or choose a smaller one."),
        )
    return form


@csrf_exempt
@require_POST
@login_required
def split_preview(request: HttpRequest, workshop_slug: str, order_pk: int) -> HttpResponse:
    """Review the split before publishing: "1,050 items → 10 units of 100 and 1 of 50"."""
    keep_uploads_in_memory(request)
    return _split_preview(request, workshop_slug, order_pk)


@csrf_protect
def _split_preview(request: HttpRequest, workshop_slug: str, order_pk: int) -> HttpResponse:
    workshop = get_workshop_for_staff(request.user, workshop_slug)
    order = get_order_for_staff(request.user, workshop, order_pk)
    form = read_split_form(request)
    if not form.is_valid():
        return split_page(request, workshop, order, form=form, status=400)
    try:
        plan = plan_for(order, form)
    except rules.WorkError as refused:
        form.add_error("sizes" if form.cleaned_data["how"] == "list" else "size", refused.message)
        return split_page(request, workshop, order, form=form, status=400)
    if not keep_sample_photo(request, form):
        return split_page(request, workshop, order, form=form, status=400)
    return split_page(request, workshop, order, form=form, plan=plan)


@csrf_exempt
@require_POST
@login_required
def split_publish(request: HttpRequest, workshop_slug: str, order_pk: int) -> HttpResponse:
    keep_uploads_in_memory(request)
    return _split_publish(request, workshop_slug, order_pk)


@csrf_protect
def _split_publish(request: HttpRequest, workshop_slug: str, order_pk: int) -> HttpResponse:
    workshop = get_workshop_for_staff(request.user, workshop_slug)
    order = get_order_for_staff(request.user, workshop, order_pk)
    form = read_split_form(request)
    if not form.is_valid() or not keep_sample_photo(request, form):
        return split_page(request, workshop, order, form=form, status=400)
    try:
        plan = plan_for(order, form)
        outcome = rules.split_order(
            order=order,
            by=request.user,
            sizes=plan["sizes"],
            instructions=form.cleaned_data["instructions"],
            estimated_minutes=plan["minutes"],
            home_ok=form.cleaned_data["home_ok"],
            skill_tag=form.cleaned_data["skill_tag"],
            sample_photo=form.photo_name(),
        )
    except rules.WorkError as refused:
        if refused.code in {"wrong_state", "split_running"}:
            messages.info(request, refused.message)
            return redirect("console_work:split", workshop.slug, order.pk)
        form.add_error("sizes" if form.cleaned_data["how"] == "list" else "size", refused.message)
        return split_page(request, workshop, order, form=form, status=400)
    if outcome.job is not None and not outcome.job.finished:
        messages.success(
            request,
            _("Publishing %(count)s units. You can keep working meanwhile.")
            % {"count": f"{outcome.job.total:,}"},
        )
        return redirect("console_work:split", workshop.slug, order.pk)
    count = outcome.job.done_count if outcome.job else outcome.published
    messages.success(
        request, _("%(count)s units are open for participants now.") % {"count": f"{count:,}"}
    )
    return to_board(workshop, order.pk)


@require_GET
@login_required
def split_progress(request: HttpRequest, workshop_slug: str, order_pk: int) -> HttpResponse:
    """The progress bar of a large split, polled by htmx every 2 seconds until it is done."""
    workshop = get_workshop_for_staff(request.user, workshop_slug)
    order = get_order_for_staff(request.user, workshop, order_pk)
    if not request.htmx:
        return redirect("console_work:split", workshop.slug, order.pk)
    job = SplitJob.objects.visible_to(request.user).filter(order=order).first()
    context = {"workshop": workshop, "order": order, "job": job}
    return render(request, "workshop/work/split.html#progress", context)


@require_GET
@login_required
def sample_photo(request: HttpRequest, workshop_slug: str, pk: int):
    workshop = get_workshop_for_staff(request.user, workshop_slug)
    unit = get_unit_for_staff(request.user, workshop, pk)
    if not unit.sample_photo:
        raise Http404
    return FileResponse(unit.sample_photo.open("rb"), content_type="image/jpeg")


# --- the order board ------------------------------------------------------------------------


@require_GET
@login_required
def board(request: HttpRequest, workshop_slug: str, order_pk: int) -> HttpResponse:
    """Units of one order by state, who holds which, and which have been quiet. A fixed number
    of queries however many units there are."""
    workshop = get_workshop_for_staff(request.user, workshop_slug)
    order = get_order_for_staff(request.user, workshop, order_pk)
    now = timezone.now()
    filters = board_states(now)
    tab = request.GET.get("state", "all")
    if tab not in filters:
        tab = "all"
    units = WorkUnit.objects.visible_to(request.user).filter(order=order)
    counts = board_counts(order, units, filters)
    shown = (
        units.filter(filters[tab])
        .select_related("holder")
        .annotate(
            state=Case(
                When(status=Status.CLAIMED, expires_at__lt=now, then=Value(Status.OPEN)),
                default=F("status"),
                output_field=CharField(),
            )
        )
        .prefetch_related(
            Prefetch(
                "suggestions",
                queryset=Suggestion.objects.filter(status=Suggestion.Status.OPEN).select_related(
                    "participant"
                ),
                to_attr="open_suggestions",
            )
        )
        .order_by("number")
    )
    paginator = Paginator(shown, UNITS_PER_PAGE)
    paginator.count = counts[tab]  # from the counters: no count of a million units
    page = paginator.get_page(request.GET.get("page"))
    for unit in page:
        unit.quiet_days = (
            (now - unit.last_activity_at).days
            if unit.state in {Status.CLAIMED, Status.REDO}
            and unit.last_activity_at
            and now - unit.last_activity_at >= QUIET_AFTER
            else 0
        )
        unit.state_label = Status(unit.state).label
    context = {
        "workshop": workshop,
        "order": order,
        "tab": tab,
        "tabs": [(name, BOARD_TABS[name], counts[name]) for name in BOARD_TABS],
        "counts": counts,
        "items_approved": order.items_approved,
        "left": order.quantity - order.items_in_units,
        "page": page,
        "job": SplitJob.objects.visible_to(request.user).filter(order=order).unfinished().first(),
    }
    return render(request, "workshop/work/board.html", context)


def board_counts(order: Order, units, filters: dict) -> dict[str, int]:
    """The board's tab counts from the order's counters, corrected by the few units in someone's
    hands (an expired claim counts as open; quiet is about activity): one small query from the
    partial index `unit_in_hand_by_order`, however many units the order has."""
    in_hand = units.filter(status__in=[Status.CLAIMED, Status.REDO]).aggregate(
        expired=Count("pk", filter=filters["open"]),
        quiet=Count("pk", filter=filters["quiet"]),
    )
    held = order.units_claimed + order.units_submitted + order.units_redo
    return {
        "all": order.units_total,
        "open": order.units_total - held - order.units_approved + in_hand["expired"],
        "taken": order.units_claimed - in_hand["expired"],
        "quiet": in_hand["quiet"],
        "submitted": order.units_submitted,
        "redo": order.units_redo,
        "approved": order.units_approved,
    }


def unit_page(
    request: HttpRequest, template: str, workshop: Workshop, unit: WorkUnit, **context
) -> HttpResponse:
    status = context.pop("status", 200)
    context = {"workshop": workshop, "unit": unit, "order": unit.order, **context}
    return render(request, f"workshop/work/{template}", context, status=status)


@require_GET
@login_required
def release_confirm(request: HttpRequest, workshop_slug: str, pk: int) -> HttpResponse:
    workshop = get_workshop_for_staff(request.user, workshop_slug)
    unit = get_unit_for_staff(request.user, workshop, pk)
    return unit_page(
        request,
        "release.html",
        workshop,
        unit,
        form=ReleaseForm(),
        logged=unit.quantity_logged(),
    )


@require_POST
@login_required
def release(request: HttpRequest, workshop_slug: str, pk: int) -> HttpResponse:
    workshop = get_workshop_for_staff(request.user, workshop_slug)
    unit = get_unit_for_staff(request.user, workshop, pk)
    form = ReleaseForm(request.POST)
    if not form.is_valid():
        return unit_page(request, "release.html", workshop, unit, form=form, status=400)
    try:
        rules.release_unit_by_staff(unit=unit, by=request.user, note=form.cleaned_data["note"])
    except rules.WorkError as refused:
        messages.info(request, refused.message)
    else:
        messages.success(request, _("The unit is open again. What was logged stays credited."))
    return to_board(workshop, unit.order_id)


@require_GET
@login_required
def reach_out_form(request: HttpRequest, workshop_slug: str, pk: int) -> HttpResponse:
    workshop = get_workshop_for_staff(request.user, workshop_slug)
    unit = get_unit_for_staff(request.user, workshop, pk)
    return unit_page(request, "reach_out.html", workshop, unit, form=ReachOutForm())


@require_POST
@login_required
def reach_out(request: HttpRequest, workshop_slug: str, pk: int) -> HttpResponse:
    workshop = get_workshop_for_staff(request.user, workshop_slug)
    unit = get_unit_for_staff(request.user, workshop, pk)
    form = ReachOutForm(request.POST)
    if not form.is_valid():
        return unit_page(request, "reach_out.html", workshop, unit, form=form, status=400)
    try:
        rules.reach_out(unit=unit, by=request.user, note=form.cleaned_data["note"])
    except rules.WorkError as refused:
        messages.info(request, refused.message)
    else:
        messages.success(request, _("Noted. The unit stays with them."))
    return to_board(workshop, unit.order_id)


def suggestable_participants(user, workshop: Workshop, unit: WorkUnit):
    """Active participants the unit would be offered to: where they work, and trained for its
    skill if it has one."""
    people = staff_participants(user, workshop).active()
    if not unit.home_ok:
        people = people.filter(works_on_site=True)
    if unit.skill_tag:
        people = people.filter(skill_trainings__skill_tag=unit.skill_tag)
    return people.order_by("nickname")


def suggest_page(request, workshop, unit, *, form=None, status=200) -> HttpResponse:
    people = suggestable_participants(request.user, workshop, unit)
    return unit_page(
        request,
        "suggest.html",
        workshop,
        unit,
        form=form or SuggestForm(participants=people),
        open_suggestions=unit.suggestions.filter(status=Suggestion.Status.OPEN).select_related(
            "participant"
        ),
        free=WorkUnit.objects.filter(pk=unit.pk).claimable().exists(),
        status=status,
    )


@require_GET
@login_required
def suggest_form(request: HttpRequest, workshop_slug: str, pk: int) -> HttpResponse:
    workshop = get_workshop_for_staff(request.user, workshop_slug)
    unit = get_unit_for_staff(request.user, workshop, pk)
    return suggest_page(request, workshop, unit)


@require_POST
@login_required
def suggest(request: HttpRequest, workshop_slug: str, pk: int) -> HttpResponse:
    workshop = get_workshop_for_staff(request.user, workshop_slug)
    unit = get_unit_for_staff(request.user, workshop, pk)
    form = SuggestForm(
        request.POST, participants=suggestable_participants(request.user, workshop, unit)
    )
    if form.is_valid():
        try:
            rules.suggest_unit(
                unit=unit,
                participant=form.cleaned_data["participant"],
                by=request.user,
                note=form.cleaned_data["note"],
            )
        except rules.WorkError as refused:
            form.add_error("participant", refused.message)
        else:
            messages.success(
                request,
                _("Suggested to %(name)s. They may take it or leave it; it stays open to all.")
                % {"name": form.cleaned_data["participant"].nickname},
            )
            return to_board(workshop, unit.order_id)
    return suggest_page(request, workshop, unit, form=form, status=400)


@require_POST
@login_required
def withdraw_suggestion(request: HttpRequest, workshop_slug: str, pk: int) -> HttpResponse:
    workshop = get_workshop_for_staff(request.user, workshop_slug)
    suggestions = Suggestion.objects.visible_to(request.user).filter(unit__workshop=workshop)
    suggestion = get_object_or_404(suggestions.select_related("participant"), pk=pk)
    try:
        rules.withdraw_suggestion(suggestion=suggestion, by=request.user)
    except rules.WorkError as refused:
        messages.info(request, refused.message)
    else:
        messages.success(request, _("You withdrew the suggestion."))
    return redirect("console_work:suggest_form", workshop.slug, suggestion.unit_id)


# --- review ---------------------------------------------------------------------------------


def waiting_for_review(workshop: Workshop) -> int:
    """From the orders' counters: the queue's length without counting the units."""
    return Order.objects.filter(workshop=workshop).aggregate(n=Sum("units_submitted"))["n"] or 0


def units_of_answers(unit_ids: list[int]) -> set[int]:
    """Which of these units hold items (digital work): two queries for the page."""
    first = Item.objects.filter(unit__in=unit_ids).values_list("unit", flat=True).distinct()
    second = Item.objects.filter(second_unit__in=unit_ids).values_list("second_unit", flat=True)
    return set(first) | set(second.distinct())


def review_page(
    request: HttpRequest,
    workshop: Workshop,
    *,
    failed: WorkUnit | None = None,
    redo_form: RedoForm | None = None,
    part_form: PartForm | None = None,
    status: int = 200,
) -> HttpResponse:
    """Handed-in units, oldest first, with their logs and photos and the three decisions.
    A fixed number of queries however many units wait."""
    phrases = review_rules.redo_phrases_for(workshop)
    units = (
        WorkUnit.objects.visible_to(request.user)
        .filter(workshop=workshop, status=Status.SUBMITTED)
        .select_related("order", "holder")
        .prefetch_related(
            Prefetch("logs", queryset=ProgressLog.objects.order_by("created_at", "pk"))
        )
        .order_by("last_activity_at", "pk")
    )
    paginator = Paginator(units, REVIEWS_PER_PAGE)
    paginator.count = waiting_for_review(workshop)
    page = paginator.get_page(request.GET.get("page"))
    answered = units_of_answers([unit.pk for unit in page])
    for unit in page:
        # A unit of answers (digital work) is checked on its own page (digital_review_views).
        unit.of_answers = unit.pk in answered
        # Summed from the logs already read for the page: nothing computed for units not shown.
        logs = unit.logs.all()
        unit.logged = sum(log.quantity for log in logs) if logs else None
        unit.minutes = sum(log.minutes for log in logs) if logs else None
        prefix = f"u{unit.pk}"
        if failed is not None and unit.pk == failed.pk:
            unit.redo_form = redo_form or RedoForm(prefix=prefix, phrases=phrases)
            unit.part_form = part_form or PartForm(prefix=prefix)
            unit.open_form = "redo" if redo_form else "part" if part_form else ""
        else:
            unit.redo_form = RedoForm(prefix=prefix, phrases=phrases)
            unit.part_form = PartForm(prefix=prefix, initial={"quantity": unit.logged or None})
            unit.open_form = ""
    context = {
        "workshop": workshop,
        "page": page,
        "waiting": paginator.count,
        "phrases": phrases,
        "phrase_form": PhraseForm(),
    }
    if request.htmx and failed is not None:
        # 200, not 400: htmx swaps only successful responses, and the card must come back
        # with the error next to its field.
        return render(
            request,
            "workshop/work/review.html#card",
            {**context, "unit": next(u for u in page if u.pk == failed.pk)},
        )
    return render(request, "workshop/work/review.html", context, status=status)


def decision_note(request, workshop: Workshop, unit: WorkUnit, message: str) -> HttpResponse:
    context = {
        "workshop": workshop,
        "unit": unit,
        "message": message,
        "waiting": waiting_for_review(workshop),
    }
    return render(request, "workshop/work/review.html#decided", context)


def decided(request: HttpRequest, workshop: Workshop, unit: WorkUnit, message: str):
    """After a decision: htmx swaps the card for a short note and the header's count for the
    one after it; without JavaScript, back to the queue with the message."""
    if request.htmx:
        return decision_note(request, workshop, unit, message)
    messages.success(request, message)
    return redirect("console_work:review", workshop.slug)


def refused_decision(request, workshop: Workshop, unit: WorkUnit, error: rules.WorkError):
    """Someone else decided first (or the unit moved on): say so calmly."""
    if request.htmx:
        return decision_note(request, workshop, unit, error.message)
    messages.info(request, error.message)
    return redirect("console_work:review", workshop.slug)


@require_GET
@login_required
def review_queue(request: HttpRequest, workshop_slug: str) -> HttpResponse:
    workshop = get_workshop_for_staff(request.user, workshop_slug)
    return review_page(request, workshop)


@require_POST
@login_required
def approve(request: HttpRequest, workshop_slug: str, pk: int) -> HttpResponse:
    workshop = get_workshop_for_staff(request.user, workshop_slug)
    unit = get_unit_for_staff(request.user, workshop, pk)
    try:
        review_rules.approve_unit(unit=unit, by=request.user)
    except rules.WorkError as refused:
        return refused_decision(request, workshop, unit, refused)
    return decided(
        request,
        workshop,
        unit,
        # Counted in the order's own unit (件, 枚, 個 …), as the card shows it.
        _("Approved %(quantity)s %(label)s of %(order)s #%(number)s.")
        % {
            "quantity": unit.approved_quantity,
            "label": unit.order.unit_label,
            "order": unit.order.title,
            "number": unit.number,
        },
    )


@require_POST
@login_required
def redo(request: HttpRequest, workshop_slug: str, pk: int) -> HttpResponse:
    workshop = get_workshop_for_staff(request.user, workshop_slug)
    unit = get_unit_for_staff(request.user, workshop, pk)
    form = RedoForm(
        request.POST, prefix=f"u{unit.pk}", phrases=review_rules.redo_phrases_for(workshop)
    )
    if form.is_valid():
        try:
            review_rules.ask_redo(unit=unit, by=request.user, note=form.note_text())
        except rules.WorkError as refused:
            if refused.code == "not_submitted":
                return refused_decision(request, workshop, unit, refused)
            form.add_error("note", refused.message)
        else:
            return decided(
                request,
                workshop,
                unit,
                _("Sent back to %(name)s with your note.") % {"name": unit.holder.nickname},
            )
    return review_page(request, workshop, failed=unit, redo_form=form, status=400)


@require_POST
@login_required
def approve_part(request: HttpRequest, workshop_slug: str, pk: int) -> HttpResponse:
    workshop = get_workshop_for_staff(request.user, workshop_slug)
    unit = get_unit_for_staff(request.user, workshop, pk)
    form = PartForm(request.POST, prefix=f"u{unit.pk}")
    if form.is_valid():
        try:
            approved, rest = review_rules.approve_part(
                unit=unit,
                by=request.user,
                quantity=form.cleaned_data["quantity"],
                note=form.cleaned_data["note"],
            )
        except rules.WorkError as refused:
            if refused.code == "not_submitted":
                return refused_decision(request, workshop, unit, refused)
            form.add_error("quantity", refused.message)
        else:
            return decided(
                request,
                workshop,
                approved,
                _(
                    "Approved %(quantity)s %(label)s. The other %(rest)s %(label)s are open "
                    "again as unit %(number)s."
                )
                % {
                    "quantity": approved.quantity,
                    "label": approved.order.unit_label,
                    "rest": rest.quantity,
                    "number": rest.number,
                },
            )
    return review_page(request, workshop, failed=unit, part_form=form, status=400)


@require_POST
@login_required
def add_phrase(request: HttpRequest, workshop_slug: str) -> HttpResponse:
    workshop = get_workshop_for_staff(request.user, workshop_slug)
    form = PhraseForm(request.POST)
    if form.is_valid():
        try:
            review_rules.add_redo_phrase(
                workshop=workshop, text=form.cleaned_data["text"], by=request.user
            )
        except rules.WorkError as refused:
            messages.info(request, refused.message)
        else:
            messages.success(request, _("The phrase was added."))
    else:
        messages.info(request, _("Please write the phrase."))
    return redirect(reverse("console_work:review", args=[workshop.slug]) + "#phrases")


@require_POST
@login_required
def remove_phrase(request: HttpRequest, workshop_slug: str, pk: int) -> HttpResponse:
    workshop = get_workshop_for_staff(request.user, workshop_slug)
    phrase = get_object_or_404(
        RedoPhrase.objects.visible_to(request.user).filter(workshop=workshop), pk=pk
    )
    review_rules.remove_redo_phrase(phrase=phrase, by=request.user)
    messages.success(request, _("The phrase was removed."))
    return redirect(reverse("console_work:review", args=[workshop.slug]) + "#phrases")


@require_GET
@login_required
def log_photo(request: HttpRequest, workshop_slug: str, pk: int):
    """A progress log's photo, for staff of the unit's workshop only."""
    workshop = get_workshop_for_staff(request.user, workshop_slug)
    logs = ProgressLog.objects.visible_to(request.user).filter(unit__workshop=workshop)
    log = get_object_or_404(logs.exclude(photo=""), pk=pk)
    response = FileResponse(log.photo.open("rb"), content_type="image/jpeg")
    response["Cache-Control"] = "private, max-age=3600"
    return response


# --- skills ---------------------------------------------------------------------------------


def skills_page(request, workshop, *, form=None, status=200) -> HttpResponse:
    people = staff_participants(request.user, workshop).exclude(status=Participant.Status.ENDED)
    context = {
        "workshop": workshop,
        "people": people.prefetch_related("skill_trainings").order_by("nickname"),
        "form": form or SkillForm(participants=people),
        "known_skills": known_skills(workshop),
    }
    return render(request, "workshop/work/skills.html", context, status=status)


@require_GET
@login_required
def skills(request: HttpRequest, workshop_slug: str) -> HttpResponse:
    workshop = get_workshop_for_staff(request.user, workshop_slug)
    return skills_page(request, workshop)


@require_POST
@login_required
def mark_skill(request: HttpRequest, workshop_slug: str) -> HttpResponse:
    workshop = get_workshop_for_staff(request.user, workshop_slug)
    people = staff_participants(request.user, workshop)
    form = SkillForm(request.POST, participants=people)
    if form.is_valid():
        try:
            training = rules.mark_trained(
                participant=form.cleaned_data["participant"],
                skill_tag=form.cleaned_data["skill_tag"],
                by=request.user,
            )
        except rules.WorkError as refused:
            form.add_error("skill_tag", refused.message)
        else:
            messages.success(
                request,
                _("%(name)s is marked as trained for “%(skill)s”.")
                % {"name": training.participant.nickname, "skill": training.skill_tag},
            )
            return redirect("console_work:skills", workshop.slug)
    return skills_page(request, workshop, form=form, status=400)


@require_POST
@login_required
def unmark_skill(request: HttpRequest, workshop_slug: str, pk: int) -> HttpResponse:
    workshop = get_workshop_for_staff(request.user, workshop_slug)
    trainings = SkillTraining.objects.visible_to(request.user).filter(
        participant__workshop=workshop
    )
    training = get_object_or_404(trainings.select_related("participant"), pk=pk)
    rules.unmark_trained(training=training, by=request.user)
    messages.success(
        request,
        _("“%(skill)s” was removed for %(name)s. Units they hold stay theirs.")
        % {"name": training.participant.nickname, "skill": training.skill_tag},
    )
    return redirect("console_work:skills", workshop.slug)
