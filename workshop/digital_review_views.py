"""The staff's checking of digital work, under /w/<workshop>/checking/: a handed-in unit's
answers beside their inputs (every answer, or the spot check's sample), and the items whose two
entries differ (double entry). The rules are in jobs/checking.py; these views only ask and
show. Reached from the review queue (workshop/work_views.py)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from jobs import checking
from jobs import review as review_rules
from jobs.answer_forms import AnswerError, answer_problems, same_answer
from jobs.models import Answer, DigitalWork, Item, WorkUnit
from participants.item_views import image_response
from workshop.digital_review_forms import (
    REJECT,
    SEND_BACK,
    TYPED,
    AnswerDecisionForm,
    ResolveForm,
)
from workshop.models import Workshop
from workshop.views import get_workshop_for_staff
from workshop.work_views import get_unit_for_staff

DISAGREEMENTS_PER_PAGE = 20
Mode = DigitalWork.Checking


def get_digital_unit_for_staff(user, workshop: Workshop, pk: int) -> WorkUnit:
    """A unit of answers of this workshop; 404 for any other, and for a unit of counts."""
    unit = get_unit_for_staff(user, workshop, pk)
    if not checking.is_digital_unit(unit):
        raise Http404
    return unit


def shown_value(value) -> str:
    if value is None or value == [] or value == "":
        return "—"
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, list):
        return " / ".join(str(choice) for choice in value)
    return str(value)


def answer_rows(answer: Answer, differ: set[str] = frozenset()) -> list[tuple[str, str, bool]]:
    """(label, value, whether it differs from the other entry) for each field of the form
    version the answer was given with."""
    return [
        (spec["label"], shown_value(answer.values.get(spec["key"])), spec["key"] in differ)
        for spec in answer.form.fields
    ]


def differing_keys(pair: list[Answer]) -> set[str]:
    """The fields on which the two entries differ, compared as double entry compares them."""
    if len(pair) != 2:
        return set()
    first, second = pair
    return {
        spec["key"]
        for spec in first.form.fields
        if not same_answer(first.values, second.values, [spec])
    }


def input_rows(item: Item, columns: list[str]) -> list[tuple[str, str]]:
    data = item.data or {}
    return [(column, data.get(column, "")) for column in columns or list(data)]


def digital_of(order) -> DigitalWork:
    """The order's way of checking; an order whose items came without one is checked item by
    item (the default)."""
    found = DigitalWork.objects.filter(order=order).first()
    return found or DigitalWork(order=order, checking=Mode.EVERY)


def unit_context(request, workshop: Workshop, unit: WorkUnit, *, forms=None) -> dict:
    digital = digital_of(unit.order)
    answers = list(
        Answer.objects.filter(unit=unit)
        .select_related("item", "form")
        .order_by("item__number", "pk")
    )
    sample = set(checking.spot_sample(unit)) if digital.checking == Mode.SPOT else None
    phrases = review_rules.redo_phrases_for(workshop)
    forms = forms or {}
    for answer in answers:
        answer.inputs = input_rows(answer.item, digital.columns)
        answer.rows = answer_rows(answer)
        answer.in_sample = sample is None or answer.item_id in sample
        # Under double entry the two entries decide, and staff settle only those that differ.
        answer.decidable = (
            answer.status in checking.DECIDABLE
            and answer.in_sample
            and digital.checking != Mode.DOUBLE
        )
        if answer.decidable:
            answer.decision_form = forms.get(answer.pk) or AnswerDecisionForm(
                prefix=f"a{answer.pk}", phrases=phrases
            )
    shown = [answer for answer in answers if answer.in_sample]
    return {
        "workshop": workshop,
        "unit": unit,
        "digital": digital,
        "answers": shown,
        "answered": len(answers),
        "spot": sample is not None,
        "double": digital.checking == Mode.DOUBLE,
        "decidable": any(answer.decidable for answer in shown),
        "waiting": unit.status == WorkUnit.Status.SUBMITTED,
    }


def unit_page(request, workshop, unit, *, forms=None, status=200) -> HttpResponse:
    context = unit_context(request, workshop, unit, forms=forms)
    return render(request, "workshop/digital_review/unit.html", context, status=status)


@require_GET
@login_required
def unit_review(request: HttpRequest, workshop_slug: str, pk: int) -> HttpResponse:
    workshop = get_workshop_for_staff(request.user, workshop_slug)
    unit = get_digital_unit_for_staff(request.user, workshop, pk)
    return unit_page(request, workshop, unit)


def _done(request, workshop: Workshop, message: str, *, calm: bool = False) -> HttpResponse:
    (messages.info if calm else messages.success)(request, message)
    return redirect("console_work:review", workshop.slug)


@require_POST
@login_required
def approve_all(request: HttpRequest, workshop_slug: str, pk: int) -> HttpResponse:
    workshop = get_workshop_for_staff(request.user, workshop_slug)
    unit = get_digital_unit_for_staff(request.user, workshop, pk)
    try:
        checking.approve_all(unit=unit, by=request.user)
    except checking.WorkError as refused:
        return _done(request, workshop, refused.message, calm=True)
    return _done(
        request,
        workshop,
        _("Approved the answers of %(order)s #%(number)s.")
        % {"order": unit.order.title, "number": unit.number},
    )


@require_POST
@login_required
def decide(request: HttpRequest, workshop_slug: str, pk: int) -> HttpResponse:
    """Each answer's decision at once: approve, ask to fix (the unit goes back, answers kept),
    or do not accept. On a spot check, the sample decides for the rest."""
    workshop = get_workshop_for_staff(request.user, workshop_slug)
    unit = get_digital_unit_for_staff(request.user, workshop, pk)
    context = unit_context(request, workshop, unit)
    phrases = review_rules.redo_phrases_for(workshop)
    forms = {
        answer.pk: AnswerDecisionForm(request.POST, prefix=f"a{answer.pk}", phrases=phrases)
        for answer in context["answers"]
        if answer.decidable
    }
    if forms and all(form.is_valid() for form in forms.values()):
        chosen = {SEND_BACK: {}, REJECT: {}, "approve": []}
        for answer_id, form in forms.items():
            decision = form.cleaned_data["decision"]
            if decision == "approve":
                chosen["approve"].append(answer_id)
            else:
                chosen[decision][answer_id] = form.note_text()
        try:
            if context["spot"]:
                checking.check_spot_sample(
                    unit=unit, by=request.user, send_back=chosen[SEND_BACK], reject=chosen[REJECT]
                )
            else:
                checking.check_answers(
                    unit=unit,
                    by=request.user,
                    approve=chosen["approve"],
                    send_back=chosen[SEND_BACK],
                    reject=chosen[REJECT],
                )
        except checking.WorkError as refused:
            return _done(request, workshop, refused.message, calm=True)
        if chosen[SEND_BACK]:
            message = _("Sent back to %(name)s with your notes; their answers are kept.") % {
                "name": unit.holder.nickname
            }
        else:
            message = _("Your decisions on %(order)s #%(number)s are saved.") % {
                "order": unit.order.title,
                "number": unit.number,
            }
        return _done(request, workshop, message)
    return unit_page(request, workshop, unit, forms=forms, status=400)


# --- double entry: the entries that differ ---------------------------------------------------


def disagreements_page(request, workshop, *, failed=None, form=None, status=200) -> HttpResponse:
    items = (
        checking.disagreements(workshop)
        .select_related("order__digital")
        .prefetch_related(
            Prefetch(
                "answers",
                queryset=Answer.objects.filter(status=Answer.Status.DISAGREED)
                .select_related("form", "participant")
                .order_by("pk"),
                to_attr="pair",
            )
        )
    )
    page = Paginator(items, DISAGREEMENTS_PER_PAGE).get_page(request.GET.get("page"))
    for item in page:
        digital = getattr(item.order, "digital", None)
        item.inputs = input_rows(item, digital.columns if digital else [])
        differ = differing_keys(item.pair)
        for answer in item.pair:
            answer.rows = answer_rows(answer, differ)
        specs = item.pair[0].form.fields if item.pair else []
        if failed is not None and item.pk == failed.pk:
            item.resolve_form = form
        elif len(item.pair) == 2:
            item.resolve_form = ResolveForm(prefix=f"i{item.pk}", specs=specs, entries=item.pair)
    context = {"workshop": workshop, "page": page}
    return render(request, "workshop/digital_review/disagreements.html", context, status=status)


@require_GET
@login_required
def disagreements(request: HttpRequest, workshop_slug: str) -> HttpResponse:
    workshop = get_workshop_for_staff(request.user, workshop_slug)
    return disagreements_page(request, workshop)


@require_POST
@login_required
def resolve(request: HttpRequest, workshop_slug: str, pk: int) -> HttpResponse:
    workshop = get_workshop_for_staff(request.user, workshop_slug)
    item = get_object_or_404(Item.objects.visible_to(request.user).filter(workshop=workshop), pk=pk)
    pair = list(
        item.answers.filter(status=Answer.Status.DISAGREED).select_related("form").order_by("pk")
    )
    if len(pair) != 2:
        messages.info(request, _("This item was already settled; thank you."))
        return redirect("console_checking:disagreements", workshop.slug)
    form = ResolveForm(request.POST, prefix=f"i{item.pk}", specs=pair[0].form.fields, entries=pair)
    if form.is_valid():
        data = form.cleaned_data
        typed = data["choice"] == TYPED
        reject = {int(data["reject"]): data["reject_note"]} if data.get("reject") else {}
        try:
            checking.resolve_disagreement(
                item=item,
                by=request.user,
                pick=None if typed else int(data["choice"]),
                values=form.typed_values() if typed else None,
                cant_read=bool(data.get("cant_read")),
                reject=reject,
            )
        except AnswerError:
            # Every field at fault at once, each beside its field.
            problems = answer_problems(
                form.specs, form.typed_values(), cant_read=bool(data.get("cant_read"))
            )
            for key, (message, _code) in problems.items():
                field = f"v_{key}"
                form.add_error(field if field in form.fields else None, message)
        except checking.WorkError as refused:
            if refused.code == "not_disagreed":
                messages.info(request, refused.message)
                return redirect("console_checking:disagreements", workshop.slug)
            form.add_error(None, refused.message)
        else:
            messages.success(
                request,
                _("Item %(number)s of %(order)s is settled.")
                % {"number": item.number, "order": item.order.title},
            )
            return redirect("console_checking:disagreements", workshop.slug)
    return disagreements_page(request, workshop, failed=item, form=form, status=400)


@require_GET
@login_required
def item_image(request: HttpRequest, workshop_slug: str, pk: int) -> HttpResponse:
    """An image item's picture, for the staff of its workshop (never a public address): what
    staff check an answer against."""
    workshop = get_workshop_for_staff(request.user, workshop_slug)
    item = get_object_or_404(Item.objects.visible_to(request.user), pk=pk, workshop=workshop)
    return image_response(item)
