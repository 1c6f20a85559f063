"""What review credits, tried against random sequences of everything that can happen to an
order's units: take, log, hand back, expiry, hand in, approve, approve part, redo, delivery
and the company's refusal of part of one. After every step:

- credited ≤ logged, per person and unit;
- what a unit credits adds up to what was approved of it, and only approved units credit;
- approved in review = delivered + ready to deliver, and nothing is delivered unapproved;
- the order's units add up to what was ordered plus what the company sent back to redo;
- a credit, once written, never changes or goes away (no item paid twice, none taken back).
"""

import contextlib
import datetime
import uuid
from collections import defaultdict

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)

from jobs import deliveries, review, work
from jobs.models import Credit, Delivery, Order, ProgressLog, WorkUnit
from tests import factories

OPEN, CLAIMED, SUBMITTED, REDO, APPROVED = (
    WorkUnit.Status.OPEN,
    WorkUnit.Status.CLAIMED,
    WorkUnit.Status.SUBMITTED,
    WorkUnit.Status.REDO,
    WorkUnit.Status.APPROVED,
)
INDEX = st.integers(min_value=0, max_value=50)
HOW_MANY = st.integers(min_value=1, max_value=30)
# The personas the machine acts as, set by the test (a machine cannot take pytest fixtures).
CAST: dict = {}


def _pick(items, index):
    return items[index % len(items)] if items else None


class CreditMachine(RuleBasedStateMachine):
    """One order of 60 items in four units, three participants, staff and the company. Each
    rule runs only when something it could act on exists, so sequences reach review and
    delivery; a refusal by a rule is a legal outcome, and the invariants hold either way."""

    def __init__(self):
        super().__init__()
        self.atomic = transaction.atomic()
        self.atomic.__enter__()
        cast = CAST["a"]
        self.staff, self.member = cast["staff"], cast["member"]
        self.order = factories.OrderFactory(
            workshop=cast["workshop"],
            company=cast["company"],
            quantity=60,
            unit_price_yen=7,
            total_price_yen=420,
            status=Order.Status.ACCEPTED,
        )
        work.publish_units(order=self.order, by=self.staff, sizes=[20, 20, 15, 5])
        self.people = [factories.ParticipantFactory(workshop=cast["workshop"]) for _ in range(3)]
        self.seen: set = set()

    def teardown(self):
        transaction.set_rollback(True)
        self.atomic.__exit__(None, None, None)

    def units(self, *statuses):
        return list(
            WorkUnit.objects.filter(order=self.order, status__in=statuses)
            .select_related("holder")
            .order_by("pk")
        )

    def pending(self):
        return list(
            Delivery.objects.filter(
                order=self.order, status=Delivery.Status.PENDING_ACCEPTANCE
            ).order_by("pk")
        )

    def has(self, *statuses) -> bool:
        return WorkUnit.objects.filter(order=self.order, status__in=statuses).exists()

    @staticmethod
    def attempt(action, **kwargs):
        with contextlib.suppress(work.WorkError, deliveries.OrderError):
            action(**kwargs)

    @precondition(lambda self: self.has(OPEN, CLAIMED))
    @rule(who=st.integers(0, 2), which=INDEX)
    def take(self, who, which):
        unit = _pick(self.units(OPEN, CLAIMED), which)
        self.attempt(work.claim_unit, unit_id=unit.pk, participant=self.people[who])

    @precondition(lambda self: self.has(CLAIMED, REDO))
    @rule(which=INDEX, quantity=HOW_MANY, minutes=HOW_MANY)
    def log(self, which, quantity, minutes):
        unit = _pick(self.units(CLAIMED, REDO), which)
        self.attempt(
            work.log_progress,
            unit=unit,
            participant=unit.holder,
            client_uuid=uuid.uuid4(),
            quantity=min(quantity, unit.quantity - unit.quantity_logged()),
            minutes=minutes,
        )

    @precondition(lambda self: self.has(CLAIMED, REDO))
    @rule(which=INDEX)
    def hand_back(self, which):
        unit = _pick(self.units(CLAIMED, REDO), which)
        self.attempt(work.release_unit, unit=unit, participant=unit.holder)

    @precondition(lambda self: self.has(CLAIMED))
    @rule(which=INDEX)
    def expire(self, which):
        unit = _pick(self.units(CLAIMED), which)
        past = timezone.now() - datetime.timedelta(hours=1)
        WorkUnit.objects.filter(pk=unit.pk).update(expires_at=past)

    @precondition(lambda self: self.has(CLAIMED, REDO))
    @rule(which=INDEX)
    def hand_in(self, which):
        unit = _pick(self.units(CLAIMED, REDO), which)
        if not unit.is_claim_expired():
            self.attempt(work.finish_unit, unit=unit, participant=unit.holder)

    @precondition(lambda self: self.has(SUBMITTED))
    @rule(which=INDEX)
    def approve(self, which):
        unit = _pick(self.units(SUBMITTED), which)
        self.attempt(review.approve_unit, unit=unit, by=self.staff)

    @precondition(lambda self: self.has(SUBMITTED))
    @rule(which=INDEX, quantity=HOW_MANY)
    def approve_part(self, which, quantity):
        unit = _pick(self.units(SUBMITTED), which)
        if unit.quantity > 1:
            part = 1 + quantity % (unit.quantity - 1)
            self.attempt(review.approve_part, unit=unit, by=self.staff, quantity=part)

    @precondition(lambda self: self.has(SUBMITTED))
    @rule(which=INDEX)
    def redo(self, which):
        unit = _pick(self.units(SUBMITTED), which)
        self.attempt(review.ask_redo, unit=unit, by=self.staff, note="もう一度お願いします")

    @precondition(lambda self: self.has(APPROVED))
    @rule(quantity=HOW_MANY)
    def deliver(self, quantity):
        self.order.refresh_from_db()
        deliverable = deliveries.totals_of(self.order).deliverable
        if deliverable:
            self.attempt(
                deliveries.record_delivery,
                order=self.order,
                by=self.staff,
                quantity=min(quantity, deliverable),
                delivered_on=timezone.localdate(),
                method=Order.DeliveryMethod.PICKUP,
            )

    @precondition(lambda self: bool(self.pending()))
    @rule(which=INDEX, quantity=HOW_MANY)
    def refuse(self, which, quantity):
        delivery = _pick(self.pending(), which)
        self.attempt(
            deliveries.refuse_part,
            delivery=delivery,
            by=self.member,
            quantity=1 + quantity % delivery.quantity,
            reason="角が折れていました",
        )

    @precondition(lambda self: bool(self.pending()))
    @rule(which=INDEX)
    def accept(self, which):
        delivery = _pick(self.pending(), which)
        self.attempt(deliveries.accept_delivery, delivery=delivery, by=self.member)

    @invariant()
    def credits_hold(self):
        self.order.refresh_from_db()
        self.seen = check_invariants(self.order, self.seen)


def check_invariants(order, earlier_credits: set) -> set:
    logged = defaultdict(int)
    for unit_id, person_id, quantity in ProgressLog.objects.filter(unit__order=order).values_list(
        "unit_id", "participant_id", "quantity"
    ):
        logged[unit_id, person_id] += quantity
    credits = list(
        Credit.objects.filter(order=order).values_list(
            "pk", "unit_id", "participant_id", "quantity", "minutes", "approved_at"
        )
    )
    credited_per_unit = defaultdict(int)
    for _pk, unit_id, person_id, quantity, _minutes, _at in credits:
        assert quantity <= logged[unit_id, person_id], "credited more than was logged"
        credited_per_unit[unit_id] += quantity
    units = WorkUnit.objects.filter(order=order)
    for unit in units:
        if unit.status == WorkUnit.Status.APPROVED:
            assert credited_per_unit[unit.pk] == unit.approved_quantity, "approved ≠ credited"
        else:
            assert credited_per_unit[unit.pk] == 0, "a unit credited before it was approved"
    totals = deliveries.totals_of(order)
    assert totals.delivered <= totals.approved, "delivered something not approved"
    assert totals.approved == totals.delivered + totals.ready
    assert sum(credited_per_unit.values()) == totals.approved, "an item paid twice or unpaid"
    split = units.aggregate(total=Sum("quantity"))["total"] or 0
    assert split == order.quantity + totals.refused, "the units do not add up"
    now = set(credits)
    assert earlier_credits <= now, "a credit changed or went away"
    return now


def test_credit_never_exceeds_what_was_logged_or_approved(workshop_a, company_a, member_a, staff_a):
    CAST["a"] = {
        "workshop": workshop_a,
        "company": company_a,
        "member": member_a,
        "staff": staff_a,
    }
    run_state_machine_as_test(
        CreditMachine,
        settings=settings(
            max_examples=25,
            stateful_step_count=30,
            deadline=None,
            suppress_health_check=[HealthCheck.too_slow],
        ),
    )
