"""The participant app's API (session auth): the same rules as the phone pages, JSON errors
with codes, and 404 for anything of another workshop."""

import io
import uuid

from PIL import Image
from rest_framework.test import APIClient

from jobs.models import ProgressLog, WorkUnit
from participants.attendance_models import Attendance
from tests import factories
from tests.i18n import ja
from tests.phone.conftest import GPS_IFD, jpeg_with_gps, log_fields, take, upload


def test_it_lists_units_i_could_take_with_about_what_they_pay(sora_api, unit_a, order_b):
    factories.WorkUnitFactory(order=order_b)

    response = sora_api.get("/api/v1/me/units/")

    assert response.status_code == 200
    assert [(u["id"], u["title"], u["pay_estimate_yen"]) for u in response.json()] == [
        (unit_a.pk, "DM封入 3月号", 175)
    ]


def test_take_log_finish(sora_api, unit_a, participant_a):
    taken = sora_api.post(f"/api/v1/me/units/{unit_a.pk}/take/")
    assert taken.status_code == 200
    assert (taken.json()["status"], taken.json()["is_mine"]) == ("claimed", True)
    assert [u["id"] for u in sora_api.get("/api/v1/me/units/held/").json()] == [unit_a.pk]

    logged = sora_api.post(
        f"/api/v1/me/units/{unit_a.pk}/log/", log_fields(quantity=50), format="json"
    )
    assert logged.status_code == 201
    assert logged.json()["quantity"] == 50

    finished = sora_api.post(f"/api/v1/me/units/{unit_a.pk}/finish/")
    assert finished.status_code == 200
    assert finished.json()["status"] == "submitted"


def test_a_log_retried_ten_times_counts_once(sora_api, held_a):
    fields = log_fields(quantity=5)
    answers = [
        sora_api.post(f"/api/v1/me/units/{held_a.pk}/log/", fields, format="json")
        for _ in range(10)
    ]

    assert [a.status_code for a in answers] == [201] + [200] * 9
    assert len({a.json()["id"] for a in answers}) == 1
    assert ProgressLog.objects.count() == 1
    assert held_a.quantity_logged() == 5


def test_a_retry_after_the_unit_was_handed_in_still_answers_with_the_first_log(sora_api, held_a):
    fields = log_fields(quantity=5)
    first = sora_api.post(f"/api/v1/me/units/{held_a.pk}/log/", fields, format="json")
    sora_api.post(f"/api/v1/me/units/{held_a.pk}/finish/")

    again = sora_api.post(f"/api/v1/me/units/{held_a.pk}/log/", fields, format="json")

    assert again.status_code == 200
    assert again.json()["id"] == first.json()["id"]


def test_log_needs_a_client_uuid(sora_api, held_a):
    response = sora_api.post(f"/api/v1/me/units/{held_a.pk}/log/", {"quantity": 3}, format="json")

    assert response.status_code == 400
    assert response.json()["code"] == "invalid"
    assert "client_uuid" in response.json()["errors"]


def test_taken_and_hold_limit_are_conflicts_with_codes(
    sora_api, unit_a, workshop_a, participant_a, order_a
):
    take(factories.ParticipantFactory(workshop=workshop_a, nickname="はる"), unit_a)
    taken = sora_api.post(f"/api/v1/me/units/{unit_a.pk}/take/")
    assert taken.status_code in {404, 409}

    workshop_a.hold_limit = 1
    workshop_a.save()
    take(participant_a, factories.WorkUnitFactory(order=order_a))
    free = factories.WorkUnitFactory(order=order_a)
    limited = sora_api.post(f"/api/v1/me/units/{free.pk}/take/")
    assert limited.status_code == 409
    assert limited.json()["code"] == "hold_limit"
    assert limited.json()["detail"] == ja(
        "You already have %(limit)s units. Finish or hand one back first.", limit=1
    )


def test_someone_taking_it_a_moment_earlier_is_a_409_taken(sora_api, unit_a, workshop_a):
    sora_api.get(f"/api/v1/me/units/{unit_a.pk}/")
    take(factories.ParticipantFactory(workshop=workshop_a, nickname="はる"), unit_a)

    response = sora_api.post(f"/api/v1/me/units/{unit_a.pk}/take/")

    assert response.status_code == 409
    assert response.json()["code"] == "taken"


def test_hand_back_keeps_what_was_logged_as_mine(sora_api, held_a, participant_a):
    sora_api.post(f"/api/v1/me/units/{held_a.pk}/log/", log_fields(quantity=12), format="json")

    response = sora_api.post(
        f"/api/v1/me/units/{held_a.pk}/hand-back/", {"reason": "今日は疲れました"}, format="json"
    )

    assert response.status_code == 200
    assert response.json()["quantity_kept_as_yours"] == 12
    held_a.refresh_from_db()
    assert (held_a.status, held_a.quantity, held_a.holder) == ("submitted", 12, participant_a)
    assert WorkUnit.objects.get(status="open").quantity == 38


def test_check_in_once_per_tap(sora_api, participant_a):
    first = sora_api.post("/api/v1/me/check-ins/", {"kind": "start", "place": "home"})
    again = sora_api.post("/api/v1/me/check-ins/", {"kind": "start", "place": "home"})

    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["id"] == again.json()["id"]
    assert Attendance.objects.get().participant == participant_a


def test_my_record(sora_api, participant_a, order_a):
    unit = factories.WorkUnitFactory(order=order_a)
    factories.ProgressLogFactory(unit=unit, participant=participant_a, quantity=10, minutes=20)

    body = sora_api.get("/api/v1/me/record/").json()

    assert (body["quantity"], body["minutes"], body["wage_estimate_yen"]) == (10, 20, 35)
    assert body["is_estimate"] is True
    assert body["days"][0]["work"][0]["title"] == "DM封入 3月号"


def test_a_photo_through_the_api_comes_out_with_no_gps(sora_api, held_a):
    response = sora_api.post(
        f"/api/v1/me/units/{held_a.pk}/log/",
        {**log_fields(), "photo": upload(jpeg_with_gps())},
        format="multipart",
    )

    assert response.status_code == 201
    assert response.json()["has_photo"] is True
    with ProgressLog.objects.get().photo.open("rb") as stored:
        cleaned = Image.open(io.BytesIO(stored.read()))
    assert dict(cleaned.getexif()) == {}
    assert not cleaned.getexif().get_ifd(GPS_IFD)


def test_a_text_file_as_a_photo_is_refused_with_a_code(sora_api, held_a):
    response = sora_api.post(
        f"/api/v1/me/units/{held_a.pk}/log/",
        {**log_fields(), "photo": upload(b"hello" * 100, "a.jpg")},
        format="multipart",
    )

    assert response.status_code == 400
    assert response.json()["code"] == "not_a_photo"
    assert ProgressLog.objects.count() == 0


def test_another_workshops_participant_gets_404(umi_api, held_a, unit_a):
    free = factories.WorkUnitFactory(order=unit_a.order)
    for method, url in [
        ("get", f"/api/v1/me/units/{free.pk}/"),
        ("post", f"/api/v1/me/units/{free.pk}/take/"),
        ("post", f"/api/v1/me/units/{held_a.pk}/finish/"),
        ("post", f"/api/v1/me/units/{held_a.pk}/hand-back/"),
    ]:
        response = getattr(umi_api, method)(url)
        assert response.status_code == 404, url
        assert response.json()["code"] == "not_found"
    log = umi_api.post(f"/api/v1/me/units/{held_a.pk}/log/", log_fields(), format="json")
    assert log.status_code == 404
    assert [u["id"] for u in umi_api.get("/api/v1/me/units/").json()] == []
    free.refresh_from_db()
    assert free.status == "open"


def test_a_company_member_is_not_a_participant(member_a, unit_a):
    api = APIClient()
    api.force_authenticate(member_a)

    assert api.get("/api/v1/me/units/").status_code == 404
    assert api.post(f"/api/v1/me/units/{unit_a.pk}/take/").status_code == 404


def test_session_writes_need_the_csrf_token(participant_a, held_a):
    api = APIClient(enforce_csrf_checks=True)
    api.force_login(participant_a.user)

    response = api.post(
        f"/api/v1/me/units/{held_a.pk}/log/", {"client_uuid": str(uuid.uuid4()), "quantity": 1}
    )

    assert response.status_code == 403
    assert response.json()["code"] == "csrf_failed"
    assert ProgressLog.objects.count() == 0
