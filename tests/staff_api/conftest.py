"""A signed-in staff client of workshop A for the staff API's tests, and JSON posting."""

import pytest

API = "/api/v1/staff/workshops/hidamari/"


@pytest.fixture
def staff_client(client, staff_a):
    client.force_login(staff_a)
    return client


def post(client, url: str, data: dict | None = None):
    return client.post(url, data or {}, content_type="application/json")
