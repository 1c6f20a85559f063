"""Reminders that reach the phone: sent by a task through the real pywebpush request path, with
only the HTTP transport replaced by a fake push service; choices and quiet hours respected; a
device the push service calls gone is forgotten; e-mail only when chosen; and no text presses."""

import base64
import datetime
import json
import re
import zoneinfo

import pytest
import requests
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from django.core import mail
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone, translation

from participants import attendance, reminders
from participants.reminder_models import PushSubscription, ReminderSettings

TOKYO = zoneinfo.ZoneInfo("Asia/Tokyo")
NOON = datetime.datetime(2026, 6, 1, 12, 0, tzinfo=TOKYO)


def device_keys() -> tuple[str, str]:
    """A browser's subscription keys: a P-256 public key and a 16-byte secret, base64url."""
    key = ec.generate_private_key(ec.SECP256R1())
    public = key.public_key().public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )
    encode = lambda raw: base64.urlsafe_b64encode(raw).rstrip(b"=").decode()  # noqa: E731
    return encode(public), encode(b"0123456789abcdef")


class FakePushService:
    """Stands in for the push services' HTTP endpoints: records each request pywebpush made and
    answers with the status given for its endpoint (201 by default)."""

    def __init__(self):
        self.requests: list[requests.PreparedRequest] = []
        self.status: dict[str, int] = {}

    def send(self, adapter, request, *args, **kwargs):
        self.requests.append(request)
        response = requests.Response()
        response.status_code = self.status.get(request.url, 201)
        response.url = request.url
        response.request = request
        response._content = b""
        return response


@pytest.fixture
def push_service(monkeypatch):
    service = FakePushService()
    monkeypatch.setattr(
        requests.adapters.HTTPAdapter,
        "send",
        lambda adapter, request, *a, **k: service.send(adapter, request, *a, **k),
    )
    return service


@pytest.fixture
def at_noon(monkeypatch):
    monkeypatch.setattr(timezone, "now", lambda: NOON)


def subscribe(participant, endpoint="https://push.example/device-1"):
    p256dh, auth = device_keys()
    return reminders.subscribe(user=participant.user, endpoint=endpoint, p256dh=p256dh, auth=auth)


def test_a_staff_reply_is_pushed_to_every_device_through_pywebpush(
    participant_a, staff_a, push_service, at_noon
):
    subscribe(participant_a, "https://push.example/phone")
    subscribe(participant_a, "https://push.example/tablet")
    check, _created = attendance.check_in(participant=participant_a, kind="start", place="home")
    attendance.reply_to_check_in(attendance=check, by=staff_a, text="おはようございます")

    assert [r.url for r in push_service.requests] == [
        "https://push.example/phone",
        "https://push.example/tablet",
    ]
    sent = push_service.requests[0]
    assert sent.headers["Content-Encoding"] == "aes128gcm"
    assert sent.headers["Authorization"].startswith("vapid t=")
    assert reminders.public_key() in sent.headers["Authorization"]
    assert int(sent.headers["TTL"]) == reminders.PUSH_TTL
    # The body is encrypted for the device: the text is not readable on the wire.
    assert "返信" not in sent.body.decode("latin-1")
    assert PushSubscription.objects.filter(last_sent_at__isnull=False).count() == 2


def test_a_gone_device_is_forgotten(participant_a, push_service, at_noon):
    subscribe(participant_a, "https://push.example/old")
    subscribe(participant_a, "https://push.example/lost")
    subscribe(participant_a, "https://push.example/new")
    push_service.status["https://push.example/old"] = 410
    push_service.status["https://push.example/lost"] = 404
    outcome = reminders.send_reminder.call(participant_a.pk, "reply", "/today/")
    assert outcome == "pushed"
    assert list(PushSubscription.objects.values_list("endpoint", flat=True)) == [
        "https://push.example/new"
    ]


def test_a_push_service_error_keeps_the_device(participant_a, push_service, at_noon):
    subscribe(participant_a)
    push_service.status["https://push.example/device-1"] = 500
    assert reminders.send_reminder.call(participant_a.pk, "reply", "") == "nowhere"
    assert PushSubscription.objects.count() == 1


@pytest.mark.parametrize(
    "now, quiet",
    [
        (datetime.datetime(2026, 6, 1, 22, 30, tzinfo=TOKYO), True),
        (datetime.datetime(2026, 6, 2, 0, 15, tzinfo=TOKYO), True),
        (datetime.datetime(2026, 6, 2, 7, 59, tzinfo=TOKYO), True),
        (datetime.datetime(2026, 6, 2, 8, 0, tzinfo=TOKYO), False),
        (datetime.datetime(2026, 6, 1, 20, 59, tzinfo=TOKYO), False),
    ],
)
def test_quiet_hours_across_midnight(participant_a, push_service, monkeypatch, now, quiet):
    subscribe(participant_a)
    monkeypatch.setattr(timezone, "now", lambda: now)
    outcome = reminders.send_reminder.call(participant_a.pk, "reply", "")
    assert (outcome == "quiet") is quiet
    assert bool(push_service.requests) is not quiet


def test_quiet_hours_hold_the_reminder_until_morning_where_the_backend_can_wait(
    participant_a, push_service, monkeypatch
):
    subscribe(participant_a)
    monkeypatch.setattr(timezone, "now", lambda: datetime.datetime(2026, 6, 1, 23, 0, tzinfo=TOKYO))
    with override_settings(
        TASKS={"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}
    ):
        from django.tasks import default_task_backend

        assert reminders.send_reminder.call(participant_a.pk, "reply", "") == "held"
        (held,) = default_task_backend.results
        assert held.task.run_after == datetime.datetime(2026, 6, 2, 8, 0, tzinfo=TOKYO)
    assert push_service.requests == []


def test_choices_are_respected_and_email_only_when_chosen(participant_a, push_service, at_noon):
    ReminderSettings.objects.create(participant=participant_a, on_suggestion=False)
    assert reminders.send_reminder.call(participant_a.pk, "suggestion", "") == "off"
    assert reminders.send_reminder.call(participant_a.pk, "statement", "") == "nowhere"
    assert mail.outbox == []
    ReminderSettings.objects.filter(participant=participant_a).update(email_fallback=True)
    assert reminders.send_reminder.call(participant_a.pk, "statement", "/statements/") == "emailed"
    assert mail.outbox[0].to == ["sora@example.com"]
    assert "/statements/" in mail.outbox[0].body
    assert push_service.requests == []


# Words that would press, count, compare or hurry, in either language.
PRESSING = re.compile(
    r"haven't|have not|yet|overdue|late|hurry|must|should|remember to|don't forget|deadline|"
    r"streak|\d|まだ|遅れ|急い|忘れ|期限|しなければ|してください|ランキング|連続",
    re.IGNORECASE,
)


@pytest.mark.parametrize("language", ["en", "ja"])
def test_no_reminder_text_presses(language):
    """Every text a reminder can carry, in both languages: short, and free of anything that
    hurries, counts or compares."""
    assert set(reminders.REMINDER_TEXTS) == set(reminders.Reminder)
    for kind, texts in reminders.REMINDER_TEXTS.items():
        for lazy in texts:
            with translation.override("en"):
                english = str(lazy)
            with translation.override(language):
                text = str(lazy)
            assert text and len(text) <= 80, (kind, text)
            assert not PRESSING.search(text), (kind, text)
            if language == "ja":
                assert text != english, f"No Japanese for {english!r}"


def test_the_participant_chooses_and_subscribes_from_the_phone(client, participant_a):
    client.force_login(participant_a.user)
    page = client.get(reverse("myday:reminders"))
    assert page.status_code == 200
    assert reminders.public_key() in page.content.decode()
    p256dh, auth = device_keys()
    response = client.post(
        reverse("myday:push_subscribe"),
        json.dumps(
            {"endpoint": "https://push.example/x", "keys": {"p256dh": p256dh, "auth": auth}}
        ),
        content_type="application/json",
    )
    assert response.status_code == 201
    assert PushSubscription.objects.get().user == participant_a.user
    bad = client.post(
        reverse("myday:push_subscribe"),
        json.dumps({"endpoint": "http://insecure"}),
        content_type="application/json",
    )
    assert bad.status_code == 400 and bad.json()["code"] == "invalid"
    client.post(
        reverse("myday:reminders"),
        {"on_reply": "on", "quiet_from": "22:00", "quiet_until": "07:30"},
    )
    saved = ReminderSettings.objects.get(participant=participant_a)
    assert (saved.on_reply, saved.on_redo, saved.quiet_from) == (True, False, datetime.time(22))
    client.post(
        reverse("myday:push_unsubscribe"),
        json.dumps({"endpoint": "https://push.example/x"}),
        content_type="application/json",
    )
    assert not PushSubscription.objects.exists()


def test_staff_cannot_see_or_use_the_reminder_pages(client, staff_a):
    client.force_login(staff_a)
    assert client.get(reverse("myday:reminders")).status_code == 404
    assert client.post(reverse("myday:push_subscribe"), "{}", "application/json").status_code == 404


def test_vapid_keys_from_settings_or_derived_without_network():
    private, public = reminders.new_key_pair()
    with override_settings(VAPID_PRIVATE_KEY=private, VAPID_PUBLIC_KEY=public):
        assert reminders.vapid_keys() == (private, public)
    derived = reminders.vapid_keys()
    assert (
        derived == reminders.vapid_keys() and len(base64.urlsafe_b64decode(derived[1] + "=")) == 65
    )
