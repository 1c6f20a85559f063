"""Company B never sees company A's orders, files, events or messages: each is a 404, the same
as an order that does not exist."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from jobs import orders
from jobs.models import OrderMessage
from tests.i18n import ja

NOT_FOUND = {"code": "not_found", "detail": ja("Not found."), "errors": {}}


@pytest.fixture
def order_a_with_everything(order_a, member_a):
    orders.attach_file(
        order=order_a, by=member_a, upload=SimpleUploadedFile("spec.pdf", b"%PDF-1.7\n")
    )
    orders.post_message(order=order_a, by=member_a, side="company", body="社外秘の相談")
    return order_a


@pytest.mark.parametrize("tail", ["", "files/", "events/", "messages/"])
def test_company_b_gets_404_for_everything_of_company_a(api_b, order_a_with_everything, tail):
    response = api_b.get(f"/api/v1/orders/{order_a_with_everything.pk}/{tail}")
    assert response.status_code == 404
    assert response.json() == NOT_FOUND


@pytest.mark.parametrize("tail", ["submit/", "cancel/", "messages/"])
def test_company_b_cannot_act_on_company_a_orders(api_b, order_a_with_everything, tail):
    response = api_b.post(
        f"/api/v1/orders/{order_a_with_everything.pk}/{tail}", {"body": "x"}, format="json"
    )
    assert response.status_code == 404
    order_a_with_everything.refresh_from_db()
    assert order_a_with_everything.status == "accepted"
    assert OrderMessage.objects.filter(order=order_a_with_everything).count() == 1


def test_company_b_cannot_attach_files_to_company_a_orders(api_b, order_a_with_everything):
    response = api_b.post(
        f"/api/v1/orders/{order_a_with_everything.pk}/files/",
        {"file": SimpleUploadedFile("x.pdf", b"%PDF-1.7\n")},
        format="multipart",
    )
    assert response.status_code == 404
    assert order_a_with_everything.files.count() == 1


def test_another_companys_order_looks_like_one_that_does_not_exist(api_b, order_a):
    mine = api_b.get(f"/api/v1/orders/{order_a.pk}/")
    missing = api_b.get("/api/v1/orders/999999/")
    assert mine.json() == missing.json() == NOT_FOUND


def test_lists_hold_only_the_companys_own_orders(api_a, api_b, order_a, order_b):
    assert [o["id"] for o in api_a.get("/api/v1/orders/").json()["results"]] == [order_a.pk]
    assert [o["id"] for o in api_b.get("/api/v1/orders/").json()["results"]] == [order_b.pk]
    assert [w["slug"] for w in api_b.get("/api/v1/workshops/").json()["results"]] == ["minato"]


def test_a_member_of_company_b_gets_404_in_the_browser_too(client, member_b, order_a):
    client.force_login(member_b)
    assert client.get(f"/api/v1/orders/{order_a.pk}/").status_code == 404
