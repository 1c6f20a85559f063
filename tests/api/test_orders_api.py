"""The orders API through a company's token: the whole lifecycle, lists with filters and
pages, what each refusal says."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from companies.tokens import create_token
from jobs import orders
from jobs.models import Order
from tests import factories
from tests.api.conftest import client_with, order_body
from tests.i18n import in_japanese, ja


def test_the_whole_lifecycle_through_the_api(
    api_a, company_admin_a, staff_a, workshop_a, in_three_weeks
):
    created = api_a.post("/api/v1/orders/", order_body(), format="json")
    assert created.status_code == 201, created.json()
    order = created.json()
    assert (order["status"], order["workshop"], order["company"]) == (
        "draft",
        "hidamari",
        "okanoue-print",
    )
    assert order["total_price_yen"] == 12000
    assert order["payment_date"] is None
    url = f"/api/v1/orders/{order['id']}/"

    attached = api_a.post(
        url + "files/",
        {"file": SimpleUploadedFile("仕様書.pdf", b"%PDF-1.7\n1 0 obj\n%%EOF\n")},
        format="multipart",
    )
    assert attached.status_code == 201, attached.json()
    assert attached.json()["name"] == "仕様書.pdf"
    assert attached.json()["content_type"] == "application/pdf"

    submitted = api_a.post(url + "submit/")
    assert submitted.status_code == 200, submitted.json()
    assert submitted.json()["status"] == "submitted"
    payment_date = orders.default_payment_date(in_three_weeks)
    assert submitted.json()["payment_date"] == payment_date.isoformat()

    written = api_a.post(url + "messages/", {"body": "よろしくお願いいたします。"}, format="json")
    assert written.status_code == 201
    assert written.json()["side"] == "company"
    assert written.json()["author"] == company_admin_a.display_name
    orders.post_message(
        order=Order.objects.get(pk=order["id"]), by=staff_a, side="workshop", body="承知しました"
    )
    orders.accept_order(order=Order.objects.get(pk=order["id"]), by=staff_a)

    assert api_a.get(url).json()["status"] == "accepted"
    thread = api_a.get(url + "messages/").json()
    assert [m["body"] for m in thread["results"]] == ["よろしくお願いいたします。", "承知しました"]
    assert [m["side"] for m in thread["results"]] == ["company", "workshop"]
    events = api_a.get(url + "events/").json()
    assert [(e["from_status"], e["to_status"]) for e in events["results"]] == [
        ("", "draft"),
        ("draft", "submitted"),
        ("submitted", "accepted"),
    ]
    files = api_a.get(url + "files/").json()
    assert [f["name"] for f in files["results"]] == ["仕様書.pdf"]
    listed = api_a.get("/api/v1/orders/").json()
    assert [o["id"] for o in listed["results"]] == [order["id"]]
    # the token acts as the administrator who made it
    assert Order.objects.get(pk=order["id"]).created_by == company_admin_a


def test_it_creates_and_submits_in_one_request(api_a):
    response = api_a.post("/api/v1/orders/", order_body(submit=True), format="json")
    assert response.status_code == 201
    assert response.json()["status"] == "submitted"
    assert response.json()["payment_date"] is not None


def test_it_cancels_with_a_reason_the_workshop_reads(api_a):
    order = api_a.post("/api/v1/orders/", order_body(submit=True), format="json").json()
    response = api_a.post(
        f"/api/v1/orders/{order['id']}/cancel/", {"reason": "予算が取れませんでした"}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["status"] == "cancelled"
    assert Order.objects.get(pk=order["id"]).events.last().note == "予算が取れませんでした"


def test_it_lists_the_partner_workshops(api_a, company_a):
    response = api_a.get("/api/v1/workshops/")
    assert response.json()["results"] == [{"slug": "hidamari", "name": "ひだまり作業所"}]


# --- refusals of a wrong state (409) ----------------------------------------------------------


def assert_refused(response, status: int, code: str):
    assert response.status_code == status, response.content
    body = response.json()
    assert body["code"] == code
    assert body["detail"]
    assert set(body) == {"code", "detail", "errors"}
    return body


def test_it_refuses_to_submit_twice(api_a):
    order = api_a.post("/api/v1/orders/", order_body(submit=True), format="json").json()
    body = assert_refused(api_a.post(f"/api/v1/orders/{order['id']}/submit/"), 409, "wrong_state")
    assert body["detail"] == ja(
        "Only a draft can be submitted; this order is %(status)s.",
        status=in_japanese(Order.Status.SUBMITTED.label),
    )


def test_it_refuses_to_cancel_an_accepted_order(api_a, workshop_a, company_a):
    order = factories.OrderFactory(workshop=workshop_a, company=company_a, status="accepted")
    body = assert_refused(api_a.post(f"/api/v1/orders/{order.pk}/cancel/"), 409, "wrong_state")
    assert body["detail"] == ja(
        "The order can no longer be cancelled here because it is %(status)s. "
        "Please send the workshop a message.",
        status=in_japanese(Order.Status.ACCEPTED.label),
    )
    order.refresh_from_db()
    assert order.status == "accepted"


def test_it_refuses_to_cancel_twice(api_a):
    order = api_a.post("/api/v1/orders/", order_body(submit=True), format="json").json()
    assert api_a.post(f"/api/v1/orders/{order['id']}/cancel/").status_code == 200
    assert_refused(api_a.post(f"/api/v1/orders/{order['id']}/cancel/"), 409, "wrong_state")


def test_it_cancels_a_draft(api_a):
    order = api_a.post("/api/v1/orders/", order_body(), format="json").json()
    response = api_a.post(f"/api/v1/orders/{order['id']}/cancel/")
    assert response.json()["status"] == "cancelled"


def test_it_refuses_a_message_on_a_draft(api_a):
    order = api_a.post("/api/v1/orders/", order_body(), format="json").json()
    response = api_a.post(f"/api/v1/orders/{order['id']}/messages/", {"body": "こんにちは"})
    body = assert_refused(response, 409, "wrong_state")
    assert body["detail"] == ja("Send the order first; then you can write to the workshop.")


def test_it_refuses_a_file_on_a_cancelled_order(api_a, workshop_a, company_a):
    order = factories.OrderFactory(workshop=workshop_a, company=company_a, status="cancelled")
    response = api_a.post(
        f"/api/v1/orders/{order.pk}/files/",
        {"file": SimpleUploadedFile("a.pdf", b"%PDF-1.4\n")},
        format="multipart",
    )
    assert_refused(response, 409, "wrong_state")
    assert not order.files.exists()


# --- validation (400) ---------------------------------------------------------------------------


def test_it_says_what_to_fix_for_each_field(api_a):
    response = api_a.post(
        "/api/v1/orders/",
        order_body(title=" ", quantity="many", desired_delivery_date="next week"),
        format="json",
    )
    body = assert_refused(response, 400, "invalid")
    # types first, by the input serializer
    assert body["errors"] == {
        "quantity": [ja("A valid integer is required.")],
        "desired_delivery_date": [
            ja("Date has wrong format. Use one of these formats instead: {format}.").format(
                format="YYYY-MM-DD"
            )
        ],
    }
    assert Order.objects.count() == 0


def test_it_gives_the_rules_messages_per_field(api_a):
    past = timezone.localdate() - datetime.timedelta(days=1)
    response = api_a.post(
        "/api/v1/orders/",
        order_body(title=" ", quantity=0, desired_delivery_date=past.isoformat(), submit=True),
        format="json",
    )
    body = assert_refused(response, 400, "invalid")
    assert body["errors"] == {
        "title": [ja("Please give the order a title.")],
        "quantity": [ja("The quantity must be at least 1.")],
        "desired_delivery_date": [ja("The delivery date is in the past.")],
    }


def test_it_refuses_a_total_that_is_not_unit_price_times_quantity(api_a):
    response = api_a.post("/api/v1/orders/", order_body(total_price_yen=9000), format="json")
    body = assert_refused(response, 400, "invalid")
    assert list(body["errors"]) == ["total_price_yen"]


def test_it_answers_in_japanese_when_asked(api_a):
    response = api_a.post(
        "/api/v1/orders/", order_body(quantity="たくさん"), format="json", HTTP_ACCEPT_LANGUAGE="ja"
    )
    assert response.json()["detail"] == "入力内容を確認してください。"
    assert response.json()["errors"]["quantity"] == ["有効な整数を入力してください。"]


def test_it_asks_which_workshop_when_the_company_has_several(
    client, workshop_b, company_a, company_admin_a
):
    factories.PartnershipFactory(company=company_a, workshop=workshop_b)
    api = client_with(create_token(company=company_a, by=company_admin_a, name="x")[1])
    body = assert_refused(api.post("/api/v1/orders/", order_body(), format="json"), 400, "invalid")
    assert "hidamari, minato" in body["errors"]["workshop"][0]
    chosen = api.post("/api/v1/orders/", order_body(workshop="minato"), format="json")
    assert chosen.status_code == 201
    assert chosen.json()["workshop"] == "minato"


def test_it_refuses_a_workshop_the_company_does_not_order_from(api_a, workshop_b):
    response = api_a.post("/api/v1/orders/", order_body(workshop="minato"), format="json")
    body = assert_refused(response, 400, "invalid")
    assert body["errors"] == {"workshop": [ja("Your company does not order from this workshop.")]}
    response = api_a.post("/api/v1/orders/", order_body(workshop="no-such-place"), format="json")
    assert assert_refused(response, 400, "invalid")["errors"] == body["errors"]


def test_it_refuses_a_body_that_is_not_json(api_a):
    response = api_a.post("/api/v1/orders/", "{not json", content_type="application/json")
    assert_refused(response, 400, "parse_error")


def test_it_refuses_a_media_type_it_does_not_read(api_a):
    response = api_a.post("/api/v1/orders/", "<order/>", content_type="application/xml")
    assert_refused(response, 415, "unsupported_media_type")


def test_it_refuses_a_method_that_does_not_exist(api_a, order_a):
    assert_refused(api_a.delete(f"/api/v1/orders/{order_a.pk}/"), 405, "method_not_allowed")


# --- lists ----------------------------------------------------------------------------------


@pytest.fixture
def several_orders(workshop_a, company_a):
    today = timezone.localdate()
    return {
        "soon": factories.OrderFactory(
            workshop=workshop_a,
            company=company_a,
            status="submitted",
            desired_delivery_date=today + datetime.timedelta(days=3),
        ),
        "later": factories.OrderFactory(
            workshop=workshop_a,
            company=company_a,
            status="in_progress",
            desired_delivery_date=today + datetime.timedelta(days=30),
        ),
        "draft": factories.OrderFactory(
            workshop=workshop_a,
            company=company_a,
            status="draft",
            payment_date=None,
            desired_delivery_date=today + datetime.timedelta(days=10),
        ),
    }


def ids(response) -> list[int]:
    assert response.status_code == 200, response.content
    return [row["id"] for row in response.json()["results"]]


def test_it_filters_by_status(api_a, several_orders):
    assert ids(api_a.get("/api/v1/orders/?status=draft")) == [several_orders["draft"].pk]
    both = ids(api_a.get("/api/v1/orders/?status=draft&status=submitted"))
    assert set(both) == {several_orders["draft"].pk, several_orders["soon"].pk}


def test_it_filters_by_desired_delivery_date(api_a, several_orders):
    today = timezone.localdate()
    window = {
        "delivery_from": today + datetime.timedelta(days=5),
        "delivery_to": today + datetime.timedelta(days=20),
    }
    assert ids(api_a.get("/api/v1/orders/", window)) == [several_orders["draft"].pk]


def test_it_filters_by_creation_time(api_a, several_orders):
    old = several_orders["later"]
    Order.objects.filter(pk=old.pk).update(created_at=timezone.now() - datetime.timedelta(days=40))
    cutoff = (timezone.now() - datetime.timedelta(days=7)).isoformat()
    assert ids(api_a.get("/api/v1/orders/", {"created_before": cutoff})) == [old.pk]
    assert old.pk not in ids(api_a.get("/api/v1/orders/", {"created_after": cutoff}))


def test_it_orders_by_delivery_date_when_asked(api_a, several_orders):
    got = ids(api_a.get("/api/v1/orders/?ordering=desired_delivery_date"))
    assert got == [several_orders[k].pk for k in ("soon", "draft", "later")]
    got = ids(api_a.get("/api/v1/orders/?ordering=-desired_delivery_date"))
    assert got == [several_orders[k].pk for k in ("later", "draft", "soon")]


def test_it_pages_the_list(api_a, several_orders):
    first = api_a.get("/api/v1/orders/?page_size=2").json()
    assert first["count"] == 3
    assert len(first["results"]) == 2
    assert first["next"].endswith("page=2&page_size=2")
    second = api_a.get(first["next"]).json()
    assert len(second["results"]) == 1
    assert second["next"] is None


def test_it_refuses_a_filter_value_it_cannot_read(api_a):
    response = api_a.get("/api/v1/orders/?delivery_from=someday&status=lost")
    body = assert_refused(response, 400, "invalid")
    assert set(body["errors"]) == {"delivery_from", "status"}


def test_a_page_past_the_end_or_before_the_first_is_a_400_on_page(api_a, several_orders):
    for page in ("9", "0", "-1", "x"):
        body = assert_refused(api_a.get(f"/api/v1/orders/?page={page}"), 400, "invalid")
        assert list(body["errors"]) == ["page"]
