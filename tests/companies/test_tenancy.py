"""Company B never sees anything of company A through the portal: every page, file, message
and export of A's orders answers 404 to B."""

import pytest

from jobs import orders
from jobs.models import Order, OrderMessage
from tests import factories
from tests.companies.conftest import order_post, png_upload


@pytest.fixture
def order_a_with_everything(member_a, staff_a, workshop_a, company_a):
    order = factories.OrderFactory(
        workshop=workshop_a, company=company_a, status=Order.Status.SUBMITTED
    )
    attachment = orders.attach_file(order=order, by=member_a, upload=png_upload())
    orders.post_message(order=order, by=member_a, side=OrderMessage.Side.COMPANY, body="秘密")
    proposal = orders.propose_changes(
        order=order,
        by=staff_a,
        unit_price_yen=None,
        total_price_yen=9000,
        desired_delivery_date=order.desired_delivery_date,
        payment_date=order.desired_delivery_date,
    )
    return order, attachment, proposal


def a_urls(order, attachment, proposal, prefix="/c/okanoue-print") -> dict[str, str]:
    base = f"{prefix}/orders/{order.pk}/"
    return {
        "get": [
            f"{prefix}/",
            f"{prefix}/orders/",
            f"{prefix}/orders/export.csv",
            f"{prefix}/orders/new/",
            base,
            base + "edit/",
            base + f"files/{attachment.pk}/",
            base + "order-sheet/",
        ],
        "post": [
            f"{prefix}/orders/new/save/",
            f"{prefix}/orders/new/send/",
            base + "edit/save/",
            base + "send/",
            base + "cancel/",
            base + "messages/",
            base + "files/",
            base + f"proposals/{proposal.pk}/confirm/",
            base + f"proposals/{proposal.pk}/refuse/",
        ],
    }


def test_company_b_gets_404_for_every_page_of_company_a(client, member_b, order_a_with_everything):
    client.force_login(member_b)
    urls = a_urls(*order_a_with_everything)

    for url in urls["get"]:
        assert client.get(url).status_code == 404, url
    for url in urls["post"]:
        assert client.post(url, {"body": "x", "reason": "x"}).status_code == 404, url
    order, _, proposal = order_a_with_everything
    order.refresh_from_db()
    proposal.refresh_from_db()
    assert (order.status, proposal.status) == ("submitted", "pending")
    assert order.messages.count() == 1


def test_company_b_gets_404_for_a_orders_under_its_own_address(
    client, member_b, order_a_with_everything
):
    client.force_login(member_b)
    urls = a_urls(*order_a_with_everything, prefix="/c/machikado")

    for url in urls["get"][4:]:
        assert client.get(url).status_code == 404, url
    for url in urls["post"][2:]:
        assert client.post(url, {"body": "x", "reason": "x"}).status_code == 404, url


def test_b_cannot_send_an_order_to_a_workshop_it_does_not_work_with(client, member_b, workshop_a):
    client.force_login(member_b)

    response = client.post("/c/machikado/orders/new/send/", order_post(workshop_a))

    assert response.status_code == 400
    assert not Order.objects.exists()


def test_b_csv_holds_none_of_a_orders(client, member_b, order_a_with_everything, order_b):
    client.force_login(member_b)

    body = b"".join(client.get("/c/machikado/orders/export.csv").streaming_content).decode()

    assert order_b.title in body
    assert order_a_with_everything[0].title not in body


def test_staff_of_the_workshop_are_not_company_members(client, staff_a, order_a_with_everything):
    client.force_login(staff_a)
    order = order_a_with_everything[0]

    assert client.get(f"/c/okanoue-print/orders/{order.pk}/").status_code == 404
