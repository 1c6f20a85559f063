"""The company's results: CSV read back with Python's csv module equals what was entered
(Japanese text), formulas made inert, JSON Lines, the API's `since` cursor, deliveries of the
items approved since the last one, and 404 for everyone who may not read them."""

import csv
import datetime
import io
import json

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from companies.tokens import create_token
from jobs import checking, deliveries
from jobs.models import Item, Order
from tests import factories
from tests.digital import checking_factories as make

ROWS = [
    {"品番": "A-001", "説明": "木のスプーン(日本製)、ひのき"},
    {"品番": '=HYPERLINK("http://x")', "説明": "+81 と書かれたラベル"},
    {"品番": "@SUM(1)", "説明": "-2 度で保存\t冷凍"},
]


def entered(item):
    return [
        {"name": "ひのきのスプーン", "price": "1200", "color": "白"},
        {"name": "=1+1", "price": "0.5", "color": "赤"},
        {"name": "-ラベル", "price": "30", "color": "青"},
    ][item.number - 1]


@pytest.fixture
def order(workshop_a, company_a, participant_a, staff_a):
    order = make.digital_order(workshop_a, company_a, rows=ROWS)
    (unit,) = make.split(order, size=3)
    make.take_and_answer(unit, participant_a, entered)
    checking.approve_all(unit=unit, by=staff_a)
    return order


def read_csv(response) -> list[list[str]]:
    body = b"".join(response.streaming_content).decode("utf-8")
    assert body.startswith("\ufeff")
    return list(csv.reader(io.StringIO(body[1:])))


def test_the_csv_read_back_is_what_was_entered(order, client, member_a, company_a):
    client.force_login(member_a)
    response = client.get(f"/c/{company_a.slug}/orders/{order.pk}/results.csv")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    header, *rows = read_csv(response)
    assert header[1:] == ["品番", "説明", "商品名", "価格", "色"]
    assert rows[0] == [
        "1",
        "A-001",
        "木のスプーン(日本製)、ひのき",
        "ひのきのスプーン",
        "1200",
        "白",
    ]
    # Formulas made inert with an apostrophe; the rest as entered.
    assert rows[1][1:] == [
        '\'=HYPERLINK("http://x")',
        "'+81 と書かれたラベル",
        "'=1+1",
        "0.5",
        "赤",
    ]
    assert rows[2][1:] == ["'@SUM(1)", "'-2 度で保存\t冷凍", "'-ラベル", "30", "青"]


def test_the_json_lines_keep_the_values_exactly(order, client, member_a, company_a):
    client.force_login(member_a)
    response = client.get(f"/c/{company_a.slug}/orders/{order.pk}/results.jsonl")
    lines = [
        json.loads(line) for line in b"".join(response.streaming_content).decode().splitlines()
    ]
    assert [line["number"] for line in lines] == [1, 2, 3]
    assert lines[1]["input"] == ROWS[1] and lines[1]["result"] == entered(Item(number=2))
    assert lines[0]["form_version"] == 1


def test_only_approved_answers_are_in_the_results(
    order, workshop_a, participant_a, client, member_a
):
    other = make.digital_order(workshop_a, order.company, items=2)
    (unit,) = make.split(other, size=2)
    make.take_and_answer(unit, participant_a)  # handed in, not yet approved
    client.force_login(member_a)
    response = client.get(f"/c/{order.company.slug}/orders/{other.pk}/results.csv")
    assert read_csv(response)[1:] == []


def test_since_a_day_leaves_out_what_came_before(order, client, member_a, company_a):
    client.force_login(member_a)
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    url = f"/c/{company_a.slug}/orders/{order.pk}/results.csv"
    assert len(read_csv(client.get(url, {"since": str(timezone.localdate())}))) == 4
    assert len(read_csv(client.get(url, {"since": str(tomorrow)}))) == 1


def test_the_api_cursor_pages_through_everything_exactly_once(
    workshop_a, company_a, company_admin_a, staff_a
):
    order = make.digital_order(workshop_a, company_a, items=7)
    people = [make.participant(workshop_a, f"ひと{n}") for n in range(3)]
    units = make.split(order, size=3)
    same_moment = timezone.now()
    for unit, person in zip(units, people, strict=True):
        make.take_and_answer(unit, person)
        checking.approve_all(unit=unit, by=staff_a)
    # Several items approved at the very same moment: the id breaks the tie.
    Item.objects.filter(order=order, number__lte=5).update(approved_at=same_moment)
    _token, secret = create_token(company=company_a, by=company_admin_a, name="受注システム")
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
    seen, params = [], {"page_size": 2}
    for _ in range(10):
        page = api.get(f"/api/v1/orders/{order.pk}/results/", params).json()
        seen += [row["number"] for row in page["results"]]
        params = {"since": page["next_since"], "since_id": page["next_since_id"], "page_size": 2}
        if page["next"] is None:
            break
    assert sorted(seen) == list(range(1, 8)) and len(seen) == 7
    # Polling later with the kept cursor gives only what was approved since.
    assert api.get(f"/api/v1/orders/{order.pk}/results/", params).json()["results"] == []
    export = api.get(f"/api/v1/orders/{order.pk}/results/csv/")
    assert export.status_code == 200 and len(read_csv(export)) == 8


def test_a_digital_delivery_is_the_items_approved_since_the_last(order, staff_a):
    assert deliveries.totals_of(order).ready == 3
    delivery = deliveries.record_delivery(
        order=order,
        by=staff_a,
        quantity=2,
        delivered_on=timezone.localdate(),
        method=Order.DeliveryMethod.DIGITAL,
    )
    assert delivery.items.count() == 2
    assert deliveries.totals_of(order).ready == 1
    second = deliveries.record_delivery(
        order=order,
        by=staff_a,
        quantity=1,
        delivered_on=timezone.localdate(),
        method=Order.DeliveryMethod.DIGITAL,
    )
    assert list(second.items.values_list("number", flat=True)) == [3]


@pytest.mark.parametrize("who", ["member_b", "staff_b", "participant", "staff_a"])
def test_others_get_404_for_the_results(order, client, who, request, participant_a, company_a):
    user = participant_a.user if who == "participant" else request.getfixturevalue(who)
    client.force_login(user)
    for suffix in ("results.csv", "results.jsonl"):
        assert client.get(f"/c/{company_a.slug}/orders/{order.pk}/{suffix}").status_code == 404
    for suffix in ("", "csv/", "jsonl/"):
        response = client.get(f"/api/v1/orders/{order.pk}/results/{suffix}")
        assert response.status_code in (403, 404)
        assert response.status_code == 404 or who != "member_b"


def test_another_company_gets_404_through_the_api(order, company_b, workshop_b):
    admin = factories.CompanyMembershipFactory(company=company_b, role="admin").user
    _token, secret = create_token(company=company_b, by=admin, name="基幹システム")
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
    for suffix in ("", "csv/", "jsonl/"):
        assert api.get(f"/api/v1/orders/{order.pk}/results/{suffix}").status_code == 404
