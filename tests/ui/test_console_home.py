"""The staff console's home (/w/<slug>/): orders to decide on, open orders by due date, and a
few counts, for one workshop only."""

import datetime

from django.utils import timezone

from jobs.models import Order, WorkUnit
from participants.models import Participant
from tests import factories
from tests.ui.conftest import held_unit, queries_for


def test_it_lists_submitted_orders_waiting_for_a_decision(client, staff_a, workshop_a, company_a):
    factories.OrderFactory(
        workshop=workshop_a,
        company=company_a,
        title="名刺の封入",
        status=Order.Status.SUBMITTED,
        total_price_yen=123456,
    )
    client.force_login(staff_a)

    html = client.get("/w/hidamari/").content.decode()

    assert "ひだまり作業所" in html
    incoming = html.split('id="incoming-title"')[1].split('id="open-title"')[0]
    assert "名刺の封入" in incoming
    assert "丘の上印刷" in incoming
    assert "123,456円" in incoming


def test_it_leaves_out_the_companies_drafts(client, staff_a, workshop_a, company_a):
    factories.OrderFactory(
        workshop=workshop_a, company=company_a, title="まだ下書き", status=Order.Status.DRAFT
    )
    client.force_login(staff_a)

    html = client.get("/w/hidamari/").content.decode()

    assert "まだ下書き" not in html


def test_it_shows_only_its_own_workshops_orders(client, staff_a, order_a, order_b):
    client.force_login(staff_a)

    html = client.get("/w/hidamari/").content.decode()

    assert "DM封入 3月号" in html
    assert "商品データ入力" not in html
    assert "まちかど商店" not in html


def test_it_is_404_for_staff_of_another_workshop(client, staff_b, workshop_a):
    client.force_login(staff_b)

    assert client.get("/w/hidamari/").status_code == 404


def test_it_sorts_open_orders_by_due_date_with_units_approved_of_total(
    client, staff_a, workshop_a, company_a
):
    today = timezone.localdate()
    later = factories.OrderFactory(
        workshop=workshop_a,
        company=company_a,
        title="あとで納品",
        desired_delivery_date=today + datetime.timedelta(days=20),
    )
    sooner = factories.OrderFactory(
        workshop=workshop_a,
        company=company_a,
        title="もうすぐ納品",
        status=Order.Status.IN_PROGRESS,
        desired_delivery_date=today + datetime.timedelta(days=3),
    )
    factories.WorkUnitFactory.create_batch(2, order=sooner, status=WorkUnit.Status.APPROVED)
    factories.WorkUnitFactory.create_batch(3, order=sooner)
    client.force_login(staff_a)

    html = client.get("/w/hidamari/").content.decode()

    open_section = html.split('id="open-title"')[1]
    assert open_section.index("もうすぐ納品") < open_section.index("あとで納品")
    assert "2 / 5" in open_section
    assert "あと3日" in open_section
    assert "まだ分けていません" in open_section  # `later` has no units yet
    assert later.title in open_section


def test_it_counts_units_taken_reviews_waiting_and_active_participants(
    client, staff_a, workshop_a, order_a, participant_a
):
    factories.ParticipantFactory(workshop=workshop_a, status=Participant.Status.PAUSED)
    factories.ParticipantFactory(workshop=workshop_a)  # active
    held_unit(participant_a, order_a)
    expired = held_unit(participant_a, order_a)
    WorkUnit.objects.filter(pk=expired.pk).update(
        expires_at=timezone.now() - datetime.timedelta(hours=1)
    )
    for _ in range(3):
        factories.WorkUnitFactory(
            order=order_a, status=WorkUnit.Status.SUBMITTED, holder=participant_a
        )
    client.force_login(staff_a)

    response = client.get("/w/hidamari/")

    assert response.context["units_taken"] == 1
    assert response.context["reviews_waiting"] == 3
    assert response.context["participants_active"] == 2
    html = response.content.decode()
    assert "<strong>3</strong><span>検品待ちの作業</span>" in html
    assert "<strong>1</strong><span>引き受け中の作業</span>" in html
    assert "<strong>2</strong><span>利用中の利用者</span>" in html


def test_it_links_to_the_participants_list(client, staff_a):
    client.force_login(staff_a)

    html = client.get("/w/hidamari/").content.decode()

    assert 'href="/w/hidamari/participants/"' in html


def test_its_query_count_does_not_grow_with_orders_and_units(
    client, staff_a, workshop_a, company_a, participant_a, django_assert_max_num_queries
):
    def add_orders(count: int) -> None:
        for status in (Order.Status.SUBMITTED, Order.Status.ACCEPTED, Order.Status.IN_PROGRESS):
            for order in factories.OrderFactory.create_batch(
                count, workshop=workshop_a, company=company_a, status=status
            ):
                factories.WorkUnitFactory.create_batch(count, order=order)
                held_unit(participant_a, order)

    add_orders(1)
    client.force_login(staff_a)
    queries_for(client, "/w/hidamari/")
    few = queries_for(client, "/w/hidamari/")

    add_orders(6)
    with django_assert_max_num_queries(few):
        response = client.get("/w/hidamari/")
    assert len(response.context["open_orders"]) == 14
