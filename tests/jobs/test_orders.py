import datetime
import threading

import pytest
from django.db import connection
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from jobs import orders
from jobs.models import Order, OrderEvent
from tests import factories
from workshop.models import Workshop


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


@given(
    total=st.integers(1, 1_000_000_000),
    quantity=st.integers(1, 10_000_000),
    minutes=st.integers(1, 600),
    share=st.integers(0, 100),
)
def test_the_hourly_equivalent_is_exact_and_rounded_down_once(total, quantity, minutes, share):
    """Integer arithmetic, never float: floor(total × share% ÷ hours) to the yen, for any sizes
    (a float quotient is off by a yen for large orders)."""
    workshop = Workshop(wage_share_percent=share)
    expected = (total * share * 60) // (100 * quantity * minutes)
    assert (
        orders.hourly_equivalent_yen(
            total_price_yen=total, quantity=quantity, minutes_per_item=minutes, workshop=workshop
        )
        == expected
    )


@pytest.fixture
def draft(workshop_a, company_a, member_a, in_three_weeks):
    return factories.OrderFactory(
        workshop=workshop_a,
        company=company_a,
        status=Order.Status.DRAFT,
        payment_date=None,
        desired_delivery_date=in_three_weeks,
        created_by=member_a,
    )


def test_submitting_a_draft_fixes_its_payment_date_and_writes_an_event(
    draft, member_a, in_three_weeks
):
    orders.submit_order(order=draft, by=member_a)
    assert draft.status == Order.Status.SUBMITTED
    assert draft.payment_date == orders.default_payment_date(in_three_weeks)
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


def terms(**overrides) -> dict:
    """An order's terms, for delivery three weeks from today (read when called)."""
    in_three_weeks = timezone.localdate() + datetime.timedelta(days=21)
    return {
        "title": "DM封入 4月号",
        "kind": Order.Kind.HANDS_ON,
        "quantity": 2000,
        "unit_label": "枚",
        "unit_price_yen": 5,
        "desired_delivery_date": in_three_weeks,
        "delivery_method": Order.DeliveryMethod.PICKUP,
        **overrides,
    }


def test_it_creates_a_draft_with_the_total_from_the_unit_price(workshop_a, company_a, member_a):
    order = orders.create_order(company=company_a, workshop=workshop_a, by=member_a, terms=terms())
    assert (order.status, order.total_price_yen, order.payment_date) == ("draft", 10000, None)
    assert [e.to_status for e in order.events.all()] == ["draft"]


def test_it_creates_and_submits_in_one_step(workshop_a, company_a, member_a, in_three_weeks):
    order = orders.create_order(
        company=company_a, workshop=workshop_a, by=member_a, terms=terms(), submit=True
    )
    assert order.status == "submitted"
    assert order.payment_date == orders.default_payment_date(in_three_weeks)


def test_it_says_what_to_fix_for_each_field(workshop_a, company_a, member_a, in_three_weeks):
    with pytest.raises(orders.OrderInvalid) as refused:
        orders.create_order(
            company=company_a,
            workshop=workshop_a,
            by=member_a,
            terms=terms(
                title=" ",
                quantity=0,
                payment_date=in_three_weeks + datetime.timedelta(days=61),
            ),
            submit=True,
        )
    assert set(refused.value.errors) == {"title", "quantity", "payment_date"}
    assert Order.objects.count() == 0


def test_it_refuses_a_total_that_does_not_match_the_unit_price(workshop_a, company_a, member_a):
    with pytest.raises(orders.OrderInvalid) as refused:
        orders.create_order(
            company=company_a,
            workshop=workshop_a,
            by=member_a,
            terms=terms(total_price_yen=9000),
        )
    assert "total_price_yen" in refused.value.errors


def test_a_company_cannot_order_from_a_workshop_it_does_not_work_with(
    workshop_b, company_a, member_a
):
    with pytest.raises(orders.OrderInvalid) as refused:
        orders.create_order(company=company_a, workshop=workshop_b, by=member_a, terms=terms())
    assert "workshop" in refused.value.errors


def test_the_same_idempotency_key_returns_the_first_order(workshop_a, company_a, member_a):
    fingerprint = orders.request_fingerprint({"title": "x"})
    kwargs = dict(company=company_a, workshop=workshop_a, by=member_a, terms=terms(), submit=False)
    first, created = orders.create_order_once(
        **kwargs, idempotency_key="abc", fingerprint=fingerprint
    )
    again, created_again = orders.create_order_once(
        **kwargs, idempotency_key="abc", fingerprint=fingerprint
    )
    assert (created, created_again) == (True, False)
    assert first == again
    assert Order.objects.count() == 1
    with pytest.raises(orders.IdempotencyConflict):
        orders.create_order_once(
            **kwargs, idempotency_key="abc", fingerprint=orders.request_fingerprint({"title": "y"})
        )


def test_a_proposal_confirmed_by_the_company_accepts_the_order_with_its_terms(
    workshop_a, company_a, member_a, staff_a, in_three_weeks
):
    order = orders.create_order(
        company=company_a, workshop=workshop_a, by=member_a, terms=terms(), submit=True
    )
    later = in_three_weeks + datetime.timedelta(days=7)
    proposal = orders.propose_changes(
        order=order,
        by=staff_a,
        total_price_yen=14000,
        unit_price_yen=7,
        desired_delivery_date=later,
        payment_date=orders.default_payment_date(later),
        note="手作業の工程が多いため、単価のご相談です。",
    )
    order.refresh_from_db()
    assert order.status == "submitted"  # nothing starts before the company agrees

    orders.confirm_changes(proposal=proposal, by=member_a)
    order.refresh_from_db()
    assert (order.status, order.total_price_yen, order.desired_delivery_date) == (
        "accepted",
        14000,
        later,
    )
    with pytest.raises(orders.OrderStateError):
        orders.refuse_changes(proposal=proposal, by=member_a)


def test_a_refused_proposal_leaves_the_order_submitted(
    workshop_a, company_a, member_a, staff_a, in_three_weeks
):
    order = orders.create_order(
        company=company_a, workshop=workshop_a, by=member_a, terms=terms(), submit=True
    )
    proposal = orders.propose_changes(
        order=order,
        by=staff_a,
        total_price_yen=12000,
        unit_price_yen=6,
        desired_delivery_date=in_three_weeks,
        payment_date=orders.default_payment_date(in_three_weeks),
    )
    orders.refuse_changes(proposal=proposal, by=member_a, reason="予算が合いません")
    order.refresh_from_db()
    assert (order.status, order.total_price_yen) == ("submitted", 10000)
    assert order.events.last().note == "予算が合いません"


def test_messages_are_written_only_from_a_side_the_author_belongs_to(
    order_a, member_a, staff_a, member_b
):
    orders.post_message(order=order_a, by=member_a, side="company", body="よろしくお願いします")
    orders.post_message(order=order_a, by=staff_a, side="workshop", body="承知しました")
    with pytest.raises(orders.OrderError):
        orders.post_message(order=order_a, by=member_b, side="company", body="割り込み")
    with pytest.raises(orders.OrderError):
        orders.post_message(order=order_a, by=member_a, side="workshop", body="なりすまし")
    assert [m.side for m in order_a.messages.all()] == ["company", "workshop"]


def test_a_file_is_stored_under_a_name_we_make(order_a, member_a):
    from django.core.files.uploadedfile import SimpleUploadedFile

    attachment = orders.attach_file(
        order=order_a,
        by=member_a,
        upload=SimpleUploadedFile("../../etc/仕様書.pdf", b"%PDF-1.7\n%%EOF\n"),
    )
    assert attachment.content_type == "application/pdf"
    assert attachment.original_name == "仕様書.pdf"
    assert attachment.file.name.startswith(f"orders/{order_a.pk}/")
    assert attachment.file.name.endswith(".pdf")
    assert ".." not in attachment.file.name


@pytest.mark.django_db(transaction=True)
def test_identical_creates_at_the_same_moment_make_one_order(workshop_a, company_a, member_a):
    fingerprint = orders.request_fingerprint({"title": "same"})
    barrier = threading.Barrier(5)
    outcomes = []

    def create():
        try:
            barrier.wait()
            order, created = orders.create_order_once(
                company=company_a,
                workshop=workshop_a,
                by=member_a,
                terms=terms(),
                submit=True,
                idempotency_key="order-2026-04",
                fingerprint=fingerprint,
            )
            outcomes.append((order.pk, created))
        except Exception as error:
            outcomes.append(repr(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=create) for _ in range(5)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert Order.objects.count() == 1
    order = Order.objects.get()
    assert sorted(outcomes, key=str) == sorted(
        [(order.pk, True)] + [(order.pk, False)] * 4, key=str
    )
    assert order.events.filter(to_status="submitted").count() == 1


def test_a_company_can_cancel_a_draft_that_has_no_payment_date_yet(draft, member_a, in_three_weeks):
    assert draft.payment_date is None

    orders.cancel_order_by_company(order=draft, by=member_a)

    assert draft.status == Order.Status.CANCELLED
    assert draft.payment_date == orders.default_payment_date(in_three_weeks)


def test_the_workshop_can_withdraw_a_pending_proposal_once(draft, member_a, staff_a):
    orders.submit_order(order=draft, by=member_a)
    proposal = orders.propose_changes(
        order=draft,
        by=staff_a,
        total_price_yen=6000,
        unit_price_yen=None,
        desired_delivery_date=draft.desired_delivery_date,
        payment_date=draft.payment_date,
    )

    orders.withdraw_proposal(proposal=proposal, by=staff_a)

    assert (proposal.status, proposal.decided_by) == ("withdrawn", staff_a)
    assert [e.to_status for e in draft.events.all()] == ["submitted", "submitted", "submitted"]
    with pytest.raises(orders.OrderStateError) as refused:
        orders.withdraw_proposal(proposal=proposal, by=staff_a)
    assert refused.value.code == "proposal_closed"
    with pytest.raises(orders.OrderStateError):
        orders.confirm_changes(proposal=proposal, by=member_a)


def test_the_hourly_estimate_compares_with_the_workshops_floor(workshop_a, company_a):
    order = factories.OrderFactory(
        workshop=workshop_a, company=company_a, quantity=1000, total_price_yen=20000
    )

    estimate = orders.hourly_estimate(order=order, minutes_per_item=3)
    proposed = orders.hourly_estimate(order=order, minutes_per_item=3, total_price_yen=30000)

    assert (estimate.yen_per_hour, estimate.hours, estimate.floor_yen) == (280, 50.0, 300)
    assert estimate.below_floor
    assert (proposed.yen_per_hour, proposed.below_floor) == (420, False)
    assert orders.hourly_estimate(order=order, minutes_per_item=None) is None
