"""The staff API for deliveries (納品), session auth, under /api/v1/staff/workshops/<slug>/:
where an order stands (ordered, approved, delivered), its deliveries, and recording one. The
views call jobs/deliveries.py, as the order page does; its errors become JSON through
companies/api_errors.py (`wrong_state` 409; `too_much`, `not_approved_yet`, `invalid` 400).
Another workshop's order is 404."""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from companies.api_fields import StrictBooleanField
from companies.serializers import DeliveryOut
from jobs import deliveries
from jobs.models import Delivery, Order
from workshop import limits
from workshop.order_views import get_order_for_staff
from workshop.staff_api import READ, WRITE, StaffApiView, errors, parse


class DeliveryIn(serializers.Serializer):
    quantity = serializers.IntegerField(min_value=1, max_value=10_000_000)
    delivered_on = serializers.DateField(
        validators=[limits.validate_date],
    )
    method = serializers.ChoiceField(
        choices=Order.DeliveryMethod.choices,
        required=False,
        help_text="Defaults to the order's delivery method.",
    )
    note = serializers.CharField(max_length=2000, required=False, default="", allow_blank=True)
    final = StrictBooleanField(
        required=False,
        default=False,
        help_text=(
            "The last delivery although fewer than ordered (the company agreed). A delivery "
            "that completes the quantity is the final one anyway."
        ),
    )


class DeliveryTotalsOut(serializers.Serializer):
    ordered = serializers.IntegerField()
    approved = serializers.IntegerField(help_text="Approved in review (検品).")
    delivered = serializers.IntegerField(help_text="Everything delivered, refused parts included.")
    refused = serializers.IntegerField()
    kept = serializers.IntegerField(help_text="Delivered and not refused.")
    pending = serializers.IntegerField(help_text="Delivered and not answered by the company yet.")
    left_to_deliver = serializers.IntegerField()
    deliverable = serializers.IntegerField(help_text="What can be delivered now.")


class DeliveryListCreate(StaffApiView):
    def order(self, workshop_slug: str, pk: int) -> Order:
        return get_order_for_staff(self.request.user, self.workshop(workshop_slug), pk)

    @extend_schema(
        tags=["staff deliveries"],
        summary="The deliveries of an order",
        responses={200: DeliveryOut(many=True), **errors(*READ)},
    )
    def get(self, request: Request, workshop_slug: str, pk: int) -> Response:
        order = self.order(workshop_slug, pk)
        rows = Delivery.objects.visible_to(request.user).filter(order=order).select_related("order")
        return self.page(rows.order_by("number"), DeliveryOut)

    @extend_schema(
        tags=["staff deliveries"],
        summary="Record a delivery and issue its slip",
        request=DeliveryIn,
        responses={201: DeliveryOut, **errors(*WRITE)},
    )
    def post(self, request: Request, workshop_slug: str, pk: int) -> Response:
        order = self.order(workshop_slug, pk)
        data = parse(DeliveryIn, request)
        data.setdefault("method", order.delivery_method)
        delivery = deliveries.record_delivery(order=order, by=request.user, **data)
        return Response(DeliveryOut(delivery).data, status=status.HTTP_201_CREATED)


class DeliveryDetail(StaffApiView):
    @extend_schema(
        tags=["staff deliveries"],
        summary="One delivery",
        responses={200: DeliveryOut, **errors(*READ)},
    )
    def get(self, request: Request, workshop_slug: str, pk: int, number: int) -> Response:
        order = get_order_for_staff(request.user, self.workshop(workshop_slug), pk)
        delivery = get_object_or_404(
            Delivery.objects.visible_to(request.user).filter(order=order).select_related("order"),
            number=number,
        )
        return Response(DeliveryOut(delivery).data)


class DeliveryTotals(StaffApiView):
    @extend_schema(
        tags=["staff deliveries"],
        summary="Ordered, approved, delivered and left to deliver",
        responses={200: DeliveryTotalsOut, **errors(*READ)},
    )
    def get(self, request: Request, workshop_slug: str, pk: int) -> Response:
        order = get_order_for_staff(request.user, self.workshop(workshop_slug), pk)
        totals = deliveries.totals_of(order)
        data = {
            "ordered": totals.ordered,
            "approved": totals.approved,
            "delivered": totals.delivered,
            "refused": totals.refused,
            "kept": totals.kept,
            "pending": totals.pending,
            "left_to_deliver": totals.left_to_deliver,
            "deliverable": totals.deliverable,
        }
        return Response(DeliveryTotalsOut(data).data)
