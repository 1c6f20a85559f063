"""The participant app's API for digital work (issue 9), beside phone_api.py: a held unit's
items with its answer form, one item, and saving an answer (a draft or answered, with the
phone's client_uuid, so a retry counts once). Only the unit's holder reads any of it: anyone
else gets 404, as for another workshop's unit. The rules are in jobs/answering.py."""

from django.http import Http404
from django.urls import reverse
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from companies.api_fields import MomentField, StrictBooleanField
from companies.serializers import ErrorOut
from jobs import answering
from jobs.answer_forms import MAX_FIELDS
from jobs.models import Answer, Item, WorkUnit
from participants.item_views import get_digital_unit_for, get_item_for
from participants.phone_api import ParticipantView, Refused

MAX_ITEMS_LISTED = 100


# --- serializers --------------------------------------------------------------------------------


class FormOut(serializers.Serializer):
    version = serializers.IntegerField()
    fields = serializers.ListField(
        child=serializers.DictField(),
        help_text="The field specs (key, type, label, help, required, limits, choices, "
        "cant_read): see docs/api.md.",
    )


class AnswerOut(serializers.Serializer):
    status = serializers.ChoiceField(choices=Answer.Status.choices)
    values = serializers.DictField(help_text="{field key: value}; empty fields are null.")
    cant_read = serializers.BooleanField()
    form_version = serializers.IntegerField(source="form.version")
    answered_at = serializers.DateTimeField(allow_null=True)
    client_saved_at = serializers.DateTimeField(allow_null=True)
    check_note = serializers.CharField(help_text="What staff asked to change, under a redo.")


class ItemOut(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.IntegerField(help_text="The item's number in its order.")
    data = serializers.SerializerMethodField(help_text="The input columns the participant sees.")
    image_url = serializers.SerializerMethodField()
    answer = serializers.SerializerMethodField()
    can_change = serializers.SerializerMethodField()

    def get_data(self, item: Item) -> dict[str, str]:
        shown = self.context["shown"] or list(item.data)
        return {column: item.data[column] for column in shown if column in item.data}

    def get_image_url(self, item: Item) -> str | None:
        if not item.image:
            return None
        unit = self.context["unit"]
        return reverse("phone:item_image", kwargs={"pk": unit.pk, "item_pk": item.pk})

    @extend_schema_field(AnswerOut(allow_null=True))
    def get_answer(self, item: Item) -> AnswerOut | None:
        answer = self.context["answers"].get(item.pk)
        return AnswerOut(answer).data if answer is not None else None

    def get_can_change(self, item: Item) -> bool:
        return answering.can_change(self.context["unit"], self.context["answers"].get(item.pk))


class ItemListOut(serializers.Serializer):
    unit = serializers.IntegerField()
    total = serializers.IntegerField(help_text="Items in the unit.")
    answered = serializers.IntegerField(help_text="Items answered: the unit's logged quantity.")
    form = FormOut(allow_null=True)
    items = ItemOut(many=True)
    next_after = serializers.IntegerField(
        allow_null=True, help_text="Pass as ?after= for the next page; null on the last page."
    )


def validate_values(value):
    if not isinstance(value, dict) or len(value) > MAX_FIELDS * 2:
        raise serializers.ValidationError(
            "Must be an object of field keys and values."  # the schema's words, for machines
        )
    return value


class AnswerIn(serializers.Serializer):
    client_uuid = serializers.UUIDField(help_text="Made by the phone, new for each save.")
    values = serializers.JSONField(
        validators=[validate_values],
        help_text="{field key: value}. In a form-encoded body, the object as JSON text.",
    )
    cant_read = StrictBooleanField(required=False, default=False)
    final = StrictBooleanField(
        required=False,
        default=False,
        help_text="true for 「保存して次へ」 (must be complete); false keeps a draft.",
    )
    client_saved_at = MomentField(
        required=False,
        allow_null=True,
        default=None,
        help_text="When the phone made this save; an older save than the stored one is ignored.",
    )


class SaveOut(serializers.Serializer):
    applied = serializers.BooleanField(
        help_text="false when this save was already stored (same client_uuid) or older than "
        "the stored one: nothing changed."
    )
    answered = serializers.IntegerField(help_text="Items of the unit answered now.")
    answer = AnswerOut()


# --- views --------------------------------------------------------------------------------------


class ItemsView(ParticipantView):
    def held(self, request: Request, pk: int) -> tuple:
        participant = self.participant(request)
        return participant, get_digital_unit_for(participant, request.user, pk)

    def context(self, unit: WorkUnit, participant) -> dict:
        digital = getattr(unit.order, "digital", None)
        return {
            "unit": unit,
            "answers": answering.answers_of(unit, participant),
            "shown": (digital.shown_columns or digital.columns) if digital else [],
        }


def answered_count(answers: dict) -> int:
    return sum(
        1
        for a in answers.values()
        if a.status not in (Answer.Status.DRAFT, Answer.Status.SENT_BACK)
    )


class ItemList(ItemsView):
    @extend_schema(
        parameters=[OpenApiParameter("after", int, description="The last item number seen.")],
        responses=ItemListOut,
        operation_id="me_units_items_list",
        summary="The items of a unit I hold, with the answer form",
    )
    def get(self, request: Request, pk: int) -> Response:
        participant, unit = self.held(request, pk)
        after = request.query_params.get("after", "")
        items = answering.items_of(unit)
        if after.isdigit() and len(after) < 10:
            items = items.filter(number__gt=int(after))
        page = list(items[: MAX_ITEMS_LISTED + 1])
        more = len(page) > MAX_ITEMS_LISTED
        page = page[:MAX_ITEMS_LISTED]
        context = self.context(unit, participant)
        form = answering.current_form(unit.order_id)
        body = {
            "unit": unit.pk,
            "total": answering.items_of(unit).count(),
            "answered": answered_count(context["answers"]),
            "form": {"version": form.version, "fields": form.fields} if form else None,
            "items": ItemOut(page, many=True, context=context).data,
            "next_after": page[-1].number if more else None,
        }
        return Response(body)


class ItemDetail(ItemsView):
    @extend_schema(responses=ItemOut, summary="One item of a unit I hold")
    def get(self, request: Request, pk: int, item_pk: int) -> Response:
        participant, unit = self.held(request, pk)
        item = get_item_for(unit, item_pk)
        return Response(ItemOut(item, context=self.context(unit, participant)).data)


class ItemAnswer(ItemsView):
    """Save an answer. The same client_uuid again answers 200 with applied=false."""

    @extend_schema(
        request=AnswerIn,
        responses={200: SaveOut, 201: SaveOut, 400: ErrorOut, 409: ErrorOut},
        summary="Save my answer to an item (draft or answered)",
    )
    def post(self, request: Request, pk: int, item_pk: int) -> Response:
        return self.save(request, pk, item_pk)

    @extend_schema(
        request=AnswerIn,
        responses={200: SaveOut, 201: SaveOut, 400: ErrorOut, 409: ErrorOut},
        summary="Save my answer to an item (the same as POST)",
    )
    def put(self, request: Request, pk: int, item_pk: int) -> Response:
        return self.save(request, pk, item_pk)

    def save(self, request: Request, pk: int, item_pk: int) -> Response:
        participant, unit = self.held(request, pk)
        item = get_item_for(unit, item_pk)
        given = AnswerIn(data=request.data)
        given.is_valid(raise_exception=True)
        data = given.validated_data
        existed = Answer.objects.filter(item=item, unit=unit).exists()
        try:
            answer, applied = answering.save_answer(
                participant=participant,
                unit=unit,
                item=item,
                values=data["values"],
                cant_read=data["cant_read"],
                final=data["final"],
                client_uuid=data["client_uuid"],
                client_saved_at=data["client_saved_at"],
            )
        except answering.AnswerInvalid as invalid:
            # Each message under its field: values.<key> (or cant_read), in the form's order.
            raise serializers.ValidationError(
                {
                    key if key == "cant_read" else f"values.{key}": [message]
                    for key, (message, _code) in invalid.problems.items()
                }
            ) from None
        except answering.AnswerRefused as refused:
            if refused.code == "not_found":
                raise Http404 from None
            raise Refused(refused.message, refused.code) from None
        answers = answering.answers_of(unit, participant)
        body = {
            "applied": applied,
            "answered": answered_count(answers),
            "answer": answer,
        }
        code = status.HTTP_201_CREATED if applied and not existed else status.HTTP_200_OK
        return Response(SaveOut(body).data, status=code)
