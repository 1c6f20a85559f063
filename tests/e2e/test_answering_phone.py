"""Answering digital items on a phone at 360×740 (issue 9): two items answered with
「保存して次へ」, a draft typed on the third survives a reload, an answer saved with the
connection cut waits in the offline queue and is stored once when the connection returns (a
replay of it counts nothing), and screenshots of a CSV item and an image item to look at."""

import pytest
from playwright.sync_api import Page, expect

from jobs.models import Answer, ProgressLog
from tests import factories
from tests.digital.answering_factories import items, make_digital_order, make_digital_unit, take
from tests.e2e.test_phone_offline import back_online, queued, sign_in, wait_until
from tests.i18n import ja

pytestmark = pytest.mark.e2e


@pytest.fixture
def world(transactional_db):
    workshop = factories.WorkshopFactory(name="ひだまり作業所", slug="hidamari")
    participant = factories.ParticipantFactory(
        workshop=workshop, nickname="そら", user__email="sora@example.com"
    )
    order = make_digital_order(workshop=workshop)
    unit = take(make_digital_unit(order), participant)
    pictures = take(make_digital_unit(order, images=2), participant)
    return participant, unit, pictures


def open_item(page: Page, live_server, unit, item) -> None:
    page.goto(f"{live_server.url}/units/{unit.pk}/items/{item.pk}/")
    page.wait_for_load_state("networkidle")


def answer(page: Page, name: str, price: str) -> None:
    page.locator("#f-name").fill(name)
    page.locator("#f-price").fill(price)
    page.locator(".answer-form button.primary").click()


def test_drafts_survive_a_reload_and_an_offline_save_is_stored_once(
    world, live_server, page: Page, screenshot_path
):
    _participant, unit, _pictures = world
    first, second, third, _fourth = items(unit)
    sign_in(page, live_server)
    open_item(page, live_server, unit, first)
    expect(page.locator("h1")).to_have_text(
        ja("Item %(position)s of %(total)s", position=1, total=4)
    )
    page.screenshot(path=screenshot_path("answering-csv-item"), full_page=True)

    answer(page, "緑茶ティーバッグ", "598")
    expect(page).to_have_url(f"{live_server.url}/units/{unit.pk}/items/{second.pk}/")
    answer(page, "やわらかタオル", "1280")
    expect(page).to_have_url(f"{live_server.url}/units/{unit.pk}/items/{third.pk}/")

    # A draft as it is typed: kept by the server, there after a reload.
    page.locator("#f-name").fill("綿のくつした")
    expect(page.locator("#sync-status")).to_have_text(ja("Kept as a draft."))
    page.reload()
    expect(page.locator("#f-name")).to_have_value("綿のくつした")
    assert Answer.objects.get(item=third).status == Answer.Status.DRAFT

    # No connection: 「保存して次へ」 waits on the phone.
    page.context.set_offline(True)
    page.locator("#f-price").fill("980")
    page.locator(".answer-form button.primary").click()
    expect(page.locator("#sync-status")).to_have_text(
        ja(
            "No connection right now. This answer is kept on your phone and will be sent when "
            "the connection returns. You can go on to the next item."
        )
    )
    waiting = queued(page)
    assert [r["kind"] for r in waiting] == ["answer"]
    kept = page.evaluate("EngawaQueue.all().then(rs => rs[0])")
    assert ProgressLog.objects.filter(unit=unit).count() == 2

    back_online(page)
    wait_until(page, "EngawaQueue.all().then(rs => rs.length === 0)")
    assert Answer.objects.get(item=third).status == Answer.Status.ANSWERED
    assert Answer.objects.get(item=third).values["price"] == "980"
    assert ProgressLog.objects.filter(unit=unit).count() == 3

    # The same save again (a lost answer, Background Sync and the page both sending): stored once.
    outcome = page.evaluate("r => EngawaQueue.send(r).then(o => o.is)", kept)
    assert outcome == "stored"
    assert ProgressLog.objects.filter(unit=unit).count() == 3
    page.goto(f"{live_server.url}/units/{unit.pk}/items/")
    expect(page.locator("main p").first).to_be_visible()
    page.screenshot(path=screenshot_path("answering-list"), full_page=True)


def test_an_image_item_at_360(world, live_server, page: Page, screenshot_path):
    _participant, _unit, pictures = world
    sign_in(page, live_server)
    open_item(page, live_server, pictures, items(pictures)[0])
    image = page.locator(".item-image")
    expect(image).to_be_visible()
    assert page.evaluate("document.querySelector('.item-image').naturalWidth") > 0
    box = image.bounding_box()
    assert box["width"] > 300  # the full width of a 360 px screen, less the margins
    page.screenshot(path=screenshot_path("answering-image-item"), full_page=True)
