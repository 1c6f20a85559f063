"""What the staff API reads (…In) and shows (…Out). Validation of shapes only: whether an
action is allowed is for the rules in jobs/ and participants/."""

from rest_framework import serializers

from companies.api_fields import StrictBooleanField
from jobs import review as review_rules
from jobs.models import Order, SkillTraining, SplitJob, WorkUnit
from participants import attendance
from participants.attendance_models import Attendance
from workshop import limits
from workshop.models import Workshop

MAX_NOTE_LENGTH = 1000
MAX_SIZES = 10_000
# Plain strings, not enums, in the schema: "status" already names the orders' enum there.
UNIT_STATUSES = "One of: " + ", ".join(WorkUnit.Status.values)


# --- out --------------------------------------------------------------------------------------


class StaffWorkshopOut(serializers.ModelSerializer):
    class Meta:
        model = Workshop
        fields = ["slug", "name"]


class StaffOrderOut(serializers.ModelSerializer):
    number = serializers.CharField()
    company = serializers.CharField(source="company.name")
    units_total = serializers.IntegerField()
    units_approved = serializers.IntegerField()

    class Meta:
        model = Order
        fields = [
            "id",
            "number",
            "title",
            "company",
            "kind",
            "status",
            "quantity",
            "unit_label",
            "unit_price_yen",
            "total_price_yen",
            "desired_delivery_date",
            "payment_date",
            "minutes_per_item",
            "description",
            "instructions",
            "created_at",
            "updated_at",
            "units_total",
            "units_approved",
        ]


class BoardUnitOut(serializers.ModelSerializer):
    """A unit as the board shows it: `state` is `open` for a claim that has expired (expiry is
    computed when read); `holder` is the participant's nickname."""

    status = serializers.CharField(help_text=UNIT_STATUSES)
    state = serializers.CharField(help_text=UNIT_STATUSES)
    holder = serializers.CharField(source="holder.nickname", allow_null=True, default=None)
    holder_id = serializers.IntegerField(allow_null=True)

    class Meta:
        model = WorkUnit
        fields = [
            "id",
            "order",
            "number",
            "quantity",
            "approved_quantity",
            "status",
            "state",
            "holder",
            "holder_id",
            "claimed_at",
            "expires_at",
            "last_activity_at",
            "home_ok",
            "skill_tag",
            "estimated_minutes",
        ]


class ReviewUnitOut(serializers.ModelSerializer):
    status = serializers.CharField(help_text=UNIT_STATUSES)
    title = serializers.CharField(source="order.title")
    unit_label = serializers.CharField(source="order.unit_label")
    holder = serializers.CharField(source="holder.nickname", allow_null=True, default=None)
    logged = serializers.IntegerField()
    minutes = serializers.IntegerField()

    class Meta:
        model = WorkUnit
        fields = [
            "id",
            "order",
            "title",
            "number",
            "quantity",
            "unit_label",
            "status",
            "holder",
            "logged",
            "minutes",
            "last_activity_at",
        ]


class StaffUnitOut(serializers.ModelSerializer):
    status = serializers.CharField(help_text=UNIT_STATUSES)

    class Meta:
        model = WorkUnit
        fields = ["id", "order", "number", "quantity", "approved_quantity", "status", "holder"]


class SplitJobOut(serializers.ModelSerializer):
    status = serializers.CharField(help_text="One of: " + ", ".join(SplitJob.Status.values))
    percent = serializers.IntegerField()
    finished = serializers.BooleanField()

    class Meta:
        model = SplitJob
        fields = ["id", "order", "status", "total", "done_count", "percent", "finished", "error"]


class SplitPlanOut(serializers.Serializer):
    units = serializers.IntegerField()
    items = serializers.IntegerField()
    left_after = serializers.IntegerField()
    runs = serializers.ListField(
        child=serializers.ListField(child=serializers.IntegerField(), min_length=2, max_length=2),
        help_text="[[size, how many units], …]",
    )
    in_background = serializers.BooleanField()


class SplitOut(serializers.Serializer):
    published = serializers.IntegerField(help_text="Units published now (0 if in background).")
    job = SplitJobOut(allow_null=True, help_text="The background split, for a large one.")


class SkillTrainingOut(serializers.ModelSerializer):
    nickname = serializers.CharField(source="participant.nickname")

    class Meta:
        model = SkillTraining
        fields = ["id", "participant", "nickname", "skill_tag", "marked_at"]


class StaffCheckInOut(serializers.ModelSerializer):
    nickname = serializers.CharField(source="participant.nickname")

    class Meta:
        model = Attendance
        fields = [
            "id",
            "participant",
            "nickname",
            "kind",
            "place",
            "at",
            "staff_reply",
            "replied_at",
        ]


# --- in ---------------------------------------------------------------------------------------


class AcceptIn(serializers.Serializer):
    minutes_per_item = serializers.IntegerField(min_value=1, max_value=32767)
    note = serializers.CharField(
        max_length=MAX_NOTE_LENGTH, required=False, default="", allow_blank=True
    )
    below_floor_ok = StrictBooleanField(
        default=False,
        help_text="Needed when the order pays less than the workshop's hourly floor.",
    )


class ProposeIn(serializers.Serializer):
    total_price_yen = serializers.IntegerField(
        min_value=limits.MIN_ORDER_TOTAL_YEN,
        max_value=limits.MAX_ORDER_TOTAL_YEN,
        required=False,
        allow_null=True,
    )
    unit_price_yen = serializers.IntegerField(
        min_value=limits.MIN_UNIT_PRICE_YEN,
        max_value=limits.MAX_ORDER_TOTAL_YEN,
        required=False,
        allow_null=True,
    )
    desired_delivery_date = serializers.DateField(
        validators=[limits.validate_date], help_text="Between 2000-01-01 and 2100-12-31."
    )
    payment_date = serializers.DateField(
        validators=[limits.validate_date], help_text="Between 2000-01-01 and 2100-12-31."
    )
    minutes_per_item = serializers.IntegerField(
        min_value=1, max_value=32767, required=False, allow_null=True
    )
    note = serializers.CharField(
        max_length=MAX_NOTE_LENGTH, required=False, default="", allow_blank=True
    )


class ReasonIn(serializers.Serializer):
    # Blank is let through: whether a reason is needed is the rule's to say (reason_required).
    reason = serializers.CharField(
        max_length=MAX_NOTE_LENGTH, required=False, default="", allow_blank=True
    )


class SplitIn(serializers.Serializer):
    """Units of `size` (over `items`, or all that is left), or an explicit list of `sizes`."""

    size = serializers.IntegerField(
        max_value=limits.MAX_ORDER_QUANTITY, min_value=1, required=False
    )
    items = serializers.IntegerField(
        max_value=limits.MAX_ORDER_QUANTITY, min_value=1, required=False
    )
    sizes = serializers.ListField(
        child=serializers.IntegerField(min_value=1), required=False, max_length=MAX_SIZES
    )
    instructions = serializers.CharField(
        max_length=limits.DESCRIPTION_LENGTH, required=False, default="", allow_blank=True
    )
    estimated_minutes = serializers.IntegerField(min_value=1, max_value=32767, required=False)
    home_ok = StrictBooleanField(default=True)
    skill_tag = serializers.CharField(max_length=30, required=False, default="", allow_blank=True)

    def validate(self, data: dict) -> dict:
        if ("size" in data) == ("sizes" in data):
            raise serializers.ValidationError("Give either `size` or `sizes`.")
        return data


class NoteIn(serializers.Serializer):
    note = serializers.CharField(
        max_length=MAX_NOTE_LENGTH, required=False, default="", allow_blank=True
    )


class RedoIn(serializers.Serializer):
    note = serializers.CharField(max_length=review_rules.MAX_NOTE_LENGTH, allow_blank=True)


class ApprovePartIn(serializers.Serializer):
    quantity = serializers.IntegerField(max_value=limits.MAX_ORDER_QUANTITY, min_value=1)
    note = serializers.CharField(
        max_length=review_rules.MAX_NOTE_LENGTH, required=False, default="", allow_blank=True
    )


class SuggestIn(serializers.Serializer):
    participant = serializers.IntegerField(
        max_value=limits.MAX_ID,
    )
    note = serializers.CharField(
        max_length=MAX_NOTE_LENGTH, required=False, default="", allow_blank=True
    )


class SkillIn(serializers.Serializer):
    participant = serializers.IntegerField(
        max_value=limits.MAX_ID,
    )
    skill_tag = serializers.CharField(max_length=100, allow_blank=True)


class ReplyIn(serializers.Serializer):
    text = serializers.CharField(max_length=attendance.MAX_REPLY_LENGTH * 2, allow_blank=True)
