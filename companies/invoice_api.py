"""Invoices and documents for companies' own systems (v1): the company's issued invoices and
return invoices, each as JSON and as a PDF; the order confirmation (注文請書) of an order; the
delivery slips as PDF. Read only, scoped to the token's company (or the signed-in member's);
another company's document, and any draft, is a 404."""

from django.db.models import QuerySet
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django_filters import rest_framework as filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response

from companies.api import (
    COMMON,
    CompanyApiView,
    StrictBooleanFilter,
    companies_of,
    errors,
    get_order_for,
)
from jobs import pdf
from jobs.documents import confirmation_paper, invoice_paper, slip_paper
from jobs.models import Delivery, Invoice, OrderConfirmation
from jobs.money_serializers import ConfirmationOut, InvoiceOut, PdfRenderer

PDF_RESPONSE = {(200, "application/pdf"): OpenApiTypes.BINARY}


def invoices_of(request: Request) -> QuerySet[Invoice]:
    return (
        Invoice.objects.visible_to(request.user)
        .filter(company__in=companies_of(request), status=Invoice.Status.ISSUED)
        .select_related("workshop", "company", "original", "payment")
        .prefetch_related("lines")
    )


def get_invoice_for(request: Request, pk: int) -> Invoice:
    return get_object_or_404(invoices_of(request), pk=pk)


class InvoiceFilter(filters.FilterSet):
    kind = filters.ChoiceFilter(choices=Invoice.Kind.choices)
    issued_since = filters.DateFilter(
        field_name="issued_on", lookup_expr="gte", help_text="Issued on or after this day."
    )
    unpaid = StrictBooleanFilter(
        field_name="payment", lookup_expr="isnull", help_text="true: no payment recorded yet."
    )

    class Meta:
        model = Invoice
        fields: list[str] = []


@extend_schema(tags=["invoices"])
class InvoiceList(CompanyApiView):
    filter_backends = [filters.DjangoFilterBackend]
    filterset_class = InvoiceFilter

    def get_queryset(self) -> QuerySet[Invoice]:
        return invoices_of(self.request).order_by("-issued_on", "-id")

    @extend_schema(
        summary="Your company's issued invoices and return invoices, newest first",
        description=(
            "Qualified invoices (適格請求書): the workshop's registration number, the period, "
            "the lines (reduced-rate lines marked), the amount and the tax per rate, and the "
            "totals. A return invoice (`kind: return`) names the invoice it corrects in "
            "`original`; `amount_due_yen` is an invoice's total less its issued returns."
        ),
        responses={200: InvoiceOut(many=True), **errors(*COMMON)},
    )
    def get(self, request: Request) -> Response:
        return self.page(self.get_queryset(), InvoiceOut)


@extend_schema(tags=["invoices"])
class InvoiceDetail(CompanyApiView):
    @extend_schema(
        summary="One issued invoice or return invoice",
        responses={200: InvoiceOut, **errors(404, *COMMON)},
    )
    def get(self, request: Request, pk: int) -> Response:
        return Response(InvoiceOut(get_invoice_for(request, pk)).data)


@extend_schema(tags=["invoices"])
class InvoicePdf(CompanyApiView):
    renderer_classes = [JSONRenderer, PdfRenderer]

    @extend_schema(
        summary="The invoice as a PDF (A4, Japanese font embedded)",
        responses={**PDF_RESPONSE, **errors(404, *COMMON)},
    )
    def get(self, request: Request, pk: int) -> HttpResponse:
        return pdf.pdf_response(invoice_paper(get_invoice_for(request, pk)))


def get_confirmation_for(request: Request, pk: int) -> OrderConfirmation:
    order = get_order_for(request, pk)
    return get_object_or_404(
        OrderConfirmation.objects.visible_to(request.user).select_related(
            "order", "workshop", "company"
        ),
        order=order,
    )


@extend_schema(tags=["documents"])
class ConfirmationDetail(CompanyApiView):
    @extend_schema(
        summary="The order confirmation (注文請書) the workshop issued when it accepted the order",
        description="404 until the order is accepted.",
        responses={200: ConfirmationOut, **errors(404, *COMMON)},
    )
    def get(self, request: Request, pk: int) -> Response:
        return Response(ConfirmationOut(get_confirmation_for(request, pk)).data)


@extend_schema(tags=["documents"])
class ConfirmationPdf(CompanyApiView):
    renderer_classes = [JSONRenderer, PdfRenderer]

    @extend_schema(
        summary="The order confirmation as a PDF",
        responses={**PDF_RESPONSE, **errors(404, *COMMON)},
    )
    def get(self, request: Request, pk: int) -> HttpResponse:
        return pdf.pdf_response(confirmation_paper(get_confirmation_for(request, pk)))


@extend_schema(tags=["documents"])
class SlipPdf(CompanyApiView):
    renderer_classes = [JSONRenderer, PdfRenderer]

    @extend_schema(
        summary="A delivery's slip (納品書) as a PDF",
        responses={**PDF_RESPONSE, **errors(404, *COMMON)},
    )
    def get(self, request: Request, pk: int, number: int) -> HttpResponse:
        order = get_order_for(request, pk)
        delivery = get_object_or_404(
            Delivery.objects.visible_to(request.user)
            .filter(order=order)
            .select_related("order__workshop", "order__company"),
            number=number,
        )
        return pdf.pdf_response(slip_paper(delivery))
