"""The staff API (session auth only), under /api/v1/staff/: the workshops I staff; orders and
the decisions on them; split; the board's units and release / reach out / suggest; the review
queue and its decisions; skill marks; today's check-ins and the reply. Each view parses with an
input serializer, calls the same rule the console pages call (jobs/orders.py, jobs/work.py,
jobs/review.py, participants/attendance.py), and presents with an output serializer. Another
workshop's objects are 404; a signed-in person who is nobody's staff gets 403."""

from django.db.models import Case, CharField, F, QuerySet, Sum, Value, When
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from django_filters import rest_framework as filters
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import authentication, exceptions, permissions, status
from rest_framework.generics import GenericAPIView
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.serializers import Serializer

from companies.api import ApiPagination
from companies.api_auth import KEYWORDS, SessionAuthentication
from companies.api_errors import RuleRefused
from companies.serializers import ErrorOut
from jobs import orders as order_rules
from jobs import review as review_rules
from jobs import work as work_rules
from jobs.models import Order, SkillTraining, SplitJob, WorkUnit, board_states
from participants import attendance
from participants.attendance_models import Attendance
from workshop import staff_serializers as s
from workshop.models import StaffMembership, Workshop
from workshop.order_views import get_order_for_staff
from workshop.views import get_workshop_for_staff
from workshop.work_views import (
    BOARD_TABS,
    get_unit_for_staff,
    staff_participants,
    suggestable_participants,
)

# The status of each refusal code is companies/api_errors.REFUSAL_STATUS, for every API.


class Refused(RuleRefused):
    """A rule said no: its code and message, with the status every API gives that code."""


def refused(error: work_rules.WorkError | attendance.AttendanceError) -> Exception:
    if error.code == "not_found":
        return Http404()
    return Refused(error.message, error.code)


def errors(*codes: int) -> dict:
    described = {
        400: "Invalid: `code` and `errors` say what to fix.",
        403: "Not staff of any workshop, or a write without the CSRF token (`csrf_failed`).",
        404: "No such workshop among yours, or no such object in it.",
        409: "The object is in a state that does not allow this (`code` says which).",
    }
    return {code: OpenApiResponse(ErrorOut, description=described[code]) for code in codes}


READ = (403, 404)
WRITE = (400, 403, 404, 409)


class IsStaff(permissions.BasePermission):
    message = _("This API is for workshop staff.")

    def has_permission(self, request, view) -> bool:
        user = request.user
        return bool(
            user and user.is_authenticated and StaffMembership.objects.filter(user=user).exists()
        )


def parse(serializer_class: type[Serializer], request: Request) -> dict:
    serializer = serializer_class(data=request.data)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


class StaffApiView(GenericAPIView):
    # Base of the staff API's views (a comment, so that it stays out of the schema).
    authentication_classes = [SessionAuthentication]
    permission_classes = [IsStaff]
    pagination_class = ApiPagination
    filter_backends: list = []

    def initial(self, request: Request, *args, **kwargs) -> None:
        # A company's token is not a way in: 403 `permission_denied`, as docs/staff-api.md
        # says, rather than the `not_authenticated` of a caller who sent nothing.
        header = authentication.get_authorization_header(request).split()
        if header and header[0].decode(errors="replace").lower() in KEYWORDS:
            raise exceptions.PermissionDenied(IsStaff.message, code="permission_denied")
        super().initial(request, *args, **kwargs)

    def workshop(self, slug: str) -> Workshop:
        return get_workshop_for_staff(self.request.user, slug)

    def page(self, queryset: QuerySet, serializer_class: type[Serializer]) -> Response:
        rows = self.paginate_queryset(self.filter_queryset(queryset))
        return self.get_paginated_response(serializer_class(rows, many=True).data)


# --- workshops ----------------------------------------------------------------------------------


@extend_schema(tags=["staff"])
class WorkshopList(StaffApiView):
    @extend_schema(
        summary="The workshops I staff",
        responses={200: s.StaffWorkshopOut(many=True), **errors(403)},
    )
    def get(self, request: Request) -> Response:
        workshops = Workshop.objects.staffed_by(request.user).order_by("name", "pk")
        return self.page(workshops, s.StaffWorkshopOut)


# --- orders -------------------------------------------------------------------------------------


class StaffOrderFilter(filters.FilterSet):
    status = filters.MultipleChoiceFilter(
        choices=Order.Status.choices, help_text="One or more statuses (repeat the parameter)."
    )
    due_before = filters.DateFilter(
        field_name="desired_delivery_date",
        lookup_expr="lte",
        help_text="Desired delivery date on or before this day.",
    )

    class Meta:
        model = Order
        fields = ["status"]


def staff_orders(user, workshop: Workshop) -> QuerySet[Order]:
    return Order.objects.visible_to(user).filter(workshop=workshop).select_related("company")


def order_of(user, workshop: Workshop, pk: int) -> Order:
    get_order_for_staff(user, workshop, pk)  # 404 unless it is this workshop's
    return staff_orders(user, workshop).get(pk=pk)


@extend_schema(tags=["staff orders"])
class OrderList(StaffApiView):
    filter_backends = [filters.DjangoFilterBackend]
    filterset_class = StaffOrderFilter

    def get_queryset(self):  # for the schema's filter parameters
        return Order.objects.none()

    @extend_schema(
        summary="Orders of my workshop, by desired delivery date",
        responses={200: s.StaffOrderOut(many=True), **errors(*READ)},
    )
    def get(self, request: Request, workshop_slug: str) -> Response:
        workshop = self.workshop(workshop_slug)
        orders = staff_orders(request.user, workshop).order_by("desired_delivery_date", "pk")
        return self.page(orders, s.StaffOrderOut)


@extend_schema(tags=["staff orders"])
class OrderDetail(StaffApiView):
    @extend_schema(summary="An order", responses={200: s.StaffOrderOut, **errors(*READ)})
    def get(self, request: Request, workshop_slug: str, pk: int) -> Response:
        order = order_of(request.user, self.workshop(workshop_slug), pk)
        return Response(s.StaffOrderOut(order).data)


class OrderDecision(StaffApiView):
    def answer(self, request: Request, workshop: Workshop, pk: int) -> Response:
        return Response(s.StaffOrderOut(order_of(request.user, workshop, pk)).data)


@extend_schema(tags=["staff orders"])
class OrderAccept(OrderDecision):
    @extend_schema(
        summary="Accept an order",
        request=s.AcceptIn,
        responses={200: s.StaffOrderOut, **errors(*WRITE)},
    )
    def post(self, request: Request, workshop_slug: str, pk: int) -> Response:
        workshop = self.workshop(workshop_slug)
        order = get_order_for_staff(request.user, workshop, pk)
        data = parse(s.AcceptIn, request)
        # As on the page: an order below the floor is accepted only once someone has looked.
        estimate = order_rules.hourly_estimate(
            order=order, minutes_per_item=data["minutes_per_item"]
        )
        if estimate.below_floor and not data["below_floor_ok"]:
            raise exceptions.ValidationError(
                {
                    "below_floor_ok": [
                        _(
                            "This order pays less than your workshop's floor. Tick the box to "
                            "accept it anyway."
                        )
                    ]
                }
            )
        order_rules.accept_order(
            order=order,
            by=request.user,
            minutes_per_item=data["minutes_per_item"],
            note=data["note"],
        )
        return self.answer(request, workshop, pk)


@extend_schema(tags=["staff orders"])
class OrderPropose(OrderDecision):
    @extend_schema(
        summary="Propose other terms (the company confirms or refuses)",
        request=s.ProposeIn,
        responses={200: s.StaffOrderOut, **errors(*WRITE)},
    )
    def post(self, request: Request, workshop_slug: str, pk: int) -> Response:
        workshop = self.workshop(workshop_slug)
        order = get_order_for_staff(request.user, workshop, pk)
        data = parse(s.ProposeIn, request)
        data.setdefault("total_price_yen", None)
        data.setdefault("unit_price_yen", None)
        order_rules.propose_changes(order=order, by=request.user, **data)
        return self.answer(request, workshop, pk)


@extend_schema(tags=["staff orders"])
class OrderDecline(OrderDecision):
    @extend_schema(
        summary="Decline an order, with a reason for the company",
        request=s.ReasonIn,
        responses={200: s.StaffOrderOut, **errors(*WRITE)},
    )
    def post(self, request: Request, workshop_slug: str, pk: int) -> Response:
        workshop = self.workshop(workshop_slug)
        order = get_order_for_staff(request.user, workshop, pk)
        reason = parse(s.ReasonIn, request)["reason"]
        order_rules.decline_order(order=order, by=request.user, reason=reason)
        return self.answer(request, workshop, pk)


@extend_schema(tags=["staff orders"])
class OrderCancel(OrderDecision):
    @extend_schema(
        summary="Cancel an order before delivery, with a reason for the company",
        request=s.ReasonIn,
        responses={200: s.StaffOrderOut, **errors(*WRITE)},
    )
    def post(self, request: Request, workshop_slug: str, pk: int) -> Response:
        workshop = self.workshop(workshop_slug)
        order = get_order_for_staff(request.user, workshop, pk)
        reason = parse(s.ReasonIn, request)["reason"]
        order_rules.cancel_order_by_workshop(order=order, by=request.user, reason=reason)
        return self.answer(request, workshop, pk)


# --- split --------------------------------------------------------------------------------------


def split_plan(order: Order, data: dict) -> list[int]:
    return work_rules.plan_split(
        order=order, size=data.get("size"), items=data.get("items"), sizes=data.get("sizes")
    )


@extend_schema(tags=["staff work"])
class SplitPreview(StaffApiView):
    @extend_schema(
        summary="What a split would publish (nothing is saved)",
        request=s.SplitIn,
        responses={200: s.SplitPlanOut, **errors(*WRITE)},
    )
    def post(self, request: Request, workshop_slug: str, pk: int) -> Response:
        order = get_order_for_staff(request.user, self.workshop(workshop_slug), pk)
        data = parse(s.SplitIn, request)
        try:
            sizes = split_plan(order, data)
        except work_rules.WorkError as error:
            raise refused(error) from None
        plan = {
            "units": len(sizes),
            "items": sum(sizes),
            "left_after": work_rules.unsplit_quantity(order) - sum(sizes),
            "runs": [list(run) for run in work_rules.runs_of(sizes)],
            "in_background": len(sizes) > work_rules.INLINE_SPLIT_LIMIT,
        }
        return Response(s.SplitPlanOut(plan).data)


@extend_schema(tags=["staff work"])
class Split(StaffApiView):
    @extend_schema(
        summary="Split an order into units and publish them",
        description=(
            "A split of up to 2,000 units is published at once (201 with `published`); a larger "
            "one runs in the background (202 with `job`; follow it at split-jobs/{id}/)."
        ),
        request=s.SplitIn,
        responses={201: s.SplitOut, 202: s.SplitOut, **errors(*WRITE)},
    )
    def post(self, request: Request, workshop_slug: str, pk: int) -> Response:
        order = get_order_for_staff(request.user, self.workshop(workshop_slug), pk)
        data = parse(s.SplitIn, request)
        try:
            sizes = split_plan(order, data)
            minutes = data.get("estimated_minutes") or min(
                work_rules.MAX_ESTIMATED_MINUTES, (order.minutes_per_item or 1) * max(sizes)
            )
            outcome = work_rules.split_order(
                order=order,
                by=request.user,
                sizes=sizes,
                instructions=data["instructions"],
                estimated_minutes=minutes,
                home_ok=data["home_ok"],
                skill_tag=data["skill_tag"],
            )
        except work_rules.WorkError as error:
            raise refused(error) from None
        body = s.SplitOut({"published": outcome.published, "job": outcome.job}).data
        code = status.HTTP_202_ACCEPTED if outcome.job else status.HTTP_201_CREATED
        return Response(body, status=code)


@extend_schema(tags=["staff work"])
class SplitJobDetail(StaffApiView):
    @extend_schema(
        summary="A background split's progress", responses={200: s.SplitJobOut, **errors(*READ)}
    )
    def get(self, request: Request, workshop_slug: str, pk: int) -> Response:
        workshop = self.workshop(workshop_slug)
        jobs = SplitJob.objects.visible_to(request.user).filter(order__workshop=workshop)
        return Response(s.SplitJobOut(get_object_or_404(jobs, pk=pk)).data)


# --- the board's units --------------------------------------------------------------------------


@extend_schema(tags=["staff work"])
class UnitList(StaffApiView):
    @extend_schema(
        summary="Units of an order, as on the board",
        parameters=[
            OpenApiParameter(
                "state",
                str,
                enum=list(BOARD_TABS),
                description="Which units: as the board's tabs (`quiet`: no progress for a while).",
            )
        ],
        responses={200: s.BoardUnitOut(many=True), **errors(*READ)},
    )
    def get(self, request: Request, workshop_slug: str, pk: int) -> Response:
        order = get_order_for_staff(request.user, self.workshop(workshop_slug), pk)
        now = timezone.now()
        tabs = board_states(now)
        tab = request.query_params.get("state", "all")
        if tab not in tabs:
            raise exceptions.ValidationError({"state": [_("Choose one of the board's tabs.")]})
        units = (
            WorkUnit.objects.visible_to(request.user)
            .filter(order=order)
            .filter(tabs[tab])
            .select_related("holder")
            .annotate(
                state=Case(
                    When(
                        status=WorkUnit.Status.CLAIMED,
                        expires_at__lt=now,
                        then=Value(WorkUnit.Status.OPEN),
                    ),
                    default=F("status"),
                    output_field=CharField(),
                )
            )
            .order_by("number")
        )
        return self.page(units, s.BoardUnitOut)


class UnitAction(StaffApiView):
    def unit(self, workshop_slug: str, pk: int) -> WorkUnit:
        return get_unit_for_staff(self.request.user, self.workshop(workshop_slug), pk)

    def answer(self, unit: WorkUnit) -> Response:
        unit.refresh_from_db()
        return Response(s.StaffUnitOut(unit).data)


@extend_schema(tags=["staff work"])
class Release(UnitAction):
    @extend_schema(
        summary="Release a held unit (what was logged stays credited)",
        request=s.NoteIn,
        responses={200: s.StaffUnitOut, **errors(*WRITE)},
    )
    def post(self, request: Request, workshop_slug: str, pk: int) -> Response:
        unit = self.unit(workshop_slug, pk)
        note = parse(s.NoteIn, request)["note"]
        try:
            work_rules.release_unit_by_staff(unit=unit, by=request.user, note=note)
        except work_rules.WorkError as error:
            raise refused(error) from None
        return self.answer(unit)


@extend_schema(tags=["staff work"])
class ReachOut(UnitAction):
    @extend_schema(
        summary="Record that staff reached out to the unit's holder",
        request=s.NoteIn,
        responses={200: s.StaffUnitOut, **errors(*WRITE)},
    )
    def post(self, request: Request, workshop_slug: str, pk: int) -> Response:
        unit = self.unit(workshop_slug, pk)
        note = parse(s.NoteIn, request)["note"]
        try:
            work_rules.reach_out(unit=unit, by=request.user, note=note)
        except work_rules.WorkError as error:
            raise refused(error) from None
        return self.answer(unit)


@extend_schema(tags=["staff work"])
class Suggest(UnitAction):
    @extend_schema(
        summary="Suggest an open unit to a participant (it stays open to all)",
        request=s.SuggestIn,
        responses={200: s.StaffUnitOut, **errors(*WRITE)},
    )
    def post(self, request: Request, workshop_slug: str, pk: int) -> Response:
        workshop = self.workshop(workshop_slug)
        unit = get_unit_for_staff(request.user, workshop, pk)
        data = parse(s.SuggestIn, request)
        people = suggestable_participants(request.user, workshop, unit)
        participant = people.filter(pk=data["participant"]).first()
        if participant is None:
            raise exceptions.ValidationError(
                {"participant": [_("This unit cannot be offered to this person.")]}
            )
        try:
            work_rules.suggest_unit(
                unit=unit, participant=participant, by=request.user, note=data["note"]
            )
        except work_rules.WorkError as error:
            raise refused(error) from None
        return self.answer(unit)


# --- review -------------------------------------------------------------------------------------


@extend_schema(tags=["staff review"])
class ReviewQueue(StaffApiView):
    @extend_schema(
        summary="Units handed in and waiting for review, oldest first",
        responses={200: s.ReviewUnitOut(many=True), **errors(*READ)},
    )
    def get(self, request: Request, workshop_slug: str) -> Response:
        workshop = self.workshop(workshop_slug)
        units = (
            WorkUnit.objects.visible_to(request.user)
            .filter(workshop=workshop, status=WorkUnit.Status.SUBMITTED)
            .select_related("order", "holder")
            .annotate(logged=Sum("logs__quantity"), minutes=Sum("logs__minutes"))
            .order_by("last_activity_at", "pk")
        )
        return self.page(units, s.ReviewUnitOut)


@extend_schema(tags=["staff review"])
class Approve(UnitAction):
    @extend_schema(
        summary="Approve a handed-in unit",
        request=s.NoteIn,
        responses={200: s.StaffUnitOut, **errors(*WRITE)},
    )
    def post(self, request: Request, workshop_slug: str, pk: int) -> Response:
        unit = self.unit(workshop_slug, pk)
        note = parse(s.NoteIn, request)["note"]
        try:
            review_rules.approve_unit(unit=unit, by=request.user, note=note)
        except work_rules.WorkError as error:
            raise refused(error) from None
        return self.answer(unit)


@extend_schema(tags=["staff review"])
class Redo(UnitAction):
    @extend_schema(
        summary="Ask the participant to redo a unit, with a kind note",
        request=s.RedoIn,
        responses={200: s.StaffUnitOut, **errors(*WRITE)},
    )
    def post(self, request: Request, workshop_slug: str, pk: int) -> Response:
        unit = self.unit(workshop_slug, pk)
        note = parse(s.RedoIn, request)["note"]
        try:
            review_rules.ask_redo(unit=unit, by=request.user, note=note)
        except work_rules.WorkError as error:
            raise refused(error) from None
        return self.answer(unit)


@extend_schema(tags=["staff review"])
class ApprovePart(UnitAction):
    @extend_schema(
        summary="Approve part of a unit; the rest opens again as a new unit",
        request=s.ApprovePartIn,
        responses={200: s.StaffUnitOut, **errors(*WRITE)},
    )
    def post(self, request: Request, workshop_slug: str, pk: int) -> Response:
        unit = self.unit(workshop_slug, pk)
        data = parse(s.ApprovePartIn, request)
        try:
            review_rules.approve_part(
                unit=unit, by=request.user, quantity=data["quantity"], note=data["note"]
            )
        except work_rules.WorkError as error:
            raise refused(error) from None
        return self.answer(unit)


# --- skills -------------------------------------------------------------------------------------


def trainings_of(user, workshop: Workshop) -> QuerySet[SkillTraining]:
    return SkillTraining.objects.visible_to(user).filter(participant__workshop=workshop)


@extend_schema(tags=["staff skills"])
class SkillList(StaffApiView):
    @extend_schema(
        summary="Who is trained for which skill",
        responses={200: s.SkillTrainingOut(many=True), **errors(*READ)},
    )
    def get(self, request: Request, workshop_slug: str) -> Response:
        trainings = trainings_of(request.user, self.workshop(workshop_slug))
        return self.page(
            trainings.select_related("participant").order_by("skill_tag", "pk"),
            s.SkillTrainingOut,
        )

    @extend_schema(
        summary="Mark a participant as trained for a skill",
        request=s.SkillIn,
        responses={201: s.SkillTrainingOut, **errors(*WRITE)},
    )
    def post(self, request: Request, workshop_slug: str) -> Response:
        workshop = self.workshop(workshop_slug)
        data = parse(s.SkillIn, request)
        participant = (
            staff_participants(request.user, workshop).filter(pk=data["participant"]).first()
        )
        if participant is None:
            raise Http404
        try:
            training = work_rules.mark_trained(
                participant=participant, skill_tag=data["skill_tag"], by=request.user
            )
        except work_rules.WorkError as error:
            raise refused(error) from None
        return Response(s.SkillTrainingOut(training).data, status=status.HTTP_201_CREATED)


@extend_schema(tags=["staff skills"])
class SkillDetail(StaffApiView):
    @extend_schema(
        summary="Remove a skill mark (units already held stay with their holder)",
        responses={204: None, **errors(*READ)},
    )
    def delete(self, request: Request, workshop_slug: str, pk: int) -> Response:
        trainings = trainings_of(request.user, self.workshop(workshop_slug))
        training = get_object_or_404(trainings, pk=pk)
        work_rules.unmark_trained(training=training, by=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


# --- check-ins ----------------------------------------------------------------------------------


def check_ins_of(user, workshop: Workshop) -> QuerySet[Attendance]:
    return Attendance.objects.visible_to(user).filter(participant__workshop=workshop)


@extend_schema(tags=["staff check-ins"])
class CheckInList(StaffApiView):
    @extend_schema(
        summary="Today's check-ins, newest first",
        responses={200: s.StaffCheckInOut(many=True), **errors(*READ)},
    )
    def get(self, request: Request, workshop_slug: str) -> Response:
        checks = check_ins_of(request.user, self.workshop(workshop_slug))
        today = checks.filter(day=timezone.localdate()).select_related("participant")
        return self.page(today.order_by("-at", "-pk"), s.StaffCheckInOut)


@extend_schema(tags=["staff check-ins"])
class CheckInReply(StaffApiView):
    @extend_schema(
        summary="Reply to a check-in (shown on the participant's phone)",
        request=s.ReplyIn,
        responses={200: s.StaffCheckInOut, **errors(*WRITE)},
    )
    def post(self, request: Request, workshop_slug: str, pk: int) -> Response:
        checks = check_ins_of(request.user, self.workshop(workshop_slug))
        check = get_object_or_404(checks.select_related("participant"), pk=pk)
        text = parse(s.ReplyIn, request)["text"]
        try:
            check = attendance.reply_to_check_in(attendance=check, by=request.user, text=text)
        except attendance.AttendanceError as error:
            raise refused(error) from None
        return Response(s.StaffCheckInOut(check).data)
