"""The order's transitions after it is sent, and the workshop's change proposals (jobs/orders.py):
for every transition, the event it writes (from, to, who, note, when), the status and time it
sets, whom it tells, and its refusal from each wrong starting state; for a proposal, what is
proposed, confirmed, refused and withdrawn, by whom and when, and what changes on the order."""

import datetime
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.core import mail
from django.utils import timezone

from jobs import orders
from jobs.models import ChangeProposal, Order, OrderEvent
from jobs.money_models import OrderConfirmation
from tests import factories
from tests.i18n import in_japanese, ja

S = Order.Status
P = ChangeProposal.Status
LONG_AGO = datetime.datetime(2026, 1, 5, 9, 0, tzinfo=datetime.UTC)

WORKSHOP, COMPANY = "workshop", "company"
# Who hears of what one side does: the other side's people, the one who acted left out.
TOLD = {
    WORKSHOP: [["admin-a@example.com"], ["member-a@example.com"]],
    COMPANY: [["manager-a@example.com"], ["staff-a@example.com"]],
}


@dataclass(frozen=True)
class Move:
    """One transition as its rule is called, and what it should do."""

    name: str
    call: Callable  # (order, by, note) -> Order
    allowed: frozenset
    to: str
    side: str  # who acts
    refusal: str  # msgid, with %(status)s
    subject: str | None  # msgid of the e-mail's subject; None: nobody is told
    note_in: str | None = "メモ"  # None: the rule takes no note
    note_out: str = "メモ"

    def __str__(self) -> str:
        return self.name


MOVES = [
    Move(
        "accept_order",
        lambda order, by, note: orders.accept_order(order=order, by=by, note=note),
        frozenset({S.SUBMITTED}),
        S.ACCEPTED,
        WORKSHOP,
        "Only a submitted order can be accepted; this order is %(status)s.",
        "%(workshop)s accepted your order: %(title)s",
    ),
    Move(
        "decline_order",
        lambda order, by, note: orders.decline_order(order=order, by=by, reason=note),
        frozenset({S.SUBMITTED}),
        S.DECLINED,
        WORKSHOP,
        "Only a submitted order can be declined; this order is %(status)s.",
        "%(workshop)s cannot take on your order: %(title)s",
        note_in="  手が足りません  ",
        note_out="手が足りません",
    ),
    Move(
        "cancel_order_by_company",
        lambda order, by, note: orders.cancel_order_by_company(order=order, by=by, reason=note),
        frozenset({S.DRAFT, S.SUBMITTED}),
        S.CANCELLED,
        COMPANY,
        "The order can no longer be cancelled here because it is %(status)s. "
        "Please send the workshop a message.",
        "%(company)s cancelled the order: %(title)s",
        note_in="  予定が変わりました  ",
        note_out="予定が変わりました",
    ),
    Move(
        "cancel_order_by_workshop",
        lambda order, by, note: orders.cancel_order_by_workshop(order=order, by=by, reason=note),
        frozenset({S.SUBMITTED, S.ACCEPTED, S.IN_PROGRESS}),
        S.CANCELLED,
        WORKSHOP,
        "An order that is %(status)s can no longer be cancelled.",
        "%(workshop)s cancelled your order: %(title)s",
        note_in="  材料が届きません  ",
        note_out="材料が届きません",
    ),
    Move(
        "start_work",
        lambda order, by, note: orders.start_work(order=order, by=by),
        frozenset({S.ACCEPTED}),
        S.IN_PROGRESS,
        WORKSHOP,
        "Only an accepted order can start; this order is %(status)s.",
        None,
        note_in=None,
        note_out="",
    ),
    Move(
        "mark_delivered",
        lambda order, by, note: orders.mark_delivered(order=order, by=by, note=note),
        frozenset({S.IN_PROGRESS}),
        S.DELIVERED,
        WORKSHOP,
        "Only an order in progress can be delivered; this order is %(status)s.",
        "%(workshop)s delivered your order: %(title)s",
    ),
    Move(
        "accept_by_company",
        lambda order, by, note: orders.accept_by_company(order=order, by=by, note=note),
        frozenset({S.DELIVERED}),
        S.ACCEPTED_BY_COMPANY,
        COMPANY,
        "Only a delivered order can be accepted by the company; this order is %(status)s.",
        "%(company)s accepted the order as delivered: %(title)s",
    ),
    Move(
        "reopen_for_redo",
        lambda order, by, note: orders.reopen_for_redo(order=order, by=by, note=note),
        frozenset({S.DELIVERED}),
        S.IN_PROGRESS,
        COMPANY,
        "Only a delivered order can go back to work; this order is %(status)s.",
        "%(company)s asked for part of a delivery to be redone: %(title)s",
    ),
    Move(
        "mark_invoiced",
        lambda order, by, note: orders.mark_invoiced(order=order, by=by, note=note),
        frozenset({S.ACCEPTED_BY_COMPANY}),
        S.INVOICED,
        WORKSHOP,
        "Only an order the company accepted can be invoiced; this order is %(status)s.",
        None,
    ),
]
BY_NAME = {move.name: move for move in MOVES}
# Each move from each state it starts from (drafts are the company's: cancelling one is apart).
STARTS = [
    pytest.param(move, start, id=f"{move}-{start}")
    for move in MOVES
    for start in sorted(move.allowed)
    if start != S.DRAFT
]
WRONG_STARTS = [
    pytest.param(move, status, id=f"{move}-{status}")
    for move in MOVES
    for status in S.values
    if status not in move.allowed
]
# The rules whose note may be left out.
OPTIONAL_NOTES = [
    pytest.param(name, call, id=name)
    for name, call in [
        ("accept_order", lambda order, by: orders.accept_order(order=order, by=by)),
        (
            "cancel_order_by_company",
            lambda order, by: orders.cancel_order_by_company(order=order, by=by),
        ),
        ("mark_delivered", lambda order, by: orders.mark_delivered(order=order, by=by)),
        ("accept_by_company", lambda order, by: orders.accept_by_company(order=order, by=by)),
        ("mark_invoiced", lambda order, by: orders.mark_invoiced(order=order, by=by)),
    ]
]
OPTIONAL_NOTE_STARTS = {
    "accept_order": S.SUBMITTED,
    "cancel_order_by_company": S.SUBMITTED,
    "mark_delivered": S.IN_PROGRESS,
    "accept_by_company": S.DELIVERED,
    "mark_invoiced": S.ACCEPTED_BY_COMPANY,
}


@pytest.fixture
def sent(django_capture_on_commit_callbacks):
    """Run the on-commit hooks (where notifications start) and hand back the e-mails sent."""

    def run(action):
        mail.outbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            result = action()
        return result, sorted(mail.outbox, key=lambda m: m.to)

    return run


@pytest.fixture
def people(staff_a, manager_a, member_a, company_admin_a):
    """Both sides' people, so that every notice has someone to go to."""
    return {WORKSHOP: staff_a, COMPANY: member_a}


@pytest.fixture
def make_order(workshop_a, company_a, member_a, in_three_weeks):
    """An order of company A at workshop A in `status`, last changed long ago, with a payment
    date that is not the default one (so a rule that recomputed it would show)."""

    def make(status: str, **fields) -> Order:
        fields.setdefault("payment_date", in_three_weeks + datetime.timedelta(days=10))
        order = factories.OrderFactory(
            workshop=workshop_a,
            company=company_a,
            created_by=member_a,
            title="DM封入 12月号",
            quantity=100,
            unit_label="枚",
            unit_price_yen=50,
            total_price_yen=5000,
            desired_delivery_date=in_three_weeks,
            status=status,
            **fields,
        )
        Order.objects.filter(pk=order.pk).update(updated_at=LONG_AGO)
        order.refresh_from_db()
        return order

    return make


def proposal_on(order: Order, *, by, status: str = P.PENDING, **fields) -> ChangeProposal:
    """A proposal as the rules would have left it."""
    fields.setdefault("total_price_yen", 6000)
    fields.setdefault("desired_delivery_date", order.desired_delivery_date)
    fields.setdefault("payment_date", order.payment_date or order.desired_delivery_date)
    return ChangeProposal.objects.create(
        order=order, status=status, proposed_by=by, proposed_at=LONG_AGO, **fields
    )


def as_seen(order: Order) -> dict:
    """Every field of the order but the ones a transition may change."""
    return {
        field.attname: getattr(order, field.attname)
        for field in Order._meta.concrete_fields
        if field.attname not in {"status", "updated_at"}
    }


def last_event(order: Order) -> OrderEvent:
    return OrderEvent.objects.filter(order=order).order_by("-pk").first()


# --- the transitions ---------------------------------------------------------------------------


@pytest.mark.parametrize(("move", "start"), STARTS)
def test_each_transition_writes_its_event_and_moves_the_order(make_order, people, move, start):
    order = make_order(start)
    untouched = as_seen(order)
    by = people[move.side]

    before = timezone.now()
    returned = move.call(order, by, move.note_in)
    after = timezone.now()

    assert returned.pk == order.pk
    order.refresh_from_db()
    assert order.status == move.to
    assert before <= order.updated_at <= after
    assert as_seen(order) == untouched  # the payment date and the terms stay as they were
    event = OrderEvent.objects.get(order=order)
    assert (event.from_status, event.to_status, event.actor, event.note) == (
        start,
        move.to,
        by,
        move.note_out,
    )
    assert before <= event.at <= after


@pytest.mark.parametrize(("name", "call"), OPTIONAL_NOTES)
def test_a_transition_without_a_note_writes_an_event_without_one(make_order, people, name, call):
    order = make_order(OPTIONAL_NOTE_STARTS[name])
    call(order, people[BY_NAME[name].side])
    assert last_event(order).note == ""


@pytest.mark.parametrize(("move", "status"), WRONG_STARTS)
def test_each_transition_refuses_each_wrong_state_and_says_why(make_order, people, move, status):
    order = make_order(status)
    with pytest.raises(orders.OrderStateError) as refused:
        move.call(order, people[move.side], move.note_in or "メモ")
    assert refused.value.code == "wrong_state"
    assert refused.value.message == ja(move.refusal, status=in_japanese(S(status).label))
    order.refresh_from_db()
    assert (order.status, order.updated_at) == (status, LONG_AGO)
    assert not OrderEvent.objects.filter(order=order).exists()


@pytest.mark.parametrize("move", [pytest.param(m, id=m.name) for m in MOVES if m.subject], ids=str)
def test_each_transition_tells_the_other_side(sent, make_order, people, move):
    order = make_order(min(move.allowed - {S.DRAFT}))
    _, messages = sent(lambda: move.call(order, people[move.side], move.note_in))
    assert [m.to for m in messages] == TOLD[move.side]
    subject = ja(move.subject, workshop="ひだまり作業所", company="丘の上印刷", title=order.title)
    assert all(m.subject.endswith(subject) for m in messages)


@pytest.mark.parametrize(
    "move", [pytest.param(m, id=m.name) for m in MOVES if not m.subject], ids=str
)
def test_starting_work_and_invoicing_tell_nobody(sent, make_order, people, move):
    order = make_order(min(move.allowed))
    _, messages = sent(lambda: move.call(order, people[move.side], move.note_in))
    assert messages == []


def test_cancelling_a_draft_tells_nobody_and_gives_it_its_payment_date(
    sent, make_order, people, member_a, in_three_weeks
):
    draft = make_order(S.DRAFT, payment_date=None)
    _, messages = sent(lambda: orders.cancel_order_by_company(order=draft, by=member_a))
    assert messages == []
    assert draft.status == S.CANCELLED
    assert draft.payment_date == orders.default_payment_date(in_three_weeks)
    event = last_event(draft)
    assert (event.from_status, event.to_status, event.actor, event.note) == (
        S.DRAFT,
        S.CANCELLED,
        member_a,
        "",
    )


@pytest.mark.parametrize("reason", ["", "   "], ids=["empty", "spaces"])
def test_the_workshop_cancels_only_with_a_reason(make_order, staff_a, reason):
    order = make_order(S.ACCEPTED)
    with pytest.raises(orders.OrderError) as refused:
        orders.cancel_order_by_workshop(order=order, by=staff_a, reason=reason)
    assert refused.value.code == "reason_required"
    assert refused.value.message == ja("Please give the company a reason for cancelling.")
    order.refresh_from_db()
    assert order.status == S.ACCEPTED
    assert not OrderEvent.objects.filter(order=order).exists()


def test_accepting_issues_the_confirmation_in_the_name_of_who_accepted(make_order, staff_a):
    order = make_order(S.SUBMITTED)
    orders.accept_order(order=order, by=staff_a, minutes_per_item=2)
    assert order.minutes_per_item == 2
    assert OrderConfirmation.objects.get(order=order).issued_by == staff_a


@pytest.mark.parametrize(
    "move",
    [
        pytest.param(BY_NAME[name], id=name)
        for name in (
            "accept_order",
            "decline_order",
            "cancel_order_by_company",
            "cancel_order_by_workshop",
        )
    ],
)
def test_deciding_the_order_otherwise_withdraws_only_its_waiting_proposal(
    make_order, people, staff_a, member_a, move
):
    order = make_order(S.SUBMITTED)
    refused_before = proposal_on(
        order, by=staff_a, status=P.REFUSED, decided_by=member_a, decided_at=LONG_AGO
    )
    waiting = proposal_on(order, by=staff_a)
    elsewhere = proposal_on(make_order(S.SUBMITTED), by=staff_a)
    by = people[move.side]

    before = timezone.now()
    move.call(order, by, move.note_in)
    after = timezone.now()

    waiting.refresh_from_db()
    assert (waiting.status, waiting.decided_by) == (P.WITHDRAWN, by)
    assert before <= waiting.decided_at <= after
    for untouched, status, decided_by, decided_at in [
        (refused_before, P.REFUSED, member_a, LONG_AGO),
        (elsewhere, P.PENDING, None, None),
    ]:
        untouched.refresh_from_db()
        assert (untouched.status, untouched.decided_by, untouched.decided_at) == (
            status,
            decided_by,
            decided_at,
        )


# --- change proposals ----------------------------------------------------------------------------


@pytest.fixture
def terms(in_three_weeks):
    """Other terms: ¥60 instead of ¥50 each, a week later, paid five days after delivery."""
    delivery = in_three_weeks + datetime.timedelta(days=7)
    return {
        "unit_price_yen": 60,
        "total_price_yen": None,
        "desired_delivery_date": delivery,
        "payment_date": delivery + datetime.timedelta(days=5),
    }


def test_a_proposal_keeps_what_was_proposed_by_whom_and_leaves_the_order_as_it_is(
    sent, make_order, people, staff_a, terms
):
    order = make_order(S.SUBMITTED)
    untouched = as_seen(order)

    before = timezone.now()
    proposal, messages = sent(
        lambda: orders.propose_changes(
            order=order, by=staff_a, minutes_per_item=4, note="  来週なら間に合います  ", **terms
        )
    )
    after = timezone.now()

    proposal.refresh_from_db()
    assert (
        proposal.order,
        proposal.unit_price_yen,
        proposal.total_price_yen,
        proposal.desired_delivery_date,
        proposal.payment_date,
        proposal.minutes_per_item,
        proposal.note,
        proposal.status,
        proposal.proposed_by,
        proposal.decided_by,
        proposal.decided_at,
    ) == (
        order,
        60,
        6000,
        terms["desired_delivery_date"],
        terms["payment_date"],
        4,
        "来週なら間に合います",
        P.PENDING,
        staff_a,
        None,
        None,
    )
    assert before <= proposal.proposed_at <= after
    order.refresh_from_db()
    assert (order.status, order.updated_at, as_seen(order)) == (S.SUBMITTED, LONG_AGO, untouched)
    event = OrderEvent.objects.get(order=order)
    assert (event.from_status, event.to_status, event.actor, event.note) == (
        S.SUBMITTED,
        S.SUBMITTED,
        staff_a,
        "来週なら間に合います",
    )
    assert before <= event.at <= after
    assert [m.to for m in messages] == TOLD[WORKSHOP]
    assert all(
        m.subject.endswith(
            ja(
                "%(workshop)s proposes other terms for your order: %(title)s",
                workshop="ひだまり作業所",
                title=order.title,
            )
        )
        for m in messages
    )


def test_a_proposal_without_a_note_says_that_terms_were_proposed(make_order, staff_a, terms):
    order = make_order(S.SUBMITTED)
    proposal = orders.propose_changes(order=order, by=staff_a, **terms)
    assert proposal.note == ""
    assert last_event(order).note == ja("The workshop proposed other terms.")


def test_a_proposal_is_checked_as_a_sent_order_is(make_order, staff_a, terms, today):
    order = make_order(S.SUBMITTED)
    with pytest.raises(orders.OrderInvalid) as past:
        orders.propose_changes(
            order=order,
            by=staff_a,
            **{**terms, "desired_delivery_date": today - datetime.timedelta(days=1)},
        )
    assert past.value.errors == {"desired_delivery_date": [ja("The delivery date is in the past.")]}
    with pytest.raises(orders.OrderInvalid) as early:
        orders.propose_changes(
            order=order,
            by=staff_a,
            **{**terms, "payment_date": terms["desired_delivery_date"] - datetime.timedelta(1)},
        )
    assert early.value.errors == {
        "payment_date": [ja("The payment date cannot be before the delivery date.")]
    }
    assert not order.change_proposals.exists()
    assert not OrderEvent.objects.filter(order=order).exists()


def test_a_new_proposal_withdraws_only_the_one_still_waiting_on_this_order(
    make_order, staff_a, manager_a, member_a, terms
):
    order = make_order(S.SUBMITTED)
    refused_before = proposal_on(
        order, by=staff_a, status=P.REFUSED, decided_by=member_a, decided_at=LONG_AGO
    )
    waiting = proposal_on(order, by=staff_a)
    elsewhere = proposal_on(make_order(S.SUBMITTED), by=staff_a)

    before = timezone.now()
    newer = orders.propose_changes(order=order, by=manager_a, **terms)
    after = timezone.now()

    waiting.refresh_from_db()
    assert (waiting.status, waiting.decided_by) == (P.WITHDRAWN, manager_a)
    assert before <= waiting.decided_at <= after
    refused_before.refresh_from_db()
    assert (refused_before.status, refused_before.decided_by, refused_before.decided_at) == (
        P.REFUSED,
        member_a,
        LONG_AGO,
    )
    elsewhere.refresh_from_db()
    assert (elsewhere.status, elsewhere.decided_by) == (P.PENDING, None)
    assert (newer.status, newer.proposed_by) == (P.PENDING, manager_a)


def test_withdrawing_a_proposal_closes_it_and_tells_the_company(
    sent, make_order, people, staff_a, terms
):
    order = make_order(S.SUBMITTED)
    proposal = proposal_on(order, by=staff_a)
    elsewhere = proposal_on(make_order(S.SUBMITTED), by=staff_a)

    before = timezone.now()
    withdrawn, messages = sent(lambda: orders.withdraw_proposal(proposal=proposal, by=staff_a))
    after = timezone.now()

    assert withdrawn.pk == proposal.pk
    assert (withdrawn.status, withdrawn.decided_by) == (P.WITHDRAWN, staff_a)
    assert before <= withdrawn.decided_at <= after
    elsewhere.refresh_from_db()
    assert (elsewhere.status, elsewhere.decided_by) == (P.PENDING, None)
    order.refresh_from_db()
    assert (order.status, order.updated_at) == (S.SUBMITTED, LONG_AGO)
    event = OrderEvent.objects.get(order=order)
    assert (event.from_status, event.to_status, event.actor, event.note) == (
        S.SUBMITTED,
        S.SUBMITTED,
        staff_a,
        ja("The workshop withdrew the proposed terms."),
    )
    assert before <= event.at <= after
    assert [m.to for m in messages] == TOLD[WORKSHOP]
    assert all(
        m.subject.endswith(
            ja(
                "%(workshop)s withdrew the proposed terms: %(title)s",
                workshop="ひだまり作業所",
                title=order.title,
            )
        )
        for m in messages
    )


def test_confirming_gives_the_order_the_proposed_terms_and_accepts_it(
    sent, make_order, people, staff_a, member_a, terms
):
    order = make_order(S.SUBMITTED)
    untouched = as_seen(order)
    proposal = proposal_on(
        order,
        by=staff_a,
        unit_price_yen=60,
        total_price_yen=6000,
        desired_delivery_date=terms["desired_delivery_date"],
        payment_date=terms["payment_date"],
        minutes_per_item=4,
    )
    elsewhere = proposal_on(make_order(S.SUBMITTED), by=staff_a)

    before = timezone.now()
    confirmed, messages = sent(lambda: orders.confirm_changes(proposal=proposal, by=member_a))
    after = timezone.now()

    assert confirmed.pk == order.pk
    order.refresh_from_db()
    assert order.status == S.ACCEPTED
    assert before <= order.updated_at <= after
    assert as_seen(order) == {
        **untouched,
        "unit_price_yen": 60,
        "total_price_yen": 6000,
        "desired_delivery_date": terms["desired_delivery_date"],
        "payment_date": terms["payment_date"],
        "minutes_per_item": 4,
    }
    proposal.refresh_from_db()
    assert (proposal.status, proposal.decided_by) == (P.CONFIRMED, member_a)
    assert before <= proposal.decided_at <= after
    elsewhere.refresh_from_db()
    assert (elsewhere.status, elsewhere.decided_by) == (P.PENDING, None)
    event = OrderEvent.objects.get(order=order)
    assert (event.from_status, event.to_status, event.actor, event.note) == (
        S.SUBMITTED,
        S.ACCEPTED,
        member_a,
        ja("The company confirmed the proposed terms."),
    )
    assert before <= event.at <= after
    assert OrderConfirmation.objects.get(order=order).issued_by == member_a
    assert [m.to for m in messages] == TOLD[COMPANY]
    assert all(
        m.subject.endswith(
            ja(
                "%(company)s confirmed the proposed terms: %(title)s",
                company="丘の上印刷",
                title=order.title,
            )
        )
        for m in messages
    )


@pytest.mark.parametrize(
    ("reason", "note"), [("  高すぎます  ", "高すぎます"), (None, None)], ids=["a-reason", "none"]
)
def test_refusing_keeps_the_order_submitted_and_tells_the_workshop(
    sent, make_order, people, staff_a, member_a, reason, note
):
    order = make_order(S.SUBMITTED)
    untouched = as_seen(order)
    proposal = proposal_on(order, by=staff_a)
    elsewhere = proposal_on(make_order(S.SUBMITTED), by=staff_a)
    given = {} if reason is None else {"reason": reason}

    before = timezone.now()
    refused, messages = sent(lambda: orders.refuse_changes(proposal=proposal, by=member_a, **given))
    after = timezone.now()

    assert refused.pk == proposal.pk
    assert (refused.status, refused.decided_by) == (P.REFUSED, member_a)
    assert before <= refused.decided_at <= after
    elsewhere.refresh_from_db()
    assert (elsewhere.status, elsewhere.decided_by) == (P.PENDING, None)
    order.refresh_from_db()
    assert (order.status, order.updated_at, as_seen(order)) == (S.SUBMITTED, LONG_AGO, untouched)
    event = OrderEvent.objects.get(order=order)
    assert (event.from_status, event.to_status, event.actor, event.note) == (
        S.SUBMITTED,
        S.SUBMITTED,
        member_a,
        note or ja("The company did not agree to the proposed terms."),
    )
    assert before <= event.at <= after
    assert [m.to for m in messages] == TOLD[COMPANY]
    assert all(
        m.subject.endswith(
            ja(
                "%(company)s did not agree to the proposed terms: %(title)s",
                company="丘の上印刷",
                title=order.title,
            )
        )
        for m in messages
    )


@pytest.mark.parametrize("answered", [P.CONFIRMED, P.REFUSED, P.WITHDRAWN])
def test_a_proposal_is_answered_once(make_order, staff_a, member_a, answered):
    order = make_order(S.SUBMITTED)
    proposal = proposal_on(
        order, by=staff_a, status=answered, decided_by=staff_a, decided_at=LONG_AGO
    )
    waiting_elsewhere = proposal_on(make_order(S.SUBMITTED), by=staff_a)
    for answer in (orders.confirm_changes, orders.refuse_changes):
        with pytest.raises(orders.OrderStateError) as refused:
            answer(proposal=proposal, by=member_a)
        assert refused.value.code == "wrong_state"
        assert refused.value.message == ja("This proposal has already been answered.")
    with pytest.raises(orders.OrderStateError) as refused:
        orders.withdraw_proposal(proposal=proposal, by=staff_a)
    assert refused.value.code == "proposal_closed"
    assert refused.value.message == ja("This proposal is no longer waiting for an answer.")
    for untouched, status, decided_by in [
        (proposal, answered, staff_a),
        (waiting_elsewhere, P.PENDING, None),
    ]:
        untouched.refresh_from_db()
        assert (untouched.status, untouched.decided_by) == (status, decided_by)
    order.refresh_from_db()
    assert order.status == S.SUBMITTED
    assert not OrderEvent.objects.filter(order=order).exists()


@pytest.mark.parametrize("decided", [S.ACCEPTED, S.DECLINED, S.CANCELLED])
def test_confirming_a_proposal_for_an_order_decided_meanwhile_is_refused(
    make_order, staff_a, member_a, decided
):
    """The company's page still shows the proposal while the order was decided otherwise."""
    order = make_order(S.SUBMITTED)
    proposal = proposal_on(order, by=staff_a)
    Order.objects.filter(pk=order.pk).update(status=decided)
    with pytest.raises(orders.OrderStateError) as refused:
        orders.confirm_changes(proposal=proposal, by=member_a)
    assert refused.value.message == ja(
        "Only a submitted order can be accepted; this order is %(status)s.",
        status=in_japanese(S(decided).label),
    )
    proposal.refresh_from_db()
    assert (proposal.status, proposal.decided_by) == (P.PENDING, None)
    assert not OrderEvent.objects.filter(order=order).exists()
