"""The coordinator's picture: the workshops' own figures added up, small counts hidden, names
never shown, each table as CSV; nobody outside the network sees it."""

import datetime
import re

import pytest
from django.urls import reverse

from jobs.models import Order
from network import picture
from network.models import PublicBuyer
from participants.models import Stage
from tests import factories
from tests.network.conftest import issued_statement
from workshop.models import AuditLog

COUNT = re.compile(r"^\d[\d,]*$")


@pytest.fixture
def people(workshop_a, workshop_b):
    made = []
    for workshop, n in ((workshop_a, 6), (workshop_b, 7)):
        for i in range(n):
            made.append(
                factories.ParticipantFactory(
                    workshop=workshop,
                    nickname=f"なまえ{workshop.slug}{i}",
                    stage=Stage.REGULAR_WORK,
                )
            )
    factories.ParticipantFactory(workshop=workshop_b, nickname="ひとり", stage=Stage.PLACE)
    return made


def cell(table, row_label, column):
    row = next(r for r in table.rows if r[0] == row_label)
    return row[table.headers.index(column)]


def test_people_by_stage_adds_up_the_workshops_and_hides_small_counts(
    network, people, workshop_a, workshop_b
):
    table = picture.people_by_stage(picture.workshops_of(network))
    labels = dict(Stage.choices)
    # The one person at 居場所 is a count under 5, and so is every empty cell.
    assert cell(table, str(labels[Stage.PLACE]), workshop_b.name) == picture.SMALL_TEXT
    assert cell(table, str(labels[Stage.CONNECTION]), workshop_a.name) == picture.SMALL_TEXT
    # The grand total (14) is shown; no shown count is under 5.
    assert table.rows[-1][-1] == "14"
    for row in table.rows:
        for text in row[1:]:
            assert text in (picture.SMALL_TEXT, picture.HIDDEN_TEXT) or int(text) >= 5


def test_wages_come_from_issued_statements_with_the_average_per_person(network, people, workshop_a):
    month = datetime.date(2026, 10, 1)
    for index, participant in enumerate(people[:6]):
        issued_statement(participant, month, 10_000 + index, f"W-{index}")
    table = picture.wages(picture.workshops_of(network), month, datetime.date(2026, 10, 31))
    # One month only: the month and the total are the same six people.
    assert table.rows[0][1:] == ["6", "¥60,015", "¥10,002"]
    assert table.rows[-1][1:] == ["6", "¥60,015", "¥10,002"]


def test_a_month_with_fewer_than_five_paid_hides_its_yen_and_another_month(network, people):
    september, october = datetime.date(2026, 9, 1), datetime.date(2026, 10, 1)
    for index, participant in enumerate(people[:3]):
        issued_statement(participant, september, 8_000, f"S-{index}")
    for index, participant in enumerate(people[:7]):
        issued_statement(participant, october, 9_000, f"O-{index}")
    table = picture.wages(picture.workshops_of(network), september, datetime.date(2026, 10, 31))
    assert table.rows[0][1:] == [picture.SMALL_TEXT, picture.HIDDEN_TEXT, picture.HIDDEN_TEXT]
    # The total of 10 minus October's 7 would give September's 3 away: October is hidden too.
    assert table.rows[1][1:] == [picture.HIDDEN_TEXT] * 3
    assert table.rows[2][1:] == ["10", "¥87,000", "¥8,700"]


def test_orders_and_public_sector_orders_are_counted_by_company_kind_and_year(
    network, workshop_a, company_a
):
    for _ in range(6):
        factories.OrderFactory(
            workshop=workshop_a,
            company=company_a,
            status=Order.Status.ACCEPTED,
            total_price_yen=10_000,
        )
    factories.OrderFactory(workshop=workshop_a, company=company_a, status=Order.Status.DECLINED)
    PublicBuyer.objects.create(company=company_a)
    orders, revenue = picture.orders_by_company(
        picture.workshops_of(network), datetime.date(2000, 4, 1)
    )
    hands_on = str(Order.Kind.HANDS_ON.label)
    assert orders.rows[-1][-1] == "6"
    assert revenue.rows[-1][-1] == "¥60,000"
    assert cell(orders, company_a.name, hands_on) in ("6", picture.HIDDEN_TEXT)
    public = picture.public_orders(picture.workshops_of(network))
    assert public.rows[-1][1:] == ["6", "¥60,000"]


def test_the_coordinator_sees_the_page_without_a_single_name(client, coordinator, network, people):
    client.force_login(coordinator)
    response = client.get(reverse("network:home", args=[network.slug]))
    assert response.status_code == 200
    page = response.content.decode()
    assert network.name in page
    for participant in people:
        assert participant.nickname not in page
    assert picture.SMALL_TEXT.replace("<", "&lt;") in page


def test_each_table_downloads_as_csv_as_shown_and_is_written_to_each_workshops_audit_log(
    client, coordinator, network, people, workshop_a, workshop_b
):
    client.force_login(coordinator)
    response = client.get(reverse("network:export", args=[network.slug, "stages"]))
    assert response.status_code == 200
    text = response.content.decode("utf-8-sig")
    assert "<5" in text and "14" in text
    assert "なまえ" not in text
    logs = AuditLog.objects.filter(action=AuditLog.Action.EXPORT, summary="network:stages")
    assert {log.workshop_id for log in logs} == {workshop_a.pk, workshop_b.pk}
    assert client.get(reverse("network:export", args=[network.slug, "nope"])).status_code == 404


def test_no_one_but_its_coordinators_opens_the_network(
    client, network, staff_a, manager_a, staff_c, member_a, participant_a
):
    for user in (staff_a, manager_a, staff_c, member_a, participant_a.user):
        client.force_login(user)
        for url in (
            reverse("network:home", args=[network.slug]),
            reverse("network:export", args=[network.slug, "stages"]),
        ):
            assert client.get(url).status_code == 404, (user, url)


def test_a_coordinator_of_another_network_sees_nothing_of_this_one(client, network, workshop_c):
    from network.models import Coordinator, Network, NetworkMembership

    other = Network.objects.create(name="となり町", slug="tonari")
    NetworkMembership.objects.create(network=other, workshop=workshop_c)
    user = factories.UserFactory()
    Coordinator.objects.create(network=other, user=user)
    client.force_login(user)
    assert client.get(reverse("network:home", args=[network.slug])).status_code == 404
    page = client.get(reverse("network:home", args=[other.slug])).content.decode()
    assert "ひだまり" not in page and workshop_c.name in page


def test_the_coordinator_lands_on_the_network(client, coordinator, network):
    client.force_login(coordinator)
    response = client.get(reverse("home"))
    assert response.url == reverse("network:home", args=[network.slug])
