"""The staff API for money (session auth only), under /api/v1/staff/workshops/<slug>/: draft a
month's 工賃 statements (a background run), read, deduct, check, issue and adjust them; draft
invoices for an order or a company's month, add lines, check, issue, record payment, start a
return invoice; the PDFs; the month's books. Each view parses with an input serializer, calls
the rule the console pages call (participants/wages.py, jobs/invoicing.py), and presents the
stored figures. Another workshop's objects are 404."""

import datetime

from django.db.models import QuerySet
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, serializers, status
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response

from companies.api_errors import RuleRefused
from companies.models import Company
from jobs import invoicing, money, pdf
from jobs.documents import invoice_paper, statement_paper
from jobs.models import Invoice, Order
from jobs.money_access import get_invoice_for_staff, get_statement_for_staff
from jobs.money_serializers import PdfRenderer, StaffInvoiceOut, StaffStatementOut
from participants import wages
from participants.models import WageRun, WageStatement
from workshop import limits
from workshop.staff_api import READ, WRITE, StaffApiView, errors, parse

# The status of each refusal code is companies/api_errors.REFUSAL_STATUS, for every API.
MONTH = OpenApiParameter(
    "month", str, description="The month as YYYY-MM (default: this month).", required=False
)
PDF_RESPONSE = {(200, "application/pdf"): OpenApiTypes.BINARY}


class Refused(RuleRefused):
    """A rule said no: its code and message, with the status every API gives that code."""


def month_of(value: str | None) -> datetime.date:
    if not value:
        return money.first_of_month(timezone.localdate())
    try:
        return datetime.datetime.strptime(value, "%Y-%m").date()
    except ValueError:
        raise exceptions.ValidationError({"month": [_("Use YYYY-MM, e.g. 2026-11.")]}) from None


# --- serializers ------------------------------------------------------------------------------


class MonthIn(serializers.Serializer):
    month = serializers.RegexField(r"^\d{4}-\d{2}$", help_text="YYYY-MM")


class RunOut(serializers.Serializer):
    id = serializers.IntegerField()
    month = serializers.DateField()
    status = serializers.ChoiceField(choices=WageRun.Status.choices)
    total = serializers.IntegerField(help_text="People to draft.")
    done_count = serializers.IntegerField()
    percent = serializers.IntegerField()
    error = serializers.CharField()


class DeductionIn(serializers.Serializer):
    amount_yen = serializers.IntegerField(min_value=1, max_value=wages.MAX_DEDUCTION)
    reason = serializers.CharField(max_length=200)


class CorrectionIn(serializers.Serializer):
    reason = serializers.CharField(max_length=2000)


class InvoiceDraftIn(serializers.Serializer):
    order = serializers.IntegerField(
        max_value=limits.MAX_ID, required=False, help_text="Invoice this one order…"
    )
    company = serializers.SlugField(
        required=False, help_text="…or every order of this company accepted by the month's end."
    )
    month = serializers.RegexField(r"^\d{4}-\d{2}$", required=False, help_text="YYYY-MM")

    def validate(self, data: dict) -> dict:
        if bool(data.get("order")) == bool(data.get("company")):
            raise serializers.ValidationError("Give either `order` or `company` (with `month`).")
        return data


class InvoiceLineIn(serializers.Serializer):
    description = serializers.CharField(max_length=200)
    amount_yen = serializers.IntegerField(min_value=1, max_value=invoicing.MAX_AMOUNT)
    tax_rate = serializers.ChoiceField(choices=[10, 8], default=10)
    quantity = serializers.IntegerField(
        max_value=limits.MAX_ORDER_QUANTITY, min_value=1, required=False, allow_null=True
    )
    unit_label = serializers.CharField(max_length=10, required=False, allow_blank=True)
    unit_price_yen = serializers.IntegerField(
        max_value=limits.MAX_ORDER_TOTAL_YEN, min_value=1, required=False, allow_null=True
    )
    delivered_on = serializers.DateField(
        validators=[limits.validate_date], required=False, allow_null=True
    )


class PaymentIn(serializers.Serializer):
    paid_on = serializers.DateField(
        validators=[limits.validate_date],
    )
    amount_yen = serializers.IntegerField(
        max_value=limits.MAX_ORDER_TOTAL_YEN,
        min_value=0,
        required=False,
        allow_null=True,
        help_text="Default: the amount due.",
    )
    note = serializers.CharField(max_length=200, required=False, allow_blank=True)


class CompanyRevenueOut(serializers.Serializer):
    company = serializers.CharField(source="name")
    invoiced_yen = serializers.IntegerField(source="invoiced")
    returned_yen = serializers.IntegerField(source="returned")
    net_yen = serializers.IntegerField(source="net")


class PeriodOut(serializers.Serializer):
    revenue_yen = serializers.IntegerField(source="revenue")
    costs_yen = serializers.IntegerField(source="costs")
    wages_yen = serializers.IntegerField(source="wages")
    margin_yen = serializers.IntegerField(source="margin")
    within_rule = serializers.BooleanField()


class BooksOut(serializers.Serializer):
    month = serializers.DateField()
    revenue_by_company = CompanyRevenueOut(many=True)
    revenue_yen = serializers.IntegerField(source="revenue", help_text="Before tax.")
    costs_by_category = serializers.DictField(child=serializers.IntegerField())
    costs_yen = serializers.IntegerField(source="costs")
    wages_yen = serializers.IntegerField(source="wages", help_text="工賃 issued for the month.")
    margin_yen = serializers.IntegerField(source="margin")
    within_rule = serializers.BooleanField(
        help_text="工賃 ≤ production revenue − costs, as the rules for 就労継続支援 ask."
    )
    year_start = serializers.DateField(help_text="The first day of the fiscal year.")
    year = PeriodOut(help_text="From the start of the fiscal year to the end of the month.")


# --- statements -------------------------------------------------------------------------------


def statement_rows(user, workshop) -> QuerySet[WageStatement]:
    return (
        WageStatement.objects.visible_to(user)
        .filter(workshop=workshop)
        .select_related("participant", "adjusts")
        .prefetch_related("lines", "deductions")
    )


@extend_schema(tags=["staff money"])
class StatementList(StaffApiView):
    @extend_schema(
        summary="The month's 工賃 statements, every state",
        parameters=[MONTH],
        responses={200: StaffStatementOut(many=True), **errors(*READ)},
    )
    def get(self, request: Request, workshop_slug: str) -> Response:
        workshop = self.workshop(workshop_slug)
        month = month_of(request.query_params.get("month"))
        rows = statement_rows(request.user, workshop).filter(month=month)
        return self.page(rows.order_by("participant__nickname", "kind", "pk"), StaffStatementOut)


@extend_schema(tags=["staff money"])
class RunCreate(StaffApiView):
    @extend_schema(
        summary="Draft the month's statements for everyone (in the background)",
        description="Poll the run for its progress. Checked and issued statements are kept.",
        request=MonthIn,
        responses={202: RunOut, **errors(*WRITE)},
    )
    def post(self, request: Request, workshop_slug: str) -> Response:
        workshop = self.workshop(workshop_slug)
        month = month_of(parse(MonthIn, request)["month"])
        try:
            run = wages.start_month_run(workshop=workshop, month=month, by=request.user)
        except wages.WageError as error:
            raise Refused(error.message, error.code) from None
        return Response(RunOut(run).data, status=status.HTTP_202_ACCEPTED)


@extend_schema(tags=["staff money"])
class RunDetail(StaffApiView):
    @extend_schema(summary="How far a run has got", responses={200: RunOut, **errors(*READ)})
    def get(self, request: Request, workshop_slug: str, pk: int) -> Response:
        workshop = self.workshop(workshop_slug)
        run = get_object_or_404(
            WageRun.objects.visible_to(request.user).filter(workshop=workshop), pk=pk
        )
        return Response(RunOut(run).data)


class StatementAction(StaffApiView):
    def statement(self, request: Request, workshop_slug: str, pk: int) -> WageStatement:
        return get_statement_for_staff(request.user, self.workshop(workshop_slug), pk)

    def answer(self, request, statement: WageStatement, code=status.HTTP_200_OK) -> Response:
        fresh = statement_rows(request.user, statement.workshop).get(pk=statement.pk)
        return Response(StaffStatementOut(fresh).data, status=code)

    def run(self, action, **kwargs):
        try:
            return action(**kwargs)
        except wages.WageError as error:
            raise Refused(error.message, error.code) from None


@extend_schema(tags=["staff money"])
class StatementDetail(StatementAction):
    @extend_schema(summary="A statement", responses={200: StaffStatementOut, **errors(*READ)})
    def get(self, request: Request, workshop_slug: str, pk: int) -> Response:
        return self.answer(request, self.statement(request, workshop_slug, pk))


@extend_schema(tags=["staff money"])
class StatementDeduction(StatementAction):
    @extend_schema(
        summary="Add a deduction to a draft, with the reason the participant reads",
        description="Codes: `invalid`, `too_much` (400), `wrong_state` (409, not a draft).",
        request=DeductionIn,
        responses={200: StaffStatementOut, **errors(*WRITE)},
    )
    def post(self, request: Request, workshop_slug: str, pk: int) -> Response:
        statement = self.statement(request, workshop_slug, pk)
        data = parse(DeductionIn, request)
        self.run(wages.add_deduction, statement=statement, by=request.user, **data)
        return self.answer(request, statement)


@extend_schema(tags=["staff money"])
class StatementCheck(StatementAction):
    @extend_schema(
        summary="Mark a draft as checked",
        request=None,
        responses={200: StaffStatementOut, **errors(*WRITE)},
    )
    def post(self, request: Request, workshop_slug: str, pk: int) -> Response:
        statement = self.statement(request, workshop_slug, pk)
        self.run(wages.check_statement, statement=statement, by=request.user)
        return self.answer(request, statement)


@extend_schema(tags=["staff money"])
class StatementIssue(StatementAction):
    @extend_schema(
        summary="Issue a checked statement (it gets its number and never changes)",
        request=None,
        responses={200: StaffStatementOut, **errors(*WRITE)},
    )
    def post(self, request: Request, workshop_slug: str, pk: int) -> Response:
        statement = self.statement(request, workshop_slug, pk)
        self.run(wages.issue_statement, statement=statement, by=request.user)
        return self.answer(request, statement)


@extend_schema(tags=["staff money"])
class StatementAdjust(StatementAction):
    @extend_schema(
        summary="Draft an adjustment statement for an issued one",
        description="The month is computed again; each differing order becomes a line.",
        request=CorrectionIn,
        responses={201: StaffStatementOut, **errors(*WRITE)},
    )
    def post(self, request: Request, workshop_slug: str, pk: int) -> Response:
        statement = self.statement(request, workshop_slug, pk)
        data = parse(CorrectionIn, request)
        adjustment = self.run(
            wages.draft_adjustment, original=statement, by=request.user, reason=data["reason"]
        )
        return self.answer(request, adjustment, code=status.HTTP_201_CREATED)


@extend_schema(tags=["staff money"])
class StatementPdf(StatementAction):
    renderer_classes = [JSONRenderer, PdfRenderer]

    @extend_schema(summary="A statement as a PDF", responses={**PDF_RESPONSE, **errors(*READ)})
    def get(self, request: Request, workshop_slug: str, pk: int) -> HttpResponse:
        return pdf.pdf_response(statement_paper(self.statement(request, workshop_slug, pk)))


# --- invoices ---------------------------------------------------------------------------------


def invoice_rows(user, workshop):
    return (
        Invoice.objects.visible_to(user)
        .filter(workshop=workshop)
        .select_related("workshop", "company", "original", "payment")
        .prefetch_related("lines")
    )


@extend_schema(tags=["staff money"])
class InvoiceListCreate(StaffApiView):
    @extend_schema(
        summary="My workshop's invoices",
        parameters=[
            OpenApiParameter("status", str, enum=Invoice.Status.values, required=False),
            OpenApiParameter("unpaid", bool, description="Issued and not paid.", required=False),
            OpenApiParameter(
                "past_due", bool, description="Unpaid after the due date.", required=False
            ),
        ],
        responses={200: StaffInvoiceOut(many=True), **errors(*READ)},
    )
    def get(self, request: Request, workshop_slug: str) -> Response:
        workshop = self.workshop(workshop_slug)
        rows = invoice_rows(request.user, workshop)
        wanted = request.query_params.get("status")
        if wanted in Invoice.Status.values:
            rows = rows.filter(status=wanted)
        if request.query_params.get("unpaid") == "true":
            rows = rows.filter(pk__in=invoicing.unpaid(workshop).values("pk"))
        if request.query_params.get("past_due") == "true":
            rows = rows.filter(pk__in=invoicing.past_due(workshop).values("pk"))
        return self.page(rows.order_by("due_date", "-pk"), StaffInvoiceOut)

    @extend_schema(
        summary="Draft an invoice for one order, or for a company's month",
        description=(
            "Codes: `not_invoiceable` (409: not accepted by the company, or on another "
            "invoice), `empty` (400: nothing to invoice)."
        ),
        request=InvoiceDraftIn,
        responses={201: StaffInvoiceOut, **errors(*WRITE)},
    )
    def post(self, request: Request, workshop_slug: str) -> Response:
        workshop = self.workshop(workshop_slug)
        data = parse(InvoiceDraftIn, request)
        try:
            if data.get("order"):
                order = get_object_or_404(
                    Order.objects.visible_to(request.user).filter(workshop=workshop),
                    pk=data["order"],
                )
                invoice = invoicing.draft_invoice_for_order(order=order, by=request.user)
            else:
                company = get_object_or_404(
                    Company.objects.filter(partnerships__workshop=workshop), slug=data["company"]
                )
                invoice = invoicing.draft_month_invoice(
                    workshop=workshop,
                    company=company,
                    month=month_of(data.get("month")),
                    by=request.user,
                )
        except invoicing.InvoiceError as error:
            raise Refused(error.message, error.code) from None
        fresh = invoice_rows(request.user, workshop).get(pk=invoice.pk)
        return Response(StaffInvoiceOut(fresh).data, status=status.HTTP_201_CREATED)


class InvoiceAction(StaffApiView):
    def invoice(self, request: Request, workshop_slug: str, pk: int) -> Invoice:
        return get_invoice_for_staff(request.user, self.workshop(workshop_slug), pk)

    def answer(self, request, invoice: Invoice, code=status.HTTP_200_OK) -> Response:
        fresh = invoice_rows(request.user, invoice.workshop).get(pk=invoice.pk)
        return Response(StaffInvoiceOut(fresh).data, status=code)

    def run(self, action, **kwargs):
        try:
            return action(**kwargs)
        except invoicing.InvoiceError as error:
            raise Refused(error.message, error.code) from None


@extend_schema(tags=["staff money"])
class InvoiceDetail(InvoiceAction):
    @extend_schema(summary="An invoice", responses={200: StaffInvoiceOut, **errors(*READ)})
    def get(self, request: Request, workshop_slug: str, pk: int) -> Response:
        return self.answer(request, self.invoice(request, workshop_slug, pk))


@extend_schema(tags=["staff money"])
class InvoiceLineCreate(InvoiceAction):
    @extend_schema(
        summary="Add a line to a draft (or what a return invoice gives back)",
        description="Codes: `invalid`, `too_much` (400), `wrong_state` (409).",
        request=InvoiceLineIn,
        responses={200: StaffInvoiceOut, **errors(*WRITE)},
    )
    def post(self, request: Request, workshop_slug: str, pk: int) -> Response:
        invoice = self.invoice(request, workshop_slug, pk)
        data = parse(InvoiceLineIn, request)
        self.run(invoicing.add_line, invoice=invoice, by=request.user, **data)
        return self.answer(request, invoice)


@extend_schema(tags=["staff money"])
class InvoiceCheck(InvoiceAction):
    @extend_schema(
        summary="Mark a draft invoice as checked",
        request=None,
        responses={200: StaffInvoiceOut, **errors(*WRITE)},
    )
    def post(self, request: Request, workshop_slug: str, pk: int) -> Response:
        invoice = self.invoice(request, workshop_slug, pk)
        self.run(invoicing.check_invoice, invoice=invoice, by=request.user)
        return self.answer(request, invoice)


@extend_schema(tags=["staff money"])
class InvoiceIssue(InvoiceAction):
    @extend_schema(
        summary="Issue a checked invoice (numbered, fixed; its orders become invoiced)",
        description="Codes: `wrong_state`, `registration_number_missing` (409).",
        request=None,
        responses={200: StaffInvoiceOut, **errors(*WRITE)},
    )
    def post(self, request: Request, workshop_slug: str, pk: int) -> Response:
        invoice = self.invoice(request, workshop_slug, pk)
        self.run(invoicing.issue_invoice, invoice=invoice, by=request.user)
        return self.answer(request, invoice)


@extend_schema(tags=["staff money"])
class InvoicePayment(InvoiceAction):
    @extend_schema(
        summary="Record that the company paid (the invoice itself stays as issued)",
        description="Codes: `already_paid`, `wrong_state` (409), `invalid` (400).",
        request=PaymentIn,
        responses={200: StaffInvoiceOut, **errors(*WRITE)},
    )
    def post(self, request: Request, workshop_slug: str, pk: int) -> Response:
        invoice = self.invoice(request, workshop_slug, pk)
        data = parse(PaymentIn, request)
        self.run(invoicing.record_payment, invoice=invoice, by=request.user, **data)
        return self.answer(request, invoice)


@extend_schema(tags=["staff money"])
class InvoiceReturn(InvoiceAction):
    @extend_schema(
        summary="Start a return invoice (返還インボイス) for an issued invoice",
        description="Then add what is returned as lines, check and issue it.",
        request=CorrectionIn,
        responses={201: StaffInvoiceOut, **errors(*WRITE)},
    )
    def post(self, request: Request, workshop_slug: str, pk: int) -> Response:
        invoice = self.invoice(request, workshop_slug, pk)
        data = parse(CorrectionIn, request)
        draft = self.run(invoicing.draft_return_invoice, original=invoice, by=request.user, **data)
        return self.answer(request, draft, code=status.HTTP_201_CREATED)


@extend_schema(tags=["staff money"])
class InvoicePdf(InvoiceAction):
    renderer_classes = [JSONRenderer, PdfRenderer]

    @extend_schema(summary="An invoice as a PDF", responses={**PDF_RESPONSE, **errors(*READ)})
    def get(self, request: Request, workshop_slug: str, pk: int) -> HttpResponse:
        return pdf.pdf_response(invoice_paper(self.invoice(request, workshop_slug, pk)))


# --- the month's books ------------------------------------------------------------------------


@extend_schema(tags=["staff money"])
class Books(StaffApiView):
    @extend_schema(
        summary="The month's books: revenue by company, costs, 工賃, the margin",
        parameters=[MONTH],
        responses={200: BooksOut, **errors(*READ)},
    )
    def get(self, request: Request, workshop_slug: str) -> Response:
        workshop = self.workshop(workshop_slug)
        books = money.month_books(workshop, month_of(request.query_params.get("month")))
        return Response(BooksOut(books).data)
