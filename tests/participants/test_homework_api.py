"""The home-work day in the API: the participant's day and push subscriptions, the staff's
today's contacts, report confirmation (frozen, 409 on a second try) and weekly evaluation, and
404 for another workshop's staff on every one of them."""

import datetime

import pytest

from participants import attendance, homework
from participants.homework_models import DailyReport, WeeklyEvaluation
from participants.reminder_models import PushSubscription
from tests.participants.test_reminders import device_keys

ME = "/api/v1/me/"


def staff_base(participant) -> str:
    return f"/api/v1/staff/workshops/{participant.workshop.slug}/"


def post(client, url, data=None):
    return client.post(url, data or {}, content_type="application/json")


def test_participant_reads_their_day_and_adds_a_line(client, sora, today):
    attendance.check_in(participant=sora, kind="start", place="home")
    client.force_login(sora.user)
    day = client.get(f"{ME}days/{today.isoformat()}/").json()
    assert day["check_ins"][0]["kind"] == "start" and day["confirmed"] is False
    answer = post(client, f"{ME}days/{today.isoformat()}/", {"line": "よくできた", "mood": "calm"})
    assert answer.status_code == 200
    assert (answer.json()["line"], answer.json()["mood"]) == ("よくできた", "calm")
    future = today + datetime.timedelta(days=1)
    assert client.get(f"{ME}days/{future.isoformat()}/").status_code == 404


def test_participant_api_refuses_to_change_a_confirmed_day(client, sora, staff_a, today):
    attendance.check_in(participant=sora, kind="start", place="home")
    homework.confirm_report(participant=sora, day=today, by=staff_a)
    client.force_login(sora.user)
    answer = post(client, f"{ME}days/{today.isoformat()}/", {"line": "変えたい"})
    assert answer.status_code == 409 and answer.json()["code"] == "confirmed"


def test_push_subscriptions_by_api(client, participant_a):
    client.force_login(participant_a.user)
    p256dh, auth = device_keys()
    body = {"endpoint": "https://push.example/a", "keys": {"p256dh": p256dh, "auth": auth}}
    assert post(client, f"{ME}push-subscriptions/", body).status_code == 201
    assert PushSubscription.objects.get().user == participant_a.user
    gone = client.delete(
        f"{ME}push-subscriptions/", {"endpoint": "https://push.example/a"}, "application/json"
    )
    assert gone.status_code == 204 and not PushSubscription.objects.exists()


@pytest.mark.parametrize(
    "endpoint, keys",
    [
        ("http://push.example/a", None),  # https only
        ("https://push.example/" + "a" * 1000, None),  # longer than the schema's 1000
        ("https://push.example/a ", None),  # not stripped into a valid one
        ("https://プッシュ.example/a", None),  # the schema's uri is ASCII
        (12, None),
        ("https://push.example/a", {"p256dh": 12345, "auth": "x"}),  # keys are text, as sent
        ("https://push.example/a", {"p256dh": "k" * 201, "auth": "x"}),
        ("https://push.example/a", {"p256dh": "k" * 200 + " ", "auth": "x"}),
        ("https://push.example/a", {"p256dh": "k", "auth": "a" * 101}),
        ("https://push.example/a", {"p256dh": "k"}),
        ("https://push.example/a", {"auth": "x"}),
        ("https://push.example/a", "keys"),
    ],
)
def test_push_subscriptions_refuse_what_the_schema_refuses(client, participant_a, endpoint, keys):
    client.force_login(participant_a.user)
    p256dh, auth = device_keys()
    given = {"p256dh": p256dh, "auth": auth} if keys is None else keys
    body = {"endpoint": endpoint, "keys": given}
    answer = post(client, f"{ME}push-subscriptions/", body)
    assert answer.status_code == 400 and answer.json()["code"] == "invalid"
    assert not PushSubscription.objects.exists()


def test_unsubscribing_without_an_endpoint_is_a_documented_400(client, participant_a):
    client.force_login(participant_a.user)
    answer = client.delete(f"{ME}push-subscriptions/", {}, "application/json")
    assert answer.status_code == 400 and answer.json()["code"] == "invalid"


def test_staff_contacts_confirm_and_evaluate(client, sora, staff_a, order_a, today, yesterday):
    check, _created = attendance.check_in(participant=sora, kind="start", place="home")
    client.force_login(staff_a)
    base = staff_base(sora)
    rows = client.get(f"{base}contacts/today/").json()
    assert [(r["nickname"], r["started"], r["replies_waiting"]) for r in rows] == [
        (sora.nickname, True, [check.pk])
    ]
    day_url = f"{base}participants/{sora.pk}/days/{today.isoformat()}/"
    assert client.get(day_url).json()["confirmed"] is False
    confirmed = post(client, day_url + "confirm/", {"note": "おつかれさま"})
    assert confirmed.status_code == 200 and confirmed.json()["staff_note"] == "おつかれさま"
    again = post(client, day_url + "confirm/", {"note": "二回目"})
    assert again.status_code == 409 and again.json()["code"] == "confirmed"
    assert DailyReport.objects.get(participant=sora).staff_note == "おつかれさま"

    week = homework.week_start_of(today).isoformat()
    url = f"{base}participants/{sora.pk}/weeks/{week}/evaluation/"
    assert client.get(url).status_code == 404
    written = client.put(
        url, {"went_well": "毎日連絡できた", "pace": "about_right"}, "application/json"
    )
    assert written.status_code == 200 and "minutes" in written.json()["numbers"]
    assert client.get(url).json()["went_well"] == "毎日連絡できた"
    tuesday = (homework.week_start_of(yesterday) + datetime.timedelta(days=1)).isoformat()
    bad = client.put(
        f"{base}participants/{sora.pk}/weeks/{tuesday}/evaluation/",
        {"went_well": "x", "pace": "light"},
        "application/json",
    )
    assert bad.status_code in (400, 404)


def test_another_workshop_gets_404_on_every_homework_endpoint(
    client, sora, staff_a, staff_b, today
):
    attendance.check_in(participant=sora, kind="start", place="home")
    homework.confirm_report(participant=sora, day=today, by=staff_a)
    week = homework.week_start_of(today).isoformat()
    homework.write_evaluation(
        participant=sora,
        week_start=homework.week_start_of(today),
        went_well="よい",
        try_next="",
        pace="light",
        shared=False,
        by=staff_a,
    )
    base = staff_base(sora)
    client.force_login(staff_b)
    day_url = f"{base}participants/{sora.pk}/days/{today.isoformat()}/"
    eval_url = f"{base}participants/{sora.pk}/weeks/{week}/evaluation/"
    assert client.get(f"{base}contacts/today/").status_code == 404
    assert client.get(day_url).status_code == 404
    assert post(client, day_url + "confirm/").status_code == 404
    assert client.get(eval_url).status_code == 404
    assert (
        client.put(eval_url, {"went_well": "x", "pace": "light"}, "application/json").status_code
        == 404
    )
    assert WeeklyEvaluation.objects.get().went_well == "よい"
