"""The orders API (v1) for companies' own systems. Each view parses with an input serializer,
calls one rule of jobs/orders.py, and presents with an output serializer; errors become JSON in
companies/api_errors.py. Everything is scoped to the caller's company: the token's, or for a
signed-in person, the companies they are a member of. Another company's order is a 404."""

import datetime

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django_filters import rest_framework as filters
from django_filters.fields import IsoDateTimeField
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions, status
from rest_framework.filters import OrderingFilter
from rest_framework.generics import GenericAPIView
from rest_framework.pagination import PageNumberPagination
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.serializers import Serializer

from companies.api_auth import IsCompanyClient
from companies.api_errors import PayloadTooLarge
from companies.api_parsers import JSONParser
from companies.models import ApiToken, Company
from companies.serializers import (
    CancelIn,
    DeliveryOut,
    ErrorOut,
    FileIn,
    MessageIn,
    OrderEventOut,
    OrderFileOut,
    OrderIn,
    OrderMessageOut,
    OrderOut,
    RefusePartIn,
    WorkshopOut,
)
from jobs import attachments, deliveries, orders
from jobs.models import Delivery, Order, OrderEvent, OrderFile, OrderMessage
from workshop import limits
from workshop.models import Workshop

IDEMPOTENCY_HEADER = "Idempotency-Key"
MAX_IDEMPOTENCY_KEY_LENGTH = 200
# Room for the multipart boundaries and headers around a file of the largest allowed size.
UPLOAD_ENVELOPE_BYTES = 64 * 1024


# --- scope ------------------------------------------------------------------------------------


def companies_of(request: Request) -> QuerySet[Company]:
    """The token's company, or the companies the signed-in person is a member of."""
    if isinstance(request.auth, ApiToken):
        return Company.objects.filter(pk=request.auth.company_id)
    return Company.objects.of_member(request.user)


def orders_of(request: Request) -> QuerySet[Order]:
    return Order.objects.visible_to(request.user).filter(company__in=companies_of(request))


def get_order_for(request: Request, pk: int) -> Order:
    """The order if it belongs to the caller's company; 404 otherwise, never 403."""
    return get_object_or_404(orders_of(request).select_related("workshop", "company"), pk=pk)


def company_for_new_order(request: Request, slug: str | None) -> Company:
    companies = list(companies_of(request).order_by("slug"))
    if slug:
        for company in companies:
            if company.slug == slug:
                return company
        raise orders.OrderInvalid({"company": [_("You cannot order for this company.")]})
    if len(companies) == 1:
        return companies[0]
    raise orders.OrderInvalid(
        {
            "company": [
                _("You belong to several companies; say which one: %(slugs)s.")
                % {"slugs": ", ".join(c.slug for c in companies)}
            ]
        }
    )


def workshop_for_new_order(company: Company, slug: str | None) -> Workshop:
    """The partner workshop named, or the only one. A workshop the company does not order from
    is refused the same way whether it exists or not."""
    partners = list(Workshop.objects.filter(partnerships__company=company).order_by("slug"))
    if slug:
        for workshop in partners:
            if workshop.slug == slug:
                return workshop
        raise orders.OrderInvalid(
            {"workshop": [_("Your company does not order from this workshop.")]}
        )
    if len(partners) == 1:
        return partners[0]
    if not partners:
        raise orders.OrderInvalid(
            {"workshop": [_("Your company does not order from any workshop yet.")]}
        )
    raise orders.OrderInvalid(
        {
            "workshop": [
                _("Your company orders from several workshops; say which one: %(slugs)s.")
                % {"slugs": ", ".join(w.slug for w in partners)}
            ]
        }
    )


def idempotency_key(request: Request) -> str | None:
    key = request.headers.get(IDEMPOTENCY_HEADER)
    if key is None:
        return None
    key = key.strip()
    if not key or len(key) > MAX_IDEMPOTENCY_KEY_LENGTH or not key.isprintable():
        raise orders.OrderInvalid(
            {
                IDEMPOTENCY_HEADER: [
                    _("The Idempotency-Key must be 1 to %(max)s printable characters.")
                    % {"max": MAX_IDEMPOTENCY_KEY_LENGTH}
                ]
            }
        )
    return key


def parse(serializer_class: type[Serializer], request: Request) -> dict:
    serializer = serializer_class(data=request.data)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


# --- lists ------------------------------------------------------------------------------------


class ApiPagination(PageNumberPagination):
    """Pages from 1. A page that is not a number, below 1 or past the last is a 400 on `page`
    (documented), not DRF's bare 404."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200

    def get_page_size(self, request) -> int:
        given = request.query_params.get(self.page_size_query_param) or None
        if given is not None and not (given.isascii() and given.isdigit() and int(given) > 0):
            raise exceptions.ValidationError(
                {self.page_size_query_param: [_("Give the page size as a whole number from 1.")]}
            )
        return super().get_page_size(request)

    def paginate_queryset(self, queryset, request, view=None):
        try:
            return super().paginate_queryset(queryset, request, view)
        except exceptions.NotFound:
            raise exceptions.ValidationError(
                {self.page_query_param: [_("There is no such page; pages start at 1.")]},
                code="invalid_page",
            ) from None

    def get_schema_operation_parameters(self, view) -> list[dict]:
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_query_param:
                parameter["schema"]["minimum"] = 1
            elif parameter["name"] == self.page_size_query_param:
                # No maximum in the schema: a larger size is read as the largest.
                parameter["schema"]["minimum"] = 1
                parameter["description"] = (
                    f"Rows per page, {self.page_size} unless given; at most {self.max_page_size}."
                )
        return parameters


class MomentField(IsoDateTimeField):
    """An ISO 8601 moment, read as UTC. An offset beyond ±15:59 (which PostgreSQL cannot hold and
    SQLite would take silently) or a moment that leaves the calendar in UTC is not valid."""

    def to_python(self, value):
        moment = super().to_python(value)
        if moment is None:
            return None
        offset = moment.utcoffset()
        try:
            if offset is not None and abs(offset) > limits.MAX_UTC_OFFSET:
                raise OverflowError("offset out of range")
            return moment.astimezone(datetime.UTC)
        except OverflowError:
            raise ValidationError(self.error_messages["invalid"], code="invalid") from None


class MomentFilter(filters.IsoDateTimeFilter):
    field_class = MomentField


class StrictBooleanField(forms.NullBooleanField):
    """true / false (or 1 / 0); anything else is not valid, where Django's own would read it as
    "not given" and answer everything."""

    def to_python(self, value):
        text = str(value).strip().lower() if value is not None else ""
        if text == "":
            return None
        if text in {"true", "1"}:
            return True
        if text in {"false", "0"}:
            return False
        raise ValidationError(_("Use true or false."), code="invalid")

    def validate(self, value) -> None:
        pass


class StrictBooleanFilter(filters.BooleanFilter):
    field_class = StrictBooleanField

    def __init__(self, *args, **kwargs):
        kwargs["widget"] = forms.TextInput  # django-filter's own widget reads "null" as None
        super().__init__(*args, **kwargs)


class OrderFilter(filters.FilterSet):
    status = filters.MultipleChoiceFilter(
        choices=Order.Status.choices, help_text="One or more statuses (repeat the parameter)."
    )
    workshop = filters.CharFilter(field_name="workshop__slug", help_text="A workshop's slug.")
    created_after = MomentFilter(field_name="created_at", lookup_expr="gte")
    created_before = MomentFilter(field_name="created_at", lookup_expr="lt")
    delivery_from = filters.DateFilter(
        field_name="desired_delivery_date",
        lookup_expr="gte",
        help_text="Desired delivery date on or after this day.",
    )
    delivery_to = filters.DateFilter(
        field_name="desired_delivery_date",
        lookup_expr="lte",
        help_text="Desired delivery date on or before this day.",
    )

    class Meta:
        model = Order
        fields = ["status", "workshop"]


class SinceFilter(filters.FilterSet):
    """`since`: only what came after this moment, for polling."""

    since = MomentFilter(method="after", help_text="Only rows after this moment.")
    time_field = "created_at"

    def after(self, queryset: QuerySet, name: str, value) -> QuerySet:
        return queryset.filter(**{f"{self.time_field}__gt": value})


class EventFilter(SinceFilter):
    time_field = "at"

    class Meta:
        model = OrderEvent
        fields: list[str] = []


class MessageFilter(SinceFilter):
    class Meta:
        model = OrderMessage
        fields: list[str] = []


# --- views ------------------------------------------------------------------------------------


def errors(*codes: int) -> dict:
    described = {
        400: "Invalid: `errors` says what to fix per field.",
        401: "No token, or a token that is not valid or was revoked.",
        403: "Not allowed (not a company member, or a session write without CSRF).",
        404: "No such order for your company.",
        409: "The order is in a state that does not allow this (`wrong_state`).",
        413: "Too large (`too_large`).",
        429: "Too many requests (`throttled`); see Retry-After.",
    }
    return {code: OpenApiResponse(ErrorOut, description=described[code]) for code in codes}


COMMON = (401, 403, 429)


class CompanyApiView(GenericAPIView):
    # Base of the orders API's views (a comment, not a docstring, so that it stays out of the
    # schema): the caller must be a company's token or member, and a body larger than the limit
    # is refused before it is read.

    permission_classes = [IsCompanyClient]
    pagination_class = ApiPagination
    filter_backends: list = []

    def body_limit(self) -> int:
        return settings.DATA_UPLOAD_MAX_MEMORY_SIZE

    def initial(self, request: Request, *args, **kwargs) -> None:
        super().initial(request, *args, **kwargs)
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > self.body_limit():
            raise PayloadTooLarge()

    def page(self, queryset: QuerySet, serializer_class: type[Serializer]) -> Response:
        rows = self.paginate_queryset(self.filter_queryset(queryset))
        return self.get_paginated_response(serializer_class(rows, many=True).data)


@extend_schema(tags=["workshops"])
class WorkshopList(CompanyApiView):
    @extend_schema(
        summary="The workshops your company orders from",
        responses={200: WorkshopOut(many=True), **errors(*COMMON)},
    )
    def get(self, request: Request) -> Response:
        workshops = (
            Workshop.objects.visible_to(request.user)
            .filter(partnerships__company__in=companies_of(request))
            .distinct()
            .order_by("name", "pk")
        )
        return self.page(workshops, WorkshopOut)


@extend_schema(tags=["orders"])
class OrderListCreate(CompanyApiView):
    filter_backends = [filters.DjangoFilterBackend, OrderingFilter]
    filterset_class = OrderFilter
    ordering_fields = ["created_at", "desired_delivery_date", "total_price_yen", "id"]
    ordering = ["-created_at", "-id"]

    def get_queryset(self) -> QuerySet[Order]:
        return orders_of(self.request).select_related("workshop", "company")

    @extend_schema(
        summary="List your company's orders",
        responses={200: OrderOut(many=True), **errors(400, *COMMON)},
    )
    def get(self, request: Request) -> Response:
        return self.page(self.get_queryset(), OrderOut)

    @extend_schema(
        summary="Create an order (a draft, or sent at once with submit: true)",
        request=OrderIn,
        parameters=[
            OpenApiParameter(
                IDEMPOTENCY_HEADER,
                OpenApiTypes.STR,
                OpenApiParameter.HEADER,
                description=(
                    "Any unique string (e.g. a UUID) per order you mean to create. A retry "
                    "with the same key and body returns the first order (200 instead of 201); "
                    "the same key with another body is refused (409 idempotency_conflict)."
                ),
            )
        ],
        responses={
            201: OrderOut,
            200: OpenApiResponse(OrderOut, description="A retry: the order made the first time."),
            **errors(400, 409, 413, *COMMON),
        },
    )
    def post(self, request: Request) -> Response:
        data = parse(OrderIn, request)
        key = idempotency_key(request)
        fingerprint = orders.request_fingerprint(data)
        company = company_for_new_order(request, data.pop("company", None))
        workshop = workshop_for_new_order(company, data.pop("workshop", None))
        submit = data.pop("submit")
        if key is None:
            order = orders.create_order(
                company=company, workshop=workshop, by=request.user, terms=data, submit=submit
            )
            created = True
        else:
            order, created = orders.create_order_once(
                company=company,
                workshop=workshop,
                by=request.user,
                terms=data,
                submit=submit,
                idempotency_key=key,
                fingerprint=fingerprint,
            )
        order = get_order_for(request, order.pk)
        headers = {} if created else {"Idempotent-Replayed": "true"}
        return Response(
            OrderOut(order).data,
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
            headers=headers,
        )


@extend_schema(tags=["orders"])
class OrderDetail(CompanyApiView):
    @extend_schema(summary="One order", responses={200: OrderOut, **errors(404, *COMMON)})
    def get(self, request: Request, pk: int) -> Response:
        return Response(OrderOut(get_order_for(request, pk)).data)


@extend_schema(tags=["orders"])
class OrderSubmit(CompanyApiView):
    @extend_schema(
        summary="Send a draft to the workshop",
        request=None,
        responses={200: OrderOut, **errors(400, 404, 409, *COMMON)},
    )
    def post(self, request: Request, pk: int) -> Response:
        order = orders.submit_order(order=get_order_for(request, pk), by=request.user)
        return Response(OrderOut(order).data)


@extend_schema(tags=["orders"])
class OrderCancel(CompanyApiView):
    @extend_schema(
        summary="Withdraw an order the workshop has not accepted yet",
        request=CancelIn,
        responses={200: OrderOut, **errors(400, 404, 409, *COMMON)},
    )
    def post(self, request: Request, pk: int) -> Response:
        data = parse(CancelIn, request)
        order = orders.cancel_order_by_company(
            order=get_order_for(request, pk), by=request.user, reason=data["reason"]
        )
        return Response(OrderOut(order).data)


@extend_schema(tags=["files"])
class OrderFileListCreate(CompanyApiView):
    parser_classes = [MultiPartParser, FormParser]

    def body_limit(self) -> int:
        return attachments.MAX_ATTACHMENT_BYTES + UPLOAD_ENVELOPE_BYTES

    @extend_schema(
        summary="Files attached to an order",
        responses={200: OrderFileOut(many=True), **errors(404, *COMMON)},
    )
    def get(self, request: Request, pk: int) -> Response:
        order = get_order_for(request, pk)
        return self.page(
            OrderFile.objects.visible_to(request.user).filter(order=order), OrderFileOut
        )

    @extend_schema(
        summary="Attach a file (PDF, JPEG, PNG, GIF, WebP or CSV; 20 MB at most)",
        description="The type is read from the file's content, not its name.",
        request={"multipart/form-data": FileIn},
        responses={201: OrderFileOut, **errors(400, 404, 409, 413, *COMMON)},
    )
    def post(self, request: Request, pk: int) -> Response:
        order = get_order_for(request, pk)
        data = parse(FileIn, request)
        attachment = orders.attach_file(order=order, by=request.user, upload=data["file"])
        return Response(OrderFileOut(attachment).data, status=status.HTTP_201_CREATED)


@extend_schema(tags=["orders"])
class OrderEventList(CompanyApiView):
    filter_backends = [filters.DjangoFilterBackend]
    filterset_class = EventFilter

    def get_queryset(self) -> QuerySet[OrderEvent]:
        return OrderEvent.objects.none()  # the schema's model; get() fetches through the scope

    @extend_schema(
        summary="What happened to an order, oldest first",
        responses={200: OrderEventOut(many=True), **errors(400, 404, *COMMON)},
    )
    def get(self, request: Request, pk: int) -> Response:
        order = get_order_for(request, pk)
        return self.page(
            OrderEvent.objects.visible_to(request.user).filter(order=order), OrderEventOut
        )


@extend_schema(tags=["messages"])
class OrderMessageListCreate(CompanyApiView):
    parser_classes = [JSONParser, FormParser, MultiPartParser]
    filter_backends = [filters.DjangoFilterBackend]
    filterset_class = MessageFilter

    def get_queryset(self) -> QuerySet[OrderMessage]:
        return OrderMessage.objects.none()  # the schema's model; get() fetches through the scope

    @extend_schema(
        summary="The order's message thread with the workshop, oldest first",
        responses={200: OrderMessageOut(many=True), **errors(400, 404, *COMMON)},
    )
    def get(self, request: Request, pk: int) -> Response:
        order = get_order_for(request, pk)
        messages = OrderMessage.objects.visible_to(request.user).filter(order=order)
        return self.page(messages.select_related("author"), OrderMessageOut)

    @extend_schema(
        summary="Write to the workshop about an order",
        request=MessageIn,
        responses={201: OrderMessageOut, **errors(400, 404, 409, *COMMON)},
    )
    def post(self, request: Request, pk: int) -> Response:
        order = get_order_for(request, pk)
        data = parse(MessageIn, request)
        message = orders.post_message(
            order=order, by=request.user, side=OrderMessage.Side.COMPANY, body=data["body"]
        )
        return Response(OrderMessageOut(message).data, status=status.HTTP_201_CREATED)


# --- deliveries (納品) and acceptance (検収) ----------------------------------------------------


def get_delivery_for(request: Request, pk: int, number: int) -> Delivery:
    order = get_order_for(request, pk)
    return get_object_or_404(
        Delivery.objects.visible_to(request.user)
        .filter(order=order)
        .select_related("order__company"),
        number=number,
    )


@extend_schema(tags=["deliveries"])
class DeliveryList(CompanyApiView):
    @extend_schema(
        summary="The deliveries of an order, with the answer to each",
        responses={200: DeliveryOut(many=True), **errors(404, *COMMON)},
    )
    def get(self, request: Request, pk: int) -> Response:
        order = get_order_for(request, pk)
        rows = Delivery.objects.visible_to(request.user).filter(order=order).select_related("order")
        return self.page(rows.order_by("number"), DeliveryOut)


@extend_schema(tags=["deliveries"])
class DeliveryAccept(CompanyApiView):
    @extend_schema(
        summary="Accept a delivery (検収)",
        description=(
            "When the order is delivered and no delivery waits any more, the order becomes "
            "`accepted_by_company`."
        ),
        request=None,
        responses={200: DeliveryOut, **errors(404, 409, *COMMON)},
    )
    def post(self, request: Request, pk: int, number: int) -> Response:
        delivery = deliveries.accept_delivery(
            delivery=get_delivery_for(request, pk, number), by=request.user
        )
        return Response(DeliveryOut(delivery).data)


@extend_schema(tags=["deliveries"])
class DeliveryRefuse(CompanyApiView):
    @extend_schema(
        summary="Refuse part of a delivery, with a reason; the rest is accepted",
        description=(
            "The refused items become new work for the workshop, and a delivered order is in "
            "progress again. Codes: `reason_required`, `too_much` (400), `wrong_state` (409, "
            "already answered)."
        ),
        request=RefusePartIn,
        responses={200: DeliveryOut, **errors(400, 404, 409, *COMMON)},
    )
    def post(self, request: Request, pk: int, number: int) -> Response:
        delivery = get_delivery_for(request, pk, number)
        data = parse(RefusePartIn, request)
        delivery = deliveries.refuse_part(delivery=delivery, by=request.user, **data)
        return Response(DeliveryOut(delivery).data)
