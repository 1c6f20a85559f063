"""The money APIs: companies read their issued invoices and confirmations (JSON and PDF) with
a token; the participant reads their own statements; staff draft, check and issue statements
and invoices, and record payment. Another tenant's document is a 404."""

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from companies.tokens import create_token
from jobs import confirmations, invoicing
from jobs.models import Invoice
from participants.models import WageStatement
from tests.i18n import ja
from tests.money.conftest import accepted_order, approved_work, this_month

STAFF = "/api/v1/staff/workshops/hidamari/"


@pytest.fixture
def api_a(company_a, company_admin_a):
    secret = create_token(company=company_a, by=company_admin_a, name="経理")[1]
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
    return client


@pytest.fixture
def api_b(company_b):
    from tests import factories

    admin = factories.CompanyMembershipFactory(company=company_b, role="admin").user
    secret = create_token(company=company_b, by=admin, name="経理")[1]
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
    return client


def test_a_company_reads_its_invoices_with_a_token(api_a, invoice_a):
    body = api_a.get("/api/v1/invoices/").json()

    (row,) = body["results"]
    assert row["number"] == invoice_a.number
    assert row["workshop_registration_number"] == "T1234567890123"
    assert row["by_rate"] == [{"rate": 10, "amount_yen": 5000, "tax_yen": 500}]
    assert (row["subtotal_yen"], row["tax_yen"], row["total_yen"]) == (5000, 500, 5500)
    assert row["amount_due_yen"] == 5500 and row["paid_on"] is None
    assert row["lines"][0]["description"] == "DM封入 12月号"
    assert api_a.get(f"/api/v1/invoices/{invoice_a.pk}/").json()["id"] == invoice_a.pk


def test_a_company_downloads_the_invoice_pdf_even_when_it_asks_for_pdf(api_a, invoice_a):
    response = api_a.get(f"/api/v1/invoices/{invoice_a.pk}/pdf/", HTTP_ACCEPT="application/pdf")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")


def test_another_companys_invoice_or_confirmation_is_404(api_b, invoice_a):
    order = invoice_a.lines.get().order

    for url in (
        f"/api/v1/invoices/{invoice_a.pk}/",
        f"/api/v1/invoices/{invoice_a.pk}/pdf/",
        f"/api/v1/orders/{order.pk}/confirmation/",
        f"/api/v1/orders/{order.pk}/deliveries/1/slip/pdf/",
    ):
        response = api_b.get(url)
        assert response.status_code == 404, url
        assert response.json()["code"] == "not_found"
    assert api_b.get("/api/v1/invoices/").json()["results"] == []


def test_a_draft_is_not_in_the_companys_api(api_a, workshop_a, company_a, member_a, staff_a):
    order = accepted_order(workshop_a, company_a, member_a, staff_a)
    draft = invoicing.draft_invoice_for_order(order=order, by=staff_a)

    assert api_a.get(f"/api/v1/invoices/{draft.pk}/").status_code == 404
    assert api_a.get("/api/v1/invoices/").json()["results"] == []


def test_a_company_reads_the_order_confirmation(api_a, workshop_a, company_a, member_a, staff_a):
    order = accepted_order(workshop_a, company_a, member_a, staff_a, title="DM封入 12月号")
    confirmation = confirmations.issue_confirmation_now(order=order, by=staff_a)

    body = api_a.get(f"/api/v1/orders/{order.pk}/confirmation/").json()
    pdf = api_a.get(f"/api/v1/orders/{order.pk}/confirmation/pdf/")

    assert body["number"] == confirmation.number
    assert (body["total_price_yen"], body["tax_yen"]) == (5000, 500)
    assert body["payment_date"] == order.payment_date.isoformat()
    assert pdf.content.startswith(b"%PDF-")


def test_the_participant_reads_their_statements_in_the_api(client, participant_a, statement_a):
    client.force_login(participant_a.user)

    body = client.get("/api/v1/me/statements/").json()
    one = client.get(f"/api/v1/me/statements/{statement_a.pk}/").json()
    pdf = client.get(f"/api/v1/me/statements/{statement_a.pk}/pdf/")

    assert [row["number"] for row in body] == [statement_a.number]
    assert (one["total_yen"], one["lines"][0]["quantity"], one["lines"][0]["amount_yen"]) == (
        700,
        40,
        700,
    )
    assert pdf.content.startswith(b"%PDF-")


def test_a_company_token_cannot_read_statements(api_a, statement_a):
    # The participant API is session-only: a token is no way in (403), before any object.
    response = api_a.get(f"/api/v1/me/statements/{statement_a.pk}/")
    assert response.status_code == 403
    assert response.json()["code"] == "not_authenticated"


# --- staff ------------------------------------------------------------------------------------


@pytest.fixture
def staff_api(client, staff_a):
    client.force_login(staff_a)
    return client


def post(client, url: str, data: dict | None = None):
    return client.post(url, data or {}, content_type="application/json")


def test_staff_draft_check_and_issue_the_month_through_the_api(
    staff_api, participant_a, staff_a, envelopes
):
    approved_work(envelopes, participant_a, quantity=40, by=staff_a)

    run = post(staff_api, STAFF + "statements/runs/", {"month": f"{this_month():%Y-%m}"})
    assert run.status_code == 202 and run.json()["status"] == "done"
    assert staff_api.get(STAFF + f"statements/runs/{run.json()['id']}/").json()["percent"] == 100
    (statement,) = staff_api.get(STAFF + "statements/").json()["results"]
    url = STAFF + f"statements/{statement['id']}/"
    assert (
        post(staff_api, url + "deductions/", {"amount_yen": 100, "reason": "昼食代"}).json()[
            "total_yen"
        ]
        == 600
    )
    assert post(staff_api, url + "check/").json()["status"] == "checked"
    issued = post(staff_api, url + "issue/").json()

    assert issued["status"] == "issued" and issued["number"].startswith("PAY-")
    again = post(staff_api, url + "issue/")
    assert (again.status_code, again.json()["code"]) == (409, "wrong_state")
    adjustment = post(staff_api, url + "adjustments/", {"reason": "確認"})
    assert adjustment.status_code == 201 and adjustment.json()["adjusts"] == issued["number"]
    assert staff_api.get(url + "pdf/").content.startswith(b"%PDF-")


def test_staff_invoice_an_order_through_the_api(
    staff_api, workshop_a, company_a, member_a, staff_a
):
    order = accepted_order(workshop_a, company_a, member_a, staff_a)

    draft = post(staff_api, STAFF + "invoices/", {"order": order.pk})
    assert draft.status_code == 201
    url = STAFF + f"invoices/{draft.json()['id']}/"
    lines = post(
        staff_api, url + "lines/", {"description": "焼き菓子", "amount_yen": 1000, "tax_rate": 8}
    )
    assert lines.json()["by_rate"] == [
        {"rate": 10, "amount_yen": 5000, "tax_yen": 500},
        {"rate": 8, "amount_yen": 1000, "tax_yen": 80},
    ]
    post(staff_api, url + "check/")
    issued = post(staff_api, url + "issue/").json()
    paid = post(staff_api, url + "payment/", {"paid_on": timezone.localdate().isoformat()})

    assert issued["number"].startswith("INV-")
    assert paid.json()["paid_on"] == timezone.localdate().isoformat()
    assert staff_api.get(STAFF + "invoices/?unpaid=true").json()["results"] == []
    twice = post(staff_api, STAFF + "invoices/", {"order": order.pk})
    assert (twice.status_code, twice.json()["code"]) == (409, "not_invoiceable")
    ret = post(staff_api, url + "returns/", {"reason": "値引き"})
    assert ret.status_code == 201 and ret.json()["original"] == issued["number"]


def test_staff_api_refuses_bad_input_with_codes(staff_api):
    assert post(staff_api, STAFF + "invoices/", {}).json()["code"] == "invalid"
    assert post(staff_api, STAFF + "statements/runs/", {"month": "11/2026"}).status_code == 400
    bad_month = staff_api.get(STAFF + "statements/?month=nope")
    assert bad_month.status_code == 400 and bad_month.json()["code"] == "invalid"
    assert bad_month.json()["errors"]["month"] == [ja("Use YYYY-MM, e.g. 2026-11.")]


def test_the_books_in_the_staff_api(staff_api, invoice_a, statement_a):
    body = staff_api.get(STAFF + "books/").json()

    assert (body["revenue_yen"], body["wages_yen"], body["margin_yen"], body["within_rule"]) == (
        5000,
        700,
        4300,
        True,
    )


def test_another_workshops_staff_get_404(client, staff_b, statement_a, invoice_a):
    client.force_login(staff_b)

    for url in (
        f"/api/v1/staff/workshops/hidamari/statements/{statement_a.pk}/",
        f"/api/v1/staff/workshops/minato/statements/{statement_a.pk}/",
        f"/api/v1/staff/workshops/minato/invoices/{invoice_a.pk}/",
        f"/w/minato/money/statements/{statement_a.pk}/",
        f"/w/minato/money/invoices/{invoice_a.pk}/pdf/",
        f"/w/hidamari/money/invoices/{invoice_a.pk}/",
    ):
        assert client.get(url).status_code == 404, url
    assert WageStatement.objects.count() == 1 and Invoice.objects.count() == 1
