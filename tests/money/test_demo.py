"""The demo shows money in use: issued statements and an issued invoice, confirmations, bank
accounts, costs with receipts; and it can be seeded again without adding anything."""

import datetime

import pytest
from django.utils import timezone

from jobs.models import Credit, Invoice, Order, OrderConfirmation, ProductionCost
from participants.models import BankAccount, WageStatement
from workshop.demo import seed_demo


@pytest.mark.parametrize("day", [7, 25])
def test_the_demo_has_issued_statements_and_an_invoice_whatever_the_day(db, day):
    today = timezone.localdate()
    now = timezone.make_aware(datetime.datetime(today.year, today.month, day, 12))

    seed_demo(now=now)

    assert WageStatement.objects.filter(status="issued").exists()
    assert Invoice.objects.filter(status="issued", workshop__slug="hidamari").count() == 1
    assert Order.objects.filter(status="accepted_by_company").count() == 1  # left to try
    accepted = Order.objects.exclude(status__in=["draft", "submitted", "declined", "cancelled"])
    assert OrderConfirmation.objects.count() == accepted.count()
    assert Credit.objects.exists() and BankAccount.objects.count() >= 4
    assert all(cost.receipt for cost in ProductionCost.objects.all())

    counts = (WageStatement.objects.count(), Invoice.objects.count(), Credit.objects.count())
    seed_demo(now=now)
    assert (WageStatement.objects.count(), Invoice.objects.count(), Credit.objects.count()) == (
        counts
    )
