"""Browser tests: Playwright drives Debian's Chromium (never a downloaded browser) at a phone's
size against pytest-django's live server."""

import os
from pathlib import Path

import pytest

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
