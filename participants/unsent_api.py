"""The phone's side of kept records (see participants/unsent.py), under /api/v1/me/unsent/:
the phone reports a record the server refused, then the person's choice for it (sent to staff
as a note, or let go). Another person's record does not exist for anyone else (404)."""

from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from companies.api_fields import MomentField, StrictBooleanField
from participants import unsent
from participants.attendance_models import Attendance
from participants.phone_api import ParticipantView, Refused
from participants.phone_views import MAX_MINUTES, MAX_NOTE_LENGTH, MAX_QUANTITY
from participants.unsent_models import UnsentRecord
from workshop import limits


class KeptIn(serializers.Serializer):
    client_uuid = serializers.UUIDField()
    kind = serializers.ChoiceField(choices=UnsentRecord.Kind.choices)
    made_at = MomentField()
    refusal_status = serializers.IntegerField(min_value=400, max_value=499)
    refusal_code = serializers.CharField(max_length=40)
    refusal_reason = serializers.CharField(max_length=2000, allow_blank=True)
    unit = serializers.IntegerField(
        required=False, allow_null=True, default=None, min_value=1, max_value=limits.MAX_ID
    )
    # The phone reports what the person typed, even what the server refused (a note too
    # long is cut to fit): staff should see it as it was meant.
    quantity = serializers.IntegerField(min_value=0, max_value=MAX_QUANTITY * 10, default=0)
    minutes = serializers.IntegerField(min_value=0, max_value=MAX_MINUTES * 10, default=0)
    note = serializers.CharField(max_length=MAX_NOTE_LENGTH * 10, allow_blank=True, default="")
    place = serializers.ChoiceField(choices=Attendance.Place.choices, required=False, default="")
    check_in_kind = serializers.ChoiceField(
        choices=Attendance.Kind.choices, required=False, default=""
    )
    had_photo = StrictBooleanField(default=False)


class KeptOut(serializers.ModelSerializer):
    class Meta:
        model = UnsentRecord
        fields = ["client_uuid", "kind", "state", "refusal_code", "refusal_reason", "made_at"]


class DecisionIn(serializers.Serializer):
    choice = serializers.ChoiceField(choices=[UnsentRecord.State.NOTE, UnsentRecord.State.LET_GO])


class KeptList(ParticipantView):
    @extend_schema(
        request=KeptIn,
        responses={200: KeptOut, 201: KeptOut},
        summary="Tell staff the phone keeps a record the server refused",
    )
    def post(self, request: Request) -> Response:
        participant = self.participant(request)
        given = KeptIn(data=request.data)
        given.is_valid(raise_exception=True)
        data = dict(given.validated_data)
        data["unit_id"] = data.pop("unit")
        data["note"] = data["note"][: MAX_NOTE_LENGTH * 2]
        record, created = unsent.keep(participant=participant, kept=unsent.Kept(**data))
        code = status.HTTP_201_CREATED if created else status.HTTP_200_OK
        return Response(KeptOut(record).data, status=code)


class KeptDecision(ParticipantView):
    @extend_schema(request=DecisionIn, responses=KeptOut, summary="The person's choice")
    def post(self, request: Request, client_uuid) -> Response:
        participant = self.participant(request)
        given = DecisionIn(data=request.data)
        given.is_valid(raise_exception=True)
        try:
            record = unsent.decide(
                participant=participant,
                client_uuid=client_uuid,
                choice=given.validated_data["choice"],
            )
        except unsent.UnsentError as error:
            if error.code == "not_found":
                raise Http404 from None
            raise Refused(error.message, error.code) from None
        return Response(KeptOut(record).data)
