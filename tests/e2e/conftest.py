"""Browser tests: Playwright drives Debian's Chromium (never a downloaded browser) at a phone's
size against pytest-django's live server."""

import os
from pathlib import Path

import pytest

from tests import markup

# Playwright's sync API keeps an event loop in the main thread for the whole session; Django
# would then refuse ORM calls from tests as "async unsafe" although they run synchronously.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = Path("/usr/bin/chromium")
SCREENSHOTS = Path(__file__).parent / "screenshots"
PHONE = {"width": 360, "height": 740}


def pytest_collection_modifyitems(config, items):
    """Browser tests last: the fast tests report first, and nothing else runs while a browser
    is open."""
    items.sort(key=lambda item: item.get_closest_marker("e2e") is not None)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not CHROMIUM.exists():
        pytest.fail(
            f"{CHROMIUM} is missing: browser tests use Debian's Chromium. "
            "Install it with `apt-get install -y chromium` (.ci/run does). "
            "Do not run `playwright install`.",
            pytrace=False,
        )
    return {
        **browser_type_launch_args,
        "executable_path": str(CHROMIUM),
        "headless": True,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
        ],
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {
        **browser_context_args,
        "viewport": PHONE,
        "device_scale_factor": 2,
        "is_mobile": True,
        "has_touch": True,
        "locale": "ja-JP",
        "timezone_id": "Asia/Tokyo",
    }


@pytest.fixture
def screenshot_path():
    SCREENSHOTS.mkdir(exist_ok=True)
    return lambda name: SCREENSHOTS / f"{name}.png"


# Every page a browser test opens runs under the site's Content-Security-Policy (the live
# server uses the real settings). A violation shows in the console ("Refused to …") and as a
# `securitypolicyviolation` event, which this script turns into a console line too.
REPORT_CSP_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (event) => {
  console.error(`CSP violation: ${event.violatedDirective} blocked ${event.blockedURI || "inline"}`
    + ` at ${event.sourceFile || document.location.href}:${event.lineNumber}`);
});
"""


def is_csp_violation(text: str) -> bool:
    return "CSP violation" in text or "Content Security Policy" in text


@pytest.fixture(autouse=True)
def csp_violations(page):
    """Fails a browser test whose pages broke the Content-Security-Policy; a test may read the
    list as it goes (tests/e2e/test_csp.py does)."""
    found: list[str] = []
    page.context.add_init_script(REPORT_CSP_VIOLATIONS)
    page.on(
        "console",
        lambda message: (
            found.append(f"{page.url}: {message.text}") if is_csp_violation(message.text) else None
        ),
    )
    yield found
    assert not found, "Content-Security-Policy violations:\n" + "\n".join(found)


@pytest.fixture(autouse=True)
def markup_of_every_page(page):
    """Fails a browser test that opened a page with duplicate ids, labels pointing at nothing,
    controls without a label or a link in a button (tests/markup.py)."""
    documents = []
    page.on(
        "response",
        lambda response: (
            documents.append(response)
            if response.request.resource_type == "document"
            and response.headers.get("content-type", "").startswith("text/html")
            else None
        ),
    )
    yield documents
    found = []
    for response in documents:
        try:
            body = response.text()
        except Exception:  # a body the browser has already let go of
            continue
        found += [f"{response.url}: {problem}" for problem in markup.problems(body)]
    assert not found, "Markup problems:\n" + "\n".join(found)
