"""The home-work day in the API (docs/homework.md, docs/api.md, docs/staff-api.md).

Participant (/api/v1/me/): the day's report (read, add a line or a mood) and push subscriptions.
Staff (/api/v1/staff/workshops/<slug>/): today's contacts, a day's report and its confirmation,
the weekly evaluation. The same rules as the pages (participants/homework.py, reminders.py)."""

from django.core.validators import RegexValidator
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from companies.api_fields import StrictBooleanField
from participants import homework, reminders
from participants.homework_models import Mood, Pace, WeeklyEvaluation
from participants.models import Participant
from participants.phone_api import ParticipantView
from workshop import limits
from workshop.staff_api import READ, WRITE, Refused, StaffApiView, errors, parse


def refused(error: homework.HomeworkError | reminders.ReminderError) -> Exception:
    # `confirmed` and `consent_required` are 409s: companies/api_errors.REFUSAL_STATUS.
    return Refused(error.message, error.code)


# --- serializers ---------------------------------------------------------------------------------


class CheckInLine(serializers.Serializer):
    kind = serializers.CharField()
    place = serializers.CharField()
    time = serializers.CharField()
    reply = serializers.CharField()
    replied_by = serializers.CharField()


class WorkLine(serializers.Serializer):
    title = serializers.CharField()
    unit_label = serializers.CharField()
    place = serializers.CharField()
    quantity = serializers.IntegerField()
    minutes = serializers.IntegerField()
    photos = serializers.IntegerField()


class ContactLine(serializers.Serializer):
    method = serializers.CharField()
    time = serializers.CharField()
    by = serializers.CharField()
    line = serializers.CharField()


class DayReportOut(serializers.Serializer):
    day = serializers.DateField()
    check_ins = CheckInLine(many=True, source="built.check_ins")
    work = WorkLine(many=True, source="built.work")
    contacts = ContactLine(many=True, source="built.contacts")
    minutes = serializers.IntegerField(source="built.minutes")
    quantity = serializers.IntegerField(source="built.quantity")
    line = serializers.CharField()
    mood = serializers.CharField()
    confirmed = serializers.BooleanField(source="is_confirmed")
    confirmed_at = serializers.DateTimeField(source="report.confirmed_at", allow_null=True)
    staff_note = serializers.CharField(source="report.staff_note", allow_null=True)
    notes = serializers.SerializerMethodField()

    def get_notes(self, report) -> list[str]:
        return [note.text for note in report.notes]


class OwnDayIn(serializers.Serializer):
    line = serializers.CharField(required=False, allow_blank=True, max_length=homework.MAX_LINE)
    mood = serializers.ChoiceField(choices=[("", ""), *Mood.choices], required=False)


class Exact:
    """Exactly what the schema says: a string as sent. DRF's CharField would make a number
    into text and strip spaces before counting the length (a body the schema refuses)."""

    def __init__(self, **kwargs):
        super().__init__(trim_whitespace=False, **kwargs)

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


class ExactText(Exact, serializers.CharField):
    pass


class PushEndpoint(Exact, serializers.URLField):
    """A push service's address: https, printable ASCII (the schema's `uri`), bounded like the
    column. The pattern shows in the schema."""

    def __init__(self, **kwargs):
        https = RegexValidator(r"^https://[!-~]+$", message=reminders.NOT_SET_UP)
        super().__init__(max_length=1000, validators=[https], **kwargs)


class PushKeys(serializers.Serializer):
    p256dh = ExactText(max_length=200)
    auth = ExactText(max_length=100)


class PushSubscriptionIn(serializers.Serializer):
    endpoint = PushEndpoint()
    keys = PushKeys()


class PushEndpointIn(serializers.Serializer):
    endpoint = PushEndpoint()


class ContactRowOut(serializers.Serializer):
    participant = serializers.IntegerField(source="participant.pk")
    nickname = serializers.CharField(source="participant.nickname")
    expected = serializers.BooleanField()
    started = serializers.BooleanField()
    ended = serializers.BooleanField()
    needs_call = serializers.BooleanField()
    replies_waiting = serializers.SerializerMethodField()
    contacts = serializers.IntegerField(source="contact_count")
    report_waiting = serializers.BooleanField()

    def get_replies_waiting(self, row) -> list[int]:
        return [check.pk for check in row.waiting_replies]


class ConfirmIn(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, max_length=homework.MAX_NOTE)


class EvaluationIn(serializers.Serializer):
    went_well = serializers.CharField(max_length=limits.DESCRIPTION_LENGTH)
    try_next = serializers.CharField(
        max_length=limits.DESCRIPTION_LENGTH, required=False, allow_blank=True
    )
    pace = serializers.ChoiceField(choices=Pace.choices)
    shared_with_participant = StrictBooleanField(default=False)


class EvaluationOut(serializers.ModelSerializer):
    class Meta:
        model = WeeklyEvaluation
        fields = [
            "week_start",
            "went_well",
            "try_next",
            "pace",
            "numbers",
            "shared_with_participant",
            "written_at",
        ]


# --- the participant ---------------------------------------------------------------------------


class OwnDay(ParticipantView):
    @extend_schema(responses=DayReportOut, summary="My day's report (日報)")
    def get(self, request: Request, day: str) -> Response:
        participant = self.participant(request)
        report = homework.day_report(
            participant=participant, day=homework.day_in_address(day), reader=request.user
        )
        return Response(DayReportOut(report).data)

    @extend_schema(
        request=OwnDayIn, responses=DayReportOut, summary="Add my line or mood (both optional)"
    )
    def post(self, request: Request, day: str) -> Response:
        participant = self.participant(request)
        the_day = homework.day_in_address(day)
        given = OwnDayIn(data=request.data)
        given.is_valid(raise_exception=True)
        try:
            if "line" in given.validated_data:
                homework.write_line(
                    participant=participant, day=the_day, line=given.validated_data["line"]
                )
            if "mood" in given.validated_data:
                homework.set_mood(
                    participant=participant,
                    day=the_day,
                    mood=given.validated_data["mood"],
                    by=request.user,
                )
        except homework.HomeworkError as error:
            raise refused(error) from None
        report = homework.day_report(participant=participant, day=the_day, reader=request.user)
        return Response(DayReportOut(report).data)


class PushSubscriptions(ParticipantView):
    @extend_schema(
        request=PushSubscriptionIn, responses={201: None}, summary="Subscribe this device"
    )
    def post(self, request: Request) -> Response:
        self.participant(request)
        given = PushSubscriptionIn(data=request.data)
        given.is_valid(raise_exception=True)
        data = given.validated_data
        try:
            reminders.subscribe(
                user=request.user,
                endpoint=data["endpoint"],
                p256dh=data["keys"]["p256dh"],
                auth=data["keys"]["auth"],
            )
        except reminders.ReminderError as error:
            raise refused(error) from None
        return Response({"subscribed": True}, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=PushEndpointIn,
        responses={204: None, **errors(400)},
        summary="Unsubscribe a device",
        description='The body names the device: `{"endpoint": "https://…"}` (as subscribed).',
    )
    def delete(self, request: Request) -> Response:
        self.participant(request)
        given = PushEndpointIn(data=request.data)
        given.is_valid(raise_exception=True)
        reminders.unsubscribe(user=request.user, endpoint=given.validated_data["endpoint"])
        return Response(status=status.HTTP_204_NO_CONTENT)


# --- staff ---------------------------------------------------------------------------------------


class StaffHomeworkView(StaffApiView):
    def participant(self, workshop_slug: str, pk: int) -> Participant:
        workshop = self.workshop(workshop_slug)
        return get_object_or_404(
            Participant.objects.visible_to(self.request.user), workshop=workshop, pk=pk
        )


@extend_schema(tags=["staff home work"])
class TodaysContacts(StaffHomeworkView):
    pagination_class = None

    @extend_schema(
        summary="Today's contacts: everyone expected or checked in",
        responses={200: ContactRowOut(many=True), **errors(*READ)},
    )
    def get(self, request: Request, workshop_slug: str) -> Response:
        rows = homework.todays_contacts(workshop=self.workshop(workshop_slug), reader=request.user)
        return Response(ContactRowOut(rows, many=True).data)


@extend_schema(tags=["staff home work"])
class StaffDay(StaffHomeworkView):
    @extend_schema(
        summary="A participant's daily report", responses={200: DayReportOut, **errors(*READ)}
    )
    def get(self, request: Request, workshop_slug: str, pk: int, day: str) -> Response:
        participant = self.participant(workshop_slug, pk)
        report = homework.day_report(
            participant=participant, day=homework.day_in_address(day), reader=request.user
        )
        return Response(DayReportOut(report).data)


@extend_schema(tags=["staff home work"])
class ConfirmDay(StaffHomeworkView):
    @extend_schema(
        summary="Confirm a daily report (it never changes afterwards)",
        request=ConfirmIn,
        responses={200: DayReportOut, **errors(*WRITE)},
    )
    def post(self, request: Request, workshop_slug: str, pk: int, day: str) -> Response:
        participant = self.participant(workshop_slug, pk)
        the_day = homework.day_in_address(day)
        note = parse(ConfirmIn, request).get("note", "")
        try:
            homework.confirm_report(
                participant=participant, day=the_day, by=request.user, note=note
            )
        except homework.HomeworkError as error:
            raise refused(error) from None
        report = homework.day_report(participant=participant, day=the_day, reader=request.user)
        return Response(DayReportOut(report).data)


@extend_schema(tags=["staff home work"])
class Evaluation(StaffHomeworkView):
    @extend_schema(
        summary="The weekly evaluation of a week (404 when not written)",
        responses={200: EvaluationOut, **errors(*READ)},
    )
    def get(self, request: Request, workshop_slug: str, pk: int, week: str) -> Response:
        participant = self.participant(workshop_slug, pk)
        week_start = homework.day_in_address(week)
        evaluations = homework.evaluations_for(participant=participant, reader=request.user)
        found = next((e for e in evaluations if e.week_start == week_start), None)
        if found is None:
            found = get_object_or_404(
                WeeklyEvaluation.objects.visible_to(request.user).of(participant),
                week_start=week_start,
            )
        return Response(EvaluationOut(found).data)

    @extend_schema(
        summary="Write the weekly evaluation (the week's numbers are taken now)",
        request=EvaluationIn,
        responses={200: EvaluationOut, **errors(*WRITE)},
    )
    def put(self, request: Request, workshop_slug: str, pk: int, week: str) -> Response:
        participant = self.participant(workshop_slug, pk)
        data = parse(EvaluationIn, request)
        try:
            evaluation = homework.write_evaluation(
                participant=participant,
                week_start=homework.day_in_address(week),
                went_well=data["went_well"],
                try_next=data.get("try_next", ""),
                pace=data["pace"],
                shared=data["shared_with_participant"],
                by=request.user,
            )
        except homework.HomeworkError as error:
            raise refused(error) from None
        return Response(EvaluationOut(evaluation).data)
