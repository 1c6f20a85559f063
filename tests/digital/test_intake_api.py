"""Digital work in the company API and the staff API (issue 9): a company proposes a form and
uploads items; staff set the form, accept or decline proposals, upload items and choose how
items are checked; refusals carry their codes; another company and another workshop get 404."""

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from companies.models import CompanyMembership
from companies.tokens import create_token
from jobs import items
from jobs.digital_models import AnswerForm, DigitalWork, Item
from tests import factories
from tests.digital.intake_factories import (
    PRODUCT_FORM,
    csv_bytes,
    digital_order,
    product_rows,
    upload,
)

STAFF_API = "/api/v1/staff/workshops/{slug}/orders/{pk}/"


@pytest.fixture(autouse=True)
def fresh_rate_counts():
    cache.clear()
    yield
    cache.clear()


def token_client(company) -> APIClient:
    admin = factories.CompanyMembershipFactory(
        company=company, role=CompanyMembership.Role.ADMIN
    ).user
    _token, secret = create_token(company=company, by=admin, name="基幹システム")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
    return client


@pytest.fixture
def order(order_a):
    return digital_order(order_a.workshop, order_a.company, status="submitted")


def test_company_proposes_a_form_and_uploads_items(order, company_a):
    api = token_client(company_a)
    url = f"/api/v1/orders/{order.pk}/"
    response = api.post(url + "answer-forms/", {"fields": PRODUCT_FORM}, format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["status"] == "proposed" and response.json()["version"] == 1
    bad = api.post(
        url + "answer-forms/",
        {"fields": [{"key": "X", "type": "number", "label": "a"}]},
        format="json",
    )
    assert bad.status_code == 400 and bad.json()["code"] == "form_key_invalid"

    response = api.post(
        url + "item-imports/",
        {"file": upload(csv_bytes(product_rows(5), encoding="cp932"))},
        format="multipart",
    )
    assert response.status_code == 202, response.json()
    record = response.json()
    detail = api.get(url + f"item-imports/{record['id']}/").json()
    assert (detail["status"], detail["rows_done"], detail["encoding"]) == ("done", 5, "cp932")
    assert Item.objects.filter(order=order).count() == 5

    rows = product_rows(3)
    rows[2].append("余分")
    refused = api.post(
        url + "item-imports/", {"file": upload(csv_bytes(rows))}, format="multipart"
    ).json()
    assert (refused["status"], refused["error_code"], refused["error_row"]) == (
        "refused",
        "import_column_count",
        4,
    )
    assert api.get(url + "item-imports/").json()["count"] == 2
    assert [f["version"] for f in api.get(url + "answer-forms/").json()["results"]] == [1]


def test_another_company_gets_404(order, company_b):
    api = token_client(company_b)
    url = f"/api/v1/orders/{order.pk}/"
    assert api.get(url + "answer-forms/").status_code == 404
    assert (
        api.post(url + "answer-forms/", {"fields": PRODUCT_FORM}, format="json").status_code == 404
    )
    assert (
        api.post(url + "item-imports/", {"file": upload(b"a\n1\n")}, format="multipart").status_code
        == 404
    )
    assert not AnswerForm.objects.exists() and not Item.objects.exists()


def test_a_hands_on_order_is_refused_with_its_code(order_a, company_a):
    api = token_client(company_a)
    response = api.get(f"/api/v1/orders/{order_a.pk}/answer-forms/")
    assert response.status_code == 409 and response.json()["code"] == "wrong_kind"


def test_staff_set_the_form_decide_proposals_and_checking(client, staff_a, member_a, order):
    client.force_login(staff_a)
    url = STAFF_API.format(slug=order.workshop.slug, pk=order.pk)
    response = client.post(
        url + "answer-forms/", {"fields": PRODUCT_FORM}, content_type="application/json"
    )
    assert response.status_code == 201 and response.json()["status"] == "current"
    proposal = items.propose_form(order=order, by=member_a, fields=PRODUCT_FORM[:1])
    response = client.post(
        url + f"answer-forms/{proposal.version}/decline/",
        {"reason": "価格欄が必要です"},
        content_type="application/json",
    )
    assert response.status_code == 200 and response.json()["status"] == "declined"
    again = client.post(
        url + f"answer-forms/{proposal.version}/accept/", content_type="application/json"
    )
    assert again.status_code == 409 and again.json()["code"] == "wrong_state"

    response = client.post(url + "item-imports/", {"file": upload(csv_bytes(product_rows(4)))})
    assert response.status_code == 202 and response.json()["status"] == "done"
    response = client.patch(
        url + "digital/",
        {"checking": "double", "shown_columns": ["商品名"]},
        content_type="application/json",
    )
    assert response.status_code == 200, response.json()
    assert DigitalWork.objects.get(order=order).checking == "double"
    unknown = client.patch(
        url + "digital/", {"shown_columns": ["色"]}, content_type="application/json"
    )
    assert unknown.status_code == 400 and unknown.json()["code"] == "column_unknown"


def test_another_workshops_staff_get_404(client, staff_b, order):
    client.force_login(staff_b)
    for slug in (order.workshop.slug, "minato"):
        url = STAFF_API.format(slug=slug, pk=order.pk)
        assert client.get(url + "answer-forms/").status_code == 404
        assert client.get(url + "digital/").status_code == 404
        assert client.post(url + "item-imports/", {"file": upload(b"a\n1\n")}).status_code == 404
