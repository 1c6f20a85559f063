"""The company API of the joint order desk, under /api/v1/network-orders/: send an order to a
network instead of one workshop, and follow it as one order (combined progress, the workshops'
orders, the expected delivery date). Same auth, errors and scoping as the orders API
(companies/api.py); the rules are network/desk.py's."""

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from companies.api import COMMON, CompanyApiView, companies_of, company_for_new_order, errors, parse
from companies.serializers import OrderIn
from jobs import orders as order_rules
from network import capacity, desk
from network.models import JointOrder, Network, Share
from workshop import limits


class JointOrderIn(OrderIn):
    """The terms of an order, as for POST /api/v1/orders/, sent to a network's desk."""

    workshop = None
    submit = None
    network = serializers.SlugField(
        required=False,
        max_length=limits.TITLE_LENGTH,
        help_text="The network's short name; needed only if there are several.",
    )


class ShareOut(serializers.Serializer):
    workshop = serializers.CharField(help_text="The workshop's short name.")
    order = serializers.IntegerField(help_text="The workshop's order: /api/v1/orders/{id}/.")
    quantity = serializers.IntegerField()
    price_yen = serializers.IntegerField()
    order_status = serializers.CharField()
    items_approved = serializers.IntegerField()


class ProgressOut(serializers.Serializer):
    quantity = serializers.IntegerField()
    taken_on = serializers.IntegerField(help_text="In the orders of workshops that accepted.")
    waiting_for_workshops = serializers.IntegerField()
    at_desk = serializers.IntegerField(help_text="Not routed yet, or given back by a workshop.")
    items_approved = serializers.IntegerField()
    units_total = serializers.IntegerField()
    units_approved = serializers.IntegerField()
    delivered = serializers.IntegerField(help_text="Delivered and not refused.")
    percent = serializers.IntegerField()


class JointOrderOut(serializers.ModelSerializer):
    number = serializers.CharField(read_only=True)
    network = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    company = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)

    class Meta:
        model = JointOrder
        fields = [
            "id",
            "number",
            "network",
            "company",
            "status",
            "status_display",
            "title",
            "kind",
            "description",
            "instructions",
            "quantity",
            "unit_label",
            "unit_price_yen",
            "total_price_yen",
            "desired_delivery_date",
            "payment_date",
            "delivery_method",
            "notes",
            "created_at",
        ]
        read_only_fields = fields


class JointOrderDetailOut(JointOrderOut):
    expected_delivery_date = serializers.SerializerMethodField(
        help_text="From the recent pace of the network's workshops; null when there is none."
    )
    progress = serializers.SerializerMethodField()
    shares = serializers.SerializerMethodField(
        help_text="The workshops that accepted a part, each with its own order."
    )

    class Meta(JointOrderOut.Meta):
        fields = [*JointOrderOut.Meta.fields, "expected_delivery_date", "progress", "shares"]
        read_only_fields = fields

    @extend_schema_field(serializers.DateField(allow_null=True))
    def get_expected_delivery_date(self, joint_order: JointOrder):
        return capacity.estimate_for_joint_order(joint_order).date

    @extend_schema_field(ProgressOut)
    def get_progress(self, joint_order: JointOrder) -> dict:
        combined = desk.combined_progress(joint_order)
        waiting = sum(
            joint_order.shares.filter(status=Share.Status.SENT).values_list("quantity", flat=True)
        )
        return ProgressOut(
            {
                "quantity": combined.quantity,
                "taken_on": combined.taken_on,
                "waiting_for_workshops": waiting,
                "at_desk": desk.unrouted(joint_order)[0],
                "items_approved": combined.items_approved,
                "units_total": combined.units_total,
                "units_approved": combined.units_approved,
                "delivered": combined.delivered,
                "percent": combined.percent,
            }
        ).data

    @extend_schema_field(ShareOut(many=True))
    def get_shares(self, joint_order: JointOrder) -> list:
        accepted = joint_order.shares.filter(status=Share.Status.ACCEPTED).select_related(
            "workshop", "order"
        )
        return ShareOut(
            [
                {
                    "workshop": share.workshop.slug,
                    "order": share.order_id,
                    "quantity": share.quantity,
                    "price_yen": share.price_yen,
                    "order_status": share.order.status,
                    "items_approved": share.order.items_approved,
                }
                for share in accepted.order_by("pk")
            ],
            many=True,
        ).data


def joint_orders_of(request: Request) -> QuerySet[JointOrder]:
    return JointOrder.objects.visible_to(request.user).filter(company__in=companies_of(request))


def network_for_new_order(company, slug: str | None) -> Network:
    networks = list(desk.networks_for(company).order_by("slug"))
    if slug:
        for network in networks:
            if network.slug == slug:
                return network
    elif len(networks) == 1:
        return networks[0]
    raise order_rules.OrderInvalid(
        {"network": [_("Your company does not order from a workshop of this network.")]}
    )


@extend_schema(tags=["network orders"])
class JointOrderListCreate(CompanyApiView):
    @extend_schema(
        summary="List your company's orders to a network",
        responses={200: JointOrderOut(many=True), **errors(400, *COMMON)},
    )
    def get(self, request: Request) -> Response:
        return self.page(
            joint_orders_of(request).select_related("network", "company"), JointOrderOut
        )

    @extend_schema(
        summary="Send an order to a network's joint order desk",
        request=JointOrderIn,
        responses={201: JointOrderDetailOut, **errors(400, 413, *COMMON)},
    )
    def post(self, request: Request) -> Response:
        data = parse(JointOrderIn, request)
        company = company_for_new_order(request, data.pop("company", None))
        network = network_for_new_order(company, data.pop("network", None))
        joint_order = desk.send_to_network(
            company=company, network=network, by=request.user, terms=data
        )
        return Response(JointOrderDetailOut(joint_order).data, status=status.HTTP_201_CREATED)


@extend_schema(tags=["network orders"])
class JointOrderDetail(CompanyApiView):
    @extend_schema(
        summary="One order to a network, with combined progress",
        responses={200: JointOrderDetailOut, **errors(404, *COMMON)},
    )
    def get(self, request: Request, pk: int) -> Response:
        joint_order = get_object_or_404(
            joint_orders_of(request).select_related("network", "company"), pk=pk
        )
        return Response(JointOrderDetailOut(joint_order).data)
