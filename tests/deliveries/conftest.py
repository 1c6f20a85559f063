"""An order of company A in progress at workshop A, with work approved in review, ready to be
delivered; on top of the personas in tests/conftest.py."""

import datetime

import pytest
from django.core import mail

from jobs import deliveries
from jobs.models import Order, WorkUnit
from tests import factories

TODAY = datetime.date(2026, 11, 20)


@pytest.fixture
def order(workshop_a, company_a, member_a):
    """100 枚 at ¥50, in progress."""
    return factories.OrderFactory(
        workshop=workshop_a,
        company=company_a,
        title="DM封入 12月号",
        quantity=100,
        unit_label="枚",
        unit_price_yen=50,
        total_price_yen=5000,
        status=Order.Status.IN_PROGRESS,
        created_by=member_a,
    )


def approve(order: Order, quantity: int, *, size: int = 20) -> None:
    """Approved units for `quantity` items (as review would leave them)."""
    numbers = order.units.count()
    while quantity > 0:
        piece = min(size, quantity)
        numbers += 1
        factories.WorkUnitFactory(
            order=order,
            number=numbers,
            quantity=piece,
            status=WorkUnit.Status.APPROVED,
            holder=factories.ParticipantFactory(workshop=order.workshop),
            home_ok=False,
            skill_tag="sealing",
        )
        quantity -= piece


@pytest.fixture
def approved_order(order):
    approve(order, 100)
    return order


def deliver(order: Order, by, quantity: int, **kwargs):
    kwargs.setdefault("delivered_on", TODAY)
    kwargs.setdefault("method", Order.DeliveryMethod.PICKUP)
    return deliveries.record_delivery(order=order, by=by, quantity=quantity, **kwargs)


@pytest.fixture
def sent(django_capture_on_commit_callbacks):
    """Run the on-commit hooks (where notifications start) and hand back the e-mails sent."""

    def run(action):
        mail.outbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            action()
        return list(mail.outbox)

    return run
