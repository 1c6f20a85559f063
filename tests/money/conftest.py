"""Approved work, statements and invoices for the money tests, made through the real rules."""

import datetime
import uuid

import pytest
from django.db.models import Max
from django.utils import timezone

from jobs import deliveries, invoicing, money, review, work
from jobs.models import Order
from participants import wages
from tests import factories


def approved_work(order, participant, *, quantity: int, minutes: int = 30, by, part=None):
    """A unit of `quantity` the participant took, logged in full and handed in, approved by
    staff (all of it, or `part` of it)."""
    unit = factories.WorkUnitFactory(order=order, quantity=quantity, number=next_number(order))
    work.claim_unit(unit_id=unit.pk, participant=participant)
    work.log_progress(
        unit=unit,
        participant=participant,
        client_uuid=uuid.uuid4(),
        quantity=quantity,
        minutes=minutes,
    )
    work.finish_unit(unit=unit, participant=participant)
    if part is None:
        review.approve_unit(unit=unit, by=by)
    else:
        review.approve_part(unit=unit, by=by, quantity=part)
    return unit


def next_number(order) -> int:
    return (order.units.aggregate(last=Max("number"))["last"] or 0) + 1


def this_month() -> datetime.date:
    return money.first_of_month(timezone.localdate())


def issued_statement(participant, by, month=None):
    statement = wages.draft_statement(participant=participant, month=month or this_month(), by=by)
    wages.check_statement(statement=statement, by=by)
    return wages.issue_statement(statement=statement, by=by)


def accepted_order(workshop, company, member, staff, **fields) -> Order:
    """An order delivered in full, approved and accepted by the company (検収), ready to bill."""
    fields.setdefault("quantity", 100)
    fields.setdefault("unit_price_yen", 50)
    fields.setdefault("total_price_yen", fields["quantity"] * (fields["unit_price_yen"] or 1))
    order = factories.OrderFactory(
        workshop=workshop, company=company, status=Order.Status.IN_PROGRESS, **fields
    )
    factories.WorkUnitFactory(
        order=order,
        quantity=order.quantity,
        status="approved",
        holder=factories.ParticipantFactory(workshop=workshop),
    )
    delivery = deliveries.record_delivery(
        order=order,
        by=staff,
        quantity=order.quantity,
        delivered_on=timezone.localdate(),
        method=Order.DeliveryMethod.PICKUP,
    )
    deliveries.accept_delivery(delivery=delivery, by=member)
    order.refresh_from_db()
    return order


def issued_invoice(order, by):
    invoice = invoicing.draft_invoice_for_order(order=order, by=by)
    invoicing.check_invoice(invoice=invoice, by=by)
    return invoicing.issue_invoice(invoice=invoice, by=by)


@pytest.fixture
def registered(workshop_a):
    workshop_a.invoice_registration_number = "T1234567890123"
    workshop_a.address = "坂ノ上市本町1-2-3"
    workshop_a.save()
    return workshop_a


@pytest.fixture
def staff_client(client, staff_a):
    client.force_login(staff_a)
    return client


@pytest.fixture
def envelopes(workshop_a, company_a):
    """¥25 an item; 70% share makes ¥17.5 per item for the participant."""
    return factories.OrderFactory(
        workshop=workshop_a,
        company=company_a,
        title="封入",
        quantity=1000,
        unit_price_yen=25,
        total_price_yen=25000,
    )


@pytest.fixture
def statement_a(participant_a, staff_a, envelopes):
    """そら's issued statement for this month: 40 × ¥25 × 70% = ¥700."""
    approved_work(envelopes, participant_a, quantity=40, by=staff_a)
    return issued_statement(participant_a, staff_a)


@pytest.fixture
def invoice_a(workshop_a, company_a, member_a, staff_a):
    """An issued invoice to company A: 100 × ¥50, ¥5,500 with tax."""
    order = accepted_order(workshop_a, company_a, member_a, staff_a, title="DM封入 12月号")
    return issued_invoice(order, staff_a)
