"""Each token has its own rate; past it, 429 with Retry-After, said in one language."""

import re

import pytest

from tests.i18n import ja_plural


@pytest.fixture
def two_a_minute(settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"api_token": "2/min", "api_user": "3/min"},
    }


def test_a_token_over_its_rate_gets_429_with_retry_after(two_a_minute, api_a, api_b):
    assert [api_a.get("/api/v1/orders/").status_code for _ in range(2)] == [200, 200]
    refused = api_a.get("/api/v1/orders/")
    assert refused.status_code == 429
    assert refused.json()["code"] == "throttled"
    assert 0 < int(refused["Retry-After"]) <= 60
    # another token counts on its own
    assert api_b.get("/api/v1/orders/").status_code == 200


def test_a_signed_in_person_has_a_rate_too(two_a_minute, client, member_a):
    client.force_login(member_a)
    codes = [client.get("/api/v1/orders/").status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]


def test_the_429_detail_is_whole_in_japanese_and_in_english(two_a_minute, api_a):
    for _ in range(2):
        api_a.get("/api/v1/orders/")

    japanese = api_a.get("/api/v1/orders/", HTTP_ACCEPT_LANGUAGE="ja")
    english = api_a.get("/api/v1/orders/", HTTP_ACCEPT_LANGUAGE="en")

    seconds = int(japanese["Retry-After"])
    assert japanese.json()["detail"] == ja_plural(
        "Too many requests. Please try again in %(seconds)s second.",
        "Too many requests. Please try again in %(seconds)s seconds.",
        seconds,
        seconds=seconds,
    )
    assert not re.search(r"[A-Za-z]", japanese.json()["detail"])
    assert not re.search(r"[\u3040-\u30ff\u4e00-\u9fff]", english.json()["detail"])
