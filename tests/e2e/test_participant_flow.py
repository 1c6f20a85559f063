"""A participant's day on a 360×740 phone: take a unit, log progress with a photo from the
camera, hand it in, take another and hand it back; progress logged offline is sent once when
the connection returns. Every page passes axe-core with no serious or critical violation and
stays under 100 KB with its assets."""

import io
import json
from pathlib import Path

import pytest
from PIL import Image
from playwright.sync_api import Page, expect

from jobs.models import ProgressLog, WorkUnit
from tests import factories

pytestmark = pytest.mark.e2e

AXE = Path(__file__).parent / "node_modules" / "axe-core" / "axe.min.js"
GPS_IFD = 0x8825
PAGE_BUDGET = 100_000


@pytest.fixture
def world(transactional_db):
    workshop = factories.WorkshopFactory(name="ひだまり作業所", slug="hidamari")
    participant = factories.ParticipantFactory(
        workshop=workshop, nickname="そら", user__email="sora@example.com"
    )
    order = factories.OrderFactory(
        workshop=workshop, title="DM封入 3月号", unit_label="通", unit_price_yen=6
    )
    units = [
        factories.WorkUnitFactory(order=order, number=n, quantity=20, estimated_minutes=40)
        for n in (1, 2, 3)
    ]
    return participant, units


def gps_jpeg(path: Path) -> Path:
    image = Image.new("RGB", (1200, 900), "orange")
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"
    exif[GPS_IFD] = {1: "N", 2: (35.0, 40.0, 12.0), 3: "E", 4: (139.0, 45.0, 30.0)}
    image.save(path, "JPEG", exif=exif.tobytes())
    assert Image.open(path).getexif().get_ifd(GPS_IFD)
    return path


def check_axe(page: Page) -> None:
    if not AXE.exists():
        pytest.fail(
            f"{AXE} is missing: run `npm ci --prefix tests/e2e` (.ci/run does).", pytrace=False
        )
    # Evaluated through the DevTools protocol: a <script> tag would be refused by the page's
    # Content-Security-Policy, as any injected script should be.
    page.evaluate(AXE.read_text(encoding="utf-8"))
    result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    bad = [v for v in result["violations"] if v["impact"] in {"serious", "critical"}]
    assert not bad, json.dumps(
        [(v["id"], v["impact"], [n["target"] for n in v["nodes"]]) for v in bad],
        ensure_ascii=False,
        indent=1,
    )


class Weigher:
    """Bytes of every response since the last navigation: the page and its assets."""

    def __init__(self, page: Page):
        self.sizes: dict[str, int] = {}
        page.on("response", self.add)

    def add(self, response) -> None:
        try:
            self.sizes[response.url] = len(response.body())
        except Exception:  # redirects have no body
            self.sizes.setdefault(response.url, 0)

    def start(self) -> None:
        self.sizes = {}

    def check(self, name: str) -> None:
        total = sum(self.sizes.values())
        assert total < PAGE_BUDGET, (name, total, self.sizes)


def visit(page: Page, weigher: Weigher, url: str, name: str, screenshot_path) -> None:
    weigher.start()
    page.goto(url)
    page.wait_for_load_state("networkidle")
    settle(page, weigher, name, screenshot_path)


def settle(page: Page, weigher: Weigher, name: str, screenshot_path) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= 360, name
    weigher.check(name)
    check_axe(page)
    page.screenshot(path=screenshot_path(f"phone-{name}"), full_page=True)


def sign_in(page: Page, live_server) -> None:
    page.goto(f"{live_server.url}/accounts/login/")
    page.locator("input[name=login]").fill("sora@example.com")
    page.locator("input[name=password]").fill(factories.PASSWORD)
    page.locator("form:has(input[name=password]) [type=submit]").first.click()
    expect(page).to_have_url(f"{live_server.url}/today/")


def test_take_log_with_a_photo_hand_in_and_hand_back(
    world, live_server, page: Page, screenshot_path, tmp_path
):
    participant, units = world
    weigher = Weigher(page)
    sign_in(page, live_server)
    visit(page, weigher, f"{live_server.url}/today/", "today", screenshot_path)

    # Today → the unit → take it.
    weigher.start()
    page.locator(f'a[href="/units/{units[0].pk}/"]').first.click()
    page.wait_for_load_state("networkidle")
    settle(page, weigher, "unit", screenshot_path)
    page.locator(f'form[action="/units/{units[0].pk}/take/"] button').click()
    expect(page.locator(f'a[href="/units/{units[0].pk}/log/"]')).to_be_visible()
    settle(page, weigher, "unit-taken", screenshot_path)

    # Log progress: the stepper, minutes, a note and a photo from the camera.
    weigher.start()
    page.locator(f'a[href="/units/{units[0].pk}/log/"]').click()
    page.wait_for_load_state("networkidle")
    plus = page.locator('.step[data-step="1"]')
    expect(plus).to_be_visible()
    for _ in range(3):
        plus.click()
    page.locator('.step[data-step="-1"]').click()
    expect(page.locator("#id_quantity")).to_have_value("2")
    expect(page.locator(".live")).to_contain_text("2")
    page.locator("#id_minutes").fill("15")
    page.locator("#id_note").fill("ていねいに入れました")
    page.locator("#id_photo").set_input_files(str(gps_jpeg(tmp_path / "IMG_0001.jpg")))
    settle(page, weigher, "log", screenshot_path)
    page.locator(".log-form button[type=submit]").click()
    expect(page).to_have_url(f"{live_server.url}/units/{units[0].pk}/")
    expect(page.locator(".messages")).to_be_visible()
    page.screenshot(path=screenshot_path("phone-logged"), full_page=True)

    log = ProgressLog.objects.get()
    assert (log.participant_id, log.quantity, log.minutes) == (participant.pk, 2, 15)
    with log.photo.open("rb") as stored:
        cleaned = Image.open(io.BytesIO(stored.read()))
    assert dict(cleaned.getexif()) == {}
    assert not cleaned.getexif().get_ifd(GPS_IFD)

    # できました.
    page.locator(f'form[action="/units/{units[0].pk}/done/"] button').click()
    expect(page).to_have_url(f"{live_server.url}/today/")
    assert WorkUnit.objects.get(pk=units[0].pk).status == "submitted"

    # Take another, then 今日はここまで.
    page.goto(f"{live_server.url}/units/{units[1].pk}/")
    page.locator(f'form[action="/units/{units[1].pk}/take/"] button').click()
    weigher.start()
    page.locator(f'a[href="/units/{units[1].pk}/hand-back/"]').click()
    page.wait_for_load_state("networkidle")
    settle(page, weigher, "hand-back", screenshot_path)
    page.locator("#id_reason").fill("今日は疲れました")
    page.locator(f'form[action="/units/{units[1].pk}/hand-back/"] button[type=submit]').click()
    expect(page).to_have_url(f"{live_server.url}/today/")
    unit = WorkUnit.objects.get(pk=units[1].pk)
    assert (unit.status, unit.holder_id) == ("open", None)
    page.screenshot(path=screenshot_path("phone-handed-back"), full_page=True)

    # Check in, and my record.
    page.locator("button[name=kind][value=start]").click()
    expect(page.locator("#check-in .replies")).to_be_visible()
    visit(page, weigher, f"{live_server.url}/record/", "record", screenshot_path)
    expect(page.locator("main")).to_contain_text("DM封入 3月号")


def test_progress_logged_offline_is_sent_once_when_the_connection_returns(
    world, live_server, page: Page, screenshot_path
):
    _, units = world
    unit = units[2]
    sign_in(page, live_server)
    page.goto(f"{live_server.url}/units/{unit.pk}/")
    page.locator(f'form[action="/units/{unit.pk}/take/"] button').click()
    page.goto(f"{live_server.url}/units/{unit.pk}/log/")
    page.wait_for_load_state("networkidle")

    page.context.set_offline(True)
    page.locator("#id_quantity").fill("4")
    page.locator("#id_minutes").fill("10")
    page.locator(".log-form button[type=submit]").click()
    expect(page.locator("#sync-status")).not_to_be_empty()
    page.screenshot(path=screenshot_path("phone-offline-queued"), full_page=True)
    assert ProgressLog.objects.count() == 0

    page.context.set_offline(False)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    page.wait_for_function("document.getElementById('sync-status').textContent.length > 0")
    page.wait_for_timeout(500)
    # A second flush (a reload, another 'online') finds nothing left to send.
    page.reload()
    page.wait_for_load_state("networkidle")
    page.evaluate("window.dispatchEvent(new Event('online'))")
    page.wait_for_timeout(500)

    log = ProgressLog.objects.get()
    assert (log.unit_id, log.quantity, log.minutes) == (unit.pk, 4, 10)
