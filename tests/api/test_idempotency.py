"""Creating an order with an Idempotency-Key: a retry gets the first order, another body under
the same key is refused, and two identical requests at the same moment make one order."""

import threading
import uuid

import pytest
from django.db import connection

from jobs.models import Order
from tests.api.conftest import client_with, order_body


def test_the_same_key_and_body_return_the_first_order(api_a):
    key = str(uuid.uuid4())
    first = api_a.post("/api/v1/orders/", order_body(), format="json", HTTP_IDEMPOTENCY_KEY=key)
    again = api_a.post("/api/v1/orders/", order_body(), format="json", HTTP_IDEMPOTENCY_KEY=key)
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json() == first.json()
    assert again["Idempotent-Replayed"] == "true"
    assert Order.objects.count() == 1


def test_the_order_of_the_keys_in_the_body_does_not_matter(api_a):
    body = order_body()
    reordered = dict(reversed(list(body.items())))
    first = api_a.post("/api/v1/orders/", body, format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    again = api_a.post("/api/v1/orders/", reordered, format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    assert (first.status_code, again.status_code) == (201, 200)


def test_the_same_key_with_another_body_is_409(api_a):
    api_a.post("/api/v1/orders/", order_body(), format="json", HTTP_IDEMPOTENCY_KEY="k-2")
    response = api_a.post(
        "/api/v1/orders/", order_body(quantity=3000), format="json", HTTP_IDEMPOTENCY_KEY="k-2"
    )
    assert response.status_code == 409
    assert response.json()["code"] == "idempotency_conflict"
    assert Order.objects.count() == 1


def test_without_a_key_each_request_makes_an_order(api_a):
    api_a.post("/api/v1/orders/", order_body(), format="json")
    api_a.post("/api/v1/orders/", order_body(), format="json")
    assert Order.objects.count() == 2


def test_keys_belong_to_one_company(api_a, api_b):
    a = api_a.post("/api/v1/orders/", order_body(), format="json", HTTP_IDEMPOTENCY_KEY="same")
    b = api_b.post("/api/v1/orders/", order_body(), format="json", HTTP_IDEMPOTENCY_KEY="same")
    assert (a.status_code, b.status_code) == (201, 201)
    assert a.json()["id"] != b.json()["id"]


def test_an_unreadable_key_is_400(api_a):
    response = api_a.post(
        "/api/v1/orders/", order_body(), format="json", HTTP_IDEMPOTENCY_KEY="x" * 201
    )
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["Idempotency-Key"]


@pytest.mark.django_db(transaction=True)
def test_two_identical_requests_at_the_same_moment_make_one_order(token_a):
    secret = token_a[1]
    barrier = threading.Barrier(4)
    answers = []

    def create():
        try:
            client = client_with(secret)
            barrier.wait()
            response = client.post(
                "/api/v1/orders/",
                order_body(submit=True),
                format="json",
                HTTP_IDEMPOTENCY_KEY="order-2026-04-dm",
            )
            answers.append((response.status_code, response.json().get("id")))
        except Exception as error:  # anything else must show in the assertion, not vanish
            answers.append(repr(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=create) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    order = Order.objects.get()
    assert sorted(answers, key=str) == sorted([(201, order.pk)] + [(200, order.pk)] * 3, key=str)
    assert order.events.filter(to_status="submitted").count() == 1
