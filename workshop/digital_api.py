"""The staff API of digital work (issue 9), under /api/v1/staff/workshops/<slug>/orders/<pk>/:
set the answer form (a new version once answers exist), accept or decline the company's
proposal, upload items, and choose how items are shown and checked. The same rules as the
console's pages (jobs/items.py)."""

from django.http import Http404
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from companies.api import UPLOAD_ENVELOPE_BYTES
from companies.api_errors import PayloadTooLarge
from companies.api_parsers import JSONParser
from companies.digital_serializers import AnswerFormIn, AnswerFormOut, ItemImportIn, ItemImportOut
from jobs import answer_forms, item_files
from jobs import items as rules
from jobs.digital_models import AnswerForm, CheckingMode, DigitalWork, ItemImport
from jobs.models import Order
from workshop import limits
from workshop.order_views import get_order_for_staff
from workshop.staff_api import READ, WRITE, Refused, StaffApiView, errors, parse


class DeclineIn(serializers.Serializer):
    reason = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=limits.REASON_LENGTH,
        validators=[limits.validate_text],
    )


class DigitalWorkIn(serializers.Serializer):
    checking = serializers.ChoiceField(choices=CheckingMode.choices, required=False)
    spot_check_size = serializers.IntegerField(
        min_value=1, max_value=rules.MAX_SPOT_CHECK, required=False
    )
    shown_columns = serializers.ListField(
        child=serializers.CharField(max_length=item_files.COLUMN_NAME_LENGTH),
        max_length=item_files.MAX_COLUMNS,
        required=False,
    )


class DigitalWorkOut(serializers.ModelSerializer):
    class Meta:
        model = DigitalWork
        fields = ["columns", "shown_columns", "checking", "spot_check_size", "items_total"]


def refused(error: rules.ItemError | answer_forms.FormSpecError) -> Refused:
    return Refused(error.message, error.code)


class DigitalApiView(StaffApiView):
    def order(self, workshop_slug: str, pk: int) -> Order:
        order = get_order_for_staff(self.request.user, self.workshop(workshop_slug), pk)
        if order.kind != Order.Kind.DIGITAL:
            raise Http404
        return order


@extend_schema(tags=["staff digital work"])
class AnswerFormListCreate(DigitalApiView):
    parser_classes = [JSONParser]

    def get_queryset(self):
        return AnswerForm.objects.none()

    @extend_schema(
        summary="The answer form's versions, newest first",
        responses={200: AnswerFormOut(many=True), **errors(*READ)},
    )
    def get(self, request: Request, workshop_slug: str, pk: int) -> Response:
        order = self.order(workshop_slug, pk)
        forms = AnswerForm.objects.visible_to(request.user).filter(order=order)
        return self.page(forms.order_by("-version"), AnswerFormOut)

    @extend_schema(
        summary="Set the answer form (changed in place while unanswered, else a new version)",
        request=AnswerFormIn,
        responses={201: AnswerFormOut, **errors(*WRITE)},
    )
    def post(self, request: Request, workshop_slug: str, pk: int) -> Response:
        order = self.order(workshop_slug, pk)
        data = parse(AnswerFormIn, request)
        try:
            form = rules.define_form(order=order, by=request.user, fields=data["fields"])
        except (rules.ItemError, answer_forms.FormSpecError) as error:
            raise refused(error) from None
        return Response(AnswerFormOut(form).data, status=status.HTTP_201_CREATED)


class ProposalDecision(DigitalApiView):
    parser_classes = [JSONParser]

    def proposal(self, workshop_slug: str, pk: int, version: int) -> AnswerForm:
        order = self.order(workshop_slug, pk)
        forms = AnswerForm.objects.visible_to(self.request.user).filter(order=order)
        return get_object_or_404(forms, version=version)


@extend_schema(tags=["staff digital work"])
class ProposalAccept(ProposalDecision):
    @extend_schema(
        summary="Use the company's proposed form",
        request=None,
        responses={200: AnswerFormOut, **errors(*WRITE)},
    )
    def post(self, request: Request, workshop_slug: str, pk: int, version: int) -> Response:
        proposal = self.proposal(workshop_slug, pk, version)
        try:
            form = rules.accept_proposal(form=proposal, by=request.user)
        except rules.ItemError as error:
            raise refused(error) from None
        return Response(AnswerFormOut(form).data)


@extend_schema(tags=["staff digital work"])
class ProposalDecline(ProposalDecision):
    @extend_schema(
        summary="Do not take the company's proposed form",
        request=DeclineIn,
        responses={200: AnswerFormOut, **errors(*WRITE)},
    )
    def post(self, request: Request, workshop_slug: str, pk: int, version: int) -> Response:
        proposal = self.proposal(workshop_slug, pk, version)
        reason = parse(DeclineIn, request).get("reason", "")
        try:
            form = rules.decline_proposal(form=proposal, by=request.user, reason=reason)
        except rules.ItemError as error:
            raise refused(error) from None
        return Response(AnswerFormOut(form).data)


@extend_schema(tags=["staff digital work"])
class ItemImportListCreate(DigitalApiView):
    parser_classes = [MultiPartParser, FormParser]

    def get_queryset(self):
        return ItemImport.objects.none()

    def initial(self, request: Request, *args, **kwargs) -> None:
        super().initial(request, *args, **kwargs)
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > rules.MAX_IMPORT_BYTES + UPLOAD_ENVELOPE_BYTES:
            raise PayloadTooLarge()

    @extend_schema(
        summary="The order's uploads of items, newest first",
        responses={200: ItemImportOut(many=True), **errors(*READ)},
    )
    def get(self, request: Request, workshop_slug: str, pk: int) -> Response:
        order = self.order(workshop_slug, pk)
        return self.page(
            ItemImport.objects.visible_to(request.user).filter(order=order), ItemImportOut
        )

    @extend_schema(
        summary="Upload items (a CSV or a ZIP of images), read in the background",
        request={"multipart/form-data": ItemImportIn},
        responses={202: ItemImportOut, **errors(*WRITE)},
    )
    def post(self, request: Request, workshop_slug: str, pk: int) -> Response:
        order = self.order(workshop_slug, pk)
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


@extend_schema(tags=["staff digital work"])
class DigitalWorkDetail(DigitalApiView):
    parser_classes = [JSONParser]

    def get_queryset(self):
        return DigitalWork.objects.none()

    @extend_schema(
        summary="The order's columns, the ones shown, how answers are checked, how many items",
        responses={200: DigitalWorkOut, **errors(*READ)},
    )
    def get(self, request: Request, workshop_slug: str, pk: int) -> Response:
        order = self.order(workshop_slug, pk)
        work = DigitalWork.objects.visible_to(request.user).filter(order=order).first()
        return Response(DigitalWorkOut(work or DigitalWork(order=order)).data)

    @extend_schema(
        summary="Choose how answers are checked and which columns the participant sees",
        request=DigitalWorkIn,
        responses={200: DigitalWorkOut, **errors(*WRITE)},
    )
    def patch(self, request: Request, workshop_slug: str, pk: int) -> Response:
        order = self.order(workshop_slug, pk)
        data = parse(DigitalWorkIn, request)
        try:
            work = rules.set_checking(order=order, by=request.user, **data)
        except rules.ItemError as error:
            raise refused(error) from None
        return Response(DigitalWorkOut(work).data)
