"""The company's order page: history, progress and its estimate, messages (with and without
htmx), files served through a checked view, and the workshop's proposals to confirm or refuse."""

import datetime

from django.utils import timezone

from jobs import counters, orders
from jobs.models import ChangeProposal, Order, OrderMessage, WorkUnit
from tests import factories
from tests.companies.conftest import exe_upload, pdf_upload, png_upload
from tests.i18n import ja


def page_of(order) -> str:
    return f"/c/okanoue-print/orders/{order.pk}/"


def test_it_shows_the_history_with_who_and_what(member_client, member_a, staff_a, submitted_a):
    staff_a.display_name = "山田 支援員"
    staff_a.save()
    orders.accept_order(order=submitted_a, by=staff_a, note="よろしくお願いします")

    html = member_client.get(page_of(submitted_a)).content.decode()

    history = html.split('id="history-title"')[1].split("</section>")[0]
    assert "受注" in history
    assert "山田 支援員" in history
    assert "よろしくお願いします" in history


def test_it_shows_units_checked_quantity_done_and_the_expected_date(
    member_client, order_a, participant_a
):
    # 1,000 items; 200 logged over the last two weeks → about 14.3 a day → 56 days for 800.
    approved = factories.WorkUnitFactory(order=order_a, status=WorkUnit.Status.OPEN)
    factories.WorkUnitFactory.create_batch(3, order=order_a)
    factories.ProgressLogFactory(unit=approved, participant=participant_a, quantity=150)
    factories.ProgressLogFactory(unit=approved, participant=participant_a, quantity=50)
    checked = {"status": WorkUnit.Status.APPROVED}
    if hasattr(WorkUnit, "approved_quantity"):  # added by the review work (jobs/work.py)
        checked["approved_quantity"] = approved.quantity
    WorkUnit.objects.filter(pk=approved.pk).update(**checked)
    counters.reset([order_a.pk])

    response = member_client.get(page_of(order_a))

    progress = response.context["progress"]
    assert (progress["units_approved"], progress["units_total"], progress["done"]) == (1, 4, 200)
    assert progress["expected"] == timezone.localdate() + datetime.timedelta(days=56)
    html = response.content.decode()
    assert "1,000 枚 のうち 200 枚 できました" in html
    assert "1 / 4" in html
    assert participant_a.nickname not in html


def test_it_says_when_there_is_not_enough_work_to_estimate(member_client, order_a, participant_a):
    unit = factories.WorkUnitFactory(order=order_a)
    old = factories.ProgressLogFactory(unit=unit, participant=participant_a, quantity=10)
    old.created_at = timezone.now() - datetime.timedelta(days=30)
    old.save()

    html = member_client.get(page_of(order_a)).content.decode()

    assert "まだ作業が少ないため、見込みは出せません。" in html


def test_a_message_is_appended_in_place_with_htmx(member_client, submitted_a):
    response = member_client.post(
        page_of(submitted_a) + "messages/", {"body": "見本を追加しました。"}, HTTP_HX_REQUEST="true"
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith('<section id="messages"')
    assert "<html" not in html
    assert "見本を追加しました。" in html
    message = OrderMessage.objects.get()
    assert (message.side, message.order) == ("company", submitted_a)


def test_a_message_without_javascript_comes_back_to_the_thread(member_client, submitted_a):
    response = member_client.post(page_of(submitted_a) + "messages/", {"body": "よろしく"})

    assert response.status_code == 302
    assert response["Location"] == page_of(submitted_a) + "#messages"


def test_an_empty_message_is_refused_next_to_the_box(member_client, submitted_a):
    response = member_client.post(
        page_of(submitted_a) + "messages/", {"body": "   "}, HTTP_HX_REQUEST="true"
    )

    assert ja("Please write a message.") in response.content.decode()
    assert not OrderMessage.objects.exists()


def test_it_uploads_several_files_and_names_the_refused_one(member_client, submitted_a):
    response = member_client.post(
        page_of(submitted_a) + "files/",
        {"files": [pdf_upload(), png_upload(), exe_upload("setup.pdf")]},
    )

    assert response.status_code == 400
    refused = ja("Only PDF files, images (JPEG, PNG, GIF, WebP) and CSV files can be attached.")
    assert f"setup.pdf: {refused}" in response.content.decode()
    assert sorted(submitted_a.files.values_list("original_name", flat=True)) == [
        "sample.png",
        "spec.pdf",
    ]


def test_a_file_downloads_as_an_attachment_with_its_detected_type(member_client, submitted_a):
    member_client.post(page_of(submitted_a) + "files/", {"files": [png_upload("見本.pdf")]})
    attachment = submitted_a.files.get()

    response = member_client.get(page_of(submitted_a) + f"files/{attachment.pk}/")

    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "%E8%A6%8B%E6%9C%AC.pdf" in response["Content-Disposition"]
    assert b"".join(response.streaming_content).startswith(b"\x89PNG")


def propose(order, staff, **terms):
    delivery = order.desired_delivery_date + datetime.timedelta(days=7)
    return orders.propose_changes(
        order=order,
        by=staff,
        unit_price_yen=None,
        total_price_yen=terms.get("total", 6000),
        desired_delivery_date=delivery,
        payment_date=delivery + datetime.timedelta(days=30),
        note="人手の都合で一週間延ばせますか。",
    )


def test_it_shows_a_proposal_next_to_the_current_terms(member_client, staff_a, submitted_a):
    propose(submitted_a, staff_a)

    html = member_client.get(page_of(submitted_a)).content.decode()

    box = html.split('id="proposal-title"')[1].split("</section>")[0]
    assert "人手の都合で一週間延ばせますか。" in box
    assert "5,000円" in box
    assert "6,000円" in box


def test_the_company_confirms_a_proposal(member_client, staff_a, submitted_a):
    proposal = propose(submitted_a, staff_a)

    member_client.post(page_of(submitted_a) + f"proposals/{proposal.pk}/confirm/")

    submitted_a.refresh_from_db()
    assert submitted_a.status == Order.Status.ACCEPTED
    assert submitted_a.total_price_yen == 6000
    assert submitted_a.desired_delivery_date == proposal.desired_delivery_date


def test_the_company_refuses_a_proposal_with_a_reason(member_client, staff_a, submitted_a):
    proposal = propose(submitted_a, staff_a)

    member_client.post(
        page_of(submitted_a) + f"proposals/{proposal.pk}/refuse/", {"reason": "納期は動かせません"}
    )

    proposal.refresh_from_db()
    submitted_a.refresh_from_db()
    assert proposal.status == ChangeProposal.Status.REFUSED
    assert (submitted_a.status, submitted_a.total_price_yen) == (Order.Status.SUBMITTED, 5000)
    assert submitted_a.events.last().note == "納期は動かせません"


def test_an_answered_proposal_is_not_answered_twice(member_client, staff_a, submitted_a):
    proposal = propose(submitted_a, staff_a)
    member_client.post(page_of(submitted_a) + f"proposals/{proposal.pk}/refuse/")

    response = member_client.post(
        page_of(submitted_a) + f"proposals/{proposal.pk}/confirm/", follow=True
    )

    submitted_a.refresh_from_db()
    assert submitted_a.status == Order.Status.SUBMITTED
    assert "message error" in response.content.decode()


def test_a_draft_offers_edit_and_send_but_no_messages(member_client, workshop_a, company_a):
    draft = factories.OrderFactory(
        workshop=workshop_a, company=company_a, status=Order.Status.DRAFT, payment_date=None
    )

    html = member_client.get(page_of(draft)).content.decode()

    assert "下書きを編集" in html
    assert "事業所に送る" in html
    assert 'name="body"' not in html
