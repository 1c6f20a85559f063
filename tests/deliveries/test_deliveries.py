"""The rules of deliveries (納品) and acceptance (検収) in jobs/deliveries.py."""

import datetime

import pytest
from django.utils import timezone

from jobs import checking, counters, deliveries
from jobs.digital_models import CheckingMode
from jobs.models import Delivery, Order, OrderEvent, UnitEvent, WorkUnit
from jobs.orders import OrderStateError
from tests import factories
from tests.deliveries.conftest import approve, deliver
from tests.digital import checking_factories as make
from tests.i18n import in_japanese, ja

DELIVERY = "Delivery %(number)s: %(quantity)s %(unit)s"
REFUSED = "%(quantity)s %(unit)s of delivery %(number)s refused, to be redone: %(reason)s"


def test_it_sums_a_partial_then_a_final_delivery(approved_order, staff_a):
    first = deliver(approved_order, staff_a, 40, note="第1便")
    approved_order.refresh_from_db()
    assert approved_order.status == Order.Status.IN_PROGRESS
    assert (first.number, first.quantity, first.is_final) == (1, 40, False)

    second = deliver(approved_order, staff_a, 60)
    approved_order.refresh_from_db()
    assert (second.number, second.is_final) == (2, True)
    assert approved_order.status == Order.Status.DELIVERED
    totals = deliveries.totals_of(approved_order)
    assert (totals.delivered, totals.kept, totals.left_to_deliver, totals.pending) == (
        100,
        100,
        0,
        100,
    )
    notes = list(approved_order.events.values_list("to_status", "note"))
    assert notes[-2:] == [
        (
            "in_progress",
            ja(DELIVERY, number=1, quantity=40, unit="枚"),
        ),
        (
            "delivered",
            ja(DELIVERY, number=2, quantity=60, unit="枚"),
        ),
    ]


def test_it_refuses_more_than_was_ordered(approved_order, staff_a):
    approve(approved_order, 20)  # more approved than ordered: the order's quantity still rules
    deliver(approved_order, staff_a, 90)

    with pytest.raises(deliveries.DeliveryError) as refused:
        deliver(approved_order, staff_a, 11)

    assert refused.value.code == "too_much"
    assert refused.value.field == "quantity"
    assert refused.value.message == ja(
        "That is more than was ordered: %(left)s %(unit)s are left to deliver "
        "(%(ordered)s ordered, %(kept)s delivered).",
        left=10,
        unit="枚",
        ordered=100,
        kept=90,
    )
    assert approved_order.deliveries.count() == 1


def test_it_refuses_more_than_was_approved_and_not_yet_delivered(order, staff_a):
    approve(order, 30)
    deliver(order, staff_a, 25)

    with pytest.raises(deliveries.DeliveryError) as refused:
        deliver(order, staff_a, 6)

    assert (refused.value.code, refused.value.field) == ("not_approved_yet", "quantity")
    assert refused.value.message == ja(
        "Only %(ready)s %(unit)s have been approved in review and not delivered yet. "
        "Please review the rest of the work first.",
        ready=5,
        unit="枚",
    )
    assert deliver(order, staff_a, 5).quantity == 5


@pytest.mark.parametrize("quantity", [None, 0, -1])
def test_it_refuses_a_delivery_of_nothing(approved_order, staff_a, quantity):
    with pytest.raises(deliveries.DeliveryError) as refused:
        deliver(approved_order, staff_a, quantity)
    assert (refused.value.code, refused.value.field) == ("invalid", "quantity")
    assert refused.value.message == ja("Please enter how many you delivered (at least 1).")


def test_a_delivery_of_one_item_is_recorded(approved_order, staff_a):
    assert deliver(approved_order, staff_a, 1).quantity == 1


@pytest.mark.parametrize(
    "status",
    [Order.Status.ACCEPTED, Order.Status.DELIVERED, Order.Status.CANCELLED, Order.Status.SUBMITTED],
)
def test_it_records_deliveries_only_for_an_order_in_progress(approved_order, staff_a, status):
    Order.objects.filter(pk=approved_order.pk).update(status=status)

    with pytest.raises(OrderStateError) as refused:
        deliver(approved_order, staff_a, 10)

    assert refused.value.code == "wrong_state"
    assert refused.value.message == ja(
        "Deliveries can be recorded only while the order is in progress; it is %(status)s.",
        status=in_japanese(status.label),
    )
    assert not Delivery.objects.exists()


@pytest.mark.parametrize("method", ["", "drone", None])
def test_it_refuses_a_delivery_method_it_does_not_know(approved_order, staff_a, method):
    with pytest.raises(deliveries.DeliveryError) as refused:
        deliver(approved_order, staff_a, 10, method=method)
    assert (refused.value.code, refused.value.field) == ("invalid", "method")
    assert refused.value.message == ja("Please choose a delivery method.")
    assert not Delivery.objects.exists()


def test_a_delivery_keeps_what_staff_wrote_trimmed(approved_order, staff_a, member_a):
    delivery = deliver(
        approved_order, staff_a, 10, note="  午前中に搬入  ", method=Order.DeliveryMethod.SHIPPING
    )
    delivery.refresh_from_db()
    assert (delivery.note, delivery.method, delivery.recorded_by) == (
        "午前中に搬入",
        Order.DeliveryMethod.SHIPPING,
        staff_a,
    )


def test_only_the_workshops_staff_record_a_delivery(approved_order, staff_b, member_a):
    for outsider in (staff_b, member_a):
        with pytest.raises(deliveries.DeliveryError) as refused:
            deliver(approved_order, outsider, 10)
        assert refused.value.code == "forbidden"
        assert refused.value.message == ja("Only the workshop's staff can record a delivery.")


def test_a_final_delivery_of_fewer_items_delivers_the_order(approved_order, staff_a):
    """The company agreed to take 90: staff mark the delivery as the final one."""
    delivery = deliver(approved_order, staff_a, 90, final=True)

    approved_order.refresh_from_db()
    assert delivery.is_final
    assert approved_order.status == Order.Status.DELIVERED


def test_accepting_every_delivery_of_a_delivered_order_is_acceptance(
    approved_order, staff_a, member_a
):
    first = deliver(approved_order, staff_a, 40)
    second = deliver(approved_order, staff_a, 60)

    deliveries.accept_delivery(delivery=first, by=member_a)
    approved_order.refresh_from_db()
    assert approved_order.status == Order.Status.DELIVERED  # the second still waits

    deliveries.accept_delivery(delivery=second, by=member_a)
    approved_order.refresh_from_db()
    second.refresh_from_db()
    assert approved_order.status == Order.Status.ACCEPTED_BY_COMPANY
    assert (second.status, second.decided_by) == (Delivery.Status.ACCEPTED, member_a)
    assert second.decided_at is not None
    last = approved_order.events.last()
    assert (last.from_status, last.to_status, last.actor) == (
        "delivered",
        "accepted_by_company",
        member_a,
    )


def test_accepting_a_partial_delivery_leaves_the_order_in_progress(
    approved_order, staff_a, member_a
):
    first = deliver(approved_order, staff_a, 40)

    deliveries.accept_delivery(delivery=first, by=member_a)

    approved_order.refresh_from_db()
    assert approved_order.status == Order.Status.IN_PROGRESS
    assert approved_order.events.last().note == ja("Delivery %(number)s accepted.", number=1)


def test_a_delivery_is_answered_once(approved_order, staff_a, member_a):
    delivery = deliver(approved_order, staff_a, 40)
    deliveries.accept_delivery(delivery=delivery, by=member_a)

    with pytest.raises(OrderStateError):
        deliveries.accept_delivery(delivery=delivery, by=member_a)
    with pytest.raises(OrderStateError):
        deliveries.refuse_part(delivery=delivery, by=member_a, quantity=1, reason="汚れ")


def test_only_the_ordering_company_answers(approved_order, staff_a, member_b):
    delivery = deliver(approved_order, staff_a, 40)
    for outsider in (staff_a, member_b):
        with pytest.raises(deliveries.DeliveryError) as refused:
            deliveries.accept_delivery(delivery=delivery, by=outsider)
        assert refused.value.code == "forbidden"


def test_refusing_part_creates_open_redo_units_with_the_reason(approved_order, staff_a, member_a):
    deliver(approved_order, staff_a, 40)
    second = deliver(approved_order, staff_a, 60)
    units_before = set(approved_order.units.values_list("pk", flat=True))

    deliveries.refuse_part(
        delivery=second, by=member_a, quantity=25, reason="封が甘いものがあります"
    )

    second.refresh_from_db()
    assert second.status == Delivery.Status.PARTLY_REFUSED
    assert (second.refused_quantity, second.accepted_quantity) == (25, 35)
    assert second.refusal_reason == "封が甘いものがあります"
    redo = list(approved_order.units.exclude(pk__in=units_before).order_by("number"))
    # Made like the order's units (20 at most, on site, sealing), 25 items in all.
    assert [u.quantity for u in redo] == [20, 5]
    assert [u.number for u in redo] == [6, 7]
    for unit in redo:
        assert unit.status == WorkUnit.Status.OPEN and unit.holder is None
        assert unit.instructions.startswith(
            ja("Redo asked by the company: %(reason)s", reason="封が甘いものがあります")
        )
        assert (unit.home_ok, unit.skill_tag) == (False, "sealing")
        assert unit.events.get().kind == UnitEvent.Kind.PUBLISHED
    # The order is back in progress; what participants were credited stays.
    approved_order.refresh_from_db()
    assert approved_order.status == Order.Status.IN_PROGRESS
    assert sum(approved_order.units.values_list("approved_quantity", flat=True)) == 100
    event = approved_order.events.last()
    assert (event.from_status, event.to_status, event.actor) == (
        "delivered",
        "in_progress",
        member_a,
    )
    assert "封が甘いものがあります" in event.note


def test_the_refused_items_are_delivered_again_once_redone_and_approved(
    approved_order, staff_a, member_a
):
    delivery = deliver(approved_order, staff_a, 100)
    deliveries.refuse_part(delivery=delivery, by=member_a, quantity=10, reason="汚れ")
    totals = deliveries.totals_of(approved_order)
    assert (totals.left_to_deliver, totals.ready) == (10, 0)

    with pytest.raises(deliveries.DeliveryError) as refused:
        deliver(approved_order, staff_a, 10)
    assert refused.value.code == "not_approved_yet"

    approved_order.units.filter(status=WorkUnit.Status.OPEN).update(
        status=WorkUnit.Status.APPROVED, approved_quantity=10
    )
    counters.reset([approved_order.pk])
    again = deliver(approved_order, staff_a, 10)
    approved_order.refresh_from_db()
    assert again.is_final and approved_order.status == Order.Status.DELIVERED
    deliveries.accept_delivery(delivery=again, by=member_a)
    approved_order.refresh_from_db()
    assert approved_order.status == Order.Status.ACCEPTED_BY_COMPANY


def test_refusing_needs_a_reason_and_a_quantity_within_the_delivery(
    approved_order, staff_a, member_a
):
    delivery = deliver(approved_order, staff_a, 40)

    with pytest.raises(deliveries.DeliveryError) as no_reason:
        deliveries.refuse_part(delivery=delivery, by=member_a, quantity=5, reason="  ")
    with pytest.raises(deliveries.DeliveryError) as too_many:
        deliveries.refuse_part(delivery=delivery, by=member_a, quantity=41, reason="汚れ")

    assert (no_reason.value.code, no_reason.value.field) == ("reason_required", "reason")
    assert (too_many.value.code, too_many.value.field) == ("too_much", "quantity")
    # Japanese, the language the tests run in, as the portal and the API show them.
    assert (no_reason.value.message, too_many.value.message) == (
        ja("Please tell the workshop what was wrong, so they can redo it."),
        ja("Refuse between 1 and %(quantity)s items of this delivery.", quantity="40"),
    )
    delivery.refresh_from_db()
    assert delivery.status == Delivery.Status.PENDING_ACCEPTANCE
    assert approved_order.units.count() == 5


def test_every_decision_is_an_event_both_sides_read(approved_order, staff_a, member_a):
    delivery = deliver(approved_order, staff_a, 40)
    deliveries.refuse_part(delivery=delivery, by=member_a, quantity=5, reason="汚れ")

    for reader in (staff_a, member_a):
        notes = list(
            OrderEvent.objects.visible_to(reader)
            .filter(order=approved_order)
            .values_list("note", flat=True)
        )
        assert ja(DELIVERY, number=1, quantity=40, unit="枚") in notes
        assert (
            ja(
                "%(quantity)s %(unit)s of delivery %(number)s refused, to be redone: %(reason)s",
                quantity=5,
                unit="枚",
                number=1,
                reason="汚れ",
            )
            in notes
        )


def test_a_delivery_tells_the_company_and_acceptance_tells_the_workshop(
    sent, approved_order, staff_a, manager_a, member_a, company_admin_a, member_b, staff_b
):
    messages = sent(lambda: deliver(approved_order, staff_a, 100))
    assert sorted(m.to for m in messages) == [["admin-a@example.com"], ["member-a@example.com"]]
    title = approved_order.title
    assert messages[0].subject.endswith(
        ja("%(workshop)s delivered your order: %(title)s", workshop="ひだまり作業所", title=title)
    )
    assert ja(DELIVERY, number=1, quantity=100, unit="枚") in messages[0].body
    assert f"/c/okanoue-print/orders/{approved_order.pk}/" in messages[0].body

    delivery = approved_order.deliveries.get()
    messages = sent(lambda: deliveries.accept_delivery(delivery=delivery, by=member_a))
    assert sorted(m.to for m in messages) == [["manager-a@example.com"], ["staff-a@example.com"]]
    assert messages[0].subject.endswith(
        ja(
            "%(company)s accepted the order as delivered: %(title)s",
            company="丘の上印刷",
            title=approved_order.title,
        )
    )
    assert f"/w/hidamari/orders/{approved_order.pk}/" in messages[0].body


def test_a_refusal_tells_the_workshop_with_the_reason(
    sent, approved_order, staff_a, member_a, company_admin_a
):
    delivery = deliver(approved_order, staff_a, 40)

    messages = sent(
        lambda: deliveries.refuse_part(delivery=delivery, by=member_a, quantity=3, reason="汚れ")
    )

    assert [m.to for m in messages] == [["staff-a@example.com"]]
    assert messages[0].subject.endswith(
        ja(
            "%(company)s asked for part of a delivery to be redone: %(title)s",
            company="丘の上印刷",
            title=approved_order.title,
        )
    )
    assert (
        ja(
            "%(quantity)s %(unit)s of delivery %(number)s refused, to be redone: %(reason)s",
            quantity=3,
            unit="枚",
            number=1,
            reason="汚れ",
        )
        in messages[0].body
    )


def test_the_demo_deliveries_match_the_demo_orders_and_run_once(db):
    from jobs.demo_deliveries import seed_demo_deliveries
    from workshop.demo import seed_demo

    seed_demo()
    seed_demo_deliveries()
    assert seed_demo_deliveries() == 0

    delivered = Order.objects.filter(status__in=["delivered", "accepted_by_company"])
    assert delivered.count() >= 2
    for order in delivered:
        delivery = order.deliveries.get()
        assert delivery.is_final and delivery.quantity == order.quantity
        expected = "accepted" if order.status == "accepted_by_company" else "pending_acceptance"
        assert delivery.status == expected
        totals = deliveries.totals_of(order)
        assert totals.left_to_deliver == 0 and totals.approved >= totals.delivered


def test_redo_units_copy_the_latest_largest_unit_and_are_published_by_the_company(
    order, staff_a, member_a
):
    """The refused items are opened like the order's largest unit, the latest of equals: its
    place, skill, sample, its instructions under the reason, its minutes in proportion (at
    least 1); each with a "published" event by the company's member, and in the counters."""
    made = [
        (20, "古い手順", 40, True, "", "samples/a.jpg"),
        (20, "新しい手順", 10, False, "sealing", "samples/b.jpg"),
        (10, "小分け", 5, True, "", ""),
    ]
    for number, (quantity, instructions, minutes, home_ok, skill, sample) in enumerate(made, 1):
        factories.WorkUnitFactory(
            order=order,
            number=number,
            quantity=quantity,
            instructions=instructions,
            estimated_minutes=minutes,
            home_ok=home_ok,
            skill_tag=skill,
            sample_photo=sample,
            status=WorkUnit.Status.APPROVED,
            approved_quantity=quantity,
            holder=factories.ParticipantFactory(workshop=order.workshop),
        )
    counters.reset([order.pk])
    delivery = deliver(order, staff_a, 50)
    before = timezone.now()

    deliveries.refuse_part(delivery=delivery, by=member_a, quantity=21, reason="印字がずれています")

    header = ja("Redo asked by the company: %(reason)s", reason="印字がずれています")
    redo = list(order.units.filter(number__gt=3).order_by("number"))
    assert [(u.number, u.quantity, u.estimated_minutes) for u in redo] == [(4, 20, 10), (5, 1, 1)]
    for unit in redo:
        assert unit.instructions == f"{header}\n\n新しい手順"
        assert (unit.home_ok, unit.skill_tag, unit.sample_photo.name) == (
            False,
            "sealing",
            "samples/b.jpg",
        )
        assert (unit.status, unit.holder, unit.approved_quantity) == (WorkUnit.Status.OPEN, None, 0)
        event = unit.events.get()
        assert (event.kind, event.actor, event.quantity, event.note) == (
            UnitEvent.Kind.PUBLISHED,
            member_a,
            unit.quantity,
            header,
        )
        assert before <= event.at <= timezone.now()
    order.refresh_from_db()
    assert (order.units_total, order.items_in_units, order.units_approved) == (5, 71, 3)


@pytest.mark.parametrize("refused", [None, 0, 41])
def test_a_refusal_outside_one_to_the_whole_delivery_is_refused(
    approved_order, staff_a, member_a, refused
):
    delivery = deliver(approved_order, staff_a, 40)
    with pytest.raises(deliveries.DeliveryError) as outside:
        deliveries.refuse_part(delivery=delivery, by=member_a, quantity=refused, reason="汚れ")
    assert outside.value.code == "too_much"


@pytest.mark.parametrize("refused", [1, 40])
def test_one_item_or_the_whole_delivery_can_be_refused(approved_order, staff_a, member_a, refused):
    delivery = deliver(approved_order, staff_a, 40)
    deliveries.refuse_part(delivery=delivery, by=member_a, quantity=refused, reason="汚れ")
    delivery.refresh_from_db()
    assert (delivery.status, delivery.refused_quantity, delivery.accepted_quantity) == (
        Delivery.Status.PARTLY_REFUSED,
        refused,
        40 - refused,
    )


def test_who_answered_a_delivery_is_on_it_and_on_every_event_it_writes(
    approved_order, staff_a, member_a
):
    """Accepting a first delivery, refusing part of a second and of a third while the order is
    in progress: each decision carries the company's member (refusing part of a delivered
    order: test_refusing_part_creates_open_redo_units_with_the_reason)."""
    first, second = deliver(approved_order, staff_a, 30), deliver(approved_order, staff_a, 30)
    assert first.note == ""  # no note given, none stored
    deliveries.accept_delivery(delivery=first, by=member_a)
    deliveries.refuse_part(delivery=second, by=member_a, quantity=2, reason="汚れ")
    final = deliver(approved_order, staff_a, 40)
    deliveries.refuse_part(delivery=final, by=member_a, quantity=1, reason="折れ")

    for delivery in (first, second, final):
        delivery.refresh_from_db()
        assert delivery.decided_by == member_a and delivery.decided_at is not None
    answers = approved_order.events.filter(actor=member_a).order_by("pk")
    assert [(e.from_status, e.to_status) for e in answers] == [
        ("in_progress", "in_progress"),
        ("in_progress", "in_progress"),
        ("in_progress", "in_progress"),
    ]
    assert answers[0].note == ja("Delivery %(number)s accepted.", number=1)
    published = UnitEvent.objects.filter(unit__order=approved_order, kind="published")
    assert set(published.values_list("actor", flat=True)) == {member_a.pk}


def test_another_orders_waiting_delivery_does_not_hold_up_acceptance(
    approved_order, staff_a, member_a, company_a
):
    other = factories.OrderFactory(
        workshop=approved_order.workshop,
        company=company_a,
        quantity=10,
        status=Order.Status.IN_PROGRESS,
    )
    approve(other, 10)
    deliver(other, staff_a, 5)  # waits for the company's answer
    delivery = deliver(approved_order, staff_a, 100)

    deliveries.accept_delivery(delivery=delivery, by=member_a)

    approved_order.refresh_from_db()
    assert approved_order.status == Order.Status.ACCEPTED_BY_COMPANY
    assert approved_order.events.last().note == ja("Delivery %(number)s accepted.", number=1)


def test_accepting_a_partial_delivery_tells_the_workshop(sent, approved_order, staff_a, member_a):
    delivery = deliver(approved_order, staff_a, 40)
    messages = sent(lambda: deliveries.accept_delivery(delivery=delivery, by=member_a))
    assert [m.to for m in messages] == [["staff-a@example.com"]]
    assert ja("Delivery %(number)s accepted.", number=1) in messages[0].body


def test_the_refusals_of_an_answer_say_why(approved_order, staff_a, member_a, member_b):
    delivery = deliver(approved_order, staff_a, 40)
    with pytest.raises(deliveries.DeliveryError) as outsider:
        deliveries.accept_delivery(delivery=delivery, by=member_b)
    deliveries.accept_delivery(delivery=delivery, by=member_a)
    with pytest.raises(OrderStateError) as again:
        deliveries.accept_delivery(delivery=delivery, by=member_a)

    assert outsider.value.message == ja("Only the ordering company can accept a delivery.")
    assert again.value.message == ja(
        "This delivery was already answered (%(status)s).",
        status=in_japanese(Delivery.Status.ACCEPTED.label),
    )


# --- where an order stands ------------------------------------------------------------------


def test_an_order_with_nothing_approved_stands_at_zero_and_delivers_nothing(order, staff_a):
    assert deliveries.totals_of(order) == deliveries.DeliveryTotals(
        ordered=100, approved=0, delivered=0, refused=0, pending=0
    )

    with pytest.raises(deliveries.DeliveryError) as refused:
        deliver(order, staff_a, 1)

    assert (refused.value.code, refused.value.field) == ("not_approved_yet", "quantity")
    assert not Delivery.objects.exists()


def test_the_totals_count_as_waiting_only_what_the_company_has_not_answered(
    approved_order, staff_a, member_a
):
    first = deliver(approved_order, staff_a, 40)
    assert deliveries.totals_of(approved_order) == deliveries.DeliveryTotals(
        ordered=100, approved=100, delivered=40, refused=0, pending=40
    )
    deliveries.accept_delivery(delivery=first, by=member_a)
    assert deliveries.totals_of(approved_order).pending == 0

    second = deliver(approved_order, staff_a, 30)
    third = deliver(approved_order, staff_a, 20)
    deliveries.refuse_part(delivery=second, by=member_a, quantity=5, reason="汚れ")

    totals = deliveries.totals_of(approved_order)
    assert totals == deliveries.DeliveryTotals(
        ordered=100, approved=100, delivered=90, refused=5, pending=third.quantity
    )
    assert (totals.kept, totals.left_to_deliver, totals.ready) == (85, 15, 10)
    deliveries.accept_delivery(delivery=third, by=member_a)
    assert deliveries.totals_of(approved_order).pending == 0


def test_a_hands_on_order_counts_what_its_units_approved(approved_order):
    """Each unit holds its own items: the approved quantities add up (see the digital order
    under double entry below, where they do not)."""
    approve(approved_order, 10)  # 110 approved in units, 100 ordered
    totals = deliveries.totals_of(approved_order)
    assert (totals.approved, totals.ready, totals.deliverable) == (110, 110, 100)


def test_a_digital_order_under_double_entry_counts_each_item_with_a_result_once(
    workshop_a, company_a, staff_a
):
    """Both entries of items 1-2 agree: four units' worth of approved answers, two items with a
    result. Two can be delivered, not four."""
    order = make.digital_order(workshop_a, company_a, items=4, checking=CheckingMode.DOUBLE)
    first, _rest, second, _second_rest = make.split(order, size=2)
    make.take_and_answer(first, make.participant(workshop_a, "そら"))
    make.take_and_answer(second, make.participant(workshop_a, "うみ"))
    assert sum(order.units.values_list("approved_quantity", flat=True)) == 4

    totals = deliveries.totals_of(order)
    assert totals == deliveries.DeliveryTotals(
        ordered=4, approved=2, delivered=0, refused=0, pending=0
    )
    with pytest.raises(deliveries.DeliveryError) as refused:
        deliver(order, staff_a, 3, method=Order.DeliveryMethod.DIGITAL)
    assert refused.value.code == "not_approved_yet"
    delivery = deliver(order, staff_a, 2, method=Order.DeliveryMethod.DIGITAL)
    assert sorted(delivery.items.values_list("number", flat=True)) == [1, 2]


# --- who recorded a delivery, and who hears of it -------------------------------------------


def test_every_delivery_event_carries_the_staff_member_who_recorded_it(approved_order, staff_a):
    deliver(approved_order, staff_a, 40)
    deliver(approved_order, staff_a, 60)

    recorded = approved_order.events.filter(
        note__in=[
            ja(DELIVERY, number=1, quantity=40, unit="枚"),
            ja(DELIVERY, number=2, quantity=60, unit="枚"),
        ]
    )
    assert list(recorded.order_by("pk").values_list("from_status", "to_status", "actor")) == [
        ("in_progress", "in_progress", staff_a.pk),
        ("in_progress", "delivered", staff_a.pk),
    ]


def test_a_partial_delivery_tells_the_company(
    sent, approved_order, staff_a, member_a, company_admin_a
):
    messages = sent(lambda: deliver(approved_order, staff_a, 40))

    assert sorted(m.to for m in messages) == [["admin-a@example.com"], ["member-a@example.com"]]
    assert messages[0].subject.endswith(
        ja(
            "%(workshop)s delivered part of your order: %(title)s",
            workshop="ひだまり作業所",
            title=approved_order.title,
        )
    )
    assert ja(DELIVERY, number=1, quantity=40, unit="枚") in messages[0].body


# --- which items a digital delivery hands over ----------------------------------------------


def test_a_digital_delivery_hands_over_the_oldest_results_first_and_only_results(
    workshop_a, company_a, participant_a, staff_a
):
    """Items 1-2 are answered but not checked yet; 5-6 were approved before 3-4."""
    order = make.digital_order(workshop_a, company_a, items=6)
    waiting, later, earlier = make.split(order, size=2)
    for unit in (waiting, later, earlier):
        make.take_and_answer(unit, participant_a)
    checking.approve_all(unit=earlier, by=staff_a)
    checking.approve_all(unit=later, by=staff_a)

    first = deliver(order, staff_a, 3, method=Order.DeliveryMethod.DIGITAL)
    second = deliver(order, staff_a, 1, method=Order.DeliveryMethod.DIGITAL)

    assert sorted(first.items.values_list("number", flat=True)) == [3, 5, 6]
    assert list(second.items.values_list("number", flat=True)) == [4]
    assert list(order.items.filter(delivery=None).values_list("number", flat=True)) == [1, 2]


def test_a_digital_delivery_never_hands_over_another_orders_items(
    workshop_a, company_a, participant_a, staff_a
):
    other = make.digital_order(workshop_a, company_a, items=2)
    order = make.digital_order(workshop_a, company_a, items=2)
    for digital in (other, order):  # the other order's results are the older ones
        (unit,) = make.split(digital, size=2)
        make.take_and_answer(unit, participant_a)
        checking.approve_all(unit=unit, by=staff_a)

    delivery = deliver(order, staff_a, 2, method=Order.DeliveryMethod.DIGITAL)

    assert set(delivery.items.values_list("order", flat=True)) == {order.pk}
    assert delivery.items.count() == 2
    assert not other.items.exclude(delivery=None).exists()


# --- the units a refusal opens --------------------------------------------------------------


def test_a_refusal_publishes_its_redo_units_and_no_other_unit(
    approved_order, staff_a, member_a, company_a
):
    """Another order has units numbered beyond this one's five; this order's own units stay as
    they were."""
    other = factories.OrderFactory(
        workshop=approved_order.workshop,
        company=company_a,
        quantity=200,
        status=Order.Status.IN_PROGRESS,
    )
    approve(other, 200)
    delivery = deliver(approved_order, staff_a, 100)
    before = set(UnitEvent.objects.values_list("pk", flat=True))

    deliveries.refuse_part(delivery=delivery, by=member_a, quantity=25, reason="汚れ")

    published = UnitEvent.objects.exclude(pk__in=before)
    redo = approved_order.units.filter(number__gt=5)
    assert sorted(published.values_list("unit", flat=True)) == sorted(
        redo.values_list("pk", flat=True)
    )
    assert sorted(redo.values_list("number", "quantity")) == [(6, 20), (7, 5)]
    assert set(published.values_list("kind", flat=True)) == {UnitEvent.Kind.PUBLISHED}


def test_the_redo_units_are_published_at_the_moment_of_the_refusal(
    monkeypatch, approved_order, staff_a, member_a
):
    delivery = deliver(approved_order, staff_a, 100)
    moment = timezone.now() - datetime.timedelta(days=3)
    monkeypatch.setattr(timezone, "now", lambda: moment)

    deliveries.refuse_part(delivery=delivery, by=member_a, quantity=45, reason="汚れ")

    delivery.refresh_from_db()
    assert delivery.decided_at == moment
    published = UnitEvent.objects.filter(unit__order=approved_order, kind="published")
    assert list(published.values_list("at", flat=True)) == [moment, moment, moment]
