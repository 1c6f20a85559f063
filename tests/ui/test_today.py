"""The participant's home (/today/): what I hold and what I could do now, and nothing about
anyone else."""

import datetime
import gzip
import re
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from django.utils import timezone

from jobs.models import Order, WorkUnit
from participants.models import Participant
from tests import factories
from tests.i18n import en
from tests.ui.conftest import held_unit, queries_for


def test_it_greets_the_participant_by_nickname_in_japanese(sora_client):
    html = sora_client.get("/today/").content.decode()

    assert "こんにちは、そらさん" in html
    assert "自分のペース" in html


def test_it_shows_the_units_i_hold_with_a_gentle_keep_until_time(sora_client, participant_a):
    order = factories.OrderFactory(
        workshop=participant_a.workshop, title="ポスティング用チラシ折り", unit_label="枚"
    )
    unit = held_unit(participant_a, order, quantity=40)

    html = sora_client.get("/today/").content.decode()

    assert "引き受けている作業" in html
    assert "ポスティング用チラシ折り" in html
    assert "40枚" in html
    keep_until = timezone.localtime(unit.expires_at)
    assert f"{keep_until.month}月{keep_until.day}日" in html
    assert "とっておきます" in html


def test_it_lists_open_units_of_my_workshop_with_minutes_and_instructions(
    sora_client, participant_a, order_a
):
    factories.WorkUnitFactory(
        order=order_a, quantity=25, estimated_minutes=45, instructions="宛名ラベルを貼ります。"
    )

    html = sora_client.get("/today/").content.decode()

    assert "今できそうな作業" in html
    assert "DM封入 3月号" in html
    assert "25枚" in html
    assert "目安 45分" in html
    assert "宛名ラベルを貼ります。" in html
    assert "家でできます" in html


def test_it_hides_units_another_participant_holds(sora_client, participant_a, order_a):
    other = factories.ParticipantFactory(workshop=participant_a.workshop, nickname="ほし")
    held_unit(other, factories.OrderFactory(workshop=participant_a.workshop, title="ほしの作業"))

    html = sora_client.get("/today/").content.decode()

    assert "ほしの作業" not in html


def test_it_hides_units_of_another_workshop(sora_client, participant_a, order_b):
    factories.WorkUnitFactory(order=order_b)

    html = sora_client.get("/today/").content.decode()

    assert "商品データ入力" not in html
    assert "今日はゆっくりでも大丈夫です" in html


def test_it_hides_on_site_units_from_someone_who_works_only_from_home(sora_client, participant_a):
    participant_a.works_from_home, participant_a.works_on_site = True, False
    participant_a.save()
    workshop = participant_a.workshop
    factories.WorkUnitFactory(order=factories.OrderFactory(workshop=workshop, title="在宅OKの作業"))
    factories.WorkUnitFactory(
        order=factories.OrderFactory(workshop=workshop, title="作業所だけの作業"), home_ok=False
    )

    html = sora_client.get("/today/").content.decode()

    assert "在宅OKの作業" in html
    assert "作業所だけの作業" not in html


def test_it_shows_every_unit_to_someone_who_comes_on_site(sora_client, participant_a):
    participant_a.works_from_home, participant_a.works_on_site = False, True
    participant_a.save()
    workshop = participant_a.workshop
    factories.WorkUnitFactory(order=factories.OrderFactory(workshop=workshop, title="在宅OKの作業"))
    factories.WorkUnitFactory(
        order=factories.OrderFactory(workshop=workshop, title="作業所だけの作業"), home_ok=False
    )

    html = sora_client.get("/today/").content.decode()

    assert "在宅OKの作業" in html
    assert "作業所だけの作業" in html
    assert "作業所で" in html


def test_it_hides_units_that_need_a_skill_for_now(sora_client, participant_a, order_a):
    factories.WorkUnitFactory(
        order=factories.OrderFactory(workshop=participant_a.workshop, title="検品の手伝い"),
        skill_tag="inspection",
    )

    html = sora_client.get("/today/").content.decode()

    assert "検品の手伝い" not in html


def test_it_hides_units_of_orders_that_are_no_longer_worked_on(sora_client, participant_a):
    cancelled = factories.OrderFactory(
        workshop=participant_a.workshop, title="取り消された発注", status=Order.Status.CANCELLED
    )
    factories.WorkUnitFactory(order=cancelled)

    html = sora_client.get("/today/").content.decode()

    assert "取り消された発注" not in html


def test_it_offers_a_unit_again_once_its_claim_has_expired(sora_client, participant_a, order_a):
    unit = held_unit(participant_a, order_a)
    WorkUnit.objects.filter(pk=unit.pk).update(
        expires_at=timezone.now() - datetime.timedelta(minutes=1)
    )

    html = sora_client.get("/today/").content.decode()

    assert "引き受けている作業" not in html
    assert "DM封入 3月号" in html


def test_it_is_kind_when_there_is_nothing_to_do(sora_client):
    html = sora_client.get("/today/").content.decode()

    assert "今日はゆっくりでも大丈夫です。" in html
    assert "引き受けている作業" not in html


def test_it_tells_a_paused_participant_they_are_welcome_anytime(sora_client, participant_a):
    participant_a.status = Participant.Status.PAUSED
    participant_a.save()

    response = sora_client.get("/today/")

    html = response.content.decode()
    assert response.status_code == 200
    assert "お休み中です" in html
    assert "いつでもどうぞ" in html


def test_it_does_not_mention_a_break_to_an_active_participant(sora_client):
    assert "お休み中" not in sora_client.get("/today/").content.decode()


def test_it_never_names_another_participant(sora_client, participant_a, order_a, participant_b):
    other = factories.ParticipantFactory(workshop=participant_a.workshop, nickname="ほしぞら")
    held_unit(other, order_a)
    factories.WorkUnitFactory(order=order_a)
    factories.ProgressLogFactory(unit=factories.WorkUnitFactory(order=order_a), participant=other)

    html = sora_client.get("/today/").content.decode()

    assert "ほしぞら" not in html
    assert participant_b.nickname not in html
    assert other.user.display_name not in html


def available_cards(html: str) -> list[str]:
    return re.findall(r'<li class="card unit">', html.split('id="available-title"')[1])


def test_it_shows_one_unit_per_order_so_that_different_work_shows(sora_client, order_a):
    factories.WorkUnitFactory.create_batch(5, order=order_a)
    other = factories.OrderFactory(workshop=order_a.workshop, title="値札シール貼り")
    factories.WorkUnitFactory.create_batch(3, order=other)

    html = sora_client.get("/today/").content.decode()

    assert len(available_cards(html)) == 2
    assert html.count("DM封入 3月号") == 1
    assert "値札シール貼り" in html


def test_it_shows_at_most_ten_units_to_choose_from(sora_client, workshop_a):
    for order in factories.OrderFactory.create_batch(15, workshop=workshop_a):
        factories.WorkUnitFactory(order=order)

    html = sora_client.get("/today/").content.decode()

    assert len(available_cards(html)) == 10


def test_it_speaks_english_when_asked(sora_client, order_a):
    factories.WorkUnitFactory(order=order_a, estimated_minutes=20)
    sora_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    html = sora_client.get("/today/").content.decode()

    assert en("Hello, %(name)s", name="そら") in html
    assert en("Work you could do now") in html
    assert en("About %(minutes)s min", minutes=20) in html


def test_it_is_404_for_someone_who_is_not_a_participant(client, staff_a):
    client.force_login(staff_a)

    assert client.get("/today/").status_code == 404


def test_its_query_count_does_not_grow_with_units(
    sora_client, participant_a, order_a, django_assert_max_num_queries
):
    held_unit(participant_a, order_a)
    factories.WorkUnitFactory(order=order_a)
    queries_for(sora_client, "/today/")  # the first visit also stores the session
    few = queries_for(sora_client, "/today/")

    for order in factories.OrderFactory.create_batch(12, workshop=participant_a.workshop):
        held_unit(participant_a, order)
        factories.WorkUnitFactory.create_batch(3, order=order)
    with django_assert_max_num_queries(few):
        response = sora_client.get("/today/")
    assert response.content.decode().count('class="card unit') == 13 + 10


def test_it_stays_light_on_a_weak_connection(sora_client, participant_a, order_a):
    """The page with everything it links to (stylesheet, htmx, the phone script, the manifest
    and icons) stays under 100 KB even uncompressed, and far under it as WhiteNoise sends it
    (gzip), even with a full list."""
    held_unit(participant_a, order_a)
    for order in factories.OrderFactory.create_batch(12, workshop=participant_a.workshop):
        factories.WorkUnitFactory(order=order, instructions="あ" * 200)

    html = sora_client.get("/today/").content
    assets = re.findall(r'(?:href|src)="/static/([^"]+)"', html.decode())
    files = [Path(finders.find(path)).read_bytes() for path in assets]
    raw = len(html) + sum(len(data) for data in files)
    sent = len(gzip.compress(html)) + sum(len(gzip.compress(data)) for data in files)

    assert "css/engawa.css" in assets
    assert "js/phone.js" in assets
    assert raw < 100_000, raw
    assert sent < 40_000, sent
