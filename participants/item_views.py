"""The phone pages of digital work (issue 9): a held unit's items one at a time ("項目 3 / 25"),
the input large and clear above the answer form, 「保存して次へ」, the list of items with what is
answered, and an item's image. Plain forms and redirects, so it all works without JavaScript;
js/answers.js saves drafts as they are typed and through the offline queue. The rules are in
jobs/answering.py; reading follows taking: only the holder reads a unit's items."""

import contextlib
import mimetypes
import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from jobs import answering
from jobs.answer_forms import FieldType
from jobs.models import Answer, Item, Order, WorkUnit
from participants.phone_views import get_unit_for
from participants.views import get_participant_for

READABLE = {WorkUnit.Status.CLAIMED, WorkUnit.Status.REDO, WorkUnit.Status.SUBMITTED}
# Answers that do not count as answered yet: begun, or sent back to look at again.
UNFINISHED = {Answer.Status.DRAFT, Answer.Status.SENT_BACK}
# Form inputs carry the field's key after this prefix, so a field named "next" or
# "csrfmiddlewaretoken" cannot collide with the page's own.
PREFIX = "v-"


def get_digital_unit_for(participant, user, pk: int) -> WorkUnit:
    """A digital unit the participant holds (taken, sent back to redo, or handed in and not
    yet checked); 404 for anyone else, exactly like another workshop's unit."""
    unit = get_unit_for(participant, user, pk)
    if (
        unit is None
        or unit.holder_id != participant.pk
        or unit.status not in READABLE
        or unit.is_claim_expired()
        or unit.order.kind != Order.Kind.DIGITAL
    ):
        raise Http404
    return unit


def get_item_for(unit: WorkUnit, item_pk: int) -> Item:
    item = answering.items_of(unit).filter(pk=item_pk).first()
    if item is None:
        raise Http404
    return item


def unit_items_context(unit: WorkUnit, participant) -> dict:
    """For the unit page of a digital unit: how many items, how many answered, where to go on."""
    if unit.order.kind != Order.Kind.DIGITAL or unit.holder_id != participant.pk:
        return {}
    ids = list(answering.items_of(unit).values_list("pk", flat=True))
    if not ids:
        # A digital unit with no items of its own (an order from before items were imported
        # into Engawa, or a redo a company asked for by count) is recorded by count, as the
        # rules take it (jobs.work.finish_unit): "0 of 0 items" would leave no way on.
        return {}
    done = set(
        Answer.objects.filter(unit=unit, participant=participant)
        .exclude(status__in=UNFINISHED)
        .values_list("item_id", flat=True)
    )
    going_on = next((pk for pk in ids if pk not in done), ids[0] if ids else None)
    return {
        "is_digital": True,
        "items_total": len(ids),
        "items_done": len(done & set(ids)),
        "continue_item": going_on,
    }


# --- the form, from the field specs -------------------------------------------------------------


INPUT = {
    FieldType.SHORT_TEXT: ("text", "text"),
    FieldType.NUMBER: ("text", "decimal"),
    FieldType.DATE: ("date", ""),
}


def form_fields(specs: list[dict], values: dict, problems: dict) -> list[dict]:
    """What the template draws for each field: its input kind, the value shown, its message."""
    drawn, typed = (
        [],
        [
            s
            for s in specs
            if s["type"] not in (FieldType.CHOICE, FieldType.CHOICES, FieldType.YES_NO)
        ],
    )
    for spec in specs:
        value = values.get(spec["key"])
        kind, inputmode = INPUT.get(spec["type"], ("", ""))
        shown = value
        if spec["type"] == FieldType.YES_NO:
            shown = "yes" if value is True else "no" if value is False else ""
        drawn.append(
            {
                **spec,
                "name": PREFIX + spec["key"],
                "id": "f-" + spec["key"],
                "input": kind,
                "inputmode": inputmode,
                "value": "" if shown is None else shown,
                "chosen": value if isinstance(value, list) else [value],
                "problem": problems.get(spec["key"], ("", ""))[0],
                "last_typed": bool(typed) and spec is typed[-1],
            }
        )
    return drawn


def posted_values(request: HttpRequest, specs: list[dict]) -> dict:
    values = {}
    for spec in specs:
        name = PREFIX + spec["key"]
        if spec["type"] == FieldType.CHOICES:
            values[spec["key"]] = request.POST.getlist(name)
        else:
            values[spec["key"]] = request.POST.get(name, "")
    return values


def item_context(unit: WorkUnit, item: Item, participant, *, values=None, problems=None) -> dict:
    ids = list(answering.items_of(unit).values_list("pk", flat=True))
    position = ids.index(item.pk)
    answers = answering.answers_of(unit, participant)
    answer = answers.get(item.pk)
    form = answer.form if answer is not None and answer.status != Answer.Status.DRAFT else None
    form = form or answering.current_form(unit.order_id)
    specs = form.fields if form else []
    shown_values = values if values is not None else (answer.values if answer else {})
    digital = getattr(unit.order, "digital", None)
    shown = (digital.shown_columns or digital.columns) if digital else list(item.data)
    return {
        "unit": unit,
        "item": item,
        "answer": answer,
        "position": position + 1,
        "total": len(ids),
        "previous": ids[position - 1] if position else None,
        "next": ids[position + 1] if position + 1 < len(ids) else None,
        "answered": sum(1 for a in answers.values() if a.status not in UNFINISHED),
        "rows": [(column, item.data.get(column, "")) for column in shown if column in item.data],
        "fields": form_fields(specs, shown_values or {}, problems or {}),
        "has_form": form is not None,
        "offers_cant_read": any(spec.get("cant_read") for spec in specs),
        "cant_read": answer.cant_read if answer else False,
        "problems": problems or {},
        "can_change": answering.can_change(unit, answer),
        "autosave": answer is None
        or answer.status in (Answer.Status.DRAFT, Answer.Status.SENT_BACK),
        "client_uuid": uuid.uuid4(),
    }


# --- pages ------------------------------------------------------------------------------------


@require_GET
@login_required
def item_list(request: HttpRequest, pk: int) -> HttpResponse:
    participant = get_participant_for(request.user)
    unit = get_digital_unit_for(participant, request.user, pk)
    answers = answering.answers_of(unit, participant)
    rows = [
        (position, item, answers.get(item.pk))
        for position, item in enumerate(answering.items_of(unit), start=1)
    ]
    going_on = next(((p, i) for p, i, a in rows if a is None or a.status in UNFINISHED), None)
    context = {
        "unit": unit,
        "rows": rows,
        "continue_item": going_on[1] if going_on else None,
        "continue_position": going_on[0] if going_on else None,
        "total": len(rows),
        "answered": sum(1 for *_, a in rows if a and a.status not in UNFINISHED),
    }
    return render(request, "participants/items/list.html", context)


@require_GET
@login_required
def item_detail(request: HttpRequest, pk: int, item_pk: int) -> HttpResponse:
    participant = get_participant_for(request.user)
    unit = get_digital_unit_for(participant, request.user, pk)
    item = get_item_for(unit, item_pk)
    return render(request, "participants/items/item.html", item_context(unit, item, participant))


@require_POST
@login_required
def save_and_next(request: HttpRequest, pk: int, item_pk: int) -> HttpResponse:
    """「保存して次へ」: the answer is kept as answered, and the next item opens."""
    return _save(request, pk, item_pk, final=True)


@require_POST
@login_required
def save_draft(request: HttpRequest, pk: int, item_pk: int) -> HttpResponse:
    """「途中まで保存」, for a phone without JavaScript: kept as a draft, the same item again."""
    return _save(request, pk, item_pk, final=False)


def _save(request: HttpRequest, pk: int, item_pk: int, *, final: bool) -> HttpResponse:
    participant = get_participant_for(request.user)
    unit = get_digital_unit_for(participant, request.user, pk)
    item = get_item_for(unit, item_pk)
    form = answering.current_form(unit.order_id)
    answer = Answer.objects.filter(item=item, unit=unit).first()
    chosen = answer.form if answer is not None and answer.status != Answer.Status.DRAFT else form
    specs = chosen.fields if chosen is not None else []
    values = posted_values(request, specs)
    try:
        client_uuid = uuid.UUID(request.POST.get("client_uuid", ""))
    except ValueError:
        client_uuid = uuid.uuid4()
    try:
        answering.save_answer(
            participant=participant,
            unit=unit,
            item=item,
            values=values,
            cant_read=request.POST.get("cant_read") == "1",
            final=final,
            client_uuid=client_uuid,
        )
    except answering.AnswerInvalid as invalid:
        if final:
            _keep_as_draft(participant, unit, item, values)
        context = item_context(unit, item, participant, values=values, problems=invalid.problems)
        context["refusal"] = invalid.message
        return render(request, "participants/items/item.html", context, status=400)
    except answering.AnswerRefused as refused:
        if refused.code == "not_found":
            raise Http404 from None
        messages.info(request, refused.message)
        return redirect("phone:item", pk=unit.pk, item_pk=item.pk)
    if not final:
        messages.success(request, _("Kept as it is. You can go on whenever you like."))
        return redirect("phone:item", pk=unit.pk, item_pk=item.pk)
    following = (
        answering.items_of(unit).filter(number__gt=item.number).values_list("pk", flat=True).first()
    )
    if following is None:
        messages.success(request, _("Saved. That was the last item: here is the list."))
        return redirect("phone:items", pk=unit.pk)
    messages.success(request, _("Saved."))
    return redirect("phone:item", pk=unit.pk, item_pk=following)


def _keep_as_draft(participant, unit, item, values) -> None:
    """A 「保存して次へ」 with something missing still keeps what was typed, as a draft (if the
    answer is not already answered), so that nothing typed is lost while the person fixes it."""
    with contextlib.suppress(answering.AnswerRefused):
        answering.save_answer(
            participant=participant,
            unit=unit,
            item=item,
            values=values,
            final=False,
            client_uuid=uuid.uuid4(),
        )


@require_GET
@login_required
def item_image(request: HttpRequest, pk: int, item_pk: int) -> HttpResponse:
    """An item's image, for its holder only (never a public address)."""
    participant = get_participant_for(request.user)
    unit = get_digital_unit_for(participant, request.user, pk)
    return image_response(get_item_for(unit, item_pk))


def image_response(item: Item) -> HttpResponse:
    """An image item's picture, privately cached, shown inline; 404 for an item of text. The
    caller has decided who may see it (the holder here, the workshop's staff when checking)."""
    if not item.image:
        raise Http404
    kind = mimetypes.guess_type(item.image.name)[0] or "image/jpeg"
    response = FileResponse(item.image.open("rb"), content_type=kind)
    response["Cache-Control"] = "private, max-age=3600"
    response["Content-Disposition"] = "inline"
    return response


def image_url(unit: WorkUnit, item: Item) -> str:
    return reverse("phone:item_image", kwargs={"pk": unit.pk, "item_pk": item.pk})
