"""What the phone's offline queue relies on: a record sent twice is stored once (logs and
check-ins by their client UUID), a refused record is reported and stays visible to staff until
the person or staff settle it, and nobody else's records exist for anyone (404)."""

import datetime
import uuid

import pytest
from django.utils import timezone

from jobs import counters, review
from jobs.models import Credit, ProgressLog, WorkUnit
from participants.attendance_models import Attendance
from participants.unsent_models import UnsentRecord
from tests import factories
from tests.i18n import ja
from tests.phone.conftest import log_fields, take
from workshop.models import AuditLog


def kept_fields(unit=None, **overrides) -> dict:
    return {
        "client_uuid": str(uuid.uuid4()),
        "kind": "log",
        "made_at": timezone.now().isoformat(),
        "refusal_status": 409,
        "refusal_code": "too_many",
        "refusal_reason": "この作業は、あと5個です。",
        "unit": unit.pk if unit else None,
        "quantity": 50,
        "minutes": 40,
        "note": "",
        "place": "home",
        **overrides,
    }


# --- dedupe ----------------------------------------------------------------------------------


def test_a_check_in_sent_twice_with_its_uuid_is_stored_once(sora_api, participant_a):
    fields = {"kind": "start", "place": "home", "client_uuid": str(uuid.uuid4())}

    first = sora_api.post("/api/v1/me/check-ins/", fields)
    again = sora_api.post("/api/v1/me/check-ins/", fields)

    assert (first.status_code, again.status_code) == (201, 200)
    check = Attendance.objects.get()
    assert str(check.client_uuid) == fields["client_uuid"]
    assert check.received_at is not None


def test_an_offline_check_in_counts_at_the_time_it_was_tapped(sora_api):
    # Twenty minutes ago, or midnight in Japan if that was yesterday there: a check-in from an
    # earlier day is refused (the next test), and from 15:00 UTC it is already tomorrow.
    now = timezone.localtime()
    tapped = max(now - datetime.timedelta(minutes=20), now.replace(hour=0, minute=0, second=0))
    fields = {"kind": "start", "place": "home", "client_uuid": str(uuid.uuid4())}

    sora_api.post("/api/v1/me/check-ins/", {**fields, "tapped_at": tapped.isoformat()})

    check = Attendance.objects.get()
    assert abs((check.at - tapped).total_seconds()) < 1
    assert check.received_at > check.at


def test_a_check_in_from_an_earlier_day_is_refused_with_a_reason(sora_api):
    tapped = timezone.now() - datetime.timedelta(days=2)

    response = sora_api.post(
        "/api/v1/me/check-ins/",
        {"kind": "start", "place": "home", "client_uuid": str(uuid.uuid4())}
        | {"tapped_at": tapped.isoformat()},
    )

    assert response.status_code == 400
    assert response.json()["code"] == "check_in_too_old"
    assert not Attendance.objects.exists()


def test_another_persons_check_in_uuid_is_refused(sora_api, umi_api):
    fields = {"kind": "start", "place": "home", "client_uuid": str(uuid.uuid4())}
    sora_api.post("/api/v1/me/check-ins/", fields)

    response = umi_api.post("/api/v1/me/check-ins/", fields)

    assert (response.status_code, response.json()["code"]) == (409, "uuid_reused")
    assert Attendance.objects.count() == 1


def test_a_log_replayed_twice_is_stored_once(sora_api, held_a):
    fields = log_fields(quantity=3)

    answers = [sora_api.post(f"/api/v1/me/units/{held_a.pk}/log/", fields) for _ in range(2)]

    assert [a.status_code for a in answers] == [201, 200]
    assert ProgressLog.objects.get().quantity == 3


# --- the phone reports what it keeps -----------------------------------------------------------


def test_a_refused_record_is_reported_once_and_shown_to_staff(
    sora_api, staff_a, client, participant_a, held_a
):
    fields = kept_fields(held_a)

    first = sora_api.post("/api/v1/me/unsent/", fields)
    again = sora_api.post("/api/v1/me/unsent/", {**fields, "refusal_reason": "まだです"})

    assert (first.status_code, again.status_code) == (201, 200)
    record = UnsentRecord.objects.get()
    assert (record.state, record.refusal_code, record.quantity) == ("kept", "too_many", 50)
    assert record.refusal_reason == "まだです"
    client.force_login(staff_a)
    home = client.get("/w/hidamari/").content.decode()
    assert "そらさんのスマホに、送れなかった記録が1件あります" in home
    page = client.get("/staff/hidamari/unsent/").content.decode()
    assert "まだです" in page and f'id="unsent-{record.pk}"' in page


@pytest.mark.parametrize("choice", ["let_go", "note"])
def test_the_persons_choice_is_recorded(sora_api, staff_a, client, held_a, choice):
    fields = kept_fields(held_a)
    sora_api.post("/api/v1/me/unsent/", fields)

    response = sora_api.post(
        f"/api/v1/me/unsent/{fields['client_uuid']}/decision/", {"choice": choice}
    )

    assert response.status_code == 200
    assert UnsentRecord.objects.get().state == choice
    client.force_login(staff_a)
    page = client.get("/staff/hidamari/unsent/").content.decode()
    listed = f'id="unsent-{UnsentRecord.objects.get().pk}"' in page
    assert listed == (choice == "note")  # a record let go leaves staff's list


def test_a_record_stored_after_all_leaves_staffs_list(sora_api, held_a):
    fields = kept_fields(held_a)
    sora_api.post("/api/v1/me/unsent/", fields)

    # Changed on the phone and sent again, with the same UUID: now it fits.
    sora_api.post(
        f"/api/v1/me/units/{held_a.pk}/log/",
        log_fields(client_uuid=fields["client_uuid"], quantity=5),
    )

    assert UnsentRecord.objects.get().state == "resolved"
    assert not UnsentRecord.objects.for_staff().exists()


def test_nobody_else_can_decide_for_a_kept_record(sora_api, umi_api, held_a):
    fields = kept_fields(held_a)
    sora_api.post("/api/v1/me/unsent/", fields)

    response = umi_api.post(
        f"/api/v1/me/unsent/{fields['client_uuid']}/decision/", {"choice": "let_go"}
    )

    assert response.status_code == 404
    assert UnsentRecord.objects.get().state == "kept"


def test_a_unit_of_another_workshop_is_not_linked(sora_api, order_b):
    other = factories.WorkUnitFactory(order=order_b)

    sora_api.post("/api/v1/me/unsent/", kept_fields(other))

    assert UnsentRecord.objects.get().unit is None


# --- staff settle a kept record -----------------------------------------------------------------


@pytest.fixture
def kept_after_expiry(sora_api, participant_a, unit_a):
    """Sora logged 50 offline, but the claim expired before the phone came back: the unit
    opened again for anyone, and the log was refused."""
    held = take(participant_a, unit_a, hours=-1)
    WorkUnit.objects.filter(pk=held.pk).update(status="open", holder=None, expires_at=None)
    fields = kept_fields(held, quantity=20, minutes=30, refusal_code="not_holder")
    sora_api.post("/api/v1/me/unsent/", fields)
    return UnsentRecord.objects.get()


def test_staff_record_the_kept_work_by_hand_and_it_is_credited_in_review(
    client, staff_a, participant_a, kept_after_expiry
):
    record = kept_after_expiry
    client.force_login(staff_a)

    response = client.post(
        f"/staff/hidamari/unsent/{record.pk}/record/",
        {"unit": record.unit_id, "quantity": 20, "minutes": 30},
    )

    assert response.status_code == 302
    log = ProgressLog.objects.get()
    assert (log.participant, log.quantity, log.client_uuid) == (
        participant_a,
        20,
        record.client_uuid,
    )
    record.refresh_from_db()
    assert (record.state, record.resolved_by, record.credited_log) == ("resolved", staff_a, log)
    audit = AuditLog.objects.get(record_type="unsent_record")
    assert (audit.actor, audit.action, audit.record_id) == (staff_a, "create", record.pk)
    assert not Credit.objects.exists()  # credit is written by review, never here
    unit = WorkUnit.objects.get(pk=record.unit_id)
    WorkUnit.objects.filter(pk=unit.pk).update(status="submitted", holder=participant_a)
    counters.moved(unit.order_id, unit.status, "submitted")  # handed in, as finish_unit does
    review.approve_part(unit=unit, by=staff_a, quantity=20)
    credit = Credit.objects.get()
    assert (credit.participant, credit.quantity, credit.minutes) == (participant_a, 20, 30)


def test_the_phone_sending_it_later_does_not_count_it_twice(
    client, staff_a, sora_api, kept_after_expiry
):
    record = kept_after_expiry
    client.force_login(staff_a)
    client.post(
        f"/staff/hidamari/unsent/{record.pk}/record/",
        {"unit": record.unit_id, "quantity": 20, "minutes": 30},
    )

    response = sora_api.post(
        f"/api/v1/me/units/{record.unit_id}/log/",
        log_fields(client_uuid=str(record.client_uuid), quantity=20),
    )

    assert response.status_code == 200  # "already stored"
    assert ProgressLog.objects.count() == 1


def test_staff_cannot_record_more_than_the_unit_has_room_for(client, staff_a, kept_after_expiry):
    record = kept_after_expiry
    client.force_login(staff_a)

    response = client.post(
        f"/staff/hidamari/unsent/{record.pk}/record/",
        {"unit": record.unit_id, "quantity": 51, "minutes": 0},
        follow=True,
    )

    assert ja("This unit has %(left)s left to do.") % {"left": 50} in response.content.decode()
    assert not ProgressLog.objects.exists()
    assert UnsentRecord.objects.for_staff().count() == 1


def test_staff_close_a_kept_record(client, staff_a, kept_after_expiry):
    client.force_login(staff_a)

    client.post(f"/staff/hidamari/unsent/{kept_after_expiry.pk}/close/")

    kept_after_expiry.refresh_from_db()
    assert (kept_after_expiry.state, kept_after_expiry.resolved_by) == ("resolved", staff_a)
    assert AuditLog.objects.filter(record_type="unsent_record", action="update").exists()


def test_another_workshops_staff_get_404(client, staff_b, kept_after_expiry):
    client.force_login(staff_b)
    pk = kept_after_expiry.pk

    assert client.get("/staff/hidamari/unsent/").status_code == 404
    assert client.post(f"/staff/hidamari/unsent/{pk}/close/").status_code == 404
    assert client.post(f"/staff/minato/unsent/{pk}/close/").status_code == 404
    kept_after_expiry.refresh_from_db()
    assert kept_after_expiry.state == "kept"


def test_the_staff_home_stays_quiet_when_nothing_is_kept(client, staff_a, workshop_a):
    client.force_login(staff_a)

    home = client.get("/w/hidamari/").content.decode()

    assert "送れなかった記録" not in home


def test_a_refused_answer_reaches_staff_as_an_answer_with_nothing_to_record_by_hand(
    sora_api, staff_a, client, held_a
):
    """An answer to an item the server refused (static/js/answers.js) is reported as what it is:
    staff read the typed values in its note and close it; no count can be written from it."""
    fields = kept_fields(
        held_a,
        kind="answer",
        refusal_code="answer_locked",
        quantity=0,
        minutes=0,
        note="項目 3: 商品名=緑茶",
    )
    assert sora_api.post("/api/v1/me/unsent/", fields).status_code == 201
    record = UnsentRecord.objects.get()
    assert record.kind == UnsentRecord.Kind.ANSWER
    client.force_login(staff_a)
    page = client.get("/staff/hidamari/unsent/").content.decode()
    assert "項目 3: 商品名=緑茶" in page and ja("Answer to an item") in page
    assert f"/staff/hidamari/unsent/{record.pk}/record/" not in page


def test_an_answer_record_cannot_be_recorded_by_hand_even_by_a_crafted_post(
    sora_api, staff_a, held_a
):
    from participants import unsent

    fields = kept_fields(held_a, kind="answer", quantity=0, minutes=0, note="項目 1")
    sora_api.post("/api/v1/me/unsent/", fields)
    record = UnsentRecord.objects.get()
    with pytest.raises(unsent.UnsentError) as refused:
        unsent.record_by_hand(record=record, by=staff_a, unit=held_a, quantity=1, minutes=5)
    assert refused.value.code == "wrong_kind"
    assert not ProgressLog.objects.filter(client_uuid=record.client_uuid).exists()
