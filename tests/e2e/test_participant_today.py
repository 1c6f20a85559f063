"""A participant signs in on a phone and lands on today's page, greeted by their nickname."""

import io

import pytest
from django.core.management import call_command
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.e2e

SORA_EMAIL = "sora@hidamari.example"
DEMO_PASSWORD = "engawa-demo-2026"


@pytest.fixture
def demo(transactional_db):
    call_command("seed_demo", stdout=io.StringIO())


def test_a_participant_signs_in_on_a_phone_and_is_greeted(
    demo, live_server, page: Page, screenshot_path
):
    page.goto(f"{live_server.url}/accounts/login/")
    page.locator("input[name=login]").fill(SORA_EMAIL)
    page.locator("input[name=password]").fill(DEMO_PASSWORD)
    page.locator("form:has(input[name=password]) [type=submit]").first.click()

    expect(page).to_have_url(f"{live_server.url}/today/")
    expect(page.locator("html")).to_have_attribute("lang", "ja")
    greeting = page.get_by_role("heading", level=1)
    expect(greeting).to_contain_text("そら")
    expect(greeting).not_to_contain_text("Hello")
    # Nothing sticks out sideways on a 360 px phone.
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    # What the phone shows first, and the whole page for review.
    page.screenshot(path=screenshot_path("participant-today"))
    page.screenshot(path=screenshot_path("participant-today-full"), full_page=True)
