"""The participant's phone pages beyond /today/: a unit, taking it, logging progress with a
photo, handing it in or back, check-ins, my record; the staff page that answers check-ins; and
the service worker. Rules live in jobs/work.py and participants/attendance.py."""

import contextlib
import hashlib
import uuid
from pathlib import Path

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.files.uploadhandler import MemoryFileUploadHandler
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from jobs import offers, work
from jobs.models import UnitEvent, WorkUnit
from jobs.photos import MAX_PHOTO_BYTES, PhotoRefused, clean_photo
from participants import attendance, phone_record
from participants.attendance_models import Attendance
from participants.models import Participant
from participants.views import check_in_context, get_participant_for
from workshop.templatetags.engawa import yen
from workshop.views import get_workshop_for_staff

MAX_NOTE_LENGTH = 1000
MAX_QUANTITY = 100_000
MAX_MINUTES = 24 * 60
REDO_NOTES = 5


# --- the photo stays in memory ----------------------------------------------------------------


class PhotoUploadHandler(MemoryFileUploadHandler):
    """Keeps an uploaded photo in memory whatever its size (Django would otherwise spool a
    large one to a temporary file, writing the original with its GPS to disk), and stops
    keeping bytes past MAX_PHOTO_BYTES: the file is then dropped and `too_large` is set."""

    def __init__(self, request=None, limit: int | None = None):
        super().__init__(request)
        self.limit = MAX_PHOTO_BYTES if limit is None else limit
        self.too_large = False
        self._received = 0

    def handle_raw_input(self, input_data, META, content_length, boundary, encoding=None):
        self.activated = True

    def new_file(self, *args, **kwargs):
        self._received = 0
        super().new_file(*args, **kwargs)  # raises StopFutureHandlers: no other handler runs

    def receive_data_chunk(self, raw_data, start):
        self._received += len(raw_data)
        if self._received > self.limit:
            self.too_large = True
            self.file.truncate(0)
            return None
        self.file.write(raw_data)
        return None

    def file_complete(self, file_size):
        if self._received > self.limit:
            return None
        return super().file_complete(file_size)


def keep_uploads_in_memory(request: HttpRequest) -> PhotoUploadHandler:
    """Call before anything reads request.POST or request.FILES."""
    handler = PhotoUploadHandler(request)
    request.upload_handlers = [handler]
    return handler


def read_photo(upload, handler: PhotoUploadHandler):
    """The cleaned photo (a new JPEG with no metadata), None if none was sent, or PhotoRefused."""
    if handler.too_large:
        raise PhotoRefused(
            _("This photo is too large. Please take it again or choose a smaller one."),
            code="photo_too_large",
        )
    if upload is None:
        return None
    return clean_photo(upload.read(), name=uuid.uuid4().hex)


# --- forms ------------------------------------------------------------------------------------


class LogForm(forms.Form):
    """Parses a progress log; the rules are in jobs/work.py."""

    client_uuid = forms.UUIDField(widget=forms.HiddenInput)
    quantity = forms.IntegerField(
        label=gettext_lazy("How many did you do?"),
        min_value=0,
        max_value=MAX_QUANTITY,
        initial=0,
        required=False,
    )
    minutes = forms.IntegerField(
        label=pgettext_lazy("progress log", "Minutes"),
        min_value=0,
        max_value=MAX_MINUTES,
        required=False,
        help_text=gettext_lazy("Roughly is fine."),
    )
    note = forms.CharField(
        label=gettext_lazy("Note (optional)"),
        max_length=MAX_NOTE_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    photo = forms.FileField(
        label=gettext_lazy("Photo (optional)"),
        required=False,
        help_text=gettext_lazy("Only the picture is kept: where and when it was taken is removed."),
        widget=forms.FileInput(attrs={"accept": "image/*", "capture": "environment"}),
    )
    place = forms.ChoiceField(
        label=gettext_lazy("Where did you work?"),
        choices=Attendance.Place.choices,
        widget=forms.RadioSelect,
        initial=Attendance.Place.HOME,
    )


class HandBackForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Anything you would like to tell staff? (optional)"),
        max_length=300,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class CheckInForm(forms.Form):
    kind = forms.ChoiceField(choices=Attendance.Kind.choices)
    place = forms.ChoiceField(choices=Attendance.Place.choices)
    client_uuid = forms.UUIDField(required=False)


class ReplyForm(forms.Form):
    text = forms.CharField(
        label=pgettext_lazy("check-in", "Reply"),
        max_length=attendance.MAX_REPLY_LENGTH,
        required=True,
    )


# --- access -----------------------------------------------------------------------------------


def get_unit_for(participant, user, pk: int) -> WorkUnit | None:
    """The unit if the participant may see it (free to take, or theirs); None if it is in
    their workshop but someone else has it now (the page then says so calmly); 404 if it is not
    in their workshop at all, so that other workshops' units do not exist for them, and 404 for
    a unit they may not take (a skill they are not trained for, work only on site): reading
    follows the same rule as offering. Their own units stay readable."""
    own = Q(holder=participant)
    suited = Q(pk__in=WorkUnit.objects.suited_to(participant).values("pk"))
    unit = (
        WorkUnit.objects.visible_to(user)
        .filter(own | suited, workshop=participant.workshop_id, pk=pk)
        .select_related("order")
        .first()
    )
    if unit is not None:
        return unit
    if WorkUnit.objects.suited_to(participant).filter(pk=pk).exists():
        return None
    raise Http404


def get_held_unit_for(participant, user, pk: int) -> WorkUnit | None:
    """The unit if the participant holds it now (taken or asked to redo), else None."""
    unit = get_unit_for(participant, user, pk)
    if unit is None or unit.holder_id != participant.pk:
        return None
    if unit.status not in {WorkUnit.Status.CLAIMED, WorkUnit.Status.REDO}:
        return None
    if unit.is_claim_expired():
        return None
    return unit


def gone(request: HttpRequest, *, status: int = 200, reason: str = "taken") -> HttpResponse:
    """The calm page for a unit that is no longer there for this person: never an error page."""
    return render(request, "participants/phone/gone.html", {"reason": reason}, status=status)


def unit_context(unit: WorkUnit, participant) -> dict:
    from participants import item_views  # digital work's items (item_views imports this module)

    return {
        "unit": unit,
        "participant": participant,
        "instructions": unit.instructions or unit.order.instructions,
        "pay_estimate": phone_record.unit_pay_estimate(unit, participant.workshop),
        "is_hourly": participant.workshop.pay_mode == "hourly",
        "is_mine": unit.holder_id == participant.pk and not unit.is_claim_expired(),
        "logged": unit.quantity_logged() if unit.holder_id == participant.pk else 0,
        **item_views.unit_items_context(unit, participant),
    }


# --- a unit -----------------------------------------------------------------------------------


@require_GET
@login_required
def unit_detail(request: HttpRequest, pk: int) -> HttpResponse:
    participant = get_participant_for(request.user)
    unit = get_unit_for(participant, request.user, pk)
    if unit is None:
        return gone(request)
    offers.show_offered_part(unit, participant)
    return render(request, "participants/phone/unit.html", unit_context(unit, participant))


@require_POST
@login_required
def take(request: HttpRequest, pk: int) -> HttpResponse:
    # The person's own record is read by the take's lock, not before it: one round trip less
    # on the phone's busiest tap (docs/performance.md).
    try:
        unit = work.claim_unit(unit_id=pk, user=request.user.pk, with_order=True)
    except Participant.DoesNotExist:
        raise Http404 from None
    except work.WorkError as error:
        if error.code == "not_found":
            raise Http404 from None
        if error.code == "taken":
            return gone(request, status=409)
        messages.info(request, error.message)
        return redirect("phone:unit", pk=pk)
    messages.success(request, now_yours(unit, unit.holder, asked_for=pk))
    return redirect("phone:unit", pk=unit.pk)


@require_POST
@login_required
def take_next(request: HttpRequest) -> HttpResponse:
    """「次の作業をもらう」: the next open unit of the order (or of any work), whichever one
    nobody else is taking this moment, so that people tapping at once do not collide."""
    participant = get_participant_for(request.user)
    order_id = request.POST.get("order", "")
    try:
        unit = work.take_next(
            participant=participant, order_id=int(order_id) if order_id.isdigit() else None
        )
    except work.WorkError as error:
        messages.info(request, error.message)
        return redirect("participants:today")
    messages.success(request, now_yours(unit, participant, asked_for=unit.pk))
    return redirect("phone:unit", pk=unit.pk)


def now_yours(unit: WorkUnit, participant, *, asked_for: int) -> str:
    """What taking gave: its size and pay, and, when the unit was the rest of an expired claim
    (a new, smaller unit), that it is the rest, so that nothing changes silently."""
    facts = {
        "quantity": f"{unit.quantity:,}",
        "label": unit.order.unit_label,
        "pay": yen(phone_record.unit_pay_estimate(unit, participant.workshop)),
    }
    if unit.pk != asked_for:
        return (
            _(
                "Part of it was already done, so what is yours now is the rest: "
                "%(quantity)s %(label)s (about %(pay)s). Take your time."
            )
            % facts
        )
    return _("It is yours now: %(quantity)s %(label)s (about %(pay)s). Take your time.") % facts


@require_POST
@login_required
def not_now(request: HttpRequest, pk: int) -> HttpResponse:
    """「今回はやめておきます」: leave a staff suggestion. No reason asked, nothing counted."""
    participant = get_participant_for(request.user)
    get_unit_for(participant, request.user, pk)  # another workshop's unit does not exist: 404
    # Already answered, or withdrawn by staff: the page is right either way.
    with contextlib.suppress(work.WorkError):
        work.decline_suggestion(unit_id=pk, participant=participant)
    messages.info(request, _("All right. It is fine to leave it."))
    return redirect("participants:today")


def _log_page(request, unit, participant, form, status=200) -> HttpResponse:
    context = {
        **unit_context(unit, participant),
        "form": form,
        "left": unit.quantity - unit.quantity_logged(),
        "max_photo_mb": MAX_PHOTO_BYTES // (1024 * 1024),
    }
    return render(request, "participants/phone/log.html", context, status=status)


def _fresh_log_form(participant) -> LogForm:
    # A new UUID each time the form is drawn: sending this same form twice counts once.
    place = Attendance.Place.ON_SITE if not participant.works_from_home else "home"
    return LogForm(initial={"client_uuid": uuid.uuid4(), "place": place, "quantity": 0})


@csrf_exempt
@require_http_methods(["GET", "POST"])
@login_required
def log(request: HttpRequest, pk: int) -> HttpResponse:
    """Photos must never be spooled to disk: the upload handlers are set before the body is
    read, so CSRF is checked after that (Django's "modifying upload handlers on the fly")."""
    handler = keep_uploads_in_memory(request)
    return _log(request, pk, handler)


@csrf_protect
def _log(request: HttpRequest, pk: int, handler: PhotoUploadHandler) -> HttpResponse:
    participant = get_participant_for(request.user)
    unit = get_held_unit_for(participant, request.user, pk)
    if unit is None:
        return gone(request, reason="not_holder")
    if request.method == "GET":
        return _log_page(request, unit, participant, _fresh_log_form(participant))
    form = LogForm(request.POST, request.FILES)
    if not form.is_valid():
        return _log_page(request, unit, participant, form, status=400)
    try:
        photo = read_photo(form.cleaned_data["photo"], handler)
    except PhotoRefused as refused:
        form.add_error("photo", refused.message)
        return _log_page(request, unit, participant, form, status=400)
    data = form.cleaned_data
    try:
        created = work.log_progress(
            unit=unit,
            participant=participant,
            client_uuid=data["client_uuid"],
            quantity=data["quantity"] or 0,
            minutes=data["minutes"] or 0,
            note=data["note"],
            place=data["place"],
            photo=photo,
        )[1]
    except work.WorkError as error:
        if error.code == "not_holder":
            return gone(request, reason="not_holder")
        field = "quantity" if error.code == "too_many" else None
        form.add_error(field, error.message)
        return _log_page(request, unit, participant, form, status=400)
    messages.success(
        request, _("Saved. Thank you!") if created else _("This was already saved. Thank you!")
    )
    return redirect("phone:unit", pk=unit.pk)


@require_POST
@login_required
def done(request: HttpRequest, pk: int) -> HttpResponse:
    """できました: the unit goes to staff for review."""
    participant = get_participant_for(request.user)
    unit = get_held_unit_for(participant, request.user, pk)
    if unit is None:
        return gone(request, reason="not_holder")
    try:
        work.finish_unit(unit=unit, participant=participant)
    except work.WorkError:
        return gone(request, reason="not_holder")
    messages.success(request, _("Handed in. Thank you! Staff will have a look."))
    return redirect("participants:today")


@require_http_methods(["GET", "POST"])
@login_required
def hand_back(request: HttpRequest, pk: int) -> HttpResponse:
    """今日はここまで: one tap, an optional reason, nothing counted against anyone."""
    participant = get_participant_for(request.user)
    unit = get_held_unit_for(participant, request.user, pk)
    if unit is None:
        return gone(request, reason="not_holder")
    mine = phone_record.logged_by(unit, participant)
    form = HandBackForm(request.POST if request.method == "POST" else None)
    if request.method == "GET" or not form.is_valid():
        context = {**unit_context(unit, participant), "form": form, "mine": mine}
        return render(request, "participants/phone/hand_back.html", context)
    try:
        work.release_unit(unit=unit, participant=participant, reason=form.cleaned_data["reason"])
    except work.WorkError:
        return gone(request, reason="not_holder")
    if mine:
        messages.success(
            request,
            _("Handed back. The %(count)s you did stay yours. Thank you!") % {"count": mine},
        )
    else:
        messages.success(request, _("Handed back. Thank you for today."))
    return redirect("participants:today")


# --- check-ins --------------------------------------------------------------------------------


@require_POST
@login_required
def check_in(request: HttpRequest) -> HttpResponse:
    participant = get_participant_for(request.user)
    form = CheckInForm(request.POST)
    error = None
    if form.is_valid():
        try:
            attendance.check_in(participant=participant, **form.cleaned_data)
        except attendance.AttendanceError as refused:
            error = refused.message
    else:
        error = _("Please try once more.")
    if request.htmx:
        context = {**check_in_context(participant), "check_in_error": error}
        return render(request, "participants/today.html#check_in", context)
    if error:
        messages.info(request, error)
    elif form.cleaned_data["kind"] == Attendance.Kind.START:
        messages.success(request, _("Sent. Have a gentle day."))
    else:
        messages.success(request, _("Sent. Thank you for today. Rest well."))
    return redirect("participants:today")


# --- my record --------------------------------------------------------------------------------


def redo_notes(user, participant) -> list:
    """Staff's notes when they asked for a redo, shown kindly on my record."""
    return list(
        UnitEvent.objects.visible_to(user)
        .filter(participant=participant, kind=UnitEvent.Kind.REDO)
        .exclude(note="")
        .select_related("unit__order")
        .order_by("-at", "-pk")[:REDO_NOTES]
    )


@require_GET
@login_required
def record(request: HttpRequest) -> HttpResponse:
    participant = get_participant_for(request.user)
    context = {
        "participant": participant,
        "record": phone_record.month_record(participant),
        "redo_notes": redo_notes(request.user, participant),
        "redo_units": WorkUnit.objects.visible_to(request.user)
        .filter(holder=participant, status=WorkUnit.Status.REDO)
        .select_related("order"),
    }
    return render(request, "participants/phone/record.html", context)


# --- staff answer check-ins -------------------------------------------------------------------


def _todays_check_ins(request: HttpRequest, workshop):
    return (
        Attendance.objects.visible_to(request.user)
        .filter(participant__workshop=workshop, day=timezone.localdate())
        .select_related("participant")
        .order_by("-at", "-pk")
    )


@require_GET
@login_required
def staff_check_ins(request: HttpRequest, workshop_slug: str) -> HttpResponse:
    workshop = get_workshop_for_staff(request.user, workshop_slug)
    context = {"workshop": workshop, "check_ins": _todays_check_ins(request, workshop)}
    return render(request, "participants/phone/check_ins.html", context)


@require_POST
@login_required
def staff_reply(request: HttpRequest, workshop_slug: str, pk: int) -> HttpResponse:
    workshop = get_workshop_for_staff(request.user, workshop_slug)
    check = get_object_or_404(
        Attendance.objects.visible_to(request.user)
        .filter(participant__workshop=workshop)
        .select_related("participant"),
        pk=pk,
    )
    form = ReplyForm(request.POST)
    error = None
    if form.is_valid():
        try:
            check = attendance.reply_to_check_in(
                attendance=check, by=request.user, text=form.cleaned_data["text"]
            )
        except attendance.AttendanceError as refused:
            error = refused.message
    else:
        error = _("Write a short reply.")
    if request.htmx:
        context = {"workshop": workshop, "check": check, "reply_error": error}
        return render(request, "participants/phone/check_ins.html#row", context)
    if error:
        messages.error(request, error)
    else:
        messages.success(request, _("Reply sent."))
    return redirect("phone:staff_check_ins", workshop_slug=workshop.slug)


# --- the installable app ----------------------------------------------------------------------

SERVICE_WORKER = Path(settings.BASE_DIR) / "static" / "sw.js"


@require_GET
def service_worker(request: HttpRequest) -> HttpResponse:
    """/sw.js from the site's root, so that it may control every page. The shell's addresses
    are filled in here, because in production static files carry a hash in their names; the
    cache's name changes with them, so a new deploy replaces the old shell."""
    shell = [
        static("css/engawa.css"),
        static("js/queue.js"),
        static("js/phone.js"),
        static("js/answers.js"),
        static("icons/icon.svg"),
        static("icons/icon-192.png"),
        reverse("phone:offline"),
    ]
    version = hashlib.sha256("|".join(shell).encode()).hexdigest()[:12]
    body = (
        SERVICE_WORKER.read_text(encoding="utf-8")
        .replace('"__SHELL__"', ", ".join(f'"{url}"' for url in shell))
        .replace("__VERSION__", version)
        .replace("__OFFLINE__", reverse("phone:offline"))
        .replace("__QUEUE__", static("js/queue.js"))
    )
    response = HttpResponse(body, content_type="text/javascript; charset=utf-8")
    response["Service-Worker-Allowed"] = "/"
    response["Cache-Control"] = "no-cache"
    return response


@require_GET
@never_cache
def offline(request: HttpRequest) -> HttpResponse:
    """Shown by the service worker when a page cannot be reached: nothing is lost."""
    return render(request, "participants/phone/offline.html")
