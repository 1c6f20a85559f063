"""工賃 statements: piece-rate and hourly months against figures computed by hand, rounding
once per line, deductions, the states, adjustments, and the month's run for everyone."""

import pytest
from django.utils import timezone

from jobs.models import DocumentEvent
from participants import wages
from participants.models import WageRun, WageStatement
from tests import factories
from tests.money.conftest import approved_work, issued_statement, next_number, this_month


@pytest.fixture
def envelopes(workshop_a, company_a):
    """¥25 an item."""
    return factories.OrderFactory(
        workshop=workshop_a,
        company=company_a,
        title="封入",
        quantity=1000,
        unit_price_yen=25,
        total_price_yen=25000,
    )


@pytest.fixture
def data_entry(workshop_a, company_a):
    """Priced as a whole: ¥100,000 for 3,000 items, so ¥33.33… an item."""
    return factories.OrderFactory(
        workshop=workshop_a,
        company=company_a,
        title="入力",
        quantity=3000,
        unit_price_yen=None,
        total_price_yen=100_000,
    )


def test_a_piece_rate_month_matches_the_hand_computed_figures(
    workshop_a, participant_a, staff_a, envelopes, data_entry
):
    workshop_a.wage_share_percent = 70
    workshop_a.save()
    approved_work(envelopes, participant_a, quantity=120, by=staff_a)
    approved_work(data_entry, participant_a, quantity=7, by=staff_a)
    approved_work(data_entry, participant_a, quantity=8, by=staff_a)

    statement = wages.draft_statement(participant=participant_a, month=this_month(), by=staff_a)

    lines = {line.description: line for line in statement.lines.all()}
    # 120 × ¥25 × 70% = ¥2,100
    assert (lines["封入"].quantity, lines["封入"].amount_yen) == (120, 2100)
    # 15 × ¥100,000/3,000 × 70% = ¥350 exactly. Rounding per unit would have paid
    # ⌊7 × 23.33…⌋ + ⌊8 × 23.33…⌋ = 163 + 186 = ¥349: the line is rounded once.
    assert (lines["入力"].quantity, lines["入力"].amount_yen) == (15, 350)
    assert (lines["入力"].price_yen, lines["入力"].price_per) == (100_000, 3000)
    assert (statement.gross_yen, statement.deductions_yen, statement.total_yen) == (2450, 0, 2450)
    assert statement.status == "draft" and statement.number == ""


def test_a_share_that_does_not_divide_evenly_is_rounded_down_once(
    workshop_a, participant_a, staff_a, company_a
):
    workshop_a.wage_share_percent = 33
    workshop_a.save()
    order = factories.OrderFactory(
        workshop=workshop_a, company=company_a, unit_price_yen=7, total_price_yen=7000
    )
    approved_work(order, participant_a, quantity=10, by=staff_a)
    approved_work(order, participant_a, quantity=3, by=staff_a)

    statement = wages.draft_statement(participant=participant_a, month=this_month(), by=staff_a)

    # 13 × ¥7 × 33% = ¥30.03 → ¥30 (per unit it would be ⌊23.1⌋ + ⌊6.93⌋ = ¥29)
    assert statement.total_yen == 30


def test_an_hourly_month_pays_credited_minutes_rounded_down_per_line(
    workshop_a, participant_a, staff_a, envelopes
):
    workshop_a.pay_mode, workshop_a.hourly_wage_yen = "hourly", 250
    workshop_a.save()
    approved_work(envelopes, participant_a, quantity=10, minutes=50, by=staff_a)
    approved_work(envelopes, participant_a, quantity=10, minutes=25, by=staff_a)

    statement = wages.draft_statement(participant=participant_a, month=this_month(), by=staff_a)

    (line,) = statement.lines.all()
    # 75 min × ¥250/h = ¥312.5 → ¥312
    assert (line.minutes, line.amount_yen) == (75, 312)
    assert statement.minutes_worked == 75
    assert statement.days_worked == 1


def test_only_what_staff_approved_counts(workshop_a, participant_a, staff_a, envelopes):
    approved_work(envelopes, participant_a, quantity=50, by=staff_a, part=30)
    waiting = factories.WorkUnitFactory(order=envelopes, quantity=40, number=next_number(envelopes))
    factories.ProgressLogFactory(unit=waiting, participant=participant_a, quantity=40)

    statement = wages.draft_statement(participant=participant_a, month=this_month(), by=staff_a)

    # 30 × ¥25 × 70% = ¥525: not the 50 logged on the approved unit, nor the 40 waiting.
    assert statement.total_yen == 525


def test_deductions_need_a_reason_and_never_make_the_total_negative(
    participant_a, staff_a, envelopes
):
    approved_work(envelopes, participant_a, quantity=40, by=staff_a)  # ¥700
    statement = wages.draft_statement(participant=participant_a, month=this_month(), by=staff_a)

    with pytest.raises(wages.WageError) as no_reason:
        wages.add_deduction(statement=statement, by=staff_a, amount_yen=300, reason=" ")
    with pytest.raises(wages.WageError) as too_much:
        wages.add_deduction(statement=statement, by=staff_a, amount_yen=701, reason="昼食代")
    wages.add_deduction(statement=statement, by=staff_a, amount_yen=300, reason="昼食代")

    statement.refresh_from_db()
    assert (no_reason.value.code, too_much.value.code) == ("invalid", "too_much")
    assert (statement.gross_yen, statement.deductions_yen, statement.total_yen) == (700, 300, 400)


def test_drafting_again_recomputes_a_draft_and_keeps_its_deductions(
    participant_a, staff_a, envelopes
):
    approved_work(envelopes, participant_a, quantity=40, by=staff_a)
    statement = wages.draft_statement(participant=participant_a, month=this_month(), by=staff_a)
    wages.add_deduction(statement=statement, by=staff_a, amount_yen=100, reason="昼食代")
    approved_work(envelopes, participant_a, quantity=20, by=staff_a)

    again = wages.draft_statement(participant=participant_a, month=this_month(), by=staff_a)

    assert again.pk == statement.pk
    assert (again.gross_yen, again.total_yen) == (1050, 950)


def test_states_go_draft_checked_issued_with_a_number_and_an_event_each(
    participant_a, staff_a, envelopes
):
    approved_work(envelopes, participant_a, quantity=40, by=staff_a)

    statement = issued_statement(participant_a, staff_a)

    year = timezone.localdate().year - (1 if timezone.localdate().month < 4 else 0)
    assert statement.status == "issued" and statement.number == f"PAY-{year}-000001"
    events = DocumentEvent.objects.filter(document_type="wage_statement", document_id=statement.pk)
    assert [(e.from_status, e.to_status) for e in events] == [
        ("", "draft"),
        ("draft", "checked"),
        ("checked", "issued"),
    ]


def test_an_issued_statement_is_refused_every_change_by_the_rules(
    participant_a, staff_a, envelopes
):
    approved_work(envelopes, participant_a, quantity=40, by=staff_a)
    statement = issued_statement(participant_a, staff_a)
    before = WageStatement.objects.filter(pk=statement.pk).values().get()
    approved_work(envelopes, participant_a, quantity=40, by=staff_a)

    for change in (
        lambda: wages.add_deduction(statement=statement, by=staff_a, amount_yen=1, reason="x"),
        lambda: wages.check_statement(statement=statement, by=staff_a),
        lambda: wages.back_to_draft(statement=statement, by=staff_a),
        lambda: wages.issue_statement(statement=statement, by=staff_a),
    ):
        with pytest.raises(wages.WageError) as refused:
            change()
        assert refused.value.code == "wrong_state"
    # Drafting the month again leaves the issued statement exactly as it was.
    assert wages.draft_statement(participant=participant_a, month=this_month(), by=staff_a).pk == (
        statement.pk
    )
    assert WageStatement.objects.filter(pk=statement.pk).values().get() == before


def test_an_adjustment_references_the_original_and_states_the_difference(
    participant_a, staff_a, envelopes
):
    approved_work(envelopes, participant_a, quantity=40, by=staff_a)  # ¥700
    original = issued_statement(participant_a, staff_a)
    approved_work(envelopes, participant_a, quantity=20, by=staff_a)  # approved late: +¥350

    adjustment = wages.draft_adjustment(original=original, by=staff_a, reason="検品の記録漏れ")
    wages.add_adjustment_line(
        statement=adjustment, by=staff_a, description="交通費の精算", amount_yen=-50
    )
    adjustment.refresh_from_db()

    assert (adjustment.kind, adjustment.adjusts) == ("adjustment", original)
    assert sorted(adjustment.lines.values_list("amount_yen", flat=True)) == [-50, 350]
    assert adjustment.total_yen == 300
    wages.check_statement(statement=adjustment, by=staff_a)
    wages.issue_statement(statement=adjustment, by=staff_a)
    # Original and adjustment together state what the month now comes to.
    assert original.total_yen + adjustment.total_yen == 700 + 350 - 50
    # A second adjustment, with nothing new, finds no difference left.
    second = wages.draft_adjustment(original=original, by=staff_a, reason="確認")
    assert second.lines.count() == 0 and second.total_yen == 0


def test_only_an_issued_monthly_statement_can_be_adjusted(participant_a, staff_a, envelopes):
    approved_work(envelopes, participant_a, quantity=40, by=staff_a)
    draft = wages.draft_statement(participant=participant_a, month=this_month(), by=staff_a)

    with pytest.raises(wages.WageError) as refused:
        wages.draft_adjustment(original=draft, by=staff_a, reason="x")
    assert refused.value.code == "wrong_state"


def test_the_month_run_drafts_everyone_with_something_to_state(
    workshop_a, participant_a, staff_a, envelopes
):
    haru = factories.ParticipantFactory(workshop=workshop_a, nickname="はる")
    idle = factories.ParticipantFactory(workshop=workshop_a, nickname="しずか")
    approved_work(envelopes, participant_a, quantity=40, by=staff_a)
    approved_work(envelopes, haru, quantity=10, by=staff_a)

    run = wages.start_month_run(workshop=workshop_a, month=this_month(), by=staff_a)

    run.refresh_from_db()
    assert (run.status, run.done_count, run.total, run.percent) == ("done", 2, 2, 100)
    drafted = set(WageStatement.objects.values_list("participant__nickname", flat=True))
    assert drafted == {"そら", "はる"} and idle.nickname not in drafted


def test_a_run_that_is_retried_carries_on_where_it_stopped(
    workshop_a, participant_a, staff_a, envelopes
):
    approved_work(envelopes, participant_a, quantity=40, by=staff_a)
    run = WageRun.objects.create(
        workshop=workshop_a,
        month=this_month(),
        created_by=staff_a,
        participant_ids=[participant_a.pk],
        total=1,
    )

    wages.draft_run(run_id=run.pk)
    wages.draft_run(run_id=run.pk)

    assert WageStatement.objects.count() == 1


def test_statements_of_another_workshop_are_not_drafted(
    workshop_a, workshop_b, participant_a, participant_b, staff_a, envelopes
):
    approved_work(envelopes, participant_a, quantity=40, by=staff_a)

    assert wages.people_to_state(workshop_b, this_month()) == []
