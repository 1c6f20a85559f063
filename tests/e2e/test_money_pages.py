"""Money pages in a browser, on the demo: the participant's pay statements at 360 px (kind
words, nothing sideways, light), and the staff's and company's documents on a desk screen.
Screenshots land in tests/e2e/screenshots/ for a person to look at."""

import io
import re

import pytest
from django.core.management import call_command
from playwright.sync_api import Page, expect

from participants.models import WageStatement

pytestmark = pytest.mark.e2e

PASSWORD = "engawa-demo-2026"
DESK = {"width": 1280, "height": 900}


@pytest.fixture
def demo(transactional_db):
    call_command("seed_demo", stdout=io.StringIO())


def sign_in(page: Page, base: str, email: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.locator("input[name=login]").fill(email)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("form:has(input[name=password]) [type=submit]").first.click()


def test_a_participant_reads_their_pay_statement_on_a_phone(
    demo, live_server, page: Page, screenshot_path
):
    sign_in(page, live_server.url, "sora@hidamari.example")
    statement = WageStatement.objects.filter(
        participant__nickname="そら", status="issued", kind="regular"
    ).first()

    page.goto(f"{live_server.url}/record/")
    page.screenshot(path=screenshot_path("participant-record-pay"), full_page=True)
    page.get_by_role("link", name="わたしの工賃明細").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("わたしの工賃明細")
    expect(page.locator(".unit h2").first).to_contain_text("の工賃")
    expect(page.locator(".unit p").first).to_contain_text("振り込")
    page.screenshot(path=screenshot_path("participant-statements"))
    page.locator(".unit a").first.click()
    expect(page.locator(".pay-line").first).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.screenshot(path=screenshot_path("participant-statement"), full_page=True)
    assert statement is not None
    body = page.evaluate("document.documentElement.outerHTML")
    assert len(body.encode()) < 100_000


def test_staff_see_the_months_statements_invoices_and_books(
    demo, live_server, page: Page, screenshot_path
):
    page.set_viewport_size(DESK)
    sign_in(page, live_server.url, "staff@hidamari.example")

    page.goto(f"{live_server.url}/w/hidamari/money/")
    page.screenshot(path=screenshot_path("staff-statements"), full_page=True)
    page.locator("table a[href*='/money/statements/']").first.click()
    expect(page.locator("article.sheet h1")).to_be_visible()
    page.screenshot(path=screenshot_path("staff-statement"), full_page=True)
    page.goto(f"{live_server.url}/w/hidamari/money/invoices/?tab=all")
    page.screenshot(path=screenshot_path("staff-invoices"), full_page=True)
    page.locator("table a[href*='/money/invoices/']").first.click()
    expect(page.locator("article.sheet")).to_contain_text(re.compile(r"T\d{13}"))
    page.screenshot(path=screenshot_path("staff-invoice"), full_page=True)
    page.goto(f"{live_server.url}/w/hidamari/money/books/")
    page.screenshot(path=screenshot_path("staff-books"), full_page=True)


def test_a_company_opens_its_invoice(demo, live_server, page: Page, screenshot_path):
    page.set_viewport_size(DESK)
    sign_in(page, live_server.url, "admin@okanoue-print.example")

    page.goto(f"{live_server.url}/c/okanoue-print/invoices/")
    page.screenshot(path=screenshot_path("company-invoices"), full_page=True)
    page.locator("table th a").first.click()
    expect(page.locator("article.sheet h1")).to_contain_text("請求書")
    page.screenshot(path=screenshot_path("company-invoice"), full_page=True)
