"""The staff console's home (/w/<slug>/): orders to decide on, open orders by due date, and a
few counts, for one workshop only."""

import datetime

from django.utils import timezone

from jobs import counters
from jobs.models import Order, WorkUnit
from participants.attendance_models import Attendance
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


# --- one screen for today -----------------------------------------------------------------


def check_in(participant, *, kind="start", place="home", reply="", at=None):
    at = at or timezone.now()
    return Attendance.objects.create(
        participant=participant,
        kind=kind,
        place=place,
        at=at,
        day=timezone.localdate(at),
        staff_reply=reply,
        replied_at=at if reply else None,
    )


def add_units(order, participants, count: int) -> None:
    """`count` units in every state, spread over the participants, in one bulk insert."""
    now = timezone.now()
    quiet = now - datetime.timedelta(days=5)
    states = [
        {"status": WorkUnit.Status.OPEN},
        {"status": WorkUnit.Status.CLAIMED, "expires_at": now + datetime.timedelta(hours=24)},
        {"status": WorkUnit.Status.SUBMITTED},
        {"status": WorkUnit.Status.REDO},
        {"status": WorkUnit.Status.APPROVED, "approved_quantity": 5},
    ]
    start = WorkUnit.objects.filter(order=order).count()
    units = []
    for index in range(count):
        state = dict(states[index % len(states)])
        if state["status"] != WorkUnit.Status.OPEN:
            state["holder"] = participants[index % len(participants)]
            state["last_activity_at"] = quiet if index % 2 else now
        units.append(
            WorkUnit(
                order=order, workshop=order.workshop, number=start + index + 1, quantity=5, **state
            )
        )
    WorkUnit.objects.bulk_create(units)
    # Inserted around the rules, so the order's counters are set as jobs 0010's backfill does
    # (the home reads "handed in" from them).
    counters.reset([order.pk])


def section(html: str, title_id: str) -> str:
    return html.split(f'id="{title_id}"')[1].split("</section>")[0]


def test_it_shows_todays_check_ins_with_place_and_reply_status(
    client, staff_a, workshop_a, participant_a
):
    other = factories.ParticipantFactory(workshop=workshop_a, nickname="ひかり")
    check_in(participant_a, kind="start", place="home")
    check_in(other, kind="end", place="on_site", reply="おつかれさま！")
    check_in(other, at=timezone.now() - datetime.timedelta(days=1))  # yesterday: not shown
    client.force_login(staff_a)

    html = client.get("/w/hidamari/").content.decode()

    checks = section(html, "check-ins-title")
    assert "今日の出席連絡 2件" in checks
    assert "返事待ち 1件" in checks
    assert "そら" in checks and "ひかり" in checks
    assert "始めました (家で)" in checks
    assert "返事ずみ" in checks
    assert 'href="/staff/hidamari/check-ins/"' in checks


def test_it_does_not_show_another_workshops_check_ins(
    client, staff_a, participant_a, participant_b
):
    check_in(participant_b)
    client.force_login(staff_a)

    html = client.get("/w/hidamari/").content.decode()

    assert "うみ" not in html
    assert "今日の出席連絡 1件" not in html


def test_it_shows_units_in_progress_and_gently_the_quiet_ones(
    client, staff_a, workshop_a, order_a, participant_a
):
    now = timezone.now()
    held_unit(participant_a, order_a)
    quiet = held_unit(participant_a, order_a)
    WorkUnit.objects.filter(pk=quiet.pk).update(last_activity_at=now - datetime.timedelta(days=4))
    factories.WorkUnitFactory(order=order_a, status=WorkUnit.Status.SUBMITTED, holder=participant_a)
    client.force_login(staff_a)

    response = client.get("/w/hidamari/")

    assert response.context["units_in_progress"] == 2
    assert response.context["units_quiet_count"] == 1
    work = section(response.content.decode(), "work-title")
    assert "2件の作業が進んでいます。" in work
    assert "1件が検品を待っています。" in work
    assert 'href="/w/hidamari/work/review/"' in work
    assert f"DM封入 3月号 #{quiet.number}" in work
    assert "そら" in work
    assert "しばらく動きのない作業が1件あります" in work


def test_it_lists_orders_due_within_a_week_with_units_approved_of_total(
    client, staff_a, workshop_a, company_a
):
    today = timezone.localdate()
    soon = factories.OrderFactory(
        workshop=workshop_a,
        company=company_a,
        title="今週の納品",
        status=Order.Status.IN_PROGRESS,
        desired_delivery_date=today + datetime.timedelta(days=5),
    )
    factories.OrderFactory(
        workshop=workshop_a,
        company=company_a,
        title="来月の納品",
        desired_delivery_date=today + datetime.timedelta(days=30),
    )
    factories.WorkUnitFactory(order=soon, status=WorkUnit.Status.APPROVED)
    factories.WorkUnitFactory.create_batch(3, order=soon)
    client.force_login(staff_a)

    html = client.get("/w/hidamari/").content.decode()

    due = section(html, "due-title")
    assert "7日以内の納期" in html
    assert "今週の納品" in due
    assert "1 / 4" in due
    assert "来月の納品" not in due


def test_it_says_so_calmly_when_nothing_is_due_or_checked_in(client, staff_a):
    client.force_login(staff_a)

    html = client.get("/w/hidamari/").content.decode()

    assert "今週が納期の発注はありません。" in html
    assert "検品待ちの作業はありません。" in html


def test_its_query_count_is_the_same_for_10_and_2000_units(
    client, staff_a, workshop_a, company_a, django_assert_max_num_queries
):
    people = factories.ParticipantFactory.create_batch(4, workshop=workshop_a)
    order = factories.OrderFactory(
        workshop=workshop_a,
        company=company_a,
        status=Order.Status.IN_PROGRESS,
        desired_delivery_date=timezone.localdate() + datetime.timedelta(days=3),
    )
    add_units(order, people, 10)
    for person in people[:2]:
        check_in(person)
    client.force_login(staff_a)
    queries_for(client, "/w/hidamari/")
    few = queries_for(client, "/w/hidamari/")

    add_units(order, people, 1990)
    for person in people:
        check_in(person, kind="end", reply="おつかれさま")
    more = factories.ParticipantFactory.create_batch(20, workshop=workshop_a)
    for person in more:
        check_in(person)
    with django_assert_max_num_queries(few):
        response = client.get("/w/hidamari/")

    assert response.context["units_in_progress"] == 800
    assert response.context["reviews_waiting"] == 400
    assert response.context["check_ins_count"] == 26
    assert len(response.context["units_quiet"]) == 5
