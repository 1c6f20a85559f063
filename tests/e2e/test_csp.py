"""Every page each role can reach by following links from their home (demo data: a month of
a real-looking workshop), the public pages and the error pages load in Chromium under the
site's Content-Security-Policy with no violation. New pages are covered as soon as a link
leads to them; the autouse fixture in conftest.py fails on the first violation it sees."""

import io
from collections import deque
from urllib.parse import urlsplit

import pytest
from django.core.management import call_command
from django.urls import Resolver404, resolve
from playwright.sync_api import Page, expect

from workshop.demo import DEMO_PASSWORD

pytestmark = pytest.mark.e2e

PERSONAS = [
    "manager@hidamari.example",
    "staff@minato.example",
    "admin@okanoue-print.example",
    "member@machikado.example",
    "sora@hidamari.example",
    "both@hidamari.example",
]
# Where a person cannot get by links alone: the admin (managers) and the API's documentation.
EXTRA_STARTS = ["/admin/", "/api/docs/"]
PUBLIC = [
    "/accounts/login/",
    "/accounts/login/code/",
    "/accounts/password/reset/",
    "/accounts/signup/",
    "/invite/no-such-link/",
    "/no-such-page/",
]
# Links that change something on GET or leave the page's kind: signing out, switching the
# language, and the admin's sign-out.
SKIP = ("/accounts/logout/", "/i18n/", "/admin/logout/", "/static/", "/media/")
# Each page template once per role; more objects would only repeat it.
PER_ROUTE = 1


@pytest.fixture
def demo(transactional_db):
    call_command("seed_demo", stdout=io.StringIO())


def route_of(path: str) -> str | None:
    try:
        match = resolve(urlsplit(path).path)
    except Resolver404:
        return None
    return f"{match.route}|{match.view_name}"


def links_on(page: Page, origin: str) -> list[str]:
    hrefs = page.eval_on_selector_all("a[href]", "links => links.map(a => a.href)")
    found = []
    for href in hrefs:
        parts = urlsplit(href)
        if f"{parts.scheme}://{parts.netloc}" != origin:
            continue
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        if not path.startswith(SKIP):
            found.append(path)
    return found


def crawl(page: Page, origin: str, starts: list[str], violations: list[str]) -> int:
    """Visit every HTML page reachable from `starts`, at most PER_ROUTE per URL pattern.
    Returns how many pages were opened."""
    queue = deque(starts)
    seen_paths: set[str] = set()
    per_route: dict[str, int] = {}
    opened = 0
    while queue:
        path = queue.popleft()
        route = route_of(path) or path
        if path in seen_paths or per_route.get(route, 0) >= PER_ROUTE:
            continue
        seen_paths.add(path)
        per_route[route] = per_route.get(route, 0) + 1
        # Downloads (CSV, files, photos) are not pages; ask first, with the same cookies.
        answer = page.request.get(origin + path, max_redirects=5)
        if "text/html" not in answer.headers.get("content-type", ""):
            continue
        page.goto(origin + path, wait_until="load")
        opened += 1
        assert not violations, violations
        queue.extend(links_on(page, origin))
    return opened


def sign_in(page: Page, origin: str, email: str) -> None:
    page.context.clear_cookies()
    page.goto(f"{origin}/accounts/login/")
    page.locator("input[name=login]").fill(email)
    page.locator("input[name=password]").fill(DEMO_PASSWORD)
    page.locator("form:has(input[name=password]) [type=submit]").first.click()
    expect(page).not_to_have_url(f"{origin}/accounts/login/")


def test_every_reachable_page_obeys_the_content_security_policy(
    demo, live_server, page: Page, csp_violations
):
    origin = live_server.url
    opened = {"anonymous": crawl(page, origin, PUBLIC, csp_violations)}
    for email in PERSONAS:
        sign_in(page, origin, email)
        opened[email] = crawl(page, origin, ["/home/", *EXTRA_STARTS], csp_violations)

    print("\nPages opened under the Content-Security-Policy:", opened)
    assert opened["anonymous"] >= len(PUBLIC) - 1  # the sign-up page redirects to login
    assert opened["manager@hidamari.example"] > 40  # the console and the admin
    assert opened["sora@hidamari.example"] > 5
    assert not csp_violations


def test_the_browser_reports_what_the_policy_refuses(live_server, page: Page, csp_violations):
    """The watch above is not blind: an inline style and an inline handler slipped into a page
    are refused and reported."""
    page.goto(f"{live_server.url}/accounts/login/")
    page.evaluate(
        """document.body.insertAdjacentHTML("beforeend",
             '<div style="color: red">x</div><img src="/no.png" onerror="window.hacked = 1">')"""
    )
    page.wait_for_function("() => document.querySelector('img[onerror]').complete")
    page.wait_for_timeout(300)

    assert page.evaluate("window.hacked") is None
    assert any("style" in line for line in csp_violations), csp_violations
    assert any("script" in line for line in csp_violations), csp_violations
    csp_violations.clear()  # seen and expected: the fixture would fail the test otherwise
