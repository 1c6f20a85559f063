"""The participant app's pay statements (session auth), under /api/v1/me/statements/: my issued
statements, one of them, and its PDF. Only my own, only once issued; another's is a 404."""

from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response

from jobs import pdf
from jobs.documents import statement_paper
from jobs.money_access import get_statement_for_participant
from jobs.money_serializers import PdfRenderer, StatementOut
from participants.models import WageStatement
from participants.phone_api import ParticipantView

MAX_LISTED = 36


@extend_schema(tags=["me"])
class StatementList(ParticipantView):
    @extend_schema(
        responses=StatementOut(many=True),
        summary="My pay statements (工賃明細), newest month first",
    )
    def get(self, request: Request) -> Response:
        participant = self.participant(request)
        statements = (
            WageStatement.objects.visible_to(request.user)
            .filter(participant=participant, status=WageStatement.Status.ISSUED)
            .select_related("adjusts")
            .prefetch_related("lines", "deductions")
            .order_by("-month", "kind", "-pk")[:MAX_LISTED]
        )
        return Response(StatementOut(statements, many=True).data)


@extend_schema(tags=["me"])
class StatementDetail(ParticipantView):
    @extend_schema(responses=StatementOut, summary="One of my pay statements")
    def get(self, request: Request, pk: int) -> Response:
        participant = self.participant(request)
        return Response(
            StatementOut(get_statement_for_participant(request.user, participant, pk)).data
        )


@extend_schema(tags=["me"])
class StatementPdf(ParticipantView):
    renderer_classes = [JSONRenderer, PdfRenderer]

    @extend_schema(
        responses={(200, "application/pdf"): OpenApiTypes.BINARY},
        summary="One of my pay statements as a PDF",
    )
    def get(self, request: Request, pk: int) -> HttpResponse:
        participant = self.participant(request)
        statement = get_statement_for_participant(request.user, participant, pk)
        return pdf.pdf_response(statement_paper(statement))
