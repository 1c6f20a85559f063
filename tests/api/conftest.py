"""Tokens and API clients for companies A and B, on top of the personas in tests/conftest.py."""

import datetime

import pytest
from django.core.cache import cache
from django.utils import timezone
from rest_framework.test import APIClient

from companies.models import CompanyMembership
from companies.tokens import create_token
from tests import factories


@pytest.fixture(autouse=True)
def fresh_rate_counts():
    """Rate limits count in the cache; each test starts from zero."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def company_admin_b(company_b):
    return factories.CompanyMembershipFactory(
        company=company_b, role=CompanyMembership.Role.ADMIN, user__email="admin-b@example.com"
    ).user


@pytest.fixture
def token_a(company_a, company_admin_a):
    """(ApiToken, secret) of company A."""
    return create_token(company=company_a, by=company_admin_a, name="受注システム")


@pytest.fixture
def token_b(company_b, company_admin_b):
    return create_token(company=company_b, by=company_admin_b, name="基幹システム")


def client_with(secret: str, keyword: str = "Bearer") -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"{keyword} {secret}")
    return client


@pytest.fixture
def api_a(token_a):
    return client_with(token_a[1])


@pytest.fixture
def api_b(token_b):
    return client_with(token_b[1])


def order_body(**overrides) -> dict:
    """A valid order as a company's system would send it, due three weeks from today (read when
    called)."""
    in_three_weeks = timezone.localdate() + datetime.timedelta(days=21)
    return {
        "title": "DM封入 4月号",
        "quantity": 2000,
        "unit_label": "通",
        "unit_price_yen": 6,
        "desired_delivery_date": in_three_weeks.isoformat(),
        "delivery_method": "pickup",
        "instructions": "案内状を三つ折りにして封入してください。",
        **overrides,
    }
