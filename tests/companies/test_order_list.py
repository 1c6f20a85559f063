"""The company's order list: filters by status and dates, paging, the same list as CSV for
Excel, and a number of queries that does not grow with the orders."""

import csv
import datetime
import io

import pytest
from django.utils import timezone

from jobs.models import Order
from tests import factories
from tests.companies.conftest import queries_for
from tests.i18n import ja

LIST = "/c/okanoue-print/orders/"


@pytest.fixture
def three_orders(workshop_a, company_a, order_b):
    today = timezone.localdate()
    made = {
        "soon": factories.OrderFactory(
            workshop=workshop_a,
            company=company_a,
            title="=SUM(A1) 名刺",
            status=Order.Status.SUBMITTED,
            desired_delivery_date=today + datetime.timedelta(days=5),
        ),
        "later": factories.OrderFactory(
            workshop=workshop_a,
            company=company_a,
            title="カタログ封入",
            status=Order.Status.IN_PROGRESS,
            desired_delivery_date=today + datetime.timedelta(days=40),
        ),
        "old": factories.OrderFactory(
            workshop=workshop_a, company=company_a, title="去年の発送", status=Order.Status.INVOICED
        ),
    }
    Order.objects.filter(pk=made["old"].pk).update(
        created_at=timezone.now() - datetime.timedelta(days=400)
    )
    return made


def titles(response) -> list[str]:
    return [order.title for order in response.context["page"].object_list]


def test_it_lists_the_companys_orders_newest_first(member_client, three_orders):
    response = member_client.get(LIST)

    assert titles(response) == ["カタログ封入", "=SUM(A1) 名刺", "去年の発送"]
    assert "商品データ入力" not in response.content.decode()


def test_it_filters_by_status(member_client, three_orders):
    assert titles(member_client.get(LIST, {"status": "in_progress"})) == ["カタログ封入"]


def test_it_filters_by_order_date_and_delivery_date(member_client, three_orders):
    today = timezone.localdate()
    recent = member_client.get(LIST, {"created_from": (today - datetime.timedelta(days=30))})
    due_soon = member_client.get(
        LIST, {"delivery_to": (today + datetime.timedelta(days=10)).isoformat()}
    )

    assert titles(recent) == ["カタログ封入", "=SUM(A1) 名刺"]
    assert "=SUM(A1) 名刺" in titles(due_soon)
    assert "カタログ封入" not in titles(due_soon)


def test_a_bad_date_is_shown_next_to_its_filter(member_client, three_orders):
    html = member_client.get(LIST, {"delivery_from": "someday"}).content.decode()

    assert ja("Enter a valid date.") in html.split('name="delivery_from"')[1].split("</div>")[0]


def read_csv(response) -> list[list[str]]:
    body = b"".join(response.streaming_content)
    assert body.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))


def test_the_csv_has_a_bom_a_header_and_one_row_per_order(member_client, three_orders):
    response = member_client.get(LIST + "export.csv")

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="orders-okanoue-print')
    rows = read_csv(response)
    assert rows[0][:4] == ["番号", "件名", "事業所", "状態"]
    soon = three_orders["soon"]
    row = next(r for r in rows if r[0] == soon.number)
    assert row[1] == "'=SUM(A1) 名刺"  # a spreadsheet must not run it as a formula
    assert row[2:6] == ["ひだまり作業所", "発注済み", "手作業", "1000"]
    assert row[9] == soon.desired_delivery_date.isoformat()
    assert len(rows) == 4


def test_the_csv_follows_the_same_filters(member_client, three_orders):
    rows = read_csv(member_client.get(LIST + "export.csv", {"status": "invoiced"}))

    assert [row[1] for row in rows[1:]] == ["去年の発送"]


def test_the_list_pages_through_many_orders(member_client, workshop_a, company_a):
    factories.OrderFactory.create_batch(55, workshop=workshop_a, company=company_a)

    first = member_client.get(LIST, {"status": "accepted"})
    second = member_client.get(LIST, {"status": "accepted", "page": 2})

    assert len(first.context["page"].object_list) == 50
    assert len(second.context["page"].object_list) == 5
    assert "status=accepted&amp;page=2" in first.content.decode()


def test_the_list_and_home_need_no_more_queries_for_more_orders(
    member_client, workshop_a, company_a
):
    factories.OrderFactory.create_batch(2, workshop=workshop_a, company=company_a)
    member_client.get("/c/okanoue-print/")  # the first visit remembers the role in the session
    few = queries_for(member_client, LIST), queries_for(member_client, "/c/okanoue-print/")
    factories.OrderFactory.create_batch(40, workshop=workshop_a, company=company_a)
    many = queries_for(member_client, LIST), queries_for(member_client, "/c/okanoue-print/")

    assert few == many
