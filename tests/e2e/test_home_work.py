"""The participant's day (日報) and reminders on a 360×740 phone: warm words, nothing sideways,
a line kept in two taps, and the reminders page under the Content-Security-Policy."""

import io

import pytest
from django.core.management import call_command
from playwright.sync_api import Page, expect

from tests.i18n import ja

pytestmark = pytest.mark.e2e

SORA_EMAIL = "sora@hidamari.example"
DEMO_PASSWORD = "engawa-demo-2026"


@pytest.fixture
def demo(transactional_db):
    call_command("seed_demo", stdout=io.StringIO())


def test_my_day_and_reminders_on_a_phone(demo, live_server, page: Page, screenshot_path):
    page.goto(f"{live_server.url}/accounts/login/")
    page.locator("input[name=login]").fill(SORA_EMAIL)
    page.locator("input[name=password]").fill(DEMO_PASSWORD)
    page.locator("form:has(input[name=password]) [type=submit]").first.click()
    expect(page).to_have_url(f"{live_server.url}/today/")

    page.get_by_role("link", name=ja("My day")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(ja("My day today"))
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.screenshot(path=screenshot_path("participant-my-day"), full_page=True)

    page.locator("textarea[name=line]").fill("ゆっくりできました")
    page.get_by_role("button", name=ja("Keep this line")).click()
    expect(page.locator(".messages")).to_contain_text(ja("Thank you. It is kept with your day."))
    expect(page.locator("textarea[name=line]")).to_have_value("ゆっくりできました")

    page.get_by_role("link", name=ja("Reminders")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(ja("Reminders"))
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.screenshot(path=screenshot_path("participant-reminders"), full_page=True)
