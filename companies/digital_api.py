"""The company API of digital work (issue 9), under /api/v1/orders/<pk>/: the answer form's
versions and proposing one, and uploading items (a CSV or a ZIP of images) read in the
background. Scoped like the orders API: another company's order is a 404."""

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from companies.api import (
    COMMON,
    UPLOAD_ENVELOPE_BYTES,
    CompanyApiView,
    errors,
    get_order_for,
    parse,
)
from companies.api_errors import RuleRefused
from companies.api_parsers import JSONParser
from companies.digital_serializers import AnswerFormIn, AnswerFormOut, ItemImportIn, ItemImportOut
from jobs import answer_forms
from jobs import items as rules
from jobs.digital_models import AnswerForm, ItemImport
from jobs.models import Order


def get_digital_order_for(request: Request, pk: int) -> Order:
    order = get_order_for(request, pk)
    if order.kind != Order.Kind.DIGITAL:
        raise RuleRefused(_("Only a digital order has items and an answer form."), "wrong_kind")
    return order


def refused(error: rules.ItemError | answer_forms.FormSpecError) -> RuleRefused:
    return RuleRefused(error.message, error.code)


@extend_schema(tags=["digital work"])
class AnswerFormListCreate(CompanyApiView):
    parser_classes = [JSONParser]

    def get_queryset(self) -> QuerySet[AnswerForm]:
        return AnswerForm.objects.none()  # the schema's model; get() fetches through the scope

    @extend_schema(
        summary="The answer form's versions (in use, proposed, replaced, not taken), newest first",
        responses={200: AnswerFormOut(many=True), **errors(404, 409, *COMMON)},
    )
    def get(self, request: Request, pk: int) -> Response:
        order = get_digital_order_for(request, pk)
        forms = AnswerForm.objects.visible_to(request.user).filter(order=order)
        return self.page(forms.order_by("-version"), AnswerFormOut)

    @extend_schema(
        summary="Propose an answer form; the workshop accepts it or declines it",
        request=AnswerFormIn,
        responses={201: AnswerFormOut, **errors(400, 404, 409, *COMMON)},
    )
    def post(self, request: Request, pk: int) -> Response:
        order = get_digital_order_for(request, pk)
        data = parse(AnswerFormIn, request)
        try:
            form = rules.propose_form(order=order, by=request.user, fields=data["fields"])
        except (rules.ItemError, answer_forms.FormSpecError) as error:
            raise refused(error) from None
        return Response(AnswerFormOut(form).data, status=status.HTTP_201_CREATED)


@extend_schema(tags=["digital work"])
class ItemImportListCreate(CompanyApiView):
    parser_classes = [MultiPartParser, FormParser]

    def body_limit(self) -> int:
        return rules.MAX_IMPORT_BYTES + UPLOAD_ENVELOPE_BYTES

    def get_queryset(self) -> QuerySet[ItemImport]:
        return ItemImport.objects.none()

    @extend_schema(
        summary="The order's uploads of items, newest first, with their progress or refusal",
        responses={200: ItemImportOut(many=True), **errors(404, 409, *COMMON)},
    )
    def get(self, request: Request, pk: int) -> Response:
        order = get_digital_order_for(request, pk)
        return self.page(
            ItemImport.objects.visible_to(request.user).filter(order=order), ItemImportOut
        )

    @extend_schema(
        summary="Upload items: a CSV (one item per row) or a ZIP of images; read in the background",
        description=(
            "202: the file is kept and read in the background; follow `status`, `rows_done` of "
            "`rows_total` at the import's address. A refused file makes no item and names the "
            "row (`error_row`) and column (`error_column`) at fault."
        ),
        request={"multipart/form-data": ItemImportIn},
        responses={202: ItemImportOut, **errors(400, 404, 409, 413, *COMMON)},
    )
    def post(self, request: Request, pk: int) -> Response:
        order = get_digital_order_for(request, pk)
        data = parse(ItemImportIn, request)
        try:
            record = rules.start_import(
                order=order,
                by=request.user,
                upload=data["file"],
                shown_columns=data.get("shown_columns") or [],
            )
        except rules.ItemError as error:
            raise refused(error) from None
        return Response(ItemImportOut(record).data, status=status.HTTP_202_ACCEPTED)


@extend_schema(tags=["digital work"])
class ItemImportDetail(CompanyApiView):
    @extend_schema(
        summary="One upload of items: its progress, or why it was refused",
        responses={200: ItemImportOut, **errors(404, 409, *COMMON)},
    )
    def get(self, request: Request, pk: int, import_pk: int) -> Response:
        order = get_digital_order_for(request, pk)
        imports = ItemImport.objects.visible_to(request.user).filter(order=order)
        return Response(ItemImportOut(get_object_or_404(imports, pk=import_pk)).data)
