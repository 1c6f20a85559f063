"""Orders as the workshop's staff see them: fixtures on top of the personas in tests/conftest.py."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from jobs.models import Order
from tests import factories


def submitted(workshop, company, **fields) -> Order:
    """An order the company has sent and the workshop has not decided on yet, for delivery three
    weeks from today (read when called)."""
    in_three_weeks = timezone.localdate() + datetime.timedelta(days=21)
    fields.setdefault("created_by", None)
    return factories.OrderFactory(
        workshop=workshop,
        company=company,
        status=Order.Status.SUBMITTED,
        desired_delivery_date=in_three_weeks,
        payment_date=in_three_weeks + datetime.timedelta(days=30),
        **fields,
    )


@pytest.fixture
def incoming(workshop_a, company_a, member_a):
    """1,000 items for ¥20,000: at 3 minutes an item and a 70% share, ¥280 an hour."""
    return submitted(
        workshop_a,
        company_a,
        title="DM封入 4月号",
        quantity=1000,
        unit_price_yen=20,
        total_price_yen=20000,
        created_by=member_a,
    )


@pytest.fixture
def staff_client(client, staff_a):
    client.force_login(staff_a)
    return client


def url(order: Order, action: str = "") -> str:
    base = f"/w/{order.workshop.slug}/orders/{order.pk}/"
    return base + (f"{action}/" if action else "")


def queries_for(client, path: str) -> int:
    with CaptureQueriesContext(connection) as context:
        response = client.get(path)
    assert response.status_code == 200
    return len(context.captured_queries)
