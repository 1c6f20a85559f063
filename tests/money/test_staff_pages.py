"""The staff's money pages: a month's statements and their run, one statement with its
deductions and states, the transfer downloads, bank accounts shown masked, invoices from ready
orders to payment and return, the books with receipts, and the settings."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from jobs import money
from jobs.models import Invoice, InvoicePayment, MoneySettings, ProductionCost
from participants import wages
from participants.models import BankAccount, WageStatement
from tests.money.conftest import accepted_order, approved_work, this_month
from workshop.models import AuditLog

BASE = "/w/hidamari/money/"


def month_param() -> str:
    return f"?month={this_month():%Y-%m}"


def test_the_month_run_drafts_statements_and_the_page_lists_them(
    staff_client, participant_a, staff_a, envelopes
):
    approved_work(envelopes, participant_a, quantity=40, by=staff_a)

    response = staff_client.post(BASE + "statements/run/", {"month": f"{this_month():%Y-%m}"})
    page = staff_client.get(BASE + month_param()).content.decode()

    assert response.status_code == 302
    statement = WageStatement.objects.get()
    assert statement.total_yen == 700 and statement.status == "draft"
    assert "そら" in page and f"/w/hidamari/money/statements/{statement.pk}/" in page


def test_the_run_progress_is_an_htmx_fragment_with_an_href_fallback(
    staff_client, participant_a, staff_a, envelopes
):
    plain = staff_client.get(BASE + "statements/run/progress/" + month_param())
    fragment = staff_client.get(
        BASE + "statements/run/progress/" + month_param(), HTTP_HX_REQUEST="true"
    )

    assert plain.status_code == 302
    assert fragment.status_code == 200
    assert 'id="run-progress"' in fragment.content.decode()
    assert "<html" not in fragment.content.decode()


def test_a_statement_goes_from_draft_to_issued_on_its_page(
    staff_client, participant_a, staff_a, envelopes
):
    approved_work(envelopes, participant_a, quantity=40, by=staff_a)
    statement = wages.draft_statement(participant=participant_a, month=this_month(), by=staff_a)
    url = f"{BASE}statements/{statement.pk}/"

    staff_client.post(url + "deductions/", {"amount_yen": "200", "reason": "昼食代"})
    staff_client.post(url + "check/")
    staff_client.post(url + "issue/")

    statement.refresh_from_db()
    assert (statement.status, statement.total_yen) == ("issued", 500)
    page = staff_client.get(url).content.decode()
    assert statement.number in page and "昼食代" in page


def test_a_deduction_that_is_refused_keeps_what_was_typed(
    staff_client, participant_a, staff_a, envelopes
):
    approved_work(envelopes, participant_a, quantity=4, by=staff_a)  # ¥70
    statement = wages.draft_statement(participant=participant_a, month=this_month(), by=staff_a)

    response = staff_client.post(
        f"{BASE}statements/{statement.pk}/deductions/", {"amount_yen": "500", "reason": "昼食代"}
    )

    assert response.status_code == 400
    html = response.content.decode()
    assert 'value="500"' in html and 'value="昼食代"' in html
    assert not statement.deductions.exists()


def test_the_statement_pdf_downloads(staff_client, statement_a):
    response = staff_client.get(f"{BASE}statements/{statement_a.pk}/pdf/")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    assert statement_a.number in response["Content-Disposition"]


def enter_account(participant):
    return wages.set_bank_account(
        participant=participant,
        by=None,
        bank_code="0005",
        bank_name_kana="ミツビシUFJ",
        branch_code="001",
        branch_name_kana="ホンテン",
        account_type="1",
        account_number="0012345",
        holder_kana="ソラ ハナコ",
    )


def test_a_bank_account_is_entered_in_katakana_and_shown_masked(
    staff_client, participant_a, staff_a
):
    url = f"{BASE}people/{participant_a.pk}/bank-account/"
    response = staff_client.post(
        url,
        {
            "bank_code": "0005",
            "bank_name_kana": "ミツビシUFJ",
            "branch_code": "001",
            "branch_name_kana": "",
            "account_type": "1",
            "account_number": "0012345",
            "holder_kana": "そら はなこ",
        },
    )
    page = staff_client.get(url).content.decode()

    assert response.status_code == 302
    account = BankAccount.objects.get()
    assert account.holder_kana == "ｿﾗ ﾊﾅｺ"
    assert "****345" in page and "0012345" not in page
    audit = AuditLog.objects.get(record_type="bank_account")
    assert (audit.action, audit.participant_id) == ("create", participant_a.pk)


def test_a_bank_account_in_the_wrong_format_keeps_what_was_typed(staff_client, participant_a):
    response = staff_client.post(
        f"{BASE}people/{participant_a.pk}/bank-account/",
        {
            "bank_code": "05",
            "branch_code": "001",
            "account_type": "1",
            "account_number": "12345",
            "holder_kana": "山田",
        },
    )

    assert response.status_code == 400
    assert 'value="12345"' in response.content.decode()
    assert not BankAccount.objects.exists()


def test_the_transfer_csv_has_one_row_per_person_and_is_audited(
    staff_client, statement_a, participant_a
):
    enter_account(participant_a)

    response = staff_client.get(BASE + "statements/transfers.csv" + month_param())

    body = response.content.decode("utf-8-sig").splitlines()
    assert len(body) == 2
    assert body[1].split(",")[:7] == ["そら", "0005", "001", "1", "0012345", "ｿﾗ ﾊﾅｺ", "700"]
    assert AuditLog.objects.filter(action="export", record_type="bank_account").count() == 1


def test_the_zengin_file_needs_the_paying_account_and_everyones_account(
    staff_client, statement_a, participant_a, workshop_a
):
    url = BASE + "statements/transfers.txt" + month_param()
    assert staff_client.get(url).status_code == 302  # no paying account yet

    wages.update_money_settings(
        workshop=workshop_a,
        by=None,
        consignor_code="1234567890",
        consignor_name_kana="ヒダマリサギョウショ",
        bank_code="0001",
        branch_code="123",
        account_type="1",
        account_number="7654321",
    )
    assert staff_client.get(url).status_code == 302  # そら has no account yet
    enter_account(participant_a)

    response = staff_client.get(url)
    records = response.content.split(b"\r\n")[:-1]
    assert response.status_code == 200
    assert [len(r) for r in records] == [120, 120, 120, 120]
    assert records[1][80:90] == b"0000000700"
    assert int(records[2][7:19]) == 700


@pytest.fixture
def ready_order(workshop_a, company_a, member_a, staff_a):
    return accepted_order(workshop_a, company_a, member_a, staff_a, title="DM封入 12月号")


def test_an_order_goes_from_ready_to_paid_through_the_invoice_pages(staff_client, ready_order):
    listing = staff_client.get(BASE + "invoices/").content.decode()
    assert "DM封入 12月号" in listing

    response = staff_client.post(f"{BASE}invoices/for-order/{ready_order.pk}/")
    invoice = Invoice.objects.get()
    url = f"{BASE}invoices/{invoice.pk}/"
    assert response["Location"] == url
    staff_client.post(
        url + "lines/", {"description": "送料", "amount_yen": "800", "tax_rate": "10"}
    )
    staff_client.post(url + "check/")
    staff_client.post(url + "issue/")
    staff_client.post(url + "paid/", {"paid_on": timezone.localdate().isoformat()})

    invoice.refresh_from_db()
    ready_order.refresh_from_db()
    assert (invoice.status, invoice.subtotal_yen, invoice.tax_yen) == ("issued", 5800, 580)
    assert ready_order.status == "invoiced"
    assert InvoicePayment.objects.get().amount_yen == 6380
    assert invoice.number in staff_client.get(BASE + "invoices/?tab=paid").content.decode()


def test_past_due_invoices_are_listed_apart(staff_client, invoice_a):
    Invoice.objects.filter(pk=invoice_a.pk).update(
        due_date=timezone.localdate() - datetime.timedelta(days=3)
    )

    page = staff_client.get(BASE + "invoices/?tab=past_due").content.decode()

    assert invoice_a.number in page


def test_a_return_invoice_is_started_from_the_original(staff_client, invoice_a):
    response = staff_client.post(
        f"{BASE}invoices/{invoice_a.pk}/return/", {"reason": "10枚の値引き"}
    )

    ret = Invoice.objects.get(kind="return")
    assert response["Location"] == f"{BASE}invoices/{ret.pk}/"
    assert (ret.original, ret.reason, ret.status) == (invoice_a, "10枚の値引き", "draft")


def pdf_upload(name="receipt.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"%PDF-1.4\n% a receipt\n", content_type="application/pdf")


def test_a_cost_is_added_with_its_receipt_checked_by_content(staff_client):
    response = staff_client.post(
        BASE + "books/costs/",
        {
            "spent_on": timezone.localdate().isoformat(),
            "category": "materials",
            "description": "封筒 1,000枚",
            "amount_yen": "3300",
            "receipt": pdf_upload("封筒.pdf"),
            "month": f"{this_month():%Y-%m}",
        },
    )

    cost = ProductionCost.objects.get()
    assert response.status_code == 302
    assert (cost.amount_yen, cost.receipt_content_type, cost.receipt_name) == (
        3300,
        "application/pdf",
        "封筒.pdf",
    )
    receipt = staff_client.get(f"{BASE}books/costs/{cost.pk}/receipt/")
    assert receipt["Content-Type"] == "application/pdf"


def test_a_receipt_that_is_not_a_pdf_or_photo_is_refused_and_the_form_kept(staff_client):
    response = staff_client.post(
        BASE + "books/costs/",
        {
            "spent_on": timezone.localdate().isoformat(),
            "category": "materials",
            "description": "封筒",
            "amount_yen": "3300",
            "receipt": SimpleUploadedFile("receipt.pdf", b"MZ\x90\x00 not a pdf at all"),
        },
    )

    assert response.status_code == 400
    assert 'value="封筒"' in response.content.decode()
    assert not ProductionCost.objects.exists()


def test_the_books_show_the_margin_and_the_csv_adds_up(
    staff_client, invoice_a, statement_a, workshop_a, staff_a
):
    from jobs import books

    books.add_cost(
        workshop=workshop_a,
        by=staff_a,
        spent_on=timezone.localdate(),
        category="delivery",
        description="宅配便",
        amount_yen=1000,
    )

    page = staff_client.get(BASE + "books/" + month_param()).content.decode()
    figures = money.month_books(workshop_a, this_month())
    rows = staff_client.get(BASE + "books/books.csv" + month_param()).content.decode("utf-8-sig")

    # ¥5,000 revenue − ¥1,000 costs = ¥4,000 available; ¥700 of 工賃 leaves ¥3,300.
    assert (figures.revenue, figures.costs, figures.wages, figures.margin) == (
        5000,
        1000,
        700,
        3300,
    )
    assert figures.within_rule
    assert "3,300" in page
    assert ",3300" in rows and "丘の上印刷" in rows and "宅配便" in rows


def test_books_over_the_rule_are_shown_plainly(workshop_a, statement_a):
    figures = money.month_books(workshop_a, this_month())

    assert (figures.revenue, figures.wages, figures.margin, figures.within_rule) == (
        0,
        700,
        -700,
        False,
    )


def test_only_managers_change_the_money_settings(client, staff_a, manager_a, workshop_a):
    client.force_login(staff_a)
    assert client.get(BASE + "settings/").status_code == 404

    client.force_login(manager_a)
    response = client.post(
        BASE + "settings/",
        {
            "fiscal_year_start_month": "1",
            "wage_payday": "15",
            "consignor_code": "1234567890",
            "consignor_name_kana": "ひだまり",
            "bank_code": "0001",
            "branch_code": "123",
            "account_type": "1",
            "account_number": "7654321",
        },
    )

    settings = MoneySettings.objects.get(workshop=workshop_a)
    assert response.status_code == 302
    assert (settings.fiscal_year_start_month, settings.wage_payday) == (1, 15)
    assert settings.consignor_name_kana == "ﾋﾀﾞﾏﾘ"
    assert money.wage_pay_date(workshop_a, datetime.date(2026, 11, 1)) == datetime.date(
        2026, 12, 15
    )


def test_the_confirmation_of_an_accepted_order_opens_for_staff(staff_client, order_a, staff_a):
    from jobs import orders
    from jobs.models import Order

    Order.objects.filter(pk=order_a.pk).update(status="submitted")
    orders.accept_order(order=order_a, by=staff_a, minutes_per_item=2)

    page = staff_client.get(f"{BASE}orders/{order_a.pk}/confirmation/").content.decode()
    pdf = staff_client.get(f"{BASE}orders/{order_a.pk}/confirmation/pdf/")

    assert order_a.confirmation.number in page and "DM封入 3月号" in page
    assert pdf.content.startswith(b"%PDF-")


def test_an_order_accepted_before_confirmations_gets_one_from_its_page(staff_client, order_a):
    response = staff_client.post(f"{BASE}orders/{order_a.pk}/confirmation/issue/")

    order_a.refresh_from_db()
    assert response.status_code == 302
    assert order_a.confirmation.number.startswith("CNF-")


def test_the_staff_home_links_to_money(staff_client):
    assert BASE in staff_client.get("/w/hidamari/").content.decode()
