"""A unit's page, taking it, and the calm answers when it cannot be taken."""

from django.contrib.messages import get_messages

from jobs.models import WorkUnit
from jobs.money import unit_pay_estimate
from tests import factories
from tests.i18n import ja
from tests.phone.conftest import take


def test_it_shows_the_instructions_minutes_and_about_what_it_pays(sora, unit_a):
    # Piece rate: ¥5 an item × 50 items × the workshop's 70 % share.
    html = sora.get(f"/units/{unit_a.pk}/").content.decode()

    assert "DM封入 3月号" in html
    assert unit_a.instructions in html
    assert ja("About %(minutes)s min", minutes=30) in html
    assert ja("About %(amount)s", amount=ja("¥%(amount)s", amount="175")) in html
    assert ja("The pay is an estimate: it is settled after staff check the work.") in html
    assert f'action="/units/{unit_a.pk}/take/"' in html


def test_an_hourly_workshop_shows_the_estimated_minutes_at_its_rate(sora, unit_a, workshop_a):
    workshop_a.pay_mode, workshop_a.hourly_wage_yen = "hourly", 300
    workshop_a.save()

    html = sora.get(f"/units/{unit_a.pk}/").content.decode()

    assert ja("About %(amount)s", amount=ja("¥%(amount)s", amount="150")) in html
    assert ja("The pay is an estimate: it follows the minutes you record.") in html


def test_taking_a_unit_makes_it_mine_with_one_tap(sora, unit_a, participant_a):
    response = sora.post(f"/units/{unit_a.pk}/take/")

    unit_a.refresh_from_db()
    assert response.status_code == 302
    assert response["Location"] == f"/units/{unit_a.pk}/"
    assert (unit_a.status, unit_a.holder) == ("claimed", participant_a)
    html = sora.get(response["Location"]).content.decode()
    pay = unit_pay_estimate(unit_a, participant_a.workshop)
    assert (
        ja(
            "It is yours now: %(quantity)s %(label)s (about %(pay)s). Take your time.",
            quantity="50",
            label=unit_a.order.unit_label,
            pay=ja("¥%(amount)s", amount=f"{pay:,}"),
        )
        in html
    )
    assert f'href="/units/{unit_a.pk}/log/"' in html
    assert f'action="/units/{unit_a.pk}/done/"' in html
    assert f'href="/units/{unit_a.pk}/hand-back/"' in html


def test_it_answers_calmly_when_someone_took_it_a_moment_ago(sora, unit_a, workshop_a):
    page = sora.get(f"/units/{unit_a.pk}/")
    assert ja("Take this one") in page.content.decode()
    take(factories.ParticipantFactory(workshop=workshop_a, nickname="はる"), unit_a)

    response = sora.post(f"/units/{unit_a.pk}/take/")

    html = response.content.decode()
    assert response.status_code == 409
    assert ja("Someone took this unit a moment ago.") in html
    assert 'href="/today/"' in html
    assert "はる" not in html
    assert "Error" not in html and "エラー" not in html


def test_the_page_of_a_unit_someone_else_now_holds_is_calm_not_an_error(sora, unit_a, workshop_a):
    take(factories.ParticipantFactory(workshop=workshop_a, nickname="はる"), unit_a)

    response = sora.get(f"/units/{unit_a.pk}/")

    assert response.status_code == 200
    assert ja("This one has gone to someone") in response.content.decode()
    assert "はる" not in response.content.decode()


def test_an_expired_claim_can_be_taken_and_the_first_persons_work_stays_theirs(
    sora, unit_a, workshop_a, participant_a
):
    first = factories.ParticipantFactory(workshop=workshop_a, nickname="はる")
    take(first, unit_a, hours=-1)
    factories.ProgressLogFactory(unit=unit_a, participant=first, quantity=20)

    response = sora.post(f"/units/{unit_a.pk}/take/")

    unit_a.refresh_from_db()
    assert (unit_a.status, unit_a.holder, unit_a.quantity) == ("submitted", first, 20)
    rest = WorkUnit.objects.get(holder=participant_a)
    assert (rest.status, rest.quantity) == ("claimed", 30)
    assert response["Location"] == f"/units/{rest.pk}/"


def test_it_tells_kindly_about_the_hold_limit(sora, unit_a, workshop_a, participant_a, order_a):
    workshop_a.hold_limit = 1
    workshop_a.save()
    take(participant_a, factories.WorkUnitFactory(order=order_a))

    response = sora.post(f"/units/{unit_a.pk}/take/")

    unit_a.refresh_from_db()
    assert unit_a.status == "open"
    assert response["Location"] == f"/units/{unit_a.pk}/"
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        ja("You already have %(limit)s units. Finish or hand one back first.", limit=1)
    ]


def test_another_workshops_participant_gets_404_for_the_unit(umi, unit_a, held_a):
    other = factories.WorkUnitFactory(order=unit_a.order)

    assert umi.get(f"/units/{other.pk}/").status_code == 404
    assert umi.post(f"/units/{other.pk}/take/").status_code == 404
    assert umi.get(f"/units/{held_a.pk}/log/").status_code == 404
    assert umi.post(f"/units/{held_a.pk}/done/").status_code == 404
    assert umi.get(f"/units/{held_a.pk}/hand-back/").status_code == 404
    other.refresh_from_db()
    assert other.status == "open"


def test_staff_and_companies_are_not_participants_here(client, staff_a, member_a, unit_a):
    for user in (staff_a, member_a):
        client.force_login(user)
        assert client.get(f"/units/{unit_a.pk}/").status_code == 404
        assert client.post(f"/units/{unit_a.pk}/take/").status_code == 404


def test_it_asks_to_sign_in_first(client, unit_a):
    response = client.get(f"/units/{unit_a.pk}/")

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
