"""The incoming list and the order's page, as staff see them."""

import datetime

from django.core.files.base import ContentFile
from django.utils import timezone

from jobs import orders
from jobs.models import Order, OrderFile
from tests import factories
from tests.console.conftest import queries_for, submitted, url


def test_the_list_shows_orders_waiting_oldest_first(staff_client, workshop_a, company_a):
    newer = submitted(workshop_a, company_a, title="あとから届いた発注")
    older = submitted(workshop_a, company_a, title="先に届いた発注")
    Order.objects.filter(pk=older.pk).update(created_at=timezone.now() - datetime.timedelta(days=2))
    factories.OrderFactory(workshop=workshop_a, company=company_a, title="受注ずみの発注")

    html = staff_client.get("/w/hidamari/orders/").content.decode()

    assert html.index("先に届いた発注") < html.index("あとから届いた発注")
    assert "受注ずみの発注" not in html
    assert f'href="/w/hidamari/orders/{newer.pk}/"' in html
    assert "判断待ち (2)" in html and "受注 (1)" in html


def test_the_list_has_tabs_for_the_other_states(staff_client, workshop_a, company_a):
    for status, title in [
        (Order.Status.ACCEPTED, "受注した発注"),
        (Order.Status.IN_PROGRESS, "作業中の発注"),
        (Order.Status.DELIVERED, "納品した発注"),
        (Order.Status.INVOICED, "請求した発注"),
        (Order.Status.DECLINED, "お断りした発注"),
        (Order.Status.CANCELLED, "取り消された発注"),
    ]:
        factories.OrderFactory(workshop=workshop_a, company=company_a, status=status, title=title)

    done = staff_client.get("/w/hidamari/orders/?tab=done").content.decode()
    declined = staff_client.get("/w/hidamari/orders/?tab=declined").content.decode()

    assert "納品した発注" in done and "請求した発注" in done
    assert "作業中の発注" not in done
    assert "お断りした発注" in declined and "取り消された発注" not in declined


def test_drafts_never_reach_the_workshop_even_for_staff_who_are_also_members(
    client, workshop_a, company_a, staff_a
):
    factories.CompanyMembershipFactory(company=company_a, user=staff_a)
    draft = factories.OrderFactory(
        workshop=workshop_a,
        company=company_a,
        status=Order.Status.DRAFT,
        payment_date=None,
        title="まだ下書き",
    )
    client.force_login(staff_a)

    assert "まだ下書き" not in client.get("/w/hidamari/orders/").content.decode()
    assert client.get(url(draft)).status_code == 404


def test_the_order_page_shows_terms_files_history_and_the_decision_panel(
    staff_client, incoming, member_a
):
    OrderFile.objects.create(
        order=incoming,
        file=ContentFile(b"%PDF-1.4 spec", name="spec.pdf"),
        original_name="仕様書.pdf",
        content_type="application/pdf",
        extension="pdf",
        size=13,
        uploaded_by=member_a,
    )
    orders.post_message(order=incoming, by=member_a, side="company", body="よろしくお願いします")

    html = staff_client.get(url(incoming)).content.decode()

    assert "DM封入 4月号" in html
    assert "20,000円" in html
    assert "仕様書.pdf" in html
    assert "よろしくお願いします" in html
    assert "この発注について決める" in html
    assert "1つあたりの時間を入れると" in html  # no estimate yet
    assert f'hx-get="/w/hidamari/orders/{incoming.pk}/hourly/"' in html


def test_the_decision_panel_is_gone_once_the_order_is_decided(staff_client, incoming, staff_a):
    orders.accept_order(order=incoming, by=staff_a, minutes_per_item=2)

    html = staff_client.get(url(incoming)).content.decode()

    assert "この発注について決める" not in html
    assert "この発注を取り消す" in html  # staff may still cancel before delivery
    assert "1つあたりの目安時間（分）" in html


def test_the_hourly_equivalent_is_computed_live_and_warns_below_the_floor(staff_client, incoming):
    below = staff_client.get(
        url(incoming, "hourly"), {"minutes_per_item": "3"}, headers={"HX-Request": "true"}
    ).content.decode()
    above = staff_client.get(
        url(incoming, "hourly"), {"minutes_per_item": "2"}, headers={"HX-Request": "true"}
    ).content.decode()

    assert "<html" not in below  # only the fragment
    assert "約280円" in below  # ¥20,000 × 70% ÷ 50 hours
    assert "20,000円 × 工賃の割合 70% ÷ 作業時間 約50時間" in below
    assert "目安（時給換算 300円）を下回っています" in below
    assert 'name="below_floor_ok"' in below
    assert "約420円" in above
    assert "下回っています" not in above


def test_the_hourly_equivalent_of_a_proposal_uses_the_proposed_price(staff_client, incoming):
    html = staff_client.get(
        url(incoming, "hourly"),
        {"minutes_per_item": "3", "unit_price_yen": "30", "for": "proposal"},
        headers={"HX-Request": "true"},
    ).content.decode()

    assert "約420円" in html  # ¥30,000 × 70% ÷ 50 hours
    assert 'name="below_floor_ok"' not in html


def test_without_javascript_the_estimate_link_shows_on_the_page(staff_client, incoming):
    response = staff_client.get(url(incoming, "hourly"), {"minutes_per_item": "3"})

    assert response.status_code == 302
    html = staff_client.get(response.url).content.decode()
    assert "約280円" in html


def test_the_workshop_setting_moves_the_floor(staff_client, incoming, workshop_a):
    workshop_a.hourly_floor_yen = 250
    workshop_a.save()

    html = staff_client.get(
        url(incoming, "hourly"), {"minutes_per_item": "3"}, headers={"HX-Request": "true"}
    ).content.decode()

    assert "下回っています" not in html


def test_staff_download_a_file_under_its_original_name(staff_client, incoming, member_a):
    attachment = OrderFile.objects.create(
        order=incoming,
        file=ContentFile(b"%PDF-1.4 spec", name="spec.pdf"),
        original_name="仕様書.pdf",
        content_type="application/pdf",
        extension="pdf",
        size=13,
        uploaded_by=member_a,
    )

    response = staff_client.get(url(incoming, f"files/{attachment.pk}"))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    assert b"".join(response.streaming_content) == b"%PDF-1.4 spec"


def test_a_message_is_posted_with_htmx_and_the_thread_comes_back(staff_client, incoming, staff_a):
    response = staff_client.post(
        url(incoming, "messages"), {"body": "確認しました。"}, headers={"HX-Request": "true"}
    )

    assert response.status_code == 200
    html = response.content.decode()
    assert "<html" not in html
    assert 'id="thread"' in html
    assert "確認しました。" in html
    message = incoming.messages.get()
    assert (message.side, message.author) == ("workshop", staff_a)


def test_a_message_without_javascript_goes_back_to_the_thread(staff_client, incoming):
    response = staff_client.post(url(incoming, "messages"), {"body": "確認しました。"})

    assert response.status_code == 302
    assert response.url.endswith("#thread")
    assert incoming.messages.count() == 1


def test_an_empty_message_is_refused_next_to_the_field(staff_client, incoming):
    response = staff_client.post(url(incoming, "messages"), {"body": "  "})

    assert response.status_code == 400
    assert "メッセージを書いてください。" in response.content.decode()
    assert not incoming.messages.exists()


def test_the_console_home_links_to_orders(staff_client, incoming):
    html = staff_client.get("/w/hidamari/").content.decode()

    assert 'href="/w/hidamari/orders/"' in html
    assert f'href="/w/hidamari/orders/{incoming.pk}/"' in html


def test_the_list_query_count_does_not_grow(
    staff_client, workshop_a, company_a, django_assert_max_num_queries
):
    submitted(workshop_a, company_a)
    queries_for(staff_client, "/w/hidamari/orders/")
    few = queries_for(staff_client, "/w/hidamari/orders/")

    for _ in range(12):
        submitted(workshop_a, company_a)
    with django_assert_max_num_queries(few):
        response = staff_client.get("/w/hidamari/orders/")
    assert len(response.context["page"].object_list) == 13


def test_the_order_page_query_count_does_not_grow(
    staff_client, incoming, member_a, staff_a, django_assert_max_num_queries
):
    def add_history(count: int) -> None:
        for n in range(count):
            orders.post_message(order=incoming, by=member_a, side="company", body=f"質問 {n}")
            orders.post_message(order=incoming, by=staff_a, side="workshop", body=f"回答 {n}")
            OrderFile.objects.create(
                order=incoming,
                file=ContentFile(b"%PDF-1.4", name="spec.pdf"),
                original_name=f"spec-{n}.pdf",
                content_type="application/pdf",
                extension="pdf",
                size=8,
                uploaded_by=member_a,
            )
            orders.propose_changes(
                order=incoming,
                by=staff_a,
                total_price_yen=20000 + n,
                unit_price_yen=None,
                desired_delivery_date=incoming.desired_delivery_date,
                payment_date=incoming.payment_date,
            )

    add_history(1)
    queries_for(staff_client, url(incoming))
    few = queries_for(staff_client, url(incoming))

    add_history(8)
    with django_assert_max_num_queries(few):
        response = staff_client.get(url(incoming))
    assert "質問 7" in response.content.decode()
