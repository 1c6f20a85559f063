"""Each thing the hostile run found (issue 11), pinned: server errors a client could cause, the
unit read by its address, the contract drift. The generic tests (test_api_fuzz.py,
test_hostile_inputs.py) look for the same kinds everywhere; these say the answer exactly."""

import datetime
import json

import pytest
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone
from rest_framework.test import APIClient

from jobs.models import Order, SkillTraining, WorkUnit
from participants import pathway
from tests import factories
from tests.api.conftest import client_with, order_body
from tests.i18n import ja
from workshop import limits


@pytest.fixture(autouse=True)
def fresh_rate_counts():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def api_a(company_a, company_admin_a):
    from companies.tokens import create_token

    return client_with(create_token(company=company_a, by=company_admin_a, name="t")[1])


@pytest.fixture
def staff_api(staff_a):
    client = APIClient()
    client.force_authenticate(staff_a)
    return client


def refused(response, status: int, code: str) -> dict:
    assert response.status_code == status, response.content
    body = response.json()
    assert body["code"] == code and body["detail"], body
    return body


# --- server errors ------------------------------------------------------------------------------


def test_options_on_write_endpoints_answers_without_a_server_error(api_a, order_a, staff_api):
    for url in (
        "/api/v1/orders/",
        f"/api/v1/orders/{order_a.pk}/cancel/",
        f"/api/v1/orders/{order_a.pk}/submit/",
        f"/api/v1/orders/{order_a.pk}/messages/",
    ):
        assert api_a.options(url).status_code == 200, url
    staff = "/api/v1/staff/workshops/hidamari/"
    for url in (f"{staff}orders/{order_a.pk}/accept/", f"{staff}skills/", f"{staff}check-ins/"):
        assert staff_api.options(url).status_code == 200, url


@pytest.mark.parametrize("moment", ["2026-04-01T09:00:00+23:59", "2026-04-01T09:00:00-16:00"])
@pytest.mark.parametrize("name", ["created_after", "created_before"])
def test_an_offset_beyond_15_59_is_a_400_with_a_code(api_a, order_a, name, moment):
    body = refused(api_a.get("/api/v1/orders/", {name: moment}), 400, "invalid")
    assert list(body["errors"]) == [name]


def test_an_offset_beyond_15_59_in_since_is_a_400(api_a, order_a):
    url = f"/api/v1/orders/{order_a.pk}/events/"
    refused(api_a.get(url, {"since": "2026-04-01T09:00:00+20:00"}), 400, "invalid")


@pytest.mark.parametrize("field", ["desired_delivery_date", "payment_date"])
def test_a_date_near_9999_is_refused_with_the_range(api_a, field):
    response = api_a.post(
        "/api/v1/orders/", order_body(**{field: "9999-12-31"}, submit=True), format="json"
    )
    body = refused(response, 400, "invalid")
    assert body["errors"][field] == [
        ja(
            "Please choose a date between %(earliest)s and %(latest)s.",
            earliest="2000-01-01",
            latest="2100-12-31",
        )
    ]
    assert not Order.objects.exists()


def test_the_portal_form_refuses_a_date_near_9999():
    from companies.forms import OrderForm

    for name in ("desired_delivery_date", "payment_date"):
        with pytest.raises(ValidationError) as refusal:
            OrderForm.base_fields[name].clean("9999-12-31")
        assert [e.code for e in refusal.value.error_list] == ["date_out_of_range"]


def test_a_staff_proposal_with_a_date_near_9999_is_refused(staff_api, order_a):
    order_a.status = Order.Status.SUBMITTED
    order_a.save()
    url = f"/api/v1/staff/workshops/hidamari/orders/{order_a.pk}/propose/"
    body = {"unit_price_yen": 10, "desired_delivery_date": "9999-12-31"}
    body["payment_date"] = "9999-12-31"
    response = staff_api.post(url, body, format="json")
    assert response.status_code == 400, response.content


def test_deeply_nested_json_is_a_400_not_a_recursion_error(api_a):
    body = "[" * 20_000 + "]" * 20_000
    response = api_a.post("/api/v1/orders/", body, content_type="application/json")
    refused(response, 400, "parse_error")
    nested = json.dumps(
        {"title": [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[["x"]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]}
    )
    refused(
        api_a.post("/api/v1/orders/", nested, content_type="application/json"), 400, "parse_error"
    )


def test_a_number_beyond_a_float_is_a_400(api_a):
    body = json.dumps(order_body())[:-1] + ', "quantity": 1e400}'
    response = api_a.post("/api/v1/orders/", body, content_type="application/json")
    assert response.status_code == 400


@pytest.mark.parametrize(
    ("terms", "field"),
    [
        ({"quantity": 10_000_000, "unit_price_yen": 2_000_000_000}, "unit_price_yen"),
        ({"quantity": 2_000, "unit_price_yen": 1_000_000}, "total_price_yen"),
        ({"unit_price_yen": 0}, "unit_price_yen"),
        ({"unit_price_yen": None, "total_price_yen": 0}, "total_price_yen"),
    ],
)
def test_money_of_an_order_stays_within_1_yen_and_1_billion(api_a, terms, field):
    response = api_a.post("/api/v1/orders/", order_body(**terms), format="json")
    body = refused(response, 400, "invalid")
    assert field in body["errors"]
    assert not Order.objects.exists()


def test_the_rule_caps_the_total_whoever_calls_it():
    from jobs import orders

    soon = timezone.localdate() + datetime.timedelta(days=10)
    terms = {"title": "x", "quantity": 10_000_000, "unit_price_yen": 1_000}
    terms["desired_delivery_date"] = soon
    with pytest.raises(orders.OrderInvalid) as refusal:
        orders.clean_terms(terms, for_submission=True)
    assert refusal.value.errors["total_price_yen"] == [
        ja(
            "The total must be between %(min)s and %(max)s yen.",
            min="1",
            max=f"{limits.MAX_ORDER_TOTAL_YEN:,}",
        )
    ]


# --- text ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "title", ["\u200b\u200b\u200b", "\ufeff\u200d", " \u200c "], ids=["zwsp", "bom-zwj", "zwnj"]
)
def test_a_title_of_only_invisible_characters_is_refused(api_a, title):
    body = refused(
        api_a.post("/api/v1/orders/", order_body(title=title), format="json"), 400, "invalid"
    )
    assert body["errors"]["title"] == [ja("Please give the order a title.")]


def test_text_with_a_direction_override_is_refused(api_a):
    response = api_a.post("/api/v1/orders/", order_body(title="請求\u202eexe.pdf"), format="json")
    body = refused(response, 400, "invalid")
    assert body["errors"]["title"] == [
        ja("This text contains characters that change its reading direction.")
    ]


def test_a_description_of_megabytes_is_refused_and_nothing_stored(api_a):
    response = api_a.post("/api/v1/orders/", order_body(description="あ" * 20_000), format="json")
    assert "description" in refused(response, 400, "invalid")["errors"]
    assert not Order.objects.exists()


def test_a_body_over_the_limit_is_a_413_with_a_code(api_a, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    body = json.dumps(order_body(description="x" * 5000))
    refused(api_a.post("/api/v1/orders/", body, content_type="application/json"), 413, "too_large")


# --- a unit the participant may not take is not there for them ----------------------------------


@pytest.fixture
def accepted_order(workshop_a, company_a):
    return factories.OrderFactory(workshop=workshop_a, company=company_a, status="accepted")


@pytest.mark.parametrize("kind", ["skill", "on_site"])
def test_a_unit_the_participant_may_not_take_is_404_on_its_page_and_the_api(
    participant_a, accepted_order, kind
):
    extra = {"skill_tag": "sealing"} if kind == "skill" else {"home_ok": False}
    unit = factories.WorkUnitFactory(order=accepted_order, **extra)
    participant_a.works_on_site = False
    participant_a.save()
    client = Client()
    client.force_login(participant_a.user)
    assert client.get(f"/units/{unit.pk}/").status_code == 404
    assert client.get(f"/api/v1/me/units/{unit.pk}/").status_code == 404
    if kind == "skill":
        SkillTraining.objects.create(participant=participant_a, skill_tag="sealing")
        assert client.get(f"/api/v1/me/units/{unit.pk}/").status_code == 200


def test_a_unit_the_participant_holds_stays_readable(participant_a, accepted_order):
    unit = factories.WorkUnitFactory(
        order=accepted_order,
        skill_tag="sealing",
        status=WorkUnit.Status.CLAIMED,
        holder=participant_a,
        expires_at=timezone.now() + datetime.timedelta(days=1),
    )
    client = Client()
    client.force_login(participant_a.user)
    assert client.get(f"/api/v1/me/units/{unit.pk}/").status_code == 200


# --- contract -----------------------------------------------------------------------------------


def test_a_company_token_on_the_staff_api_is_permission_denied(api_a):
    refused(api_a.get("/api/v1/staff/workshops/"), 403, "permission_denied")


def test_a_route_that_does_not_exist_under_api_is_json(api_a):
    refused(api_a.get("/api/v1/no-such-thing/"), 404, "not_found")


def test_one_table_gives_every_refusal_code_its_status():
    from companies.api_errors import REFUSAL_STATUS, status_of
    from participants import phone_api
    from workshop import money_api, staff_api

    assert status_of("not_active") == 409
    assert status_of("wrong_state") == 409
    assert status_of("anything_else") == 400
    for module in (phone_api, money_api, staff_api):
        assert not hasattr(module, "STATUS"), module
        assert module.Refused("x", "taken").status_code == REFUSAL_STATUS["taken"]


def test_the_hand_back_answer_matches_its_schema(participant_a, accepted_order):
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    operation = schema["paths"]["/api/v1/me/units/{id}/hand-back/"]["post"]
    ref = operation["responses"]["200"]["content"]["application/json"]["schema"]["$ref"]
    declared = set(schema["components"]["schemas"][ref.rsplit("/", 1)[1]]["properties"])
    unit = factories.WorkUnitFactory(
        order=accepted_order,
        status=WorkUnit.Status.CLAIMED,
        holder=participant_a,
        expires_at=timezone.now() + datetime.timedelta(days=1),
    )
    client = Client()
    client.force_login(participant_a.user)
    response = client.post(f"/api/v1/me/units/{unit.pk}/hand-back/", {}, "application/json")
    assert response.status_code == 200, response.content
    assert set(response.json()) == declared


def test_every_operation_documents_the_answers_around_it(db):
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            responses = set(operation["responses"])
            assert {"401", "403", "429"} <= responses, (method, path)
            if "{" in path:
                assert "404" in responses, (method, path)


@pytest.mark.parametrize(
    "cursor", ["9999-12-31.1.1", "0001-01-01.1.1", "2026-01-01.1." + "9" * 40, "x" * 10_000]
)
def test_a_hostile_timeline_cursor_is_read_as_none(cursor):
    assert pathway.parse_cursor(cursor) is None
