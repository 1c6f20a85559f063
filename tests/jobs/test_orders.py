import datetime
import threading

import pytest
from django.db import connection

from jobs import orders
from jobs.models import Order, OrderEvent
from tests import factories


def test_default_payment_date_is_the_end_of_the_next_month():
    assert orders.default_payment_date(datetime.date(2026, 1, 15)) == datetime.date(2026, 2, 28)
    assert orders.default_payment_date(datetime.date(2026, 12, 3)) == datetime.date(2027, 1, 31)


def test_default_payment_date_never_passes_sixty_days():
    # July 1st → August 31st would be 61 days: the legal limit wins.
    assert orders.default_payment_date(datetime.date(2026, 7, 1)) == datetime.date(2026, 8, 30)


def test_it_refuses_a_payment_date_more_than_sixty_days_after_delivery():
    delivery = datetime.date(2026, 3, 1)
    assert orders.payment_date_problem(delivery, delivery + datetime.timedelta(days=60)) is None
    assert "60" in orders.payment_date_problem(delivery, delivery + datetime.timedelta(days=61))


def test_hourly_equivalent_shows_what_a_participant_would_earn(workshop_a):
    workshop_a.wage_share_percent = 70
    # ¥20,000 for 1,000 items at 3 minutes each: 50 hours, ¥14,000 to wages → ¥280 an hour.
    assert (
        orders.hourly_equivalent_yen(
            total_price_yen=20000, quantity=1000, minutes_per_item=3, workshop=workshop_a
        )
        == 280
    )
    assert (
        orders.hourly_equivalent_yen(
            total_price_yen=20000, quantity=1000, minutes_per_item=0, workshop=workshop_a
        )
        is None
    )


@pytest.fixture
def draft(workshop_a, company_a, member_a):
    return factories.OrderFactory(
        workshop=workshop_a,
        company=company_a,
        status=Order.Status.DRAFT,
        payment_date=None,
        desired_delivery_date=datetime.date(2026, 1, 15),
        created_by=member_a,
    )


def test_submitting_a_draft_fixes_its_payment_date_and_writes_an_event(draft, member_a):
    orders.submit_order(order=draft, by=member_a)
    assert draft.status == Order.Status.SUBMITTED
    assert draft.payment_date == datetime.date(2026, 2, 28)
    event = OrderEvent.objects.get(order=draft)
    assert (event.from_status, event.to_status, event.actor) == ("draft", "submitted", member_a)


def test_it_refuses_to_submit_twice(draft, member_a):
    orders.submit_order(order=draft, by=member_a)
    with pytest.raises(orders.OrderStateError) as refused:
        orders.submit_order(order=draft, by=member_a)
    assert refused.value.code == "wrong_state"
    assert OrderEvent.objects.filter(order=draft).count() == 1


def test_accept_decline_and_cancel_refuse_wrong_states(draft, member_a, staff_a):
    with pytest.raises(orders.OrderStateError):
        orders.accept_order(order=draft, by=staff_a)
    with pytest.raises(orders.OrderStateError):
        orders.decline_order(order=draft, by=staff_a, reason="手が足りません")
    orders.submit_order(order=draft, by=member_a)
    orders.accept_order(order=draft, by=staff_a, minutes_per_item=2)
    assert draft.minutes_per_item == 2
    with pytest.raises(orders.OrderStateError):
        orders.cancel_order_by_company(order=draft, by=member_a)
    orders.cancel_order_by_workshop(order=draft, by=staff_a, reason="材料が届きませんでした")
    assert draft.status == Order.Status.CANCELLED
    assert [e.to_status for e in draft.events.all()] == ["submitted", "accepted", "cancelled"]


def test_declining_needs_a_reason(draft, member_a, staff_a):
    orders.submit_order(order=draft, by=member_a)
    with pytest.raises(orders.OrderError) as refused:
        orders.decline_order(order=draft, by=staff_a, reason="  ")
    assert refused.value.code == "reason_required"
    draft.refresh_from_db()
    assert draft.status == Order.Status.SUBMITTED


@pytest.mark.django_db(transaction=True)
def test_two_people_accepting_at_once_accept_once(workshop_a, company_a, staff_a, manager_a):
    order = factories.OrderFactory(workshop=workshop_a, company=company_a, status="submitted")
    outcomes = []

    def accept(user):
        try:
            orders.accept_order(order=Order.objects.get(pk=order.pk), by=user)
            outcomes.append("won")
        except orders.OrderStateError:
            outcomes.append("refused")
        except Exception as error:  # anything else must show in the assertion, not vanish
            outcomes.append(repr(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=accept, args=(u,)) for u in (staff_a, manager_a)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["refused", "won"]
    assert OrderEvent.objects.filter(order=order, to_status="accepted").count() == 1
