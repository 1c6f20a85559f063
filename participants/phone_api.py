"""The participant app's API (session auth): units free to take, a unit, take, log, finish,
hand back, check in, my record. Each view parses with an input serializer, calls the same rule
the phone pages call (jobs/work.py, participants/attendance.py), and presents with an output
serializer. Errors are JSON {"code", "detail"} through the project's exception handler."""

from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from companies.api_auth import SessionAuthentication
from companies.api_errors import RuleRefused
from companies.api_fields import MomentField
from companies.serializers import ErrorOut
from jobs import offers, work
from jobs.models import ProgressLog, WorkUnit
from jobs.photos import PhotoRefused
from participants import attendance, phone_record, unsent
from participants.attendance_models import Attendance
from participants.models import Participant
from participants.phone_views import (
    MAX_MINUTES,
    MAX_NOTE_LENGTH,
    MAX_QUANTITY,
    get_unit_for,
    keep_uploads_in_memory,
    read_photo,
)
from participants.views import SUGGESTED_UNITS, get_participant_for

# The status of each refusal code is companies/api_errors.REFUSAL_STATUS, for every API.
MAX_LISTED = 50


class Refused(RuleRefused):
    """A rule said no: its code and message, with the status every API gives that code."""


def refused(error: work.WorkError | attendance.AttendanceError | PhotoRefused) -> Exception:
    if error.code == "not_found":
        return Http404()
    return Refused(error.message, error.code)


# --- serializers --------------------------------------------------------------------------------


class UnitOut(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField(source="order.title")
    quantity = serializers.IntegerField()
    unit_label = serializers.CharField(source="order.unit_label")
    estimated_minutes = serializers.IntegerField()
    home_ok = serializers.BooleanField()
    instructions = serializers.SerializerMethodField()
    status = serializers.CharField()
    expires_at = serializers.DateTimeField(allow_null=True)
    pay_estimate_yen = serializers.SerializerMethodField()
    is_mine = serializers.SerializerMethodField()

    def get_instructions(self, unit: WorkUnit) -> str:
        return unit.instructions or unit.order.instructions

    def get_pay_estimate_yen(self, unit: WorkUnit) -> int:
        return phone_record.unit_pay_estimate(unit, self.context["participant"].workshop)

    def get_is_mine(self, unit: WorkUnit) -> bool:
        return unit.holder_id == self.context["participant"].pk and not unit.is_claim_expired()


class LogIn(serializers.Serializer):
    client_uuid = serializers.UUIDField()
    quantity = serializers.IntegerField(min_value=0, max_value=MAX_QUANTITY, default=0)
    minutes = serializers.IntegerField(min_value=0, max_value=MAX_MINUTES, default=0)
    note = serializers.CharField(max_length=MAX_NOTE_LENGTH, required=False, allow_blank=True)
    place = serializers.ChoiceField(choices=Attendance.Place.choices, default="home")
    photo = serializers.FileField(required=False, allow_null=True)


class LogOut(serializers.ModelSerializer):
    has_photo = serializers.SerializerMethodField()

    class Meta:
        model = ProgressLog
        fields = ["id", "unit", "client_uuid", "quantity", "minutes", "note", "place", "created_at"]
        fields += ["has_photo"]

    def get_has_photo(self, log: ProgressLog) -> bool:
        return bool(log.photo)


class HandBackIn(serializers.Serializer):
    reason = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")


class HandBackOut(serializers.Serializer):
    unit = serializers.IntegerField(help_text="The unit handed back.")
    quantity_kept_as_yours = serializers.IntegerField(
        help_text="What you logged on it, which stays counted as your work."
    )


class CheckInIn(serializers.Serializer):
    kind = serializers.ChoiceField(choices=Attendance.Kind.choices)
    place = serializers.ChoiceField(choices=Attendance.Place.choices)
    client_uuid = serializers.UUIDField(required=False, allow_null=True, default=None)
    tapped_at = MomentField(
        required=False,
        allow_null=True,
        default=None,
        help_text="When the person tapped, for a check-in that waited on the phone.",
    )


class CheckInOut(serializers.ModelSerializer):
    class Meta:
        model = Attendance
        fields = ["id", "kind", "place", "at", "received_at", "client_uuid", "staff_reply"]
        fields += ["replied_at"]


class DayLineOut(serializers.Serializer):
    title = serializers.CharField()
    unit_label = serializers.CharField()
    quantity = serializers.IntegerField()
    minutes = serializers.IntegerField()


class DayOut(serializers.Serializer):
    day = serializers.DateField()
    minutes = serializers.IntegerField()
    work = DayLineOut(many=True)


class RecordOut(serializers.Serializer):
    month = serializers.DateField()
    quantity = serializers.IntegerField()
    minutes = serializers.IntegerField()
    wage_estimate_yen = serializers.IntegerField(
        source="wage_estimate", help_text="Checked pay and the estimate of what waits, together."
    )
    wage_checked_yen = serializers.IntegerField(
        source="wage_checked", help_text="What staff approved this month: the statement's figure."
    )
    wage_waiting_yen = serializers.IntegerField(
        source="wage_waiting", help_text="About what the work waiting for review would pay."
    )
    waiting_quantity = serializers.IntegerField()
    sent_back_quantity = serializers.IntegerField()
    is_estimate = serializers.SerializerMethodField()
    pay_mode = serializers.CharField()
    days = DayOut(many=True)

    def get_is_estimate(self, record) -> bool:
        # The month is settled in the wage statement (工賃明細, /api/v1/me/statements/).
        return True


# --- views --------------------------------------------------------------------------------------


class ParticipantView(APIView):
    """The signed-in participant (session only: a company's token is no way in); anyone else
    gets 404, as for another tenant's object."""

    authentication_classes = [SessionAuthentication]

    def participant(self, request: Request) -> Participant:
        return get_participant_for(request.user)

    def unit(self, request: Request, participant: Participant, pk: int) -> WorkUnit:
        """Read by the phone pages' rule (get_unit_for): someone else's unit, or one the
        participant may not take, is a 404 here."""
        unit = get_unit_for(participant, request.user, pk)
        if unit is None:
            raise Http404
        return unit

    def present(self, unit: WorkUnit, participant: Participant, code=status.HTTP_200_OK):
        return Response(UnitOut(unit, context={"participant": participant}).data, status=code)


class UnitList(ParticipantView):
    @extend_schema(responses=UnitOut(many=True), summary="Units I could take up now")
    def get(self, request: Request) -> Response:
        participant = self.participant(request)
        units = offers.offered_units(participant, limit=SUGGESTED_UNITS)
        data = UnitOut(units, many=True, context={"participant": participant}).data
        return Response(data)


class HeldList(ParticipantView):
    @extend_schema(responses=UnitOut(many=True), summary="Units I hold")
    def get(self, request: Request) -> Response:
        participant = self.participant(request)
        units = (
            WorkUnit.objects.visible_to(request.user)
            .held_by(participant)
            .select_related("order")
            .order_by("expires_at", "pk")[:MAX_LISTED]
        )
        return Response(UnitOut(units, many=True, context={"participant": participant}).data)


class UnitDetail(ParticipantView):
    @extend_schema(responses=UnitOut, summary="A unit")
    def get(self, request: Request, pk: int) -> Response:
        participant = self.participant(request)
        unit = offers.show_offered_part(self.unit(request, participant, pk), participant)
        return self.present(unit, participant)


class Take(ParticipantView):
    @extend_schema(request=None, responses={200: UnitOut, 409: ErrorOut}, summary="Take a unit")
    def post(self, request: Request, pk: int) -> Response:
        participant = self.participant(request)
        try:
            unit = work.claim_unit(unit_id=pk, participant=participant)
        except work.WorkError as error:
            raise refused(error) from None
        return self.present(unit, participant)


class Log(ParticipantView):
    """Record progress. The same client_uuid again answers 200 with the first log."""

    def initialize_request(self, request, *args, **kwargs):
        # Before anything reads the body (the CSRF check reads POST): the photo stays in memory.
        self.photo_handler = keep_uploads_in_memory(request)
        return super().initialize_request(request, *args, **kwargs)

    @extend_schema(
        request=LogIn, responses={200: LogOut, 201: LogOut, 409: ErrorOut}, summary="Log progress"
    )
    def post(self, request: Request, pk: int) -> Response:
        participant = self.participant(request)
        unit = self.unit(request, participant, pk)
        given = LogIn(data=request.data)
        given.is_valid(raise_exception=True)
        data = given.validated_data
        existing = ProgressLog.objects.filter(
            client_uuid=data["client_uuid"], participant=participant, unit=unit
        ).first()
        if existing is not None:
            unsent.settle_stored(participant=participant, client_uuid=existing.client_uuid)
            return Response(LogOut(existing).data, status=status.HTTP_200_OK)
        try:
            photo = read_photo(data.get("photo"), self.photo_handler)
            log, created = work.log_progress(
                unit=unit,
                participant=participant,
                client_uuid=data["client_uuid"],
                quantity=data["quantity"],
                minutes=data["minutes"],
                note=data.get("note", ""),
                place=data["place"],
                photo=photo,
            )
        except (work.WorkError, PhotoRefused) as error:
            raise refused(error) from None
        unsent.settle_stored(participant=participant, client_uuid=log.client_uuid)
        code = status.HTTP_201_CREATED if created else status.HTTP_200_OK
        return Response(LogOut(log).data, status=code)


class Finish(ParticipantView):
    @extend_schema(
        request=None, responses={200: UnitOut, 409: ErrorOut}, summary="Hand in a unit for review"
    )
    def post(self, request: Request, pk: int) -> Response:
        participant = self.participant(request)
        unit = self.unit(request, participant, pk)
        try:
            unit = work.finish_unit(unit=unit, participant=participant)
        except work.WorkError as error:
            raise refused(error) from None
        return self.present(unit, participant)


class HandBack(ParticipantView):
    @extend_schema(
        request=HandBackIn, responses={200: HandBackOut, 409: ErrorOut}, summary="Hand a unit back"
    )
    def post(self, request: Request, pk: int) -> Response:
        participant = self.participant(request)
        unit = self.unit(request, participant, pk)
        given = HandBackIn(data=request.data)
        given.is_valid(raise_exception=True)
        mine = phone_record.logged_by(unit, participant)
        try:
            work.release_unit(
                unit=unit, participant=participant, reason=given.validated_data["reason"]
            )
        except work.WorkError as error:
            raise refused(error) from None
        unit.refresh_from_db()
        return Response(HandBackOut({"unit": unit.pk, "quantity_kept_as_yours": mine}).data)


class CheckIn(ParticipantView):
    @extend_schema(request=CheckInIn, responses={200: CheckInOut, 201: CheckInOut, 409: ErrorOut})
    def post(self, request: Request) -> Response:
        participant = self.participant(request)
        given = CheckInIn(data=request.data)
        given.is_valid(raise_exception=True)
        try:
            check, created = attendance.check_in(participant=participant, **given.validated_data)
        except attendance.AttendanceError as error:
            raise refused(error) from None
        if check.client_uuid is not None:
            unsent.settle_stored(participant=participant, client_uuid=check.client_uuid)
        code = status.HTTP_201_CREATED if created else status.HTTP_200_OK
        return Response(CheckInOut(check).data, status=code)


class Record(ParticipantView):
    @extend_schema(responses=RecordOut, summary="My record this month")
    def get(self, request: Request) -> Response:
        participant = self.participant(request)
        return Response(RecordOut(phone_record.month_record(participant)).data)
