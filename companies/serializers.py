"""What the orders API reads and writes. Input serializers check types only (the rules in
jobs/orders.py check the rest and say what to fix); output serializers present. Descriptions
here are for the OpenAPI schema, which is written in English."""

from rest_framework import serializers

from companies.api_fields import StrictBooleanField
from jobs.models import Order, OrderEvent, OrderFile, OrderMessage
from workshop import limits
from workshop.models import Workshop


class OrderIn(serializers.Serializer):
    """The terms of a new order. Which fields are needed, and the price and date rules, are
    checked by jobs.orders.clean_terms, with the same messages as the portal's form."""

    workshop = serializers.SlugField(
        required=False,
        help_text=("The workshop's short name; needed only if the company orders from several."),
    )
    company = serializers.SlugField(
        required=False,
        help_text=(
            "Only for a signed-in person who belongs to several companies; "
            "with a token the company is the token's."
        ),
    )
    title = serializers.CharField(max_length=limits.TITLE_LENGTH, required=False, allow_blank=True)
    kind = serializers.ChoiceField(choices=Order.Kind.choices, required=False)
    description = serializers.CharField(
        max_length=limits.DESCRIPTION_LENGTH, required=False, allow_blank=True
    )
    instructions = serializers.CharField(
        max_length=limits.DESCRIPTION_LENGTH, required=False, allow_blank=True
    )
    quantity = serializers.IntegerField(
        required=False, allow_null=True, max_value=limits.MAX_ORDER_QUANTITY
    )
    unit_label = serializers.CharField(
        max_length=limits.LABEL_LENGTH, required=False, allow_blank=True
    )
    unit_price_yen = serializers.IntegerField(
        required=False,
        allow_null=True,
        min_value=limits.MIN_UNIT_PRICE_YEN,
        max_value=limits.MAX_ORDER_TOTAL_YEN,
        help_text="At least 1 yen; unit price × quantity at most 1,000,000,000 yen.",
    )
    total_price_yen = serializers.IntegerField(
        required=False,
        allow_null=True,
        min_value=limits.MIN_ORDER_TOTAL_YEN,
        max_value=limits.MAX_ORDER_TOTAL_YEN,
    )
    desired_delivery_date = serializers.DateField(
        validators=[limits.validate_date],
        required=False,
        allow_null=True,
        help_text="Between 2000-01-01 and 2100-12-31.",
    )
    payment_date = serializers.DateField(
        validators=[limits.validate_date],
        required=False,
        allow_null=True,
        help_text=("Defaults to the end of the month after delivery (60 days at most)."),
    )
    delivery_method = serializers.ChoiceField(choices=Order.DeliveryMethod.choices, required=False)
    notes = serializers.CharField(max_length=limits.REASON_LENGTH, required=False, allow_blank=True)
    submit = StrictBooleanField(
        default=False, help_text=("Send the order to the workshop at once instead of a draft.")
    )


class CancelIn(serializers.Serializer):
    reason = serializers.CharField(
        max_length=limits.REASON_LENGTH, required=False, allow_blank=True, default=""
    )


class MessageIn(serializers.Serializer):
    body = serializers.CharField(allow_blank=True, max_length=limits.MESSAGE_LENGTH)


class FileIn(serializers.Serializer):
    file = serializers.FileField(allow_empty_file=True)


class WorkshopOut(serializers.ModelSerializer):
    class Meta:
        model = Workshop
        fields = ["slug", "name"]


class OrderOut(serializers.ModelSerializer):
    number = serializers.CharField(read_only=True)
    workshop = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    company = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)

    class Meta:
        model = Order
        fields = [
            "id",
            "number",
            "workshop",
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
            "updated_at",
        ]
        read_only_fields = fields


class OrderEventOut(serializers.ModelSerializer):
    class Meta:
        model = OrderEvent
        fields = ["id", "at", "from_status", "to_status", "note"]
        read_only_fields = fields


class OrderFileOut(serializers.ModelSerializer):
    name = serializers.CharField(source="original_name", read_only=True)

    class Meta:
        model = OrderFile
        fields = ["id", "name", "content_type", "size", "uploaded_at"]
        read_only_fields = fields


class OrderMessageOut(serializers.ModelSerializer):
    author = serializers.SerializerMethodField()

    class Meta:
        model = OrderMessage
        fields = ["id", "side", "author", "body", "created_at"]
        read_only_fields = fields

    def get_author(self, message: OrderMessage) -> str:
        # The name the person chose to show, never their e-mail address.
        return message.author.display_name if message.author else ""


class ErrorOut(serializers.Serializer):
    """The shape of every error."""

    code = serializers.CharField(help_text=("Machine-readable, e.g. wrong_state."))
    detail = serializers.CharField()
    errors = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        help_text=("What to fix, per field (400 only; empty otherwise)."),
    )


class DeliveryOut(serializers.Serializer):
    """A delivery (納品) and the company's answer to it (検収). Read by both sides."""

    number = serializers.IntegerField(help_text="The delivery's number within its order: 1, 2, …")
    slip_number = serializers.CharField(help_text="The delivery slip's number.")
    quantity = serializers.IntegerField()
    delivered_on = serializers.DateField()
    method = serializers.ChoiceField(choices=Order.DeliveryMethod.choices)
    note = serializers.CharField()
    is_final = serializers.BooleanField(
        help_text="The last delivery of the order (all delivered, or fewer by agreement)."
    )
    recorded_at = serializers.DateTimeField()
    status = serializers.ChoiceField(
        choices=["pending_acceptance", "accepted", "partly_refused"],
        help_text="`pending_acceptance` until the company accepts it or refuses part of it.",
    )
    decided_at = serializers.DateTimeField(allow_null=True)
    refused_quantity = serializers.IntegerField()
    refusal_reason = serializers.CharField()


class RefusePartIn(serializers.Serializer):
    quantity = serializers.IntegerField(
        min_value=1, max_value=10_000_000, help_text="How many items of the delivery to refuse."
    )
    reason = serializers.CharField(
        max_length=2000,
        allow_blank=True,
        help_text="What was wrong; required. The refused items are redone by the workshop.",
    )
