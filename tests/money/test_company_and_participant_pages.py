"""What companies and participants see of the money documents: the company its issued invoices
and order confirmations (never drafts, never another company's); the participant their own
issued statements in plain words (never a draft, never anyone else's)."""

import datetime

import pytest
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext

from jobs import invoicing
from participants import wages
from tests import factories
from tests.money.conftest import accepted_order, approved_work, this_month

PORTAL = "/c/okanoue-print/"


def test_the_company_lists_its_issued_invoices_and_downloads_them(client, member_a, invoice_a):
    client.force_login(member_a)

    listing = client.get(PORTAL + "invoices/").content.decode()
    page = client.get(f"{PORTAL}invoices/{invoice_a.pk}/").content.decode()
    pdf = client.get(f"{PORTAL}invoices/{invoice_a.pk}/pdf/")

    assert invoice_a.number in listing
    assert invoice_a.number in page and "T1234567890123" in page and "DM封入 12月号" in page
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF-")


def test_a_draft_invoice_is_not_the_companys_to_see(
    client, member_a, workshop_a, company_a, staff_a
):
    order = accepted_order(workshop_a, company_a, member_a, staff_a)
    draft = invoicing.draft_invoice_for_order(order=order, by=staff_a)
    client.force_login(member_a)

    assert client.get(f"{PORTAL}invoices/{draft.pk}/").status_code == 404
    assert client.get(f"{PORTAL}invoices/{draft.pk}/pdf/").status_code == 404
    assert "INV-" not in client.get(PORTAL + "invoices/").content.decode()


def test_company_b_gets_404_for_company_as_invoice_and_confirmation(
    client, member_b, company_b, invoice_a
):
    client.force_login(member_b)
    order = invoice_a.lines.get().order

    for url in (
        f"/c/machikado/invoices/{invoice_a.pk}/",
        f"/c/machikado/invoices/{invoice_a.pk}/pdf/",
        f"{PORTAL}invoices/",
        f"{PORTAL}invoices/{invoice_a.pk}/",
        f"/c/machikado/orders/{order.pk}/confirmation/",
        f"/c/machikado/orders/{order.pk}/deliveries/1/slip.pdf",
    ):
        assert client.get(url).status_code == 404, url


def test_the_company_reads_the_confirmation_and_slip_of_its_order(
    client, member_a, workshop_a, company_a, staff_a
):
    order = accepted_order(workshop_a, company_a, member_a, staff_a, title="DM封入 12月号")
    from jobs import confirmations

    confirmation = confirmations.issue_confirmation_now(order=order, by=staff_a)
    client.force_login(member_a)

    detail = client.get(f"{PORTAL}orders/{order.pk}/").content.decode()
    page = client.get(f"{PORTAL}orders/{order.pk}/confirmation/").content.decode()
    slip = client.get(f"{PORTAL}orders/{order.pk}/deliveries/1/slip.pdf")

    assert f"{PORTAL}orders/{order.pk}/confirmation/" in detail
    assert confirmation.number in page and "DM封入 12月号" in page
    assert slip.content.startswith(b"%PDF-")


# --- the participant --------------------------------------------------------------------------


@pytest.fixture
def sora(client, participant_a):
    client.force_login(participant_a.user)
    return client


def test_the_participant_sees_their_month_in_plain_words(sora, statement_a):
    month = statement_a.month
    day = statement_a.pay_date

    html = sora.get("/statements/").content.decode()

    with translation.override("ja"):
        month_name = date_format(month, gettext("F"))
        expected = gettext("%(month)s's 工賃 %(amount)s") % {
            "month": month_name,
            "amount": gettext("¥%(amount)s") % {"amount": "700"},
        }
        when = date_format(day, gettext("F j"))
    assert expected in html
    assert when in html
    detail = sora.get(f"/statements/{statement_a.pk}/").content.decode()
    assert "封入" in detail
    assert sora.get(f"/statements/{statement_a.pk}/pdf/").content.startswith(b"%PDF-")


def test_statements_stay_readable_after_support_ended(sora, participant_a, statement_a):
    """The last month is paid after support ends: the person still reads what they were paid,
    while the work pages close."""
    participant_a.status = participant_a.Status.ENDED
    participant_a.ended_on = timezone.localdate()
    participant_a.save(update_fields=["status", "ended_on"])

    assert sora.get("/statements/").status_code == 200
    assert sora.get(f"/statements/{statement_a.pk}/").status_code == 200
    assert sora.get(f"/statements/{statement_a.pk}/pdf/").content.startswith(b"%PDF-")
    assert sora.get("/today/").status_code == 404


def test_a_draft_statement_is_not_shown_to_the_participant(sora, participant_a, staff_a, envelopes):
    approved_work(envelopes, participant_a, quantity=40, by=staff_a)
    draft = wages.draft_statement(participant=participant_a, month=this_month(), by=staff_a)

    assert sora.get(f"/statements/{draft.pk}/").status_code == 404
    assert sora.get(f"/statements/{draft.pk}/pdf/").status_code == 404
    assert f"/statements/{draft.pk}/" not in sora.get("/statements/").content.decode()


def test_a_participant_gets_404_for_anothers_statement(
    client, workshop_a, staff_a, envelopes, statement_a
):
    haru = factories.ParticipantFactory(workshop=workshop_a, nickname="はる")
    client.force_login(haru.user)

    for url in (
        f"/statements/{statement_a.pk}/",
        f"/statements/{statement_a.pk}/pdf/",
        f"/api/v1/me/statements/{statement_a.pk}/",
        f"/api/v1/me/statements/{statement_a.pk}/pdf/",
    ):
        assert client.get(url).status_code == 404, url
    listing = client.get("/statements/").content.decode()
    assert "そら" not in listing and "700" not in listing


def test_staff_and_companies_have_no_participant_statement_pages(
    client, staff_a, member_a, statement_a
):
    for who in (staff_a, member_a):
        client.force_login(who)
        assert client.get(f"/statements/{statement_a.pk}/").status_code == 404


def test_the_record_page_links_to_the_statements(sora):
    assert "/statements/" in sora.get("/record/").content.decode()


def test_a_statement_paid_in_the_past_says_so(sora, statement_a):
    type(statement_a).objects.filter(pk=statement_a.pk).update(
        pay_date=timezone.localdate() - datetime.timedelta(days=1)
    )

    html = sora.get("/statements/").content.decode()

    with translation.override("ja"):
        paid = gettext("Paid into your account on %(day)s") % {
            "day": date_format(timezone.localdate() - datetime.timedelta(days=1), gettext("F j"))
        }
    assert paid in html


def test_an_adjustment_is_shown_as_a_correction_to_the_month(
    sora, statement_a, staff_a, participant_a, envelopes
):
    approved_work(envelopes, participant_a, quantity=20, by=staff_a)
    adjustment = wages.draft_adjustment(original=statement_a, by=staff_a, reason="記録漏れ")
    wages.check_statement(statement=adjustment, by=staff_a)
    wages.issue_statement(statement=adjustment, by=staff_a)

    html = sora.get(f"/statements/{adjustment.pk}/").content.decode()

    assert "記録漏れ" in html and "350" in html
