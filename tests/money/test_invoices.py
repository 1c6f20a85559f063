"""Qualified invoices: lines from accepted orders, tax once per rate (hypothesis over random
lines and rates), states and numbers, due dates, payment, and return invoices that reference
their originals and add up."""

import datetime
from fractions import Fraction

import pytest
from django.utils import timezone
from django.utils.translation import gettext
from hypothesis import given
from hypothesis import strategies as st

from jobs import invoicing, money
from jobs.documents import invoice_paper
from jobs.models import DocumentEvent, Invoice, InvoiceLine, Order
from tests import factories
from tests.money.conftest import accepted_order, issued_invoice

lines = st.lists(
    st.tuples(st.integers(min_value=1, max_value=10_000_000), st.sampled_from([10, 8])),
    min_size=1,
    max_size=40,
)


@given(lines)
def test_tax_is_computed_once_per_rate_on_the_rates_total_and_rounded_down(lines):
    totals = money.invoice_totals(lines)

    for part in totals.by_rate:
        at_rate = sum(amount for amount, rate in lines if rate == part.rate)
        assert part.amount == at_rate
        assert part.tax == int(Fraction(at_rate * part.rate, 100))  # down, once
        per_line = sum(amount * part.rate // 100 for amount, rate in lines if rate == part.rate)
        assert part.tax >= per_line  # rounding each line would lose up to a yen per line
    assert totals.subtotal == sum(amount for amount, _rate in lines)
    assert totals.total == totals.subtotal + totals.tax
    assert [part.rate for part in totals.by_rate] == sorted({r for _a, r in lines}, reverse=True)


def test_three_lines_at_ten_percent_are_taxed_together():
    # Per line: 3 × ⌊¥33 × 10%⌋ = ¥9; on the rate's total: ⌊¥99 × 10%⌋ = ¥9 … and with ¥35:
    # 3 × ⌊3.5⌋ = ¥9, but ⌊¥105 × 10%⌋ = ¥10.
    totals = money.invoice_totals([(35, 10), (35, 10), (35, 10), (101, 8)])

    assert [(p.rate, p.amount, p.tax) for p in totals.by_rate] == [(10, 105, 10), (8, 101, 8)]


@pytest.fixture
def order(workshop_a, company_a, member_a, staff_a):
    return accepted_order(workshop_a, company_a, member_a, staff_a, title="DM封入 12月号")


def test_an_invoice_for_an_order_bills_what_the_company_kept(order, staff_a):
    invoice = invoicing.draft_invoice_for_order(order=order, by=staff_a)

    (line,) = invoice.lines.all()
    assert (line.order, line.quantity, line.unit_price_yen, line.amount_yen, line.tax_rate) == (
        order,
        100,
        50,
        5000,
        10,
    )
    assert (invoice.subtotal_yen, invoice.tax_yen, invoice.total_yen) == (5000, 500, 5500)
    assert invoice.due_date == order.payment_date
    assert invoice.period_start == invoice.period_end == timezone.localdate()


def test_issuing_numbers_it_fixes_it_and_marks_the_order_invoiced(order, staff_a):
    invoice = issued_invoice(order, staff_a)

    order.refresh_from_db()
    year = timezone.localdate().year - (1 if timezone.localdate().month < 4 else 0)
    assert invoice.number == f"INV-{year}-000001"
    assert invoice.issued_on == timezone.localdate()
    assert invoice.tax_summary == [{"rate": 10, "amount": 5000, "tax": 500}]
    assert order.status == Order.Status.INVOICED
    assert list(
        DocumentEvent.objects.filter(document_type="invoice").values_list("to_status", flat=True)
    ) == ["draft", "checked", "issued"]


def test_an_order_cannot_be_on_two_invoices(order, staff_a):
    invoicing.draft_invoice_for_order(order=order, by=staff_a)

    with pytest.raises(invoicing.InvoiceError) as refused:
        invoicing.draft_invoice_for_order(order=order, by=staff_a)
    assert refused.value.code == "not_invoiceable"


def test_an_order_not_yet_accepted_by_the_company_cannot_be_invoiced(order_a, staff_a):
    with pytest.raises(invoicing.InvoiceError) as refused:
        invoicing.draft_invoice_for_order(order=order_a, by=staff_a)
    assert refused.value.code == "not_invoiceable"


def test_a_month_invoice_takes_every_accepted_order_and_is_due_on_the_earliest_date(
    workshop_a, company_a, member_a, staff_a
):
    first = accepted_order(workshop_a, company_a, member_a, staff_a, quantity=10)
    second = accepted_order(workshop_a, company_a, member_a, staff_a, quantity=20)
    Order.objects.filter(pk=second.pk).update(
        payment_date=first.payment_date - datetime.timedelta(days=5)
    )
    other_company = factories.CompanyFactory()
    factories.PartnershipFactory(company=other_company, workshop=workshop_a)

    invoice = invoicing.draft_month_invoice(
        workshop=workshop_a,
        company=company_a,
        month=money.first_of_month(timezone.localdate()),
        by=staff_a,
    )

    assert set(invoice.lines.values_list("order", flat=True)) == {first.pk, second.pk}
    assert invoice.subtotal_yen == 30 * 50
    assert invoice.due_date == first.payment_date - datetime.timedelta(days=5)


def test_lines_at_the_reduced_rate_are_marked_and_taxed_apart(order, staff_a):
    invoice = invoicing.draft_invoice_for_order(order=order, by=staff_a)
    invoicing.add_line(
        invoice=invoice, by=staff_a, description="お茶菓子の同梱", amount_yen=1001, tax_rate=8
    )

    invoice.refresh_from_db()
    paper = invoice_paper(invoice)
    assert invoice.tax_summary == [
        {"rate": 10, "amount": 5000, "tax": 500},
        {"rate": 8, "amount": 1001, "tax": 80},
    ]
    assert invoice.total_yen == 5000 + 500 + 1001 + 80
    assert any(row[1] == "お茶菓子の同梱 ※" for row in paper.rows)


def test_the_invoice_carries_the_six_items_of_a_qualified_invoice(order, staff_a, workshop_a):
    invoice = issued_invoice(order, staff_a)
    paper = invoice_paper(invoice)
    text = " ".join(
        [paper.title, paper.issuer.name, *paper.issuer.lines, paper.addressee.name]
        + [f"{k} {v}" for k, v in paper.facts]
        + [" ".join(row) for row in paper.rows]
        + [f"{k} {v}" for k, v in paper.totals]
    )

    assert workshop_a.name in text and "T1234567890123" in text  # issuer and number
    assert "DM封入 12月号" in text  # what was done
    assert timezone.localdate().strftime("%Y") in text  # the date of the transaction
    assert "丘の上印刷" in text  # the addressee
    assert "10%" in text and "5,000" in text and "500" in text  # amount and tax per rate


def test_issuing_needs_the_workshops_registration_number(order, staff_a, workshop_a):
    workshop_a.invoice_registration_number = ""
    workshop_a.save()
    invoice = invoicing.draft_invoice_for_order(order=order, by=staff_a)
    invoicing.check_invoice(invoice=invoice, by=staff_a)

    with pytest.raises(invoicing.InvoiceError) as refused:
        invoicing.issue_invoice(invoice=invoice, by=staff_a)
    assert refused.value.code == "registration_number_missing"
    invoice.refresh_from_db()
    assert (invoice.status, invoice.number) == ("checked", "")


def test_an_issued_invoice_is_refused_every_change_by_the_rules(order, staff_a):
    invoice = issued_invoice(order, staff_a)
    before = Invoice.objects.filter(pk=invoice.pk).values().get()
    line = invoice.lines.get()

    for change in (
        lambda: invoicing.add_line(invoice=invoice, by=staff_a, description="x", amount_yen=1),
        lambda: invoicing.remove_line(line=line, by=staff_a),
        lambda: invoicing.check_invoice(invoice=invoice, by=staff_a),
        lambda: invoicing.back_to_draft(invoice=invoice, by=staff_a),
        lambda: invoicing.issue_invoice(invoice=invoice, by=staff_a),
        lambda: invoicing.discard_draft(invoice=invoice, by=staff_a),
    ):
        with pytest.raises(invoicing.InvoiceError) as refused:
            change()
        assert refused.value.code == "wrong_state"
    assert Invoice.objects.filter(pk=invoice.pk).values().get() == before
    assert InvoiceLine.objects.filter(invoice=invoice).count() == 1


def test_payment_is_recorded_beside_the_invoice_which_stays_as_issued(order, staff_a):
    invoice = issued_invoice(order, staff_a)
    before = Invoice.objects.filter(pk=invoice.pk).values().get()
    assert list(invoicing.unpaid(order.workshop)) == [invoice]

    payment = invoicing.record_payment(invoice=invoice, by=staff_a, paid_on=timezone.localdate())

    assert payment.amount_yen == 5500
    assert list(invoicing.unpaid(order.workshop)) == []
    assert Invoice.objects.filter(pk=invoice.pk).values().get() == before
    with pytest.raises(invoicing.InvoiceError) as twice:
        invoicing.record_payment(invoice=invoice, by=staff_a, paid_on=timezone.localdate())
    assert twice.value.code == "already_paid"


def test_past_due_lists_unpaid_invoices_after_their_due_date(order, staff_a):
    invoice = issued_invoice(order, staff_a)

    assert list(invoicing.past_due(order.workshop, today=invoice.due_date)) == []
    later = invoice.due_date + datetime.timedelta(days=1)
    assert list(invoicing.past_due(order.workshop, today=later)) == [invoice]


def test_a_return_invoice_references_the_original_and_sums_per_rate(order, staff_a):
    original = issued_invoice(order, staff_a)

    ret = invoicing.draft_return_invoice(original=original, by=staff_a, reason="10枚の値引き")
    invoicing.add_line(invoice=ret, by=staff_a, description="値引き 10枚", amount_yen=500)
    invoicing.check_invoice(invoice=ret, by=staff_a)
    ret = invoicing.issue_invoice(invoice=ret, by=staff_a)

    year = timezone.localdate().year - (1 if timezone.localdate().month < 4 else 0)
    assert (ret.kind, ret.original, ret.number) == ("return", original, f"RET-{year}-000001")
    assert (ret.subtotal_yen, ret.tax_yen, ret.total_yen) == (500, 50, 550)
    assert invoicing.amount_due(original) == 5500 - 550
    assert (gettext("Corrects invoice"), original.number) in invoice_paper(ret).facts


def test_returns_can_never_give_back_more_than_was_billed_at_a_rate(order, staff_a):
    original = issued_invoice(order, staff_a)
    first = invoicing.draft_return_invoice(original=original, by=staff_a, reason="値引き")
    invoicing.add_line(invoice=first, by=staff_a, description="値引き", amount_yen=4000)
    invoicing.check_invoice(invoice=first, by=staff_a)
    invoicing.issue_invoice(invoice=first, by=staff_a)
    second = invoicing.draft_return_invoice(original=original, by=staff_a, reason="追加の値引き")

    with pytest.raises(invoicing.InvoiceError) as too_much:
        invoicing.add_line(invoice=second, by=staff_a, description="値引き", amount_yen=1001)
    with pytest.raises(invoicing.InvoiceError) as wrong_rate:
        invoicing.add_line(
            invoice=second, by=staff_a, description="値引き", amount_yen=1, tax_rate=8
        )
    invoicing.add_line(invoice=second, by=staff_a, description="値引き", amount_yen=1000)

    assert (too_much.value.code, wrong_rate.value.code) == ("too_much", "too_much")
    second.refresh_from_db()
    assert second.subtotal_yen + first.subtotal_yen == original.subtotal_yen


def test_a_return_invoice_needs_an_issued_invoice_and_a_reason(order, staff_a):
    draft = invoicing.draft_invoice_for_order(order=order, by=staff_a)

    with pytest.raises(invoicing.InvoiceError) as not_issued:
        invoicing.draft_return_invoice(original=draft, by=staff_a, reason="x")
    with pytest.raises(invoicing.InvoiceError) as no_reason:
        invoicing.draft_return_invoice(original=draft, by=staff_a, reason=" ")
    assert (not_issued.value.code, no_reason.value.code) == ("wrong_state", "reason_required")


def test_a_discarded_draft_frees_its_order_and_leaves_no_gap(order, staff_a):
    draft = invoicing.draft_invoice_for_order(order=order, by=staff_a)
    invoicing.discard_draft(invoice=draft, by=staff_a)

    invoice = issued_invoice(order, staff_a)

    assert invoice.number.endswith("-000001")
