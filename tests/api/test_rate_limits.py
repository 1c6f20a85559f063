"""Each token has its own rate; past it, 429 with Retry-After."""

import pytest


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
