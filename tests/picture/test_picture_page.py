"""The picture page (/w/<slug>/picture/) and its CSV exports: staff of the workshop only, the
tables say what participants/picture.py says, and no name ever appears."""

import csv
import io
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from participants.models import Stage
from tests import factories
from tests.picture.conftest import build_history, change, log
from workshop.models import AuditLog


@pytest.fixture
def this_month(workshop_a):
    """Three people, two moves today, and logs today: numbers that do not depend on the date."""
    today = timezone.localdate()
    now = timezone.localtime().replace(tzinfo=None)
    a = factories.ParticipantFactory(workshop=workshop_a, nickname="ひなた", stage=Stage.PLACE)
    b = factories.ParticipantFactory(workshop=workshop_a, nickname="かなで", stage=Stage.PLACE)
    factories.ParticipantFactory(workshop=workshop_a, nickname="いぶき", stage=Stage.EMPLOYED)
    change(a, today, Stage.PLACE, Stage.CONNECTION)
    change(b, today, Stage.PLACE, Stage.TRYING_WORK)
    unit = factories.WorkUnitFactory(order__workshop=workshop_a)
    log(a, unit, now, 90, "home")
    log(b, unit, now, 30, "on_site")
    return today


def rows_of(html: str, section: str) -> list[list[str]]:
    """The body rows of one section's table, as the text of their cells."""
    part = html.split(f'id="{section}"')[1].split("</section>")[0]
    body = part.split("<tbody>")[1].split("</tbody>")[0]
    rows = []
    for row in re.findall(r"<tr>(.*?)</tr>", body, re.S):
        rows.append([cell.strip() for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)])
    return rows


def test_it_shows_each_table_with_its_numbers(client, staff_a, this_month):
    client.force_login(staff_a)

    html = client.get("/w/hidamari/picture/").content.decode()

    assert "事業所のようす" in html
    stages = rows_of(html, "stages")
    assert stages[0] == ["つながり", "0"]
    assert stages[1] == ["居場所", "2"]
    assert stages[6] == ["一般就労", "1"]
    moves = rows_of(html, "moves")
    assert len(moves) == 12
    assert moves[-1][1:] == ["1", "1", "0"]  # one forward, one back, this month
    hours = rows_of(html, "hours")
    assert hours[-1][1:] == ["1.5", "0.5"]
    reached = rows_of(html, "reached")
    assert reached[0] == ["一般就労", "1", "0"]


def test_it_draws_an_accessible_chart_beside_each_table(client, staff_a, this_month):
    client.force_login(staff_a)

    html = client.get("/w/hidamari/picture/").content.decode()

    assert html.count('role="img"') == 5
    assert 'aria-labelledby="stages-chart-title"' in html
    title = html.split('<title id="stages-chart-title">')[1].split("</title>")[0]
    assert title.startswith("いま各ステップにいる人数: つながり: 人数 0。居場所: 人数 2。")
    assert "<script" not in html.split("<main")[1].split("</main>")[0]


def test_it_never_shows_a_name(client, staff_a, this_month):
    client.force_login(staff_a)

    html = client.get("/w/hidamari/picture/").content.decode()

    for name in ("ひなた", "かなで", "いぶき"):
        assert name not in html


def test_it_says_how_the_median_is_counted(client, staff_a, this_month):
    client.force_login(staff_a)

    html = client.get("/w/hidamari/picture/").content.decode()

    assert "3人未満のときは" in html
    assert "今年度は" in html


def test_each_table_downloads_as_csv_with_a_bom(client, staff_a, this_month):
    client.force_login(staff_a)

    response = client.get("/w/hidamari/picture/stages.csv")

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    body = response.content.decode("utf-8")
    assert body.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(body.removeprefix("\ufeff"))))
    assert rows[0] == ["ステップ", "人数"]
    assert rows[2] == ["居場所", "2"]
    assert len(rows) == 9


def test_the_csv_months_are_iso_and_hours_are_plain_numbers(client, staff_a, this_month):
    client.force_login(staff_a)

    body = client.get("/w/hidamari/picture/hours.csv").content.decode("utf-8-sig")

    rows = list(csv.reader(io.StringIO(body)))
    assert rows[0] == ["月", "在宅（時間）", "通所（時間）"]
    assert rows[-1] == [this_month.strftime("%Y-%m"), "1.5", "0.5"]
    assert len(rows) == 13


@pytest.mark.parametrize("table", ["stages", "moves", "days", "hours", "reached"])
def test_every_table_exports(client, staff_a, table):
    client.force_login(staff_a)

    response = client.get(f"/w/hidamari/picture/{table}.csv")

    assert response.status_code == 200
    assert response.content.startswith("\ufeff".encode())


def test_an_export_is_written_to_the_audit_log(client, staff_a, workshop_a):
    client.force_login(staff_a)

    client.get("/w/hidamari/picture/moves.csv")

    entry = AuditLog.objects.get(workshop=workshop_a)
    assert (entry.action, entry.record_type, entry.summary) == ("export", "picture", "moves")
    assert entry.actor == staff_a


def test_an_unknown_table_is_404(client, staff_a):
    client.force_login(staff_a)

    assert client.get("/w/hidamari/picture/names.csv").status_code == 404


@pytest.mark.parametrize("url", ["/w/hidamari/picture/", "/w/hidamari/picture/stages.csv"])
def test_another_workshops_staff_get_404(client, staff_b, workshop_a, url):
    client.force_login(staff_b)

    assert client.get(url).status_code == 404


@pytest.mark.parametrize("persona", ["member_a", "participant_a"])
def test_companies_and_participants_get_404(client, request, persona, workshop_a):
    user = request.getfixturevalue(persona)
    client.force_login(getattr(user, "user", user))

    assert client.get("/w/hidamari/picture/").status_code == 404


def test_it_asks_for_login(client, workshop_a):
    response = client.get("/w/hidamari/picture/")

    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def count_queries(client) -> int:
    with CaptureQueriesContext(connection) as context:
        assert client.get("/w/hidamari/picture/").status_code == 200
    return len(context.captured_queries)


def test_its_queries_do_not_grow_with_the_history(client, staff_a, workshop_a):
    client.force_login(staff_a)
    build_history(workshop_a, prefix="1-")
    small = count_queries(client)
    for n in range(2, 6):
        build_history(workshop_a, prefix=f"{n}-")

    assert count_queries(client) == small
