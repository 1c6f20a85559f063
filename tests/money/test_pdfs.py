"""Every kind of PDF opens, is A4, embeds its Japanese font (a TrueType subset, never a CID font
the reader must have), and pdftotext finds the Japanese text in it. Each kind is also drawn to
a PNG in tests/e2e/screenshots/ once, for a person to look at."""

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.utils import translation

from jobs import confirmations, invoicing, pdf
from jobs.documents import confirmation_paper, invoice_paper, slip_paper, statement_paper
from jobs.models import Delivery, Order
from participants import wages
from tests import factories
from tests.money.conftest import (
    accepted_order,
    approved_work,
    issued_invoice,
    issued_statement,
    this_month,
)

SCREENSHOTS = Path(__file__).resolve().parent.parent / "e2e" / "screenshots"
POPPLER = shutil.which("pdftotext") and shutil.which("pdffonts") and shutil.which("pdftoppm")


def poppler(*args: str, data: bytes) -> str:
    if not POPPLER:
        pytest.fail("poppler-utils is needed for the PDF tests: apt-get install poppler-utils")
    done = subprocess.run(args, input=data, capture_output=True, check=True, timeout=60)
    return done.stdout.decode()


def text_of(data: bytes) -> str:
    return poppler("pdftotext", "-layout", "-", "-", data=data)


def check_pdf(data: bytes, kind: str) -> str:
    assert data.startswith(b"%PDF-")
    info = poppler("pdfinfo", "-", data=data)
    assert re.search(r"Page size:\s+595\.2\d* x 841\.8\d* pts \(A4\)", info), info
    fonts = poppler("pdffonts", "-", data=data)
    assert "IPAexGothic" in fonts and "TrueType" in fonts
    # Every font is embedded (the "emb" column): no reader needs Japanese fonts of its own.
    for line in fonts.splitlines()[2:]:
        assert " yes " in line, fonts
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    poppler(
        "pdftoppm",
        "-png",
        "-r",
        "70",
        "-singlefile",
        "-",
        str(SCREENSHOTS / f"pdf-{kind}"),
        data=data,
    )
    return text_of(data)


@pytest.fixture
def order(workshop_a, company_a, member_a, staff_a):
    return accepted_order(
        workshop_a, company_a, member_a, staff_a, title="DM封入 12月号", quantity=300
    )


def test_an_invoice_pdf_reads_in_japanese(order, staff_a):
    invoice = invoicing.draft_invoice_for_order(order=order, by=staff_a)
    invoicing.add_line(
        invoice=invoice, by=staff_a, description="焼き菓子の同梱", amount_yen=2000, tax_rate=8
    )
    invoicing.check_invoice(invoice=invoice, by=staff_a)
    invoice = invoicing.issue_invoice(invoice=invoice, by=staff_a)

    with translation.override("ja"):
        text = check_pdf(pdf.render(invoice_paper(invoice)), "invoice")

    for expected in (
        "請求書",
        "ひだまり作業所",
        "T1234567890123",
        "丘の上印刷",
        "DM封入 12月号",
        "焼き菓子の同梱 ※",
        "軽減税率",
        invoice.number,
        "15,000",
        "1,500",
        "160",
    ):
        assert expected in text, expected


def test_a_return_invoice_pdf_names_the_original(order, staff_a):
    original = issued_invoice(order, staff_a)
    ret = invoicing.draft_return_invoice(original=original, by=staff_a, reason="5枚の折れ")
    invoicing.add_line(invoice=ret, by=staff_a, description="値引き（5枚）", amount_yen=250)
    invoicing.check_invoice(invoice=ret, by=staff_a)
    ret = invoicing.issue_invoice(invoice=ret, by=staff_a)

    with translation.override("ja"):
        text = check_pdf(pdf.render(invoice_paper(ret)), "return-invoice")

    for expected in ("返還", original.number, ret.number, "値引き（5枚）", "5枚の折れ", "275"):
        assert expected in text, expected


def test_a_wage_statement_pdf_reads_in_japanese(workshop_a, participant_a, staff_a, order_a):
    approved_work(order_a, participant_a, quantity=40, by=staff_a)
    statement = wages.draft_statement(participant=participant_a, month=this_month(), by=staff_a)
    wages.add_deduction(statement=statement, by=staff_a, amount_yen=30, reason="おやつ代")
    wages.check_statement(statement=statement, by=staff_a)
    statement = wages.issue_statement(statement=statement, by=staff_a)

    with translation.override("ja"):
        text = check_pdf(pdf.render(statement_paper(statement)), "statement")

    # 40 枚 × ¥5 × 70% = ¥140, less ¥30
    for expected in ("工賃明細", "そら", "DM封入 3月号", "おやつ代", "140", "110", "切り捨て"):
        assert expected in text, expected


def test_an_adjustment_statement_pdf_names_what_it_adjusts(participant_a, staff_a, order_a):
    approved_work(order_a, participant_a, quantity=40, by=staff_a)
    original = issued_statement(participant_a, staff_a)
    adjustment = wages.draft_adjustment(original=original, by=staff_a, reason="記録漏れ")
    wages.add_adjustment_line(statement=adjustment, by=staff_a, description="追加", amount_yen=70)
    adjustment.refresh_from_db()

    with translation.override("ja"):
        text = check_pdf(pdf.render(statement_paper(adjustment)), "adjustment")

    for expected in ("調整", original.number, "記録漏れ", "+70", "未発行"):
        assert expected in text, expected


def test_an_order_confirmation_pdf_states_the_terms(order_a, staff_a):
    Order.objects.filter(pk=order_a.pk).update(status=Order.Status.SUBMITTED)
    from jobs import orders

    orders.accept_order(order=order_a, by=staff_a, minutes_per_item=2)
    confirmation = order_a.confirmation

    with translation.override("ja"):
        text = check_pdf(pdf.render(confirmation_paper(confirmation)), "confirmation")

    for expected in ("注文請書", confirmation.number, "DM封入 3月号", "1,000", "5,000", "支払"):
        assert expected in text, expected


def test_a_delivery_slip_pdf_reads_in_japanese(order):
    delivery = Delivery.objects.get(order=order)

    with translation.override("ja"):
        text = check_pdf(pdf.render(slip_paper(delivery)), "slip")

    for expected in ("納品書", delivery.slip_number, "DM封入 12月号", "300 枚", "15,000"):
        assert expected in text, expected


def test_a_long_invoice_flows_onto_a_second_page(workshop_a, company_a, member_a, staff_a):
    orders_ = [
        accepted_order(
            workshop_a, company_a, member_a, staff_a, title=f"封入作業 その{n}", quantity=10
        )
        for n in range(45)
    ]
    invoice = invoicing.draft_invoice(
        workshop=workshop_a, company=company_a, orders=orders_, by=staff_a
    )

    data = pdf.render(invoice_paper(invoice))

    pages = re.search(r"Pages:\s+(\d+)", poppler("pdfinfo", "-", data=data))
    assert int(pages.group(1)) >= 2
    assert "封入作業 その44" in text_of(data)


def test_confirmations_exist_for_accepted_orders_only(staff_a):
    with pytest.raises(confirmations.ConfirmationError):
        confirmations.issue_confirmation(
            order_id=factories.OrderFactory(status=Order.Status.SUBMITTED).pk, by=staff_a
        )
