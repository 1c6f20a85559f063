"""The rules of jobs/money.py figure by figure, with every expected yen worked out by hand here:
month boundaries, prices per item, what approval credits to whom, a participant's month of work
and pay picture, delivery slips, kept quantities, and the month's books (issue #11)."""

import datetime
import uuid
from fractions import Fraction

import pytest
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from jobs import money
from jobs.models import (
    Credit,
    Delivery,
    Invoice,
    MoneySettings,
    Order,
    ProductionCost,
    ProgressLog,
    WorkUnit,
)
from participants.models import Attendance, WageStatement
from tests import factories
from workshop.models import Workshop

D = datetime.date


def at(year, month, day, hour=12, minute=0):
    """A moment in the site's time zone."""
    return timezone.make_aware(datetime.datetime(year, month, day, hour, minute))


# --- months ---------------------------------------------------------------------------------

NEXT_MONTHS = [
    (D(y, m, 1), D(y + (m == 12), m % 12 + 1, 1)) for y in (2023, 2024) for m in range(1, 13)
]


@pytest.mark.parametrize(("month", "expected"), NEXT_MONTHS)
def test_next_month_for_every_month_of_a_common_and_a_leap_year(month, expected):
    assert money.next_month(month) == expected
    start, end = money.month_bounds(month)
    assert (start.date(), start.time()) == (month, datetime.time.min)
    assert (end.date(), end.time()) == (expected, datetime.time.min)
    assert start.utcoffset() == end.utcoffset() == timezone.localtime(start).utcoffset()


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (D(2023, 2, 28), D(2023, 3, 1)),
        (D(2024, 2, 29), D(2024, 3, 1)),
        (D(2024, 12, 31), D(2025, 1, 1)),
    ],
)
def test_next_month_from_the_last_day(day, expected):
    assert money.next_month(day) == expected


# --- prices ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("unit_price", "total", "quantity", "price", "parts"),
    [
        (25, 30000, 1000, Fraction(25), (25, 1)),  # the unit price wins over total ÷ quantity
        (None, 100000, 3000, Fraction(100, 3), (100000, 3000)),
        (None, 5000, 1, Fraction(5000), (5000, 1)),
        (None, 5000, 0, Fraction(0), (5000, 1)),  # no quantity: nothing per item
    ],
)
def test_piece_price_and_price_parts(unit_price, total, quantity, price, parts):
    order = Order(unit_price_yen=unit_price, total_price_yen=total, quantity=quantity)
    assert money.piece_price(order) == price
    assert type(money.piece_price(order)) is Fraction
    assert money.price_parts(order) == parts


@pytest.mark.parametrize(
    ("pay_mode", "expected"),
    [
        # 40 × ¥25 × 70% = ¥700
        (Workshop.PayMode.PIECE_RATE, 700),
        # 95 minutes at ¥1,000 an hour = ¥1,583.33… → ¥1,583
        (Workshop.PayMode.HOURLY, 1583),
    ],
)
def test_unit_pay_estimate(pay_mode, expected):
    workshop = Workshop(pay_mode=pay_mode, wage_share_percent=70, hourly_wage_yen=1000)
    order = Order(unit_price_yen=25, total_price_yen=25000, quantity=1000)
    unit = WorkUnit(order=order, quantity=40, estimated_minutes=95)
    assert money.unit_pay_estimate(unit, workshop) == expected


# --- what approval credits ------------------------------------------------------------------


def unit_of(order, status, holder=None, quantity=50):
    """A unit in `status`; one in someone's hands is held by `holder`."""
    fields = {}
    if status in (WorkUnit.Status.CLAIMED, WorkUnit.Status.SUBMITTED, WorkUnit.Status.REDO):
        fields["holder"] = holder or factories.ParticipantFactory(workshop=order.workshop)
    if status == WorkUnit.Status.CLAIMED:
        fields["expires_at"] = at(2025, 6, 30)
    return factories.WorkUnitFactory(order=order, status=status, quantity=quantity, **fields)


def log(unit, participant, *, quantity, minutes, when, note=""):
    return ProgressLog.objects.create(
        unit=unit,
        participant=participant,
        client_uuid=uuid.uuid4(),
        quantity=quantity,
        minutes=minutes,
        note=note,
        created_at=when,
    )


@pytest.mark.django_db
def test_credits_for_approval_follow_the_logging_time_not_the_row_order(workshop_a, order_a):
    unit = unit_of(order_a, WorkUnit.Status.SUBMITTED, quantity=60)
    first, second, third = (factories.ParticipantFactory(workshop=workshop_a) for _ in range(3))
    # Rows made in this order, but logged (created_at) in the order second, first, second, third.
    log(unit, first, quantity=20, minutes=0, when=at(2025, 5, 10, 10))
    log(unit, second, quantity=15, minutes=20, when=at(2025, 5, 10, 9))
    log(unit, second, quantity=10, minutes=30, when=at(2025, 5, 10, 11))
    log(unit, third, quantity=15, minutes=0, when=at(2025, 5, 10, 12))
    approved_at = at(2025, 5, 12)

    credits = money.credits_for_approval(unit, approved=30, at=approved_at)

    # 30 approved: second's 15, then 15 of first's 20; nothing is left for second's later 10,
    # and third, who logged no minutes and gets none of the approved items, has no credit.
    assert [(c.participant_id, c.quantity, c.minutes) for c in credits] == [
        (second.pk, 15, 50),
        (first.pk, 15, 0),
    ]
    for credit in credits:
        assert (credit.unit_id, credit.order_id, credit.workshop_id) == (
            unit.pk,
            order_a.pk,
            workshop_a.pk,
        )
        assert credit.approved_at == approved_at
        assert credit.pk is None


@pytest.mark.django_db
def test_minutes_count_even_when_none_of_the_items_are_approved(workshop_a, order_a):
    unit = unit_of(order_a, WorkUnit.Status.SUBMITTED, quantity=30)
    first, second = (factories.ParticipantFactory(workshop=workshop_a) for _ in range(2))
    log(unit, first, quantity=10, minutes=15, when=at(2025, 5, 10, 9))
    log(unit, second, quantity=20, minutes=45, when=at(2025, 5, 10, 10))

    credits = money.credits_for_approval(unit, approved=10, at=at(2025, 5, 11))

    assert [(c.participant_id, c.quantity, c.minutes) for c in credits] == [
        (first.pk, 10, 15),
        (second.pk, 0, 45),
    ]


# --- a participant's month ------------------------------------------------------------------


def credit(unit, participant, *, quantity, minutes, when):
    return Credit.objects.create(
        unit=unit,
        order=unit.order,
        workshop=unit.workshop,
        participant=participant,
        quantity=quantity,
        minutes=minutes,
        approved_at=when,
    )


def attendance(participant, day):
    return Attendance.objects.create(
        participant=participant,
        kind=Attendance.Kind.START,
        place=Attendance.Place.HOME,
        at=at(day.year, day.month, day.day, 9),
        day=day,
    )


@pytest.fixture
def two_orders(workshop_a, company_a):
    """Order 1 at ¥25 an item; order 2 priced as a whole, ¥100,000 for 3,000 (¥33⅓ an item)."""
    per_item = factories.OrderFactory(
        workshop=workshop_a,
        company=company_a,
        title="封入",
        unit_label="通",
        quantity=1000,
        unit_price_yen=25,
        total_price_yen=25000,
    )
    whole = factories.OrderFactory(
        workshop=workshop_a,
        company=company_a,
        title="シール貼り",
        unit_label="枚",
        quantity=3000,
        unit_price_yen=None,
        total_price_yen=100000,
    )
    return per_item, whole


@pytest.fixture
def may_work(workshop_a, participant_a, two_orders):
    """そら's credits and logs around May 2025, with someone else's in the same orders."""
    per_item, whole = two_orders
    other = factories.ParticipantFactory(workshop=workshop_a)
    unit1 = factories.WorkUnitFactory(order=per_item, quantity=100, status=WorkUnit.Status.APPROVED)
    unit2 = factories.WorkUnitFactory(order=whole, quantity=100, status=WorkUnit.Status.APPROVED)
    # In May: order 1 40 + 3 items, 50 + 10 minutes; order 2 30 items, 45 minutes.
    credit(
        unit_of(per_item, WorkUnit.Status.APPROVED),
        participant_a,
        quantity=40,
        minutes=50,
        when=at(2025, 5, 1, 0, 0),
    )
    credit(
        unit_of(per_item, WorkUnit.Status.APPROVED),
        participant_a,
        quantity=3,
        minutes=10,
        when=at(2025, 5, 31, 23, 59),
    )
    credit(
        unit_of(whole, WorkUnit.Status.APPROVED),
        participant_a,
        quantity=30,
        minutes=45,
        when=at(2025, 5, 15),
    )
    # Not in May, or not theirs.
    credit(
        unit_of(per_item, WorkUnit.Status.APPROVED),
        participant_a,
        quantity=100,
        minutes=600,
        when=at(2025, 4, 30, 23, 59),
    )
    credit(
        unit_of(per_item, WorkUnit.Status.APPROVED),
        participant_a,
        quantity=200,
        minutes=700,
        when=at(2025, 6, 1, 0, 0),
    )
    credit(
        unit_of(whole, WorkUnit.Status.APPROVED),
        other,
        quantity=300,
        minutes=800,
        when=at(2025, 5, 15),
    )
    # Logs: May 2 (twice), May 20; before, after, and someone else's.
    log(unit1, participant_a, quantity=20, minutes=25, when=at(2025, 5, 2, 9))
    log(unit1, participant_a, quantity=23, minutes=35, when=at(2025, 5, 2, 15))
    log(unit2, participant_a, quantity=30, minutes=45, when=at(2025, 5, 20))
    log(unit2, participant_a, quantity=0, minutes=5, when=at(2025, 5, 22, 23, 59))
    log(unit1, participant_a, quantity=1, minutes=1000, when=at(2025, 4, 30, 23, 59))
    log(unit1, participant_a, quantity=1, minutes=2000, when=at(2025, 6, 1, 0, 0))
    log(unit2, other, quantity=1, minutes=4000, when=at(2025, 5, 20))
    # Attendance: May 2 (a log day too), May 21; April 30 and June 1 do not count.
    for day in (D(2025, 5, 2), D(2025, 5, 21), D(2025, 4, 30), D(2025, 6, 1)):
        attendance(participant_a, day)
    attendance(other, D(2025, 5, 22))
    return per_item, whole


@pytest.mark.django_db
def test_month_work_piece_rate_per_order(participant_a, may_work):
    per_item, whole = may_work

    work = money.month_work(participant_a, D(2025, 5, 1))

    assert work.month == D(2025, 5, 1)
    assert (work.pay_mode, work.wage_share_percent, work.hourly_wage_yen) == ("piece", 70, 0)
    assert work.lines == [
        # 43 × ¥25 × 70% = ¥752.5 → ¥752
        money.WageLine(
            order_id=per_item.pk,
            description="封入",
            unit_label="通",
            quantity=43,
            minutes=60,
            price_yen=25,
            price_per=1,
            amount=752,
        ),
        # 30 × ¥100,000/3,000 × 70% = ¥700
        money.WageLine(
            order_id=whole.pk,
            description="シール貼り",
            unit_label="枚",
            quantity=30,
            minutes=45,
            price_yen=100000,
            price_per=3000,
            amount=700,
        ),
    ]
    assert work.gross == 1452
    # May 2, 20, 22 (logs) and May 21 (attendance); 25 + 35 + 45 + 5 minutes logged.
    assert work.days_worked == 4
    assert work.minutes_worked == 110


@pytest.mark.django_db
def test_month_work_hourly_per_order(workshop_a, participant_a, may_work):
    per_item, whole = may_work
    workshop_a.pay_mode = Workshop.PayMode.HOURLY
    workshop_a.hourly_wage_yen = 1000
    workshop_a.save()
    participant_a.refresh_from_db()

    work = money.month_work(participant_a, D(2025, 5, 1))

    assert (work.pay_mode, work.hourly_wage_yen) == ("hourly", 1000)
    # 60 minutes → ¥1,000; 45 minutes → ¥750.
    assert [
        (line.order_id, line.quantity, line.minutes, line.price_yen, line.price_per, line.amount)
        for line in work.lines
    ] == [(per_item.pk, 43, 60, 1000, 60, 1000), (whole.pk, 30, 45, 1000, 60, 750)]
    assert work.gross == 1750


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("pay_mode", "expected"),
    [
        # Order 1 has only minutes: no piece line for it, but order 2's line is still there.
        (Workshop.PayMode.PIECE_RATE, [("second", 12, 0, 210)]),  # 12 × ¥25 × 70%
        # Order 1 has only items: no hourly line for it, but order 2's is still there.
        (Workshop.PayMode.HOURLY, [("second", 0, 90, 1500)]),
    ],
)
def test_a_line_without_what_the_mode_pays_is_left_out_and_the_next_kept(
    workshop_a, company_a, participant_a, pay_mode, expected
):
    workshop_a.pay_mode = pay_mode
    workshop_a.hourly_wage_yen = 1000
    workshop_a.save()
    participant_a.refresh_from_db()
    first, second = (
        factories.OrderFactory(
            workshop=workshop_a, company=company_a, unit_price_yen=25, total_price_yen=25000
        )
        for _ in range(2)
    )
    orders = {"first": first, "second": second}
    unit1 = factories.WorkUnitFactory(order=first, status=WorkUnit.Status.APPROVED)
    unit2 = factories.WorkUnitFactory(order=second, status=WorkUnit.Status.APPROVED)
    if pay_mode == Workshop.PayMode.PIECE_RATE:
        credit(unit1, participant_a, quantity=0, minutes=30, when=at(2025, 5, 3))
        credit(unit2, participant_a, quantity=12, minutes=0, when=at(2025, 5, 3))
    else:
        credit(unit1, participant_a, quantity=12, minutes=0, when=at(2025, 5, 3))
        credit(unit2, participant_a, quantity=0, minutes=90, when=at(2025, 5, 3))

    work = money.month_work(participant_a, D(2025, 5, 1))

    assert [(line.order_id, line.quantity, line.minutes, line.amount) for line in work.lines] == [
        (orders[name].pk, quantity, minutes, amount) for name, quantity, minutes, amount in expected
    ]


@pytest.mark.django_db
def test_month_work_of_a_month_without_anything(participant_a):
    work = money.month_work(participant_a, D(2025, 5, 1))

    assert (work.lines, work.gross, work.days_worked, work.minutes_worked) == ([], 0, 0, 0)


# --- the pay picture ------------------------------------------------------------------------


@pytest.fixture
def undecided_work(workshop_a, company_a, participant_a, may_work):
    """Besides May's credits: logs on units not decided yet, on units sent back, and on an
    approved unit, in three orders; and someone else's of each kind."""
    per_item, whole = may_work
    extra = factories.OrderFactory(
        workshop=workshop_a, company=company_a, unit_price_yen=10, total_price_yen=10000
    )
    other = factories.ParticipantFactory(workshop=workshop_a)
    held = unit_of(per_item, WorkUnit.Status.CLAIMED, participant_a)
    handed_in = unit_of(whole, WorkUnit.Status.SUBMITTED, participant_a)
    open_unit = unit_of(extra, WorkUnit.Status.OPEN)
    redo = unit_of(per_item, WorkUnit.Status.REDO, participant_a)
    approved = unit_of(whole, WorkUnit.Status.APPROVED)
    when = at(2025, 5, 25)
    log(held, participant_a, quantity=7, minutes=15, when=when)
    log(handed_in, participant_a, quantity=11, minutes=25, when=when)
    log(open_unit, participant_a, quantity=0, minutes=7, when=when)
    log(redo, participant_a, quantity=5, minutes=40, when=when)
    log(approved, participant_a, quantity=9, minutes=50, when=when)
    for unit in (held, handed_in, open_unit, redo, approved):
        log(unit, other, quantity=100, minutes=600, when=when)
    return per_item, whole


@pytest.mark.django_db
def test_pay_picture_piece_rate(participant_a, undecided_work):
    picture = money.pay_picture(participant_a, D(2025, 5, 1))

    # Checked: May's lines, ¥752 + ¥700. Waiting: 7 × ¥25 × 70% = ¥122.5 and
    # 11 × ¥33⅓ × 70% = ¥256.66…, ¥379.16… rounded once → ¥379 (not ¥122 + ¥256); the open
    # unit's 0 items add nothing. Sent back: 5 items. The approved unit's 9 are in neither.
    assert picture == money.PayPicture(
        checked=1452, waiting=379, waiting_quantity=18, sent_back_quantity=5
    )


@pytest.mark.django_db
def test_pay_picture_hourly(workshop_a, participant_a, undecided_work):
    workshop_a.pay_mode = Workshop.PayMode.HOURLY
    workshop_a.hourly_wage_yen = 1000
    workshop_a.save()
    participant_a.refresh_from_db()

    picture = money.pay_picture(participant_a, D(2025, 5, 1))

    # Checked: 105 minutes credited in May → ¥1,750. Waiting: 15 + 25 + 7 = 47 minutes at
    # ¥1,000 an hour = ¥783.33… → ¥783.
    assert picture == money.PayPicture(
        checked=1750, waiting=783, waiting_quantity=18, sent_back_quantity=5
    )


@pytest.mark.django_db
@pytest.mark.parametrize("pay_mode", [Workshop.PayMode.PIECE_RATE, Workshop.PayMode.HOURLY])
def test_pay_picture_of_someone_without_work(workshop_a, participant_a, pay_mode):
    workshop_a.pay_mode = pay_mode
    workshop_a.hourly_wage_yen = 1000
    workshop_a.save()
    participant_a.refresh_from_db()
    someone = factories.ParticipantFactory(workshop=workshop_a)
    unit = unit_of(factories.OrderFactory(workshop=workshop_a), WorkUnit.Status.SUBMITTED, someone)
    log(unit, someone, quantity=10, minutes=60, when=at(2025, 5, 3))

    picture = money.pay_picture(participant_a, D(2025, 5, 1))

    assert picture == money.PayPicture(
        checked=0, waiting=0, waiting_quantity=0, sent_back_quantity=0
    )


# --- deliveries, slips, billing -------------------------------------------------------------


@pytest.mark.parametrize(
    ("unit_price", "quantity", "expected"),
    [
        # 333 × ¥25 = ¥8,325; tax ¥832.5 → ¥832; ¥9,157.
        (25, 333, money.SlipAmounts(25, 8325, 832, 9157)),
        (7, 1, money.SlipAmounts(7, 7, 0, 7)),
        (None, 333, money.SlipAmounts(None, None, None, None)),
    ],
)
def test_slip_amounts(unit_price, quantity, expected):
    order = Order(unit_price_yen=unit_price, total_price_yen=30000, quantity=1000)
    delivery = Delivery(order=order, quantity=quantity)

    assert money.slip_amounts(delivery) == expected
    assert money.slip_amounts(delivery).tax_percent == 10


def delivery(order, number, *, quantity, refused=0, by):
    status = "partly_refused" if refused else "accepted"
    return Delivery.objects.create(
        order=order,
        number=number,
        quantity=quantity,
        delivered_on=D(2025, 5, 1),
        method=Order.DeliveryMethod.PICKUP,
        recorded_by=by,
        status=status,
        decided_at=at(2025, 5, 2),
        refused_quantity=refused,
        refusal_reason="汚れ" if refused else "",
    )


@pytest.mark.django_db
def test_kept_quantity_and_billable_amount(workshop_a, company_a, staff_a):
    order = factories.OrderFactory(
        workshop=workshop_a,
        company=company_a,
        quantity=100,
        unit_price_yen=50,
        total_price_yen=5000,
    )
    whole = factories.OrderFactory(
        workshop=workshop_a,
        company=company_a,
        quantity=100,
        unit_price_yen=None,
        total_price_yen=4321,
    )
    nothing_yet = factories.OrderFactory(workshop=workshop_a, company=company_a, unit_price_yen=50)
    delivery(order, 1, quantity=60, refused=30, by=staff_a)
    delivery(order, 2, quantity=40, by=staff_a)
    delivery(whole, 1, quantity=100, refused=10, by=staff_a)

    assert money.kept_quantity(order) == 70  # 60 + 40 delivered, 30 refused
    assert money.billable_amount(order) == 3500  # 70 × ¥50
    assert money.kept_quantity(whole) == 90
    assert money.billable_amount(whole) == 4321  # priced as a whole: its total
    assert money.kept_quantity(nothing_yet) == 0
    assert money.billable_amount(nothing_yet) == 0


@pytest.mark.parametrize(
    ("total", "rate", "tax"),
    [(12345, 8, 987), (12345, 10, 1234), (99, 10, 9), (12, 8, 0)],
)
def test_order_amounts(total, rate, tax):
    assert money.order_amounts(total_price_yen=total, rate=rate) == money.RateTotal(
        rate=rate, amount=total, tax=tax
    )


def test_order_amounts_default_to_the_standard_rate():
    assert money.order_amounts(total_price_yen=12345) == money.RateTotal(10, 12345, 1234)


# --- the books ------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("start_month", "month", "expected"),
    [
        (4, D(2025, 1, 1), D(2024, 4, 1)),
        (4, D(2025, 3, 1), D(2024, 4, 1)),
        (4, D(2025, 4, 1), D(2025, 4, 1)),
        (4, D(2025, 5, 1), D(2025, 4, 1)),
        (4, D(2025, 12, 1), D(2025, 4, 1)),
        (1, D(2025, 1, 1), D(2025, 1, 1)),
        (1, D(2025, 12, 1), D(2025, 1, 1)),
        (12, D(2025, 11, 1), D(2024, 12, 1)),
        (12, D(2025, 12, 1), D(2025, 12, 1)),
    ],
)
def test_fiscal_year_start(workshop_a, start_month, month, expected):
    settings = money.settings_for(workshop_a)
    settings.fiscal_year_start_month = start_month
    settings.save()

    assert money.fiscal_year_start(workshop_a, month) == expected


@pytest.mark.django_db
def test_settings_for_makes_them_once(workshop_a, workshop_b):
    made = money.settings_for(workshop_a)
    made.wage_payday = 25
    made.save()

    assert money.settings_for(workshop_a).pk == made.pk
    assert money.settings_for(workshop_a).wage_payday == 25
    assert money.settings_for(workshop_b).wage_payday == 10
    assert MoneySettings.objects.count() == 2


_numbers = iter(range(1, 10_000))


def invoice(workshop, company, period_end, subtotal, *, status="issued", original=None):
    number = next(_numbers)
    return Invoice.objects.create(
        workshop=workshop,
        company=company,
        kind="return" if original else "invoice",
        original=original,
        status=status,
        number=f"INV-{number:04d}" if status == "issued" else "",
        fiscal_year=2024 if status == "issued" else None,
        period_start=period_end.replace(day=1),
        period_end=period_end,
        issued_on=period_end if status == "issued" else None,
        due_date=period_end + datetime.timedelta(days=30),
        subtotal_yen=subtotal,
    )


def cost(workshop, spent_on, category, amount):
    return ProductionCost.objects.create(
        workshop=workshop,
        spent_on=spent_on,
        category=category,
        description="費用",
        amount_yen=amount,
    )


def statement(workshop, month, gross, *, status="issued"):
    number = next(_numbers)
    return WageStatement.objects.create(
        workshop=workshop,
        participant=factories.ParticipantFactory(workshop=workshop),
        month=month,
        kind="regular",
        status=status,
        number=f"PAY-{number:04d}" if status == "issued" else "",
        fiscal_year=2024 if status == "issued" else None,
        pay_mode="piece",
        wage_share_percent=70,
        gross_yen=gross,
        total_yen=gross,
        pay_date=next_10th(month),
    )


def next_10th(month):
    return money.next_month(month).replace(day=10)


@pytest.fixture
def january_books(workshop_a, workshop_b):
    """ひだまり's fiscal year from April 2024, looked at in January 2025."""
    beta = factories.CompanyFactory(name="B社", slug="beta")  # made first, named last
    alpha = factories.CompanyFactory(name="A社", slug="alpha")
    gamma = factories.CompanyFactory(name="C社", slug="gamma")
    jan, dec, apr, mar, feb = (
        D(2025, 1, 31),
        D(2024, 12, 31),
        D(2024, 4, 1),
        D(2024, 3, 31),
        D(2025, 2, 1),
    )
    # January: A invoiced 10,000 + 2,000, 1,500 returned; B invoiced 7,000; C only a return.
    a1 = invoice(workshop_a, alpha, D(2025, 1, 1), 10000)
    invoice(workshop_a, alpha, jan, 2000)
    invoice(workshop_a, alpha, jan, 1500, original=a1)
    invoice(workshop_a, beta, D(2025, 1, 15), 7000)
    c1 = invoice(workshop_a, gamma, mar, 3000)  # before the fiscal year
    invoice(workshop_a, gamma, D(2025, 1, 20), 400, original=c1)
    # Not January's: a draft, December's, February's, and the other workshop's.
    invoice(workshop_a, alpha, D(2025, 1, 20), 90000, status="draft")
    invoice(workshop_a, alpha, dec, 20000)
    invoice(workshop_a, beta, feb, 80000)
    invoice(workshop_b, alpha, D(2025, 1, 20), 70000)
    # Before the fiscal year: not in the year either.
    invoice(workshop_a, alpha, mar, 600000)
    invoice(workshop_a, beta, apr, 5)  # the year's first day counts
    # Costs.
    cost(workshop_a, D(2025, 1, 1), "materials", 1200)
    cost(workshop_a, D(2025, 1, 31), "materials", 300)
    cost(workshop_a, D(2025, 1, 10), "delivery", 800)
    cost(workshop_a, dec, "tools", 2000)
    cost(workshop_a, apr, "other", 7)
    cost(workshop_a, mar, "other", 50000)
    cost(workshop_a, feb, "tools", 40000)
    cost(workshop_b, D(2025, 1, 10), "tools", 30000)
    # 工賃: statements of January (two issued, one draft), December, April, March, February.
    statement(workshop_a, D(2025, 1, 1), 4000)
    statement(workshop_a, D(2025, 1, 1), 3000)
    statement(workshop_a, D(2025, 1, 1), 900000, status="draft")
    statement(workshop_a, D(2024, 12, 1), 6000)
    statement(workshop_a, D(2024, 4, 1), 11)
    statement(workshop_a, D(2024, 3, 1), 700000)
    statement(workshop_a, D(2025, 2, 1), 800000)
    statement(workshop_b, D(2025, 1, 1), 500000)
    return alpha, beta, gamma


@pytest.mark.django_db
def test_month_books_rows_and_sums(workshop_a, january_books):
    alpha, beta, gamma = january_books

    books = money.month_books(workshop_a, D(2025, 1, 1))

    assert books.month == D(2025, 1, 1)
    assert books.revenue_by_company == [
        money.CompanyRevenue(company_id=alpha.pk, name="A社", invoiced=12000, returned=1500),
        money.CompanyRevenue(company_id=beta.pk, name="B社", invoiced=7000, returned=0),
        money.CompanyRevenue(company_id=gamma.pk, name="C社", invoiced=0, returned=400),
    ]
    assert books.revenue == 10500 + 7000 - 400
    assert books.costs_by_category == {"delivery": 800, "materials": 1500}
    assert books.costs == 2300
    assert (books.wages, books.statements) == (7000, 2)
    assert books.year_start == D(2024, 4, 1)
    # The year: January's 17,100, December's 20,000, April's 5.
    assert books.year == money.PeriodTotals(revenue=37105, costs=4307, wages=13011)
    assert (books.available_for_wages, books.margin, books.within_rule) == (14800, 7800, True)


@pytest.mark.django_db
def test_month_books_of_a_workshop_with_nothing(workshop_b, january_books):
    books = money.month_books(workshop_b, D(2024, 12, 1))

    assert books.revenue_by_company == []
    assert books.costs_by_category == {}
    assert (books.wages, books.statements) == (0, 0)
    assert books.year == money.PeriodTotals(revenue=0, costs=0, wages=0)


@pytest.mark.parametrize(
    ("logs", "approved", "expected"),
    [
        ([(1, 10), (2, 5)], 10, {1: 10}),  # nothing left for 2: 2 is not listed at all
        ([(1, 10), (2, 5)], 12, {1: 10, 2: 2}),
        ([(1, 10), (2, 5)], 11, {1: 10, 2: 1}),  # the last single item is someone's too
        ([(1, 10), (2, 5), (1, 4)], 17, {1: 12, 2: 5}),
        ([(1, 10), (2, 5)], 25, {1: 10, 2: 5}),  # beyond what was logged: nobody's
        ([(1, 10)], 0, {}),
        ([], 5, {}),
    ],
)
def test_allocate_approved(logs, approved, expected):
    assert money.allocate_approved(logs, approved) == expected


@pytest.mark.django_db
def test_logs_made_at_the_same_moment_count_in_the_order_they_were_recorded(workshop_a, order_a):
    unit = unit_of(order_a, WorkUnit.Status.SUBMITTED, quantity=60)
    people = [factories.ParticipantFactory(workshop=workshop_a) for _ in range(3)]
    same = at(2025, 5, 10, 9)
    for person in people:
        log(unit, person, quantity=10, minutes=0, when=same)

    credits = money.credits_for_approval(unit, approved=15, at=at(2025, 5, 11))

    assert [(c.participant_id, c.quantity) for c in credits] == [
        (people[0].pk, 10),
        (people[1].pk, 5),
    ]


@pytest.mark.django_db
def test_companies_of_the_same_name_are_listed_in_the_order_they_were_made(workshop_a):
    twins = [factories.CompanyFactory(name="同名商事", slug=f"twin-{n}") for n in range(3)]
    for amount, company in zip((300, 100, 200), twins, strict=True):
        invoice(workshop_a, company, D(2025, 1, 20), amount)

    books = money.month_books(workshop_a, D(2025, 1, 1))

    assert [(row.company_id, row.invoiced) for row in books.revenue_by_company] == [
        (twins[0].pk, 300),
        (twins[1].pk, 100),
        (twins[2].pk, 200),
    ]


@given(
    logs=st.lists(
        st.tuples(st.integers(min_value=1, max_value=4), st.integers(min_value=0, max_value=30)),
        max_size=8,
    ),
    approved=st.integers(min_value=0, max_value=150),
)
def test_allocate_approved_credits_every_approved_item_that_was_logged_once(logs, approved):
    """The whole kind: every approved item up to what was logged is credited, to someone who
    logged it, never more than they logged; nothing beyond."""
    credited = money.allocate_approved(logs, approved)

    assert sum(credited.values()) == min(approved, sum(quantity for _p, quantity in logs))
    for person, amount in credited.items():
        assert 0 <= amount <= sum(quantity for p, quantity in logs if p == person)
