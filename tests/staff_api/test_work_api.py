"""The staff API for the work: the board's units, release / reach out / suggest, split and its
background job, the review queue and its decisions, skill marks. The same rules as the pages."""

import datetime

from django.utils import timezone

from jobs.models import Order, SkillTraining, SplitJob, UnitEvent, WorkUnit
from tests import factories
from tests.staff_api.conftest import API, post
from tests.work.conftest import held_unit, submitted_unit


def test_it_lists_an_orders_units_with_state_holder_and_last_activity(
    staff_client, order_a, participant_a
):
    held = held_unit(order_a, participant_a)
    quiet = held_unit(order_a, participant_a, quiet_days=4)
    expired = held_unit(order_a, participant_a)
    WorkUnit.objects.filter(pk=expired.pk).update(
        expires_at=timezone.now() - datetime.timedelta(hours=1)
    )
    factories.WorkUnitFactory(order=order_a)

    body = staff_client.get(f"{API}orders/{order_a.pk}/units/").json()

    assert body["count"] == 4
    rows = {row["id"]: row for row in body["results"]}
    assert rows[held.pk]["state"] == "claimed"
    assert rows[held.pk]["holder"] == "そら"
    assert rows[held.pk]["last_activity_at"]
    assert rows[expired.pk]["state"] == "open"  # expiry is computed when read
    stale = staff_client.get(f"{API}orders/{order_a.pk}/units/?state=quiet").json()
    assert [row["id"] for row in stale["results"]] == [quiet.pk]


def test_it_refuses_an_unknown_board_state(staff_client, order_a):
    response = staff_client.get(f"{API}orders/{order_a.pk}/units/?state=lost")

    assert response.status_code == 400
    assert response.json()["code"] == "invalid"


def test_it_releases_a_held_unit_and_says_409_when_nobody_holds_it(
    staff_client, order_a, participant_a
):
    unit = held_unit(order_a, participant_a)

    response = post(staff_client, f"{API}units/{unit.pk}/release/", {"note": "また今度"})

    assert response.status_code == 200
    assert response.json()["status"] == "open"
    unit.refresh_from_db()
    assert unit.holder is None
    again = post(staff_client, f"{API}units/{unit.pk}/release/")
    assert again.status_code == 409
    assert again.json()["code"] == "not_held"


def test_it_records_reaching_out_to_the_holder(staff_client, order_a, participant_a):
    unit = held_unit(order_a, participant_a, quiet_days=3)

    response = post(staff_client, f"{API}units/{unit.pk}/reach-out/", {"note": "電話しました"})

    assert response.status_code == 200
    assert UnitEvent.objects.filter(unit=unit, note="電話しました").exists()


def test_it_suggests_an_open_unit_and_refuses_someone_it_cannot_be_offered_to(
    staff_client, order_a, participant_a, participant_b
):
    unit = factories.WorkUnitFactory(order=order_a)

    response = post(
        staff_client, f"{API}units/{unit.pk}/suggest/", {"participant": participant_a.pk}
    )
    assert response.status_code == 200
    assert unit.suggestions.get().participant == participant_a

    again = post(staff_client, f"{API}units/{unit.pk}/suggest/", {"participant": participant_a.pk})
    assert again.status_code == 409
    assert again.json()["code"] == "already_suggested"
    other = post(staff_client, f"{API}units/{unit.pk}/suggest/", {"participant": participant_b.pk})
    assert other.status_code == 400
    assert "participant" in other.json()["errors"]


def test_it_previews_a_split_without_saving_anything(staff_client, order_a):
    response = post(staff_client, f"{API}orders/{order_a.pk}/split/preview/", {"size": 300})

    assert response.status_code == 200
    assert response.json() == {
        "units": 4,
        "items": 1000,
        "left_after": 0,
        "runs": [[300, 3], [100, 1]],
        "in_background": False,
    }
    assert not order_a.units.exists()


def test_it_publishes_a_small_split_at_once(staff_client, order_a):
    response = post(
        staff_client,
        f"{API}orders/{order_a.pk}/split/",
        {"sizes": [600, 400], "instructions": "丁寧に", "skill_tag": "封入"},
    )

    assert response.status_code == 201
    assert response.json() == {"published": 2, "job": None}
    assert sorted(order_a.units.values_list("quantity", flat=True)) == [400, 600]
    assert set(order_a.units.values_list("skill_tag", flat=True)) == {"封入"}


def test_it_publishes_a_large_split_as_a_job_to_follow(staff_client, order_a):
    Order.objects.filter(pk=order_a.pk).update(quantity=3000)

    response = post(staff_client, f"{API}orders/{order_a.pk}/split/", {"size": 1})

    assert response.status_code == 202
    job = response.json()["job"]
    assert job["total"] == 3000
    progress = staff_client.get(f"{API}split-jobs/{job['id']}/").json()
    assert progress["status"] == "done"  # the tests' task backend runs it at once
    assert progress["done_count"] == 3000 and progress["percent"] == 100
    assert order_a.units.count() == 3000


def test_it_refuses_a_split_that_does_not_fit_or_a_wrong_state(staff_client, order_a, workshop_a):
    too_many = post(staff_client, f"{API}orders/{order_a.pk}/split/", {"sizes": [900, 900]})
    assert too_many.status_code == 400
    assert too_many.json()["code"] == "invalid_split"
    neither = post(staff_client, f"{API}orders/{order_a.pk}/split/", {})
    assert neither.status_code == 400
    assert neither.json()["code"] == "invalid"
    submitted = factories.OrderFactory(
        workshop=workshop_a, company=order_a.company, status=Order.Status.SUBMITTED
    )
    early = post(staff_client, f"{API}orders/{submitted.pk}/split/", {"size": 10})
    assert early.status_code == 409
    assert early.json()["code"] == "wrong_state"
    assert not SplitJob.objects.exists()


def test_it_lists_the_review_queue_oldest_first_with_what_was_logged(
    staff_client, order_a, participant_a
):
    first = submitted_unit(order_a, participant_a, quantity=50, logged=40)
    second = submitted_unit(order_a, participant_a, quantity=20)

    body = staff_client.get(f"{API}reviews/").json()

    assert [row["id"] for row in body["results"]] == [first.pk, second.pk]
    assert body["results"][0]["logged"] == 40
    assert body["results"][0]["holder"] == "そら"
    assert body["results"][0]["title"] == "DM封入 3月号"


def test_it_approves_a_unit_and_says_409_the_second_time(staff_client, order_a, participant_a):
    unit = submitted_unit(order_a, participant_a, quantity=50)

    response = post(staff_client, f"{API}units/{unit.pk}/approve/")

    assert response.status_code == 200
    assert response.json()["status"] == "approved"
    assert response.json()["approved_quantity"] == 50
    again = post(staff_client, f"{API}units/{unit.pk}/approve/")
    assert again.status_code == 409
    assert again.json()["code"] == "not_submitted"


def test_it_asks_for_a_redo_only_with_a_note(staff_client, order_a, participant_a):
    unit = submitted_unit(order_a, participant_a)

    empty = post(staff_client, f"{API}units/{unit.pk}/redo/", {"note": ""})
    assert empty.status_code == 400
    assert empty.json()["code"] == "note_required"

    response = post(staff_client, f"{API}units/{unit.pk}/redo/", {"note": "封の向きをそろえて"})
    assert response.status_code == 200
    assert response.json()["status"] == "redo"
    assert response.json()["holder"] == participant_a.pk


def test_it_approves_part_and_opens_the_rest(staff_client, order_a, participant_a):
    unit = submitted_unit(order_a, participant_a, quantity=50, logged=30)

    response = post(staff_client, f"{API}units/{unit.pk}/approve-part/", {"quantity": 30})

    assert response.status_code == 200
    assert response.json()["approved_quantity"] == 30
    assert order_a.units.filter(status=WorkUnit.Status.OPEN, quantity=20).exists()
    too_many = post(staff_client, f"{API}units/{unit.pk}/approve-part/", {"quantity": 99})
    assert too_many.status_code in (400, 409)


def test_it_marks_and_unmarks_a_skill(staff_client, participant_a):
    response = post(
        staff_client, f"{API}skills/", {"participant": participant_a.pk, "skill_tag": "検品"}
    )

    assert response.status_code == 201
    assert response.json()["nickname"] == "そら"
    listed = staff_client.get(f"{API}skills/").json()
    assert [row["skill_tag"] for row in listed["results"]] == ["検品"]
    blank = post(staff_client, f"{API}skills/", {"participant": participant_a.pk, "skill_tag": ""})
    assert blank.status_code == 400
    assert blank.json()["code"] == "invalid"

    gone = staff_client.delete(f"{API}skills/{response.json()['id']}/")
    assert gone.status_code == 204
    assert not SkillTraining.objects.exists()
