"""Deliveries in the REST API: staff (session) record and read them, the company (token or
session) reads them, accepts them or refuses part. Same rules as the pages, errors as JSON."""

import pytest
from django.core.cache import cache
from django.utils import translation
from rest_framework.test import APIClient

from companies.tokens import create_token
from jobs.models import Delivery, Order, WorkUnit
from tests.deliveries.conftest import approve, deliver


@pytest.fixture(autouse=True)
def english(settings):
    settings.LANGUAGE_CODE = "en"
    translation.activate("en")
    cache.clear()
    yield
    translation.deactivate()
    cache.clear()


@pytest.fixture
def staff_api(staff_a):
    client = APIClient()
    client.force_login(staff_a)
    return client


@pytest.fixture
def company_api(company_a, company_admin_a):
    _token, secret = create_token(company=company_a, by=company_admin_a, name="基幹システム")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
    return client


def staff_path(order, rest=""):
    return f"/api/v1/staff/workshops/{order.workshop.slug}/orders/{order.pk}/deliveries/{rest}"


def company_path(order, rest=""):
    return f"/api/v1/orders/{order.pk}/deliveries/{rest}"


def test_staff_record_a_partial_then_a_final_delivery(staff_api, order):
    approve(order, 100)

    first = staff_api.post(
        staff_path(order), {"quantity": 30, "delivered_on": "2026-11-20"}, format="json"
    )
    second = staff_api.post(
        staff_path(order),
        {"quantity": 70, "delivered_on": "2026-11-21", "method": "shipping", "note": "2箱"},
        format="json",
    )

    assert first.status_code == 201, first.json()
    assert first.json()["number"] == 1 and first.json()["method"] == "pickup"
    assert first.json()["status"] == "pending_acceptance"
    assert second.json()["is_final"] is True and second.json()["note"] == "2箱"
    order.refresh_from_db()
    assert order.status == Order.Status.DELIVERED
    listed = staff_api.get(staff_path(order)).json()["results"]
    assert [d["quantity"] for d in listed] == [30, 70]
    totals = staff_api.get(staff_path(order, "totals/")).json()
    assert totals == {
        "ordered": 100,
        "approved": 100,
        "delivered": 100,
        "refused": 0,
        "kept": 100,
        "pending": 100,
        "left_to_deliver": 0,
        "deliverable": 0,
    }
    assert staff_api.get(staff_path(order, "2/")).json()["slip_number"] == f"{order.number}-02"


def test_the_api_refuses_too_much_and_not_yet_approved(staff_api, order):
    approve(order, 40)

    not_approved = staff_api.post(
        staff_path(order), {"quantity": 41, "delivered_on": "2026-11-20"}, format="json"
    )
    too_much = staff_api.post(
        staff_path(order), {"quantity": 101, "delivered_on": "2026-11-20"}, format="json"
    )
    nothing = staff_api.post(
        staff_path(order), {"quantity": 0, "delivered_on": "2026-11-20"}, format="json"
    )

    assert (not_approved.status_code, not_approved.json()["code"]) == (400, "not_approved_yet")
    assert (too_much.status_code, too_much.json()["code"]) == (400, "too_much")
    assert (nothing.status_code, nothing.json()["code"]) == (400, "invalid")
    assert "quantity" in nothing.json()["errors"]
    assert not Delivery.objects.exists()


def test_a_wrong_state_is_409(staff_api, company_api, staff_a, approved_order):
    Order.objects.filter(pk=approved_order.pk).update(status=Order.Status.ACCEPTED)
    response = staff_api.post(
        staff_path(approved_order), {"quantity": 1, "delivered_on": "2026-11-20"}, format="json"
    )
    assert (response.status_code, response.json()["code"]) == (409, "wrong_state")

    Order.objects.filter(pk=approved_order.pk).update(status=Order.Status.IN_PROGRESS)
    deliver(approved_order, staff_a, 10)
    assert company_api.post(company_path(approved_order, "1/accept/")).status_code == 200
    again = company_api.post(company_path(approved_order, "1/accept/"))
    assert (again.status_code, again.json()["code"]) == (409, "wrong_state")


def test_the_company_lists_and_accepts_deliveries(company_api, staff_a, approved_order):
    deliver(approved_order, staff_a, 100)

    listed = company_api.get(company_path(approved_order)).json()["results"]
    accepted = company_api.post(company_path(approved_order, "1/accept/"))

    assert [(d["number"], d["quantity"], d["status"]) for d in listed] == [
        (1, 100, "pending_acceptance")
    ]
    assert accepted.status_code == 200 and accepted.json()["status"] == "accepted"
    approved_order.refresh_from_db()
    assert approved_order.status == Order.Status.ACCEPTED_BY_COMPANY


def test_the_company_refuses_part_through_the_api(company_api, staff_a, approved_order):
    deliver(approved_order, staff_a, 100)

    no_reason = company_api.post(
        company_path(approved_order, "1/refuse/"), {"quantity": 5, "reason": ""}, format="json"
    )
    refused = company_api.post(
        company_path(approved_order, "1/refuse/"),
        {"quantity": 5, "reason": "印刷がかすれています"},
        format="json",
    )

    assert (no_reason.status_code, no_reason.json()["code"]) == (400, "reason_required")
    assert refused.status_code == 200
    body = refused.json()
    assert (body["status"], body["refused_quantity"]) == ("partly_refused", 5)
    approved_order.refresh_from_db()
    assert approved_order.status == Order.Status.IN_PROGRESS
    redo = approved_order.units.get(status=WorkUnit.Status.OPEN)
    assert "印刷がかすれています" in redo.instructions


def test_another_workshops_staff_get_404_in_the_api(staff_b, workshop_a, approved_order, staff_a):
    deliver(approved_order, staff_a, 10)
    client = APIClient()
    client.force_login(staff_b)

    for slug in ("hidamari", "minato"):
        base = f"/api/v1/staff/workshops/{slug}/orders/{approved_order.pk}/deliveries/"
        assert client.get(base).status_code == 404
        assert client.get(base + "1/").status_code == 404
        assert client.get(base + "totals/").status_code == 404
        post = client.post(base, {"quantity": 1, "delivered_on": "2026-11-20"}, format="json")
        assert post.status_code == 404
    assert approved_order.deliveries.count() == 1


def test_another_company_gets_404_in_the_api(member_b, staff_a, approved_order):
    deliver(approved_order, staff_a, 10)
    client = APIClient()
    client.force_login(member_b)

    assert client.get(company_path(approved_order)).status_code == 404
    assert client.post(company_path(approved_order, "1/accept/")).status_code == 404
    refuse = client.post(
        company_path(approved_order, "1/refuse/"), {"quantity": 1, "reason": "x"}, format="json"
    )
    assert refuse.status_code == 404
    assert approved_order.deliveries.get().status == Delivery.Status.PENDING_ACCEPTANCE


def test_the_company_cannot_record_deliveries_through_the_staff_api(member_a, approved_order):
    client = APIClient()
    client.force_login(member_a)
    response = client.post(
        staff_path(approved_order), {"quantity": 1, "delivered_on": "2026-11-20"}, format="json"
    )
    assert response.status_code == 403
    assert not Delivery.objects.exists()
