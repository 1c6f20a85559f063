"""The staff's checking of digital work in a browser on a desk screen: a unit's answers beside
their inputs, a redo sent with a phrase and a note, and the entries that differ (double entry).
Screenshots land in tests/e2e/screenshots/ for a person to look at in Japanese."""

import pytest
from playwright.sync_api import Page, expect

from jobs.models import DigitalWork, WorkUnit
from tests import factories
from tests.digital import checking_factories as make

pytestmark = pytest.mark.e2e

DESK = {"width": 1280, "height": 900}


@pytest.fixture
def checking_data(transactional_db):
    workshop = factories.WorkshopFactory(name="ひだまり作業所", slug="hidamari")
    staff = factories.StaffMembershipFactory(workshop=workshop, user__email="staff@example.com")
    company = factories.CompanyFactory(name="丘の上印刷", slug="okanoue-print")
    factories.PartnershipFactory(company=company, workshop=workshop)
    every = make.digital_order(workshop, company, items=3)
    (unit,) = make.split(every, size=3)
    make.take_and_answer(unit, make.participant(workshop, "そら"))
    double = make.digital_order(workshop, company, items=2, checking=DigitalWork.Checking.DOUBLE)
    first, second = make.split(double, size=2)
    make.take_and_answer(first, make.participant(workshop, "うみ"))
    make.take_and_answer(
        second,
        make.participant(workshop, "はる"),
        lambda item: {**make.default_values(item), "name": f"スプーン {item.number} 号"},
    )
    return workshop, staff.user, unit


def sign_in(page: Page, base: str, email: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.locator("input[name=login]").fill(email)
    page.locator("input[name=password]").fill(factories.PASSWORD)
    page.locator("form:has(input[name=password]) [type=submit]").first.click()


def test_staff_check_answers_and_settle_differing_entries(
    checking_data, live_server, page: Page, screenshot_path
):
    workshop, staff, unit = checking_data
    page.set_viewport_size(DESK)
    sign_in(page, live_server.url, staff.email)
    page.goto(f"{live_server.url}/w/{workshop.slug}/work/review/")
    page.get_by_role("link", name="回答を確認する").first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("商品データ入力")
    expect(page.get_by_text("木のスプーン 1 号(日本製)")).to_be_visible()
    page.screenshot(path=screenshot_path("staff-checking-unit"), full_page=True)

    card = page.locator("article.answer-check").nth(1)
    card.get_by_label("直してもらう").check()
    card.locator("summary").click()
    card.get_by_label("直してほしいこと（自分のことばで）").fill("価格の桁をもう一度見てください。")
    page.get_by_role("button", name="この判断を保存する").click()
    expect(page.locator("body")).to_contain_text("回答はそのまま残っています")
    unit.refresh_from_db()
    assert unit.status == WorkUnit.Status.REDO

    page.goto(f"{live_server.url}/w/{workshop.slug}/checking/disagreements/")
    expect(page.get_by_role("heading", level=1)).to_have_text("入力がちがう項目")
    page.locator("details").first.locator("summary").click()
    page.screenshot(path=screenshot_path("staff-checking-disagreements"), full_page=True)
    page.locator("article").first.get_by_label("入力1", exact=True).check()
    page.locator("article").first.get_by_role("button", name="この項目を決める").click()
    expect(page.locator("body")).to_contain_text("を決めました")
