"""Staff decide on an incoming order: accept it, propose other terms the company confirms,
decline it with a reason, or cancel it later. A refusal by the rules is a calm message."""

import datetime

from django.contrib.messages import get_messages

from jobs import orders
from jobs.models import ChangeProposal, Order, OrderEvent
from tests.console.conftest import url


def notes(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def test_it_accepts_an_order_as_sent_with_the_estimate(staff_client, incoming, staff_a):
    response = staff_client.post(url(incoming, "accept"), {"minutes_per_item": "2"})

    assert response.status_code == 302
    assert response.url == url(incoming)
    incoming.refresh_from_db()
    assert incoming.status == Order.Status.ACCEPTED
    assert incoming.minutes_per_item == 2
    event = incoming.events.get()
    assert (event.from_status, event.to_status, event.actor) == ("submitted", "accepted", staff_a)
    assert "お引き受けしました" in notes(response)[0]


def test_it_asks_for_the_estimate_before_accepting_and_keeps_the_note(staff_client, incoming):
    response = staff_client.post(
        url(incoming, "accept"), {"minutes_per_item": "", "note": "来週から始めます"}
    )

    assert response.status_code == 400
    html = response.content.decode()
    assert "まず、見込みの時間を入れてください。" in html
    assert "来週から始めます" in html
    incoming.refresh_from_db()
    assert incoming.status == Order.Status.SUBMITTED


def test_below_the_floor_it_asks_staff_to_confirm_before_accepting(staff_client, incoming):
    # 3 minutes an item: ¥20,000 × 70% ÷ 50 hours = ¥280, below the floor of ¥300.
    response = staff_client.post(url(incoming, "accept"), {"minutes_per_item": "3"})

    assert response.status_code == 400
    html = response.content.decode()
    assert "約280円" in html
    assert "300円" in html
    assert "確認のチェックを入れてください" in html
    assert 'value="3"' in html
    incoming.refresh_from_db()
    assert incoming.status == Order.Status.SUBMITTED

    response = staff_client.post(
        url(incoming, "accept"), {"minutes_per_item": "3", "below_floor_ok": "on"}
    )

    incoming.refresh_from_db()
    assert incoming.status == Order.Status.ACCEPTED


def test_a_second_accept_is_refused_kindly(staff_client, incoming, manager_a):
    orders.accept_order(order=incoming, by=manager_a, minutes_per_item=1)

    response = staff_client.post(url(incoming, "accept"), {"minutes_per_item": "1"}, follow=True)

    assert response.status_code == 200
    assert "お引き受けできるのは判断待ちの発注だけです。この発注はいま「受注」です。" in (
        response.content.decode()
    )
    assert OrderEvent.objects.filter(order=incoming, to_status="accepted").count() == 1


def test_a_proposal_waits_for_the_company_and_confirming_accepts_it(
    staff_client, incoming, member_a, in_three_weeks
):
    later = in_three_weeks + datetime.timedelta(days=7)
    response = staff_client.post(
        url(incoming, "propose"),
        {
            "unit_price_yen": "25",
            "total_price_yen": "",
            "desired_delivery_date": later.isoformat(),
            "payment_date": (later + datetime.timedelta(days=30)).isoformat(),
            "minutes_per_item": "3",
            "note": "単価を少し上げていただけると助かります。",
        },
    )

    assert response.status_code == 302
    proposal = ChangeProposal.objects.get(order=incoming)
    assert (proposal.status, proposal.total_price_yen, proposal.unit_price_yen) == (
        "pending",
        25000,
        25,
    )
    html = staff_client.get(url(incoming)).content.decode()
    assert "条件の変更の提案は、企業のお返事待ちです" in html
    assert "単価を少し上げていただけると助かります。" in html
    assert "25,000円" in html
    incoming.refresh_from_db()
    assert incoming.status == Order.Status.SUBMITTED

    orders.confirm_changes(proposal=proposal, by=member_a)

    incoming.refresh_from_db()
    assert incoming.status == Order.Status.ACCEPTED
    assert (incoming.total_price_yen, incoming.desired_delivery_date) == (25000, later)
    assert incoming.minutes_per_item == 3


def test_a_new_proposal_replaces_the_pending_one_and_can_be_withdrawn(
    staff_client, incoming, in_three_weeks
):
    def propose(total: str):
        return staff_client.post(
            url(incoming, "propose"),
            {
                "total_price_yen": total,
                "desired_delivery_date": in_three_weeks.isoformat(),
                "payment_date": (in_three_weeks + datetime.timedelta(days=30)).isoformat(),
            },
        )

    propose("24000")
    propose("26000")

    first, second = ChangeProposal.objects.filter(order=incoming).order_by("pk")
    assert (first.status, second.status) == ("withdrawn", "pending")

    response = staff_client.post(url(incoming, f"proposals/{second.pk}/withdraw"))

    assert response.status_code == 302
    second.refresh_from_db()
    assert second.status == "withdrawn"
    assert incoming.events.last().note == "事業所が条件の変更の提案を取り下げました。"

    again = staff_client.post(url(incoming, f"proposals/{second.pk}/withdraw"), follow=True)
    assert "この提案は、もうお返事待ちではありません。" in again.content.decode()


def test_a_proposal_with_a_wrong_total_shows_the_error_by_the_field(
    staff_client, incoming, in_three_weeks
):
    response = staff_client.post(
        url(incoming, "propose"),
        {
            "unit_price_yen": "25",
            "total_price_yen": "30000",
            "desired_delivery_date": in_three_weeks.isoformat(),
            "payment_date": (in_three_weeks + datetime.timedelta(days=90)).isoformat(),
        },
    )

    assert response.status_code == 400
    html = response.content.decode()
    assert "単価 × 数量（25,000円）と合っていません" in html
    assert 'value="30000"' in html
    assert "<details open>" in html
    assert not ChangeProposal.objects.exists()


def test_it_declines_with_a_kind_phrase_and_own_words(staff_client, incoming):
    response = staff_client.post(
        url(incoming, "decline"), {"phrase": "busy", "reason": "来月なら大丈夫です。"}
    )

    assert response.status_code == 302
    incoming.refresh_from_db()
    assert incoming.status == Order.Status.DECLINED
    assert incoming.events.get().note == (
        "いまは作業がいっぱいです。またの機会にお声がけいただけるとうれしいです。\n"
        "来月なら大丈夫です。"
    )


def test_declining_without_a_reason_asks_for_one(staff_client, incoming):
    response = staff_client.post(url(incoming, "decline"), {"phrase": "", "reason": " "})

    assert response.status_code == 400
    assert "お断りの理由を、企業に向けて書いてください。" in response.content.decode()
    incoming.refresh_from_db()
    assert incoming.status == Order.Status.SUBMITTED


def test_it_cancels_an_accepted_order_with_a_reason(staff_client, incoming, staff_a):
    orders.accept_order(order=incoming, by=staff_a, minutes_per_item=2)

    response = staff_client.post(url(incoming, "cancel"), {"reason": "材料が届きませんでした"})

    assert response.status_code == 302
    incoming.refresh_from_db()
    assert incoming.status == Order.Status.CANCELLED
    assert incoming.events.last().note == "材料が届きませんでした"


def test_cancelling_needs_a_reason(staff_client, incoming):
    response = staff_client.post(url(incoming, "cancel"), {"reason": ""})

    assert response.status_code == 400
    assert "取り消しの理由を、企業に向けて書いてください。" in response.content.decode()
    incoming.refresh_from_db()
    assert incoming.status == Order.Status.SUBMITTED


def test_a_delivered_order_cannot_be_cancelled_and_says_so_calmly(
    staff_client, workshop_a, company_a
):
    from tests import factories

    delivered = factories.OrderFactory(
        workshop=workshop_a, company=company_a, status=Order.Status.DELIVERED
    )

    response = staff_client.post(url(delivered, "cancel"), {"reason": "やっぱり"}, follow=True)

    assert response.status_code == 200
    assert "「納品済み」の発注は、もう取り消せません。" in response.content.decode()
    delivered.refresh_from_db()
    assert delivered.status == Order.Status.DELIVERED


def test_declining_an_order_someone_just_accepted_is_refused_calmly(
    staff_client, incoming, manager_a
):
    orders.accept_order(order=incoming, by=manager_a, minutes_per_item=2)

    response = staff_client.post(url(incoming, "decline"), {"phrase": "busy"}, follow=True)

    assert "お断りできるのは判断待ちの発注だけです。" in response.content.decode()
    incoming.refresh_from_db()
    assert incoming.status == Order.Status.ACCEPTED


def test_a_proposal_for_an_accepted_order_is_refused_calmly(
    staff_client, incoming, manager_a, in_three_weeks
):
    orders.accept_order(order=incoming, by=manager_a, minutes_per_item=2)

    response = staff_client.post(
        url(incoming, "propose"),
        {
            "total_price_yen": "30000",
            "desired_delivery_date": in_three_weeks.isoformat(),
            "payment_date": (in_three_weeks + datetime.timedelta(days=30)).isoformat(),
        },
        follow=True,
    )

    assert "条件の変更を提案できるのは、判断待ちの発注だけです。" in response.content.decode()
    assert not ChangeProposal.objects.exists()
