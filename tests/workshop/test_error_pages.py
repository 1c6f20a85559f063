"""With DEBUG off, 404, 400, 403 (and a refused CSRF token) and 500 are Engawa's calm pages in
the person's language, with a link to the start page; under /api/ they are the API's JSON,
even for an address that matches no route."""

import pytest
from django.conf import settings
from django.test import Client

from tests.i18n import en, ja

pytestmark = pytest.mark.urls("tests.workshop.error_urls")

TITLES = {
    404: "This page is not here",
    400: "This request could not be read",
    403: "This page is not open to you",
    500: "Something went wrong on our side",
}
CSRF_TITLE = "This form was open for too long"


@pytest.fixture(autouse=True)
def debug_off(settings):
    settings.DEBUG = False


def browser(language: str, **options) -> Client:
    client = Client(raise_request_exception=False, **options)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client


def assert_calm_page(response, status: int, title: str, language: str) -> None:
    html = response.content.decode()
    translated = ja(title) if language == "ja" else en(title)
    assert response.status_code == status
    assert response["Content-Type"].startswith("text/html")
    assert f'<html lang="{language}">' in html
    assert f"<h1>{translated}</h1>" in html
    assert 'href="/"' in html  # a way back
    assert "Traceback" not in html and "Django" not in html


@pytest.mark.parametrize("language", ["ja", "en"])
def test_an_unknown_address_is_a_calm_404(db, language):
    response = browser(language).get("/no-such-page/")

    assert_calm_page(response, 404, TITLES[404], language)


@pytest.mark.parametrize("language", ["ja", "en"])
def test_another_tenants_object_is_the_same_calm_404(db, language, staff_b, order_a):
    client = browser(language)
    client.force_login(staff_b)

    response = client.get(f"/w/{order_a.workshop.slug}/orders/{order_a.pk}/")

    assert_calm_page(response, 404, TITLES[404], language)


@pytest.mark.parametrize("language", ["ja", "en"])
def test_a_request_for_an_unknown_host_is_a_calm_400(db, language, settings):
    settings.ALLOWED_HOSTS = ["engawa.example.org"]

    response = browser(language).get("/accounts/login/", HTTP_HOST="attacker.example")

    assert_calm_page(response, 400, TITLES[400], language)


@pytest.mark.parametrize("language", ["ja", "en"])
def test_a_forbidden_page_is_a_calm_403(db, language):
    assert_calm_page(browser(language).get("/denied/"), 403, TITLES[403], language)


@pytest.mark.parametrize("language", ["ja", "en"])
def test_a_form_without_its_csrf_token_is_a_calm_403(db, language, participant_a):
    client = browser(language, enforce_csrf_checks=True)
    client.force_login(participant_a.user)

    response = client.post("/form/", {"anything": "typed"})

    assert_calm_page(response, 403, CSRF_TITLE, language)


@pytest.mark.parametrize("language", ["ja", "en"])
def test_a_bug_is_a_calm_500(db, language):
    assert_calm_page(browser(language).get("/boom/"), 500, TITLES[500], language)


def test_the_500_page_needs_no_database(db, django_assert_num_queries):
    client = browser("ja")

    with django_assert_num_queries(0):
        response = client.get("/boom/")

    assert response.status_code == 500


@pytest.mark.parametrize(
    ("path", "status", "code", "detail"),
    [
        ("/api/v1/no-such-route/", 404, "not_found", "Not found."),
        ("/api/no-such-version/orders/", 404, "not_found", "Not found."),
        ("/api/boom/", 500, "server_error", "A server error occurred."),
    ],
)
def test_the_api_answers_json_of_its_shape_even_where_no_route_matches(
    db, path, status, code, detail
):
    response = browser("ja").get(path)

    assert response.status_code == status
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"code": code, "detail": ja(detail), "errors": {}}


def test_the_api_refuses_a_missing_csrf_token_with_json(db, participant_a):
    client = browser("en", enforce_csrf_checks=True)
    client.force_login(participant_a.user)

    response = client.post("/api/form/")

    assert response.status_code == 403
    assert response.json() == {
        "code": "csrf_failed",
        "detail": en("You do not have permission to perform this action."),
        "errors": {},
    }
