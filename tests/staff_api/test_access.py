"""Who may use the staff API: staff of the workshop only. Another workshop's staff get 404 for
every object (through their own workshop's address or through the other's); people who are
nobody's staff get 403; a session write without the CSRF token is refused."""

import pytest
from django.test import Client
from django.utils import timezone

from companies.tokens import create_token
from jobs.models import SkillTraining, SplitJob
from participants.attendance_models import Attendance
from tests.staff_api.conftest import post
from tests.work.conftest import held_unit, submitted_unit


@pytest.fixture
def objects_a(order_a, participant_a, staff_a):
    held = held_unit(order_a, participant_a)
    handed_in = submitted_unit(order_a, participant_a)
    now = timezone.now()
    return {
        "order": order_a.pk,
        "held": held.pk,
        "handed_in": handed_in.pk,
        "job": SplitJob.objects.create(order=order_a, total=1, runs=[[1, 1]], status="done").pk,
        "training": SkillTraining.objects.create(participant=participant_a, skill_tag="封入").pk,
        "check": Attendance.objects.create(
            participant=participant_a,
            kind="start",
            place="home",
            at=now,
            day=timezone.localdate(now),
        ).pk,
        "participant": participant_a.pk,
    }


GETS = [
    "orders/{order}/",
    "orders/{order}/units/",
    "split-jobs/{job}/",
]
POSTS = [
    ("orders/{order}/accept/", {"minutes_per_item": 1}),
    ("orders/{order}/decline/", {"reason": "x"}),
    ("orders/{order}/cancel/", {"reason": "x"}),
    ("orders/{order}/split/preview/", {"size": 10}),
    ("orders/{order}/split/", {"size": 10}),
    ("units/{held}/release/", {}),
    ("units/{held}/reach-out/", {}),
    ("units/{held}/suggest/", {"participant": 0}),
    ("units/{handed_in}/approve/", {}),
    ("units/{handed_in}/redo/", {"note": "もう一度"}),
    ("units/{handed_in}/approve-part/", {"quantity": 1}),
    ("check-ins/{check}/reply/", {"text": "おはよう"}),
    ("skills/", {"participant": "{participant}", "skill_tag": "検品"}),
]


def fill(data: dict, objects: dict) -> dict:
    return {
        key: int(value.format(**objects)) if isinstance(value, str) and "{" in value else value
        for key, value in data.items()
    }


@pytest.mark.parametrize("slug", ["hidamari", "minato"])
def test_another_workshops_staff_get_404_for_every_object(client, staff_b, objects_a, slug):
    client.force_login(staff_b)
    base = f"/api/v1/staff/workshops/{slug}/"

    for path in GETS:
        response = client.get(base + path.format(**objects_a))
        assert response.status_code == 404, path
        assert response.json()["code"] == "not_found"
    for path, data in POSTS:
        response = post(client, base + path.format(**objects_a), fill(data, objects_a))
        assert response.status_code == 404, path
    assert client.delete(base + "skills/{training}/".format(**objects_a)).status_code == 404
    assert SkillTraining.objects.filter(pk=objects_a["training"]).exists()
    assert not Attendance.objects.get(pk=objects_a["check"]).staff_reply


def test_another_workshops_lists_are_404_and_my_lists_leave_them_out(client, staff_b, objects_a):
    client.force_login(staff_b)

    for path in ["orders/", "reviews/", "skills/", "check-ins/"]:
        assert client.get(f"/api/v1/staff/workshops/hidamari/{path}").status_code == 404
        mine = client.get(f"/api/v1/staff/workshops/minato/{path}").json()
        assert mine["count"] == 0, path


@pytest.mark.parametrize("who", ["member_a", "participant_user", "nobody"])
def test_people_who_are_nobodys_staff_get_403(client, objects_a, who, member_a, participant_a):
    if who == "member_a":
        client.force_login(member_a)
    elif who == "participant_user":
        client.force_login(participant_a.user)

    for path in ["/api/v1/staff/workshops/", "/api/v1/staff/workshops/hidamari/orders/"]:
        response = client.get(path)
        assert response.status_code == 403
        assert response.json()["code"] in {"permission_denied", "not_authenticated"}
    refused = post(
        client, "/api/v1/staff/workshops/hidamari/units/{handed_in}/approve/".format(**objects_a)
    )
    assert refused.status_code == 403


def test_a_company_token_does_not_open_the_staff_api(client, company_a, company_admin_a):
    _, secret = create_token(company=company_a, by=company_admin_a, name="受注システム")

    response = client.get("/api/v1/staff/workshops/", HTTP_AUTHORIZATION=f"Bearer {secret}")

    assert response.status_code == 403


def test_a_session_write_without_the_csrf_token_is_refused(staff_a, objects_a):
    client = Client(enforce_csrf_checks=True)
    client.force_login(staff_a)
    url = "/api/v1/staff/workshops/hidamari/units/{handed_in}/approve/".format(**objects_a)

    response = client.post(url, {}, content_type="application/json")

    assert response.status_code == 403
    assert response.json()["code"] == "csrf_failed"
    client.get("/w/hidamari/")
    token = client.cookies["csrftoken"].value
    allowed = client.post(url, {}, content_type="application/json", HTTP_X_CSRFTOKEN=token)
    assert allowed.status_code == 200
    assert allowed.json()["status"] == "approved"
