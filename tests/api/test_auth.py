"""Who may call the API: a company's live token, or a signed-in company member in the browser.
Every refusal is JSON with a code."""

import datetime

from django.utils import timezone
from rest_framework.test import APIClient

from companies.models import ApiToken, CompanyMembership
from companies.tokens import revoke_token
from tests.api.conftest import client_with, order_body
from tests.i18n import ja


def test_without_a_token_it_answers_401_with_a_code_and_how_to_authenticate(db):
    response = APIClient().get("/api/v1/orders/")
    assert response.status_code == 401
    assert response.json() == {
        "code": "not_authenticated",
        "detail": ja("Authentication credentials were not provided."),
        "errors": {},
    }
    assert response["WWW-Authenticate"] == 'Bearer realm="api"'


def test_an_unknown_token_is_401_invalid_token(db):
    response = client_with("eng_12345678_not-a-real-secret").get("/api/v1/orders/")
    assert response.status_code == 401
    assert response.json()["code"] == "invalid_token"
    assert response["WWW-Authenticate"] == 'Bearer realm="api"'


def test_a_revoked_token_is_refused(api_a, token_a, company_admin_a):
    assert api_a.get("/api/v1/orders/").status_code == 200
    revoke_token(token=token_a[0], by=company_admin_a)
    response = api_a.get("/api/v1/orders/")
    assert response.status_code == 401
    assert response.json()["code"] == "invalid_token"


def test_the_token_keyword_works_as_well_as_bearer(token_a):
    assert client_with(token_a[1], keyword="Token").get("/api/v1/orders/").status_code == 200
    assert client_with(token_a[1], keyword="bearer").get("/api/v1/orders/").status_code == 200


def test_a_malformed_authorization_header_is_401(token_a):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token_a[1]} extra")
    assert client.get("/api/v1/orders/").json()["code"] == "invalid_token"


def test_a_token_stops_working_when_its_maker_is_no_longer_an_admin(
    api_a, company_a, company_admin_a
):
    CompanyMembership.objects.filter(user=company_admin_a, company=company_a).update(
        role=CompanyMembership.Role.MEMBER
    )
    response = api_a.get("/api/v1/orders/")
    assert response.status_code == 401
    assert response.json()["code"] == "invalid_token"


def test_it_notes_when_a_token_was_last_used_at_most_once_a_minute(api_a, token_a):
    token = token_a[0]
    assert token.last_used_at is None
    api_a.get("/api/v1/orders/")
    token.refresh_from_db()
    first = token.last_used_at
    assert first is not None
    api_a.get("/api/v1/orders/")
    token.refresh_from_db()
    assert token.last_used_at == first
    earlier = timezone.now() - datetime.timedelta(minutes=2)
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=earlier)
    api_a.get("/api/v1/orders/")
    token.refresh_from_db()
    assert token.last_used_at > earlier


def test_a_signed_in_member_uses_the_api_with_the_session(member_a, order_a, order_b):
    client = APIClient()
    client.force_login(member_a)
    listed = client.get("/api/v1/orders/").json()
    assert [o["title"] for o in listed["results"]] == ["DM封入 3月号"]


def test_a_session_write_needs_the_csrf_token(member_a):
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(member_a)
    response = client.post("/api/v1/orders/", order_body(), format="json")
    assert response.status_code == 403
    assert response.json()["code"] == "csrf_failed"


def test_a_session_write_with_the_csrf_token_works(member_a):
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(member_a)
    client.get("/c/okanoue-print/")  # sets the CSRF cookie, as the portal does
    response = client.post(
        "/api/v1/orders/",
        order_body(),
        format="json",
        HTTP_X_CSRFTOKEN=client.cookies["csrftoken"].value,
    )
    assert response.status_code == 201, response.content


def test_someone_who_is_no_company_member_gets_403(staff_a):
    client = APIClient()
    client.force_login(staff_a)
    response = client.get("/api/v1/orders/")
    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"


def test_staff_who_are_also_members_see_only_their_companys_orders_in_the_api(
    staff_a, company_b, workshop_a, order_a, order_b
):
    from tests import factories

    factories.CompanyMembershipFactory(company=company_b, user=staff_a)
    client = APIClient()
    client.force_login(staff_a)
    listed = client.get("/api/v1/orders/").json()
    # order_a reaches staff_a's workshop, but the API is the company side only
    assert [o["title"] for o in listed["results"]] == ["商品データ入力"]
