"""Writing an order in the company portal: draft or sent at once, every refusal next to its field,
and nothing typed or uploaded lost on the way."""

import datetime
import re

from django.utils import timezone

from jobs.models import Order, OrderEvent, OrderFile
from jobs.orders import default_payment_date
from tests import factories
from tests.companies.conftest import (
    exe_upload,
    field_html,
    order_post,
    pdf_upload,
    png_upload,
)
from tests.i18n import ja

NEW = "/c/okanoue-print/orders/new/"


def test_it_preselects_the_only_partner_workshop(member_client, workshop_a, workshop_b):
    html = member_client.get(NEW).content.decode()

    workshop_field = field_html(html, "workshop")
    assert f'<option value="{workshop_a.pk}" selected>ひだまり作業所</option>' in workshop_field
    assert "みなと作業所" not in html


def test_it_offers_every_partner_workshop_and_none_other(member_client, company_a, workshop_b):
    other = factories.WorkshopFactory(name="さくら工房")
    factories.PartnershipFactory(company=company_a, workshop=other)

    html = member_client.get(NEW).content.decode()

    assert "ひだまり作業所" in html
    assert "さくら工房" in html
    assert "みなと作業所" not in html
    assert " selected>" not in field_html(html, "workshop").replace('value="" selected', "")


def test_it_saves_a_draft_and_shows_its_page(member_client, member_a, workshop_a):
    response = member_client.post(NEW + "save/", order_post(workshop_a), follow=True)

    order = Order.objects.get()
    assert response.redirect_chain[-1][0] == f"/c/okanoue-print/orders/{order.pk}/"
    assert order.status == Order.Status.DRAFT
    assert (order.title, order.quantity, order.unit_label) == ("DM封入 4月号", 1000, "通")
    assert order.total_price_yen == 12000
    assert order.payment_date is None
    assert order.created_by == member_a
    assert "下書きを保存しました" in response.content.decode()


def test_it_sends_an_order_at_once_with_the_default_payment_date(
    member_client, workshop_a, in_three_weeks
):
    member_client.post(NEW + "send/", order_post(workshop_a))

    order = Order.objects.get()
    assert order.status == Order.Status.SUBMITTED
    assert order.payment_date == default_payment_date(in_three_weeks)
    assert list(OrderEvent.objects.filter(order=order).values_list("to_status", flat=True)) == [
        "draft",
        "submitted",
    ]


def test_it_reads_full_width_digits_commas_and_yen(member_client, workshop_a):
    data = order_post(
        workshop_a, quantity="１，０００", unit_price_yen="", total_price_yen="12,000円"
    )

    member_client.post(NEW + "save/", data)

    order = Order.objects.get()
    assert (order.quantity, order.unit_price_yen, order.total_price_yen) == (1000, None, 12000)


def test_it_shows_each_refusal_next_to_its_field_and_keeps_what_was_typed(
    member_client, workshop_a
):
    delivery = timezone.localdate() + datetime.timedelta(days=10)
    data = order_post(
        workshop_a,
        title="",
        quantity="abc",
        unit_price_yen="",
        total_price_yen="",
        desired_delivery_date=delivery.isoformat(),
        payment_date=(delivery + datetime.timedelta(days=61)).isoformat(),
        instructions="三つ折りにしてから封入",
    )

    response = member_client.post(NEW + "send/", data)

    assert response.status_code == 400
    assert not Order.objects.exists()
    html = response.content.decode()
    assert ja("Please give the order a title.") in field_html(html, "title")
    assert ja("Enter a whole number.") in field_html(html, "quantity")
    assert 'value="abc"' in field_html(html, "quantity")
    assert ja("Give a unit price or a total price.") in field_html(html, "unit_price_yen")
    too_late = ja(
        "The payment date must be within %(days)s days after the delivery date "
        "(by %(latest)s at the latest).",
        days=60,
        latest=delivery + datetime.timedelta(days=60),
    )
    assert too_late in field_html(html, "payment_date")
    assert "三つ折りにしてから封入" in field_html(html, "instructions")
    assert 'value="通"' in field_html(html, "unit_label")
    assert re.search(r'value="pickup"[^>]*checked', field_html(html, "delivery_method"))


def test_it_refuses_a_total_that_is_not_unit_price_times_quantity(member_client, workshop_a):
    data = order_post(workshop_a, unit_price_yen="12", total_price_yen="10000")

    response = member_client.post(NEW + "save/", data)

    assert ja(
        "The total (%(total)s yen) is not the unit price × quantity (%(expected)s yen).",
        total="10,000",
        expected="12,000",
    ) in field_html(response.content.decode(), "total_price_yen")


def test_it_refuses_a_past_delivery_date_when_sending(member_client, workshop_a):
    yesterday = timezone.localdate() - datetime.timedelta(days=1)

    response = member_client.post(
        NEW + "send/", order_post(workshop_a, desired_delivery_date=yesterday.isoformat())
    )

    assert ja("The delivery date is in the past.") in field_html(
        response.content.decode(), "desired_delivery_date"
    )
    assert not Order.objects.exists()


def test_it_refuses_an_executable_renamed_pdf_and_keeps_the_rest(member_client, workshop_a):
    data = order_post(workshop_a, title="", files=[exe_upload("請求書.pdf"), pdf_upload()])

    response = member_client.post(NEW + "save/", data)

    html = response.content.decode()
    assert response.status_code == 400
    files = field_html(html, "files")
    refused = ja("Only PDF files, images (JPEG, PNG, GIF, WebP) and CSV files can be attached.")
    assert f"請求書.pdf: {refused}" in files
    assert "DM封入" not in field_html(html, "title")
    assert "案内状を封筒に入れて" in field_html(html, "description")
    # The good file waits for the corrected form.
    assert "spec.pdf" in html
    assert "請求書.pdf</label>" not in html


def test_it_attaches_the_files_kept_from_a_refused_attempt(member_client, workshop_a):
    first = member_client.post(
        NEW + "save/", order_post(workshop_a, title="", files=[pdf_upload(), png_upload()])
    )
    token = first.context["upload_token"]
    kept = [upload.id for upload in first.context["pending_uploads"]]
    assert len(kept) == 2

    member_client.post(NEW + "save/", order_post(workshop_a, upload_token=token, keep=kept))

    order = Order.objects.get()
    names = sorted(order.files.values_list("original_name", "content_type"))
    assert names == [("sample.png", "image/png"), ("spec.pdf", "application/pdf")]
    assert member_client.session["pending_order_uploads"] == {}


def test_it_leaves_out_a_kept_file_that_was_unticked(member_client, workshop_a):
    first = member_client.post(
        NEW + "save/", order_post(workshop_a, title="", files=[pdf_upload(), png_upload()])
    )
    pending = first.context["pending_uploads"]
    keep = [upload.id for upload in pending if upload.name == "sample.png"]

    member_client.post(
        NEW + "save/", order_post(workshop_a, upload_token=first.context["upload_token"], keep=keep)
    )

    assert list(OrderFile.objects.values_list("original_name", flat=True)) == ["sample.png"]


def test_a_token_from_another_session_brings_no_files(client, member_a, workshop_a):
    client.force_login(member_a)
    first = client.post(NEW + "save/", order_post(workshop_a, title="", files=[pdf_upload()]))
    token = first.context["upload_token"]
    kept = [upload.id for upload in first.context["pending_uploads"]]
    other = factories.CompanyMembershipFactory(company=first.context["company"]).user
    client.force_login(other)

    client.post(NEW + "save/", order_post(workshop_a, upload_token=token, keep=kept))

    assert not OrderFile.objects.exists()


def test_it_refuses_a_workshop_the_company_does_not_order_from(member_client, workshop_b):
    response = member_client.post(NEW + "save/", order_post(workshop_b))

    assert response.status_code == 400
    assert ja(
        "Select a valid choice. That choice is not one of the available choices."
    ) in field_html(response.content.decode(), "workshop")
    assert not Order.objects.exists()


def test_it_edits_a_draft_and_keeps_it_a_draft(member_client, workshop_a, company_a):
    draft = factories.OrderFactory(
        workshop=workshop_a, company=company_a, status=Order.Status.DRAFT, payment_date=None
    )

    page = member_client.get(f"/c/okanoue-print/orders/{draft.pk}/edit/").content.decode()
    assert f'value="{draft.title}"' in page
    member_client.post(
        f"/c/okanoue-print/orders/{draft.pk}/edit/save/",
        order_post(title="DM封入 5月号", quantity="2000", files=[pdf_upload()]),
    )

    draft.refresh_from_db()
    assert (draft.title, draft.quantity, draft.total_price_yen) == ("DM封入 5月号", 2000, 24000)
    assert draft.status == Order.Status.DRAFT
    assert draft.files.get().original_name == "spec.pdf"


def test_an_edit_with_errors_shows_the_draft_form_again(member_client, workshop_a, company_a):
    draft = factories.OrderFactory(
        workshop=workshop_a, company=company_a, status=Order.Status.DRAFT, payment_date=None
    )

    response = member_client.post(
        f"/c/okanoue-print/orders/{draft.pk}/edit/save/",
        order_post(title="", files=[png_upload()]),
    )

    assert response.status_code == 400
    html = response.content.decode()
    assert f'action="/c/okanoue-print/orders/{draft.pk}/edit/save/"' in html
    assert "sample.png" in html
    draft.refresh_from_db()
    assert draft.title != ""


def test_a_sent_order_cannot_be_edited(member_client, submitted_a):
    response = member_client.get(f"/c/okanoue-print/orders/{submitted_a.pk}/edit/", follow=True)

    assert response.redirect_chain[-1][0] == f"/c/okanoue-print/orders/{submitted_a.pk}/"
    response = member_client.post(
        f"/c/okanoue-print/orders/{submitted_a.pk}/edit/save/", order_post(title="書き換え")
    )
    submitted_a.refresh_from_db()
    assert submitted_a.title == "チラシ折り"
