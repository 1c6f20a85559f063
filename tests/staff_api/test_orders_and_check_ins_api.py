"""The staff API for orders (list, filter, decisions) and today's check-ins with the reply."""

import datetime

from django.utils import timezone

from jobs.models import ChangeProposal, Order
from participants.attendance_models import Attendance
from tests import factories
from tests.staff_api.conftest import API, post


def submitted_order(workshop, company, **fields) -> Order:
    fields.setdefault("total_price_yen", 1_000_000)
    return factories.OrderFactory(
        workshop=workshop, company=company, status=Order.Status.SUBMITTED, **fields
    )


def test_it_lists_the_workshops_i_staff(staff_client, workshop_a, workshop_b):
    body = staff_client.get("/api/v1/staff/workshops/").json()

    assert [row["slug"] for row in body["results"]] == ["hidamari"]


def test_it_lists_my_workshops_orders_filtered_by_status(
    staff_client, workshop_a, company_a, order_a, order_b
):
    incoming = submitted_order(workshop_a, company_a, title="新しい発注")
    factories.WorkUnitFactory(order=order_a, status="approved")
    factories.WorkUnitFactory(order=order_a)

    body = staff_client.get(f"{API}orders/").json()
    assert {row["title"] for row in body["results"]} == {"DM封入 3月号", "新しい発注"}
    row = next(r for r in body["results"] if r["id"] == order_a.pk)
    assert (row["units_approved"], row["units_total"]) == (1, 2)
    assert row["company"] == "丘の上印刷"

    filtered = staff_client.get(f"{API}orders/?status=submitted").json()
    assert [row["id"] for row in filtered["results"]] == [incoming.pk]
    one = staff_client.get(f"{API}orders/{order_a.pk}/").json()
    assert one["title"] == "DM封入 3月号"


def test_it_accepts_an_order_and_tells_the_company(staff_client, workshop_a, company_a, member_a):
    order = submitted_order(workshop_a, company_a)

    response = post(staff_client, f"{API}orders/{order.pk}/accept/", {"minutes_per_item": 1})

    assert response.status_code == 200
    assert response.json()["status"] == "accepted"
    assert response.json()["minutes_per_item"] == 1
    again = post(staff_client, f"{API}orders/{order.pk}/accept/", {"minutes_per_item": 1})
    assert again.status_code == 409
    assert again.json()["code"] == "wrong_state"


def test_it_accepts_an_order_below_the_floor_only_when_told_so(staff_client, workshop_a, company_a):
    order = submitted_order(workshop_a, company_a, total_price_yen=1000)

    refused = post(staff_client, f"{API}orders/{order.pk}/accept/", {"minutes_per_item": 10})
    assert refused.status_code == 400
    assert "below_floor_ok" in refused.json()["errors"]
    order.refresh_from_db()
    assert order.status == Order.Status.SUBMITTED

    accepted = post(
        staff_client,
        f"{API}orders/{order.pk}/accept/",
        {"minutes_per_item": 10, "below_floor_ok": True},
    )
    assert accepted.json()["status"] == "accepted"


def test_it_proposes_other_terms(staff_client, workshop_a, company_a):
    order = submitted_order(workshop_a, company_a)
    later = timezone.localdate() + datetime.timedelta(days=30)

    response = post(
        staff_client,
        f"{API}orders/{order.pk}/propose/",
        {
            "total_price_yen": 1_200_000,
            "desired_delivery_date": later.isoformat(),
            "payment_date": (later + datetime.timedelta(days=30)).isoformat(),
            "note": "納期を少し延ばせますか",
        },
    )

    assert response.status_code == 200
    proposal = ChangeProposal.objects.get(order=order)
    assert proposal.total_price_yen == 1_200_000


def test_it_declines_only_with_a_reason(staff_client, workshop_a, company_a):
    order = submitted_order(workshop_a, company_a)

    bare = post(staff_client, f"{API}orders/{order.pk}/decline/", {"reason": ""})
    assert bare.status_code == 400
    assert bare.json()["code"] == "reason_required"

    response = post(
        staff_client, f"{API}orders/{order.pk}/decline/", {"reason": "人手が足りません"}
    )
    assert response.status_code == 200
    assert response.json()["status"] == "declined"


def test_it_cancels_an_accepted_order_with_a_reason(staff_client, order_a):
    response = post(staff_client, f"{API}orders/{order_a.pk}/cancel/", {"reason": "機械の故障"})

    assert response.status_code == 200
    assert response.json()["status"] == "cancelled"
    again = post(staff_client, f"{API}orders/{order_a.pk}/cancel/", {"reason": "機械の故障"})
    assert again.status_code == 409


def check_in(participant, **fields) -> Attendance:
    now = timezone.now()
    return Attendance.objects.create(
        participant=participant,
        kind="start",
        place="home",
        at=now,
        day=timezone.localdate(now),
        **fields,
    )


def test_it_lists_todays_check_ins_and_replies(staff_client, participant_a, participant_b):
    mine = check_in(participant_a)
    check_in(participant_b)
    Attendance.objects.create(
        participant=participant_a,
        kind="end",
        place="home",
        at=timezone.now() - datetime.timedelta(days=2),
        day=timezone.localdate() - datetime.timedelta(days=2),
    )

    body = staff_client.get(f"{API}check-ins/").json()
    assert [(row["id"], row["nickname"]) for row in body["results"]] == [(mine.pk, "そら")]

    response = post(staff_client, f"{API}check-ins/{mine.pk}/reply/", {"text": "おはよう！"})
    assert response.status_code == 200
    assert response.json()["staff_reply"] == "おはよう！"
    mine.refresh_from_db()
    assert mine.replied_at is not None
    empty = post(staff_client, f"{API}check-ins/{mine.pk}/reply/", {"text": ""})
    assert empty.status_code == 400
    assert empty.json()["code"] == "invalid"
