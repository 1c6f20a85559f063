"""A company's whole order through the portal: draft, edit, send, the workshop accepts,
messages back and forth, and a cancel that comes too late."""

from jobs import orders
from jobs.models import Order, OrderMessage
from tests.companies.conftest import order_post, pdf_upload


def test_the_whole_lifecycle_through_the_web(member_client, member_a, staff_a, workshop_a):
    member_client.post("/c/okanoue-print/orders/new/save/", order_post(workshop_a))
    order = Order.objects.get()
    page = f"/c/okanoue-print/orders/{order.pk}/"

    member_client.post(
        page + "edit/save/", order_post(title="DM封入 4月号（改）", files=[pdf_upload()])
    )
    order.refresh_from_db()
    assert (order.title, order.status) == ("DM封入 4月号（改）", Order.Status.DRAFT)

    member_client.post(page + "send/")
    order.refresh_from_db()
    assert order.status == Order.Status.SUBMITTED
    assert order.payment_date is not None

    orders.accept_order(order=order, by=staff_a)
    orders.post_message(
        order=order, by=staff_a, side=OrderMessage.Side.WORKSHOP, body="封筒は当日お持ちください。"
    )
    member_client.post(page + "messages/", {"body": "承知しました。10時に伺います。"})

    html = member_client.get(page).content.decode()
    assert "受注" in html
    assert "封筒は当日お持ちください。" in html
    assert "承知しました。10時に伺います。" in html
    assert "spec.pdf" in html
    assert "この発注を取り消す" not in html

    response = member_client.post(page + "cancel/", {"reason": "やっぱりやめます"}, follow=True)
    order.refresh_from_db()
    assert order.status == Order.Status.ACCEPTED
    assert "ここでは取り消せません" in response.content.decode()
    history = [(e.from_status, e.to_status) for e in order.events.all()]
    assert history == [("", "draft"), ("draft", "submitted"), ("submitted", "accepted")]


def test_a_company_cancels_a_sent_order_with_a_reason(member_client, member_a, submitted_a):
    page = f"/c/okanoue-print/orders/{submitted_a.pk}/"
    assert "この発注を取り消す" in member_client.get(page).content.decode()

    member_client.post(page + "cancel/", {"reason": "予算がなくなりました"})

    submitted_a.refresh_from_db()
    assert submitted_a.status == Order.Status.CANCELLED
    event = submitted_a.events.get()
    assert (event.actor, event.note) == (member_a, "予算がなくなりました")
    assert "予算がなくなりました" in member_client.get(page).content.decode()
