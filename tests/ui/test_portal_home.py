"""The company portal's home (/c/<slug>/): the company's own orders and how many are at each
step."""

from jobs.models import Order
from tests import factories


def test_it_lists_only_the_companys_own_orders(client, member_a, order_a, order_b):
    client.force_login(member_a)

    html = client.get("/c/okanoue-print/").content.decode()

    assert "丘の上印刷" in html
    assert "DM封入 3月号" in html
    assert "商品データ入力" not in html


def test_it_shows_each_order_with_workshop_status_quantity_date_and_yen(
    client, member_a, workshop_a, company_a
):
    order = factories.OrderFactory(
        workshop=workshop_a,
        company=company_a,
        title="会報誌の発送準備",
        quantity=2500,
        unit_label="部",
        total_price_yen=1234567,
        status=Order.Status.IN_PROGRESS,
    )
    client.force_login(member_a)

    html = client.get("/c/okanoue-print/").content.decode()

    row = html.split("会報誌の発送準備")[1].split("</tr>")[0]
    assert "ひだまり作業所" in row
    assert "作業中" in row
    assert "2,500 部" in row
    assert "1,234,567円" in row
    assert order.desired_delivery_date.strftime("%Y/%m/%d") in row


def test_it_counts_orders_by_status(client, member_a, workshop_a, company_a):
    factories.OrderFactory.create_batch(
        2, workshop=workshop_a, company=company_a, status=Order.Status.SUBMITTED
    )
    factories.OrderFactory(workshop=workshop_a, company=company_a, status=Order.Status.DRAFT)
    client.force_login(member_a)

    response = client.get("/c/okanoue-print/")

    counts = {value: count for value, _, count in response.context["status_counts"]}
    assert counts == {Order.Status.DRAFT: 1, Order.Status.SUBMITTED: 2}
    assert "<strong>2</strong><span>発注済み</span>" in response.content.decode()


def test_it_names_the_workshops_the_company_orders_from(client, member_a):
    client.force_login(member_a)

    html = client.get("/c/okanoue-print/").content.decode()

    assert "発注先:" in html
    assert "ひだまり作業所" in html
    assert "みなと作業所" not in html


def test_it_says_so_kindly_when_there_are_no_orders_yet(client, member_a):
    client.force_login(member_a)

    html = client.get("/c/okanoue-print/").content.decode()

    assert "まだ発注はありません。" in html
    assert "<table" not in html


def test_it_is_404_for_a_member_of_another_company(client, member_b, company_a):
    client.force_login(member_b)

    assert client.get("/c/okanoue-print/").status_code == 404
