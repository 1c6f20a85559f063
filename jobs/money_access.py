"""Who may read which money document, shared by the pages and the APIs: each helper fetches
through the model's `visible_to(user)` and answers 404 for anything else (another workshop's
invoice, another company's, another participant's statement), never 403."""

from django.http import Http404
from django.shortcuts import get_object_or_404

from companies.models import Company
from jobs.models import Delivery, Invoice, Order, OrderConfirmation, ProductionCost
from participants.models import BankAccount, Participant, WageStatement
from workshop.models import Workshop


def get_invoice_for_staff(user, workshop: Workshop, pk: int) -> Invoice:
    return get_object_or_404(
        Invoice.objects.visible_to(user)
        .filter(workshop=workshop)
        .select_related("workshop", "company", "original"),
        pk=pk,
    )


def get_invoice_for_company(user, company: Company, pk: int) -> Invoice:
    """Issued invoices only: a draft is still the workshop's own."""
    return get_object_or_404(
        Invoice.objects.visible_to(user)
        .filter(company=company, status=Invoice.Status.ISSUED)
        .select_related("workshop", "company", "original"),
        pk=pk,
    )


def get_statement_for_staff(user, workshop: Workshop, pk: int) -> WageStatement:
    return get_object_or_404(
        WageStatement.objects.visible_to(user)
        .filter(workshop=workshop)
        .select_related("participant", "workshop", "adjusts"),
        pk=pk,
    )


def get_statement_for_participant(user, participant: Participant, pk: int) -> WageStatement:
    """The participant's own issued statement; anyone else's is 404."""
    return get_object_or_404(
        WageStatement.objects.visible_to(user)
        .filter(participant=participant, status=WageStatement.Status.ISSUED)
        .select_related("participant", "workshop", "adjusts"),
        pk=pk,
    )


def get_confirmation_for(user, order: Order) -> OrderConfirmation:
    return get_object_or_404(
        OrderConfirmation.objects.visible_to(user).select_related("order", "workshop", "company"),
        order=order,
    )


def get_delivery_for(user, order: Order, number: int) -> Delivery:
    return get_object_or_404(
        Delivery.objects.visible_to(user)
        .filter(order=order)
        .select_related("order__workshop", "order__company"),
        number=number,
    )


def get_cost_for_staff(user, workshop: Workshop, pk: int) -> ProductionCost:
    return get_object_or_404(
        ProductionCost.objects.visible_to(user).filter(workshop=workshop), pk=pk
    )


def get_participant_for_staff(user, workshop: Workshop, pk: int) -> Participant:
    return get_object_or_404(Participant.objects.visible_to(user).filter(workshop=workshop), pk=pk)


def bank_account_of(user, participant: Participant) -> BankAccount | None:
    """The account, for staff of the participant's workshop only (None if none is entered)."""
    if (
        not Participant.objects.visible_to(user)
        .filter(pk=participant.pk, workshop__staff_memberships__user=user)
        .exists()
    ):
        raise Http404
    return BankAccount.objects.visible_to(user).filter(participant=participant).first()
