"""The phone offline, at 360×740 with the connection cut and restored (context.set_offline):
nothing a person records is lost, and nothing says "sent" unless the server stored it. A record
the server refuses (409, 400, 413) stays on the phone with its reason and three choices, and
staff see it on their home; an accepted one leaves the phone; a record replayed is stored once;
a check-in made offline is sent once; a page from the cache says it is a copy, from when; the
queue outlives the browser; a refused photo is uploaded once (issue 11)."""

import time
import uuid

import pytest
from playwright.sync_api import Browser, Page, expect

from jobs.models import ProgressLog, WorkUnit
from participants.attendance_models import Attendance
from participants.unsent_models import UnsentRecord
from tests import factories
from tests.e2e.conftest import PHONE
from tests.i18n import ja

pytestmark = pytest.mark.e2e

PHOTO_LIMIT = 15 * 1024 * 1024
SENT = "Records kept on this phone were sent."


@pytest.fixture
def world(transactional_db):
    workshop = factories.WorkshopFactory(name="ひだまり作業所", slug="hidamari")
    participant = factories.ParticipantFactory(
        workshop=workshop, nickname="そら", user__email="sora@example.com"
    )
    staff = factories.UserFactory(email="staff@example.com")
    factories.StaffMembershipFactory(workshop=workshop, user=staff)
    order = factories.OrderFactory(
        workshop=workshop, title="DM封入 3月号", unit_label="通", unit_price_yen=6
    )
    units = [
        factories.WorkUnitFactory(order=order, number=n, quantity=20, estimated_minutes=40)
        for n in (1, 2, 3)
    ]
    return participant, units, staff


def sign_in(page: Page, live_server, email: str = "sora@example.com", home: str = "/today/"):
    page.goto(f"{live_server.url}/accounts/login/")
    page.locator("input[name=login]").fill(email)
    page.locator("input[name=password]").fill(factories.PASSWORD)
    page.locator("form:has(input[name=password]) [type=submit]").first.click()
    expect(page).to_have_url(f"{live_server.url}{home}")


def take_and_open_log(page: Page, live_server, unit: WorkUnit) -> None:
    page.goto(f"{live_server.url}/units/{unit.pk}/")
    page.locator(f'form[action="/units/{unit.pk}/take/"] button').click()
    page.goto(f"{live_server.url}/units/{unit.pk}/log/")
    page.wait_for_load_state("networkidle")


WORKER_STATE = """navigator.serviceWorker.getRegistration().then((r) => JSON.stringify(r ? {
    installing: r.installing && r.installing.state, waiting: r.waiting && r.waiting.state,
    active: r.active && r.active.state, page: location.pathname} : {page: location.pathname}))"""


def wait_until(page: Page, expression: str, timeout: float = 30.0) -> None:
    """Polls with page.evaluate, which goes through the DevTools protocol: wait_for_function
    compiles its predicate in the page, which the Content-Security-Policy refuses (no eval).
    A wait, not a measure: generous, as a service worker's install on a loaded CI machine
    (the page shell it caches) once took more than ten seconds."""
    deadline = time.monotonic() + timeout
    while not page.evaluate(expression):
        if time.monotonic() >= deadline:
            raise AssertionError(f"{expression}; service worker: {page.evaluate(WORKER_STATE)}")
        page.wait_for_timeout(100)


def back_online(page: Page) -> None:
    page.context.set_offline(False)
    page.evaluate("window.dispatchEvent(new Event('online'))")


def queued(page: Page) -> list[dict]:
    return page.evaluate(
        "EngawaQueue.all().then(rs => rs.map(r => ({id: r.client_uuid, state: r.state,"
        " refusal: r.refusal || null, kind: r.kind})))"
    )


def log_offline(page: Page, *, quantity: str, minutes: str = "10", note: str = "", photo=None):
    page.context.set_offline(True)
    page.locator("#id_quantity").fill(quantity)
    page.locator("#id_minutes").fill(minutes)
    if note:
        page.locator("#id_note").fill(note)
    if photo:
        page.locator("#id_photo").set_input_files(str(photo))
    page.locator(".log-form button[type=submit]").click()
    expect(page.locator("#sync-status")).to_have_text(
        ja(
            "No connection right now. This record is kept on your phone and will be sent when "
            "the connection returns."
        )
    )


def big_file(tmp_path):
    path = tmp_path / "IMG_big.jpg"
    path.write_bytes(b"\xff\xd8\xff" + b"0" * (PHOTO_LIMIT + 1024))
    return path


REFUSALS = {
    "409": ({"quantity": "25"}, 409, "too_many"),
    "400": ({"quantity": "2", "minutes": "2000"}, 400, "invalid"),
    "413": ({"quantity": "2", "photo": "big"}, 413, "photo_too_large"),
}


@pytest.mark.parametrize("case", REFUSALS)
def test_a_refused_record_stays_on_the_phone_with_its_reason_and_three_choices(
    world, live_server, page: Page, browser: Browser, screenshot_path, tmp_path, case
):
    participant, units, _staff = world
    fields, status, code = REFUSALS[case]
    if fields.get("photo"):
        fields = {**fields, "photo": big_file(tmp_path)}
    sign_in(page, live_server)
    take_and_open_log(page, live_server, units[0])
    log_offline(page, **fields)

    back_online(page)
    kept = page.locator("#kept-records .kept-record")
    expect(kept).to_have_count(1)

    assert ProgressLog.objects.count() == 0
    [record] = queued(page)
    assert (record["state"], record["refusal"]["status"]) == ("refused", status)
    assert record["refusal"]["code"] == code
    expect(kept.locator(".kept-reason")).to_contain_text(ja("Why:"))
    for choice in ("Change it and send again", "Send it to staff as a note", "Let it go"):
        expect(kept.get_by_role("button", name=ja(choice))).to_be_visible()
    expect(page.locator("#sync-status")).not_to_have_text(ja(SENT))
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.screenshot(path=screenshot_path(f"phone-offline-refused-{case}"), full_page=True)
    # The phone told staff, with the server's code.
    wait_until(page, "EngawaQueue.all().then(rs => rs[0].reported)")
    kept_row = UnsentRecord.objects.get()
    assert (kept_row.refusal_status, kept_row.refusal_code, kept_row.state) == (
        status,
        code,
        "kept",
    )
    assert kept_row.participant == participant


def test_staff_see_a_kept_refusal_and_the_person_can_send_it_as_a_note(
    world, live_server, page: Page, browser: Browser, screenshot_path
):
    _participant, units, _staff = world
    sign_in(page, live_server)
    take_and_open_log(page, live_server, units[0])
    log_offline(page, quantity="25")
    back_online(page)
    expect(page.locator("#kept-records .kept-record")).to_have_count(1)
    wait_until(page, "EngawaQueue.all().then(rs => rs[0].reported)")

    staff = browser.new_context(viewport={"width": 1280, "height": 900}, locale="ja-JP")
    desk = staff.new_page()
    sign_in(desk, live_server, "staff@example.com", "/w/hidamari/")
    expect(desk.locator("main")).to_contain_text(
        "そらさんのスマホに、送れなかった記録が1件あります"
    )
    desk.screenshot(path=screenshot_path("staff-home-kept-refusal"))
    desk.goto(f"{live_server.url}/staff/hidamari/unsent/")
    expect(desk.locator(".card")).to_contain_text("too_many")
    desk.screenshot(path=screenshot_path("staff-unsent"), full_page=True)

    page.get_by_role("button", name=ja("Send it to staff as a note")).click()
    expect(page.locator("#sync-status")).to_have_text(ja("It went to staff as a note. Thank you."))
    expect(page.locator("#kept-records")).to_have_count(0)
    assert UnsentRecord.objects.get().state == "note"
    assert queued(page) == []
    staff.close()


def test_an_accepted_record_leaves_the_phone_and_only_then_says_sent(
    world, live_server, page: Page
):
    _participant, units, _staff = world
    sign_in(page, live_server)
    take_and_open_log(page, live_server, units[0])
    log_offline(page, quantity="4")
    expect(page.locator("#kept-records")).to_contain_text(
        ja("{count} waiting to be sent. They will go when the connection returns.").replace(
            "{count}", "1"
        )
    )
    assert len(queued(page)) == 1

    back_online(page)
    expect(page.locator("#sync-status")).to_have_text(ja(SENT))
    assert queued(page) == []
    assert ProgressLog.objects.get().quantity == 4


def test_a_record_replayed_twice_is_stored_once(world, live_server, page: Page):
    _participant, units, _staff = world
    sign_in(page, live_server)
    take_and_open_log(page, live_server, units[0])
    log_offline(page, quantity="3")
    page.evaluate("EngawaQueue.all().then(rs => { window.kept = rs[0]; })")

    back_online(page)
    expect(page.locator("#sync-status")).to_have_text(ja(SENT))
    # The same record again (a second tab, Background Sync and the page both sending it).
    page.evaluate("EngawaQueue.put(window.kept).then(() => EngawaQueue.flush())")

    assert queued(page) == []
    assert ProgressLog.objects.get().quantity == 3


def test_an_offline_check_in_is_kept_then_sent_once(
    world, live_server, page: Page, screenshot_path
):
    participant, _units, _staff = world
    sign_in(page, live_server)
    page.wait_for_load_state("networkidle")

    page.context.set_offline(True)
    page.get_by_role("button", name=ja("Starting now")).click()
    expect(page.locator("#sync-status")).to_contain_text(
        ja(
            "No connection right now, so staff have not been told yet. Your check-in is kept on "
            "this phone and will be sent when the connection returns."
        )
    )
    page.screenshot(path=screenshot_path("phone-offline-check-in-kept"))
    assert not Attendance.objects.exists()

    back_online(page)
    expect(page.locator("#sync-status")).to_have_text(ja(SENT))
    page.evaluate("window.dispatchEvent(new Event('online'))")
    page.wait_for_timeout(300)
    check = Attendance.objects.get()
    assert (check.participant, check.kind, check.client_uuid is not None) == (
        participant,
        "start",
        True,
    )
    assert queued(page) == []


def test_a_page_from_the_cache_says_it_is_a_copy_and_from_when(
    world, live_server, page: Page, screenshot_path
):
    _participant, units, _staff = world
    sign_in(page, live_server)
    # The worker registers from the today page and claims it once active. Wait for that before
    # going on: a page whose navigation began while the worker was still installing stays
    # uncontrolled until its next load (the race a loaded CI machine once lost).
    wait_until(page, "navigator.serviceWorker.controller !== null")
    url = f"{live_server.url}/units/{units[1].pk}/"
    page.goto(url)
    page.wait_for_load_state("networkidle")  # through the service worker, which keeps a copy
    page.wait_for_load_state("networkidle")
    saved_at = page.evaluate("JSON.parse(document.getElementById('phone-texts').textContent)")
    saved_at = saved_at["saved_at"]

    page.context.set_offline(True)
    page.reload()

    banner = page.locator("#offline-copy")
    expect(banner).to_have_text(
        ja("This is the page as it was at {time}. There is no connection right now.").replace(
            "{time}", saved_at
        )
    )
    take = page.locator(f'form[action="/units/{units[1].pk}/take/"] button')
    expect(take).to_be_disabled()
    expect(take).to_contain_text(ja("(usable once connected)"))
    page.screenshot(path=screenshot_path("phone-offline-cached-copy"))


def test_the_queue_survives_a_new_browser_context(
    world, live_server, page: Page, browser: Browser, tmp_path
):
    _participant, units, _staff = world
    sign_in(page, live_server)
    take_and_open_log(page, live_server, units[0])
    log_offline(page, quantity="6")
    state = page.context.storage_state(path=tmp_path / "state.json", indexed_db=True)
    page.context.close()  # the browser is closed, the phone restarts

    later = browser.new_context(storage_state=state, viewport=PHONE, locale="ja-JP", is_mobile=True)
    again = later.new_page()
    again.goto(f"{live_server.url}/today/")
    expect(again.locator("#sync-status")).to_have_text(ja(SENT))
    assert ProgressLog.objects.get().quantity == 6
    later.close()


def test_a_refused_photo_is_uploaded_once(world, live_server, page: Page, tmp_path):
    _participant, units, _staff = world
    sign_in(page, live_server)
    take_and_open_log(page, live_server, units[0])
    posts = []
    page.on(
        "request",
        lambda r: posts.append(r.url) if r.method == "POST" and "/log/" in r.url else None,
    )

    page.locator("#id_quantity").fill("2")
    page.locator("#id_photo").set_input_files(str(big_file(tmp_path)))
    page.locator(".log-form button[type=submit]").click()

    expect(page.locator("main")).to_contain_text(
        ja("This photo is too large. Please take it again or choose a smaller one.")
    )
    page.wait_for_timeout(500)
    assert len(posts) == 1
    assert page.locator("#id_quantity").input_value() == "2"  # what was typed is kept
    assert not ProgressLog.objects.exists()
    assert str(uuid.UUID(page.locator("input[name=client_uuid]").input_value()))
