"""Reminders that reach the phone (docs/homework.md): Web Push from the installed app, e-mail as a
fallback when the participant chose it. Only four things are ever sent, each a piece of news for
the person (a reply, a redo note, a suggestion, a statement); nothing that presses ("you haven't
logged today") exists here to be sent. The texts are all in REMINDER_TEXTS, and a test reads
every one of them.

Sending is a task (`send_reminder`), never the request: `remind()` only enqueues it. The task
respects the participant's choices and quiet hours (held until the quiet hours end where the task
backend can defer, else not pushed: the news is in the app either way), and removes a device's
subscription when the push service answers 404 or 410."""

import base64
import datetime
import hashlib
import json
import logging
from enum import StrEnum
from functools import lru_cache

import requests
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from django.conf import settings
from django.db import transaction
from django.tasks import task
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from py_vapid import Vapid02
from pywebpush import WebPushException, webpush

from participants.models import Participant
from participants.reminder_models import PushSubscription, ReminderSettings
from workshop.mail import SUBJECT_PREFIX, enqueue_email
from workshop.rules import RuleError

logger = logging.getLogger(__name__)


class Reminder(StrEnum):
    REPLY = "reply"
    REDO = "redo"
    SUGGESTION = "suggestion"
    STATEMENT = "statement"


# Every text a reminder can carry: (title, body). Short, warm, news only, no counts, no time
# pressure. A test walks all of them.
REMINDER_TEXTS = {
    Reminder.REPLY: (_("A reply from staff"), _("Staff wrote back to your check-in.")),
    Reminder.REDO: (
        _("A note from staff"),
        _("Staff left a note about your work. Have a look when it suits you."),
    ),
    Reminder.SUGGESTION: (
        _("A suggestion"),
        _("Staff thought of some work that might suit you. Only if you like."),
    ),
    Reminder.STATEMENT: (
        _("Your pay statement"),
        _("Your pay statement is ready to read."),
    ),
}

# The setting that switches each kind on or off.
SETTING_OF = {
    Reminder.REPLY: "on_reply",
    Reminder.REDO: "on_redo",
    Reminder.SUGGESTION: "on_suggestion",
    Reminder.STATEMENT: "on_statement",
}

PUSH_TTL = 12 * 60 * 60  # seconds a push service keeps a message for a sleeping phone
GONE = {404, 410}


class ReminderError(RuleError):
    """A subscription or a setting was refused; codes: invalid."""


# --- VAPID keys -------------------------------------------------------------------------------


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


@lru_cache(maxsize=4)
def _derived_private_key(secret: str) -> ec.EllipticCurvePrivateKey:
    """A P-256 key derived from SECRET_KEY, for development without network or set-up."""
    seed = int.from_bytes(hashlib.sha256(f"engawa-vapid:{secret}".encode()).digest(), "big")
    order = 0xFFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551
    return ec.derive_private_key(seed % (order - 1) + 1, ec.SECP256R1())


def new_key_pair() -> tuple[str, str]:
    """A fresh (private, public) pair in the form the settings take."""
    key = ec.generate_private_key(ec.SECP256R1())
    return _private_raw(key), _public_raw(key)


def _private_raw(key: ec.EllipticCurvePrivateKey) -> str:
    return _b64url(key.private_numbers().private_value.to_bytes(32, "big"))


def _public_raw(key: ec.EllipticCurvePrivateKey) -> str:
    return _b64url(
        key.public_key().public_bytes(
            serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
        )
    )


def vapid_keys() -> tuple[str, str]:
    """(private, public), base64url: from the settings, or derived from SECRET_KEY."""
    if settings.VAPID_PRIVATE_KEY and settings.VAPID_PUBLIC_KEY:
        return settings.VAPID_PRIVATE_KEY, settings.VAPID_PUBLIC_KEY
    key = _derived_private_key(settings.SECRET_KEY)
    return _private_raw(key), _public_raw(key)


def public_key() -> str:
    return vapid_keys()[1]


# --- subscriptions ----------------------------------------------------------------------------

NOT_SET_UP = _("This device could not be set up for reminders.")


def subscribe(*, user, endpoint: str, p256dh: str, auth: str) -> PushSubscription:
    """Keep one device's subscription (the same endpoint again updates it)."""
    if not endpoint.startswith("https://") or not p256dh or not auth:
        raise ReminderError(NOT_SET_UP, code="invalid")
    subscription, _created = PushSubscription.objects.update_or_create(
        endpoint=endpoint, defaults={"user": user, "p256dh": p256dh, "auth": auth}
    )
    return subscription


def unsubscribe(*, user, endpoint: str) -> int:
    deleted, _rows = PushSubscription.objects.filter(user=user, endpoint=endpoint).delete()
    return deleted


def settings_for(participant: Participant) -> ReminderSettings:
    """The participant's choices, or the defaults (unsaved) when they never chose."""
    try:
        return participant.reminder_settings
    except ReminderSettings.DoesNotExist:
        return ReminderSettings(participant=participant)


# --- quiet hours -------------------------------------------------------------------------------


def quiet_until(choices: ReminderSettings, now: datetime.datetime) -> datetime.datetime | None:
    """The end of the quiet hours if `now` is inside them, else None. Quiet hours may run across
    midnight (21:00–8:00); equal times mean none."""
    start, end = choices.quiet_from, choices.quiet_until
    if start == end:
        return None
    local = timezone.localtime(now)
    moment = local.time()
    inside = (start <= moment < end) if start < end else (moment >= start or moment < end)
    if not inside:
        return None
    day = local.date()
    if start > end and moment >= start:
        day += datetime.timedelta(days=1)
    return timezone.make_aware(datetime.datetime.combine(day, end))


# --- sending -------------------------------------------------------------------------------------


def remind(*, participant: Participant, kind: Reminder, url: str = "") -> None:
    """Queue a reminder for the participant. Cheap: one task row, nothing sent here."""
    if participant.user_id is None:
        return
    send_reminder.enqueue(participant_id=participant.pk, kind=str(kind), url=url)


def _payload(kind: Reminder, url: str) -> tuple[str, str, str]:
    title, body = REMINDER_TEXTS[kind]
    with translation.override(settings.LANGUAGE_CODE):
        return str(title), str(body), url or "/today/"


@task()
def send_reminder(participant_id: int, kind: str, url: str = "") -> str:
    """Send one reminder to every device of the participant. Returns what happened, for logs and
    tests: off, quiet, held, pushed, emailed, nowhere."""
    participant = (
        Participant.objects.select_related("user", "reminder_settings")
        .filter(pk=participant_id)
        .exclude(status=Participant.Status.ENDED)
        .first()
    )
    if participant is None or participant.user is None:
        return "nowhere"
    reminder = Reminder(kind)
    choices = settings_for(participant)
    if not getattr(choices, SETTING_OF[reminder]):
        return "off"
    now = timezone.now()
    later = quiet_until(choices, now)
    if later is not None:
        if send_reminder.get_backend().supports_defer:
            send_reminder.using(run_after=later).enqueue(
                participant_id=participant_id, kind=kind, url=url
            )
            return "held"
        return "quiet"
    title, body, target = _payload(reminder, url)
    if push_to_devices(participant.user, title=title, body=body, url=target):
        return "pushed"
    if choices.email_fallback and participant.user.email:
        link = f"{settings.SITE_URL}{target}"
        enqueue_email(
            subject=SUBJECT_PREFIX + title, body=f"{body}\n\n{link}\n", to=[participant.user.email]
        )
        return "emailed"
    return "nowhere"


def push_to_devices(user, *, title: str, body: str, url: str) -> int:
    """Push to each of the user's devices through pywebpush; a device the push service says is
    gone (404, 410) is forgotten. Returns how many devices took it."""
    private, _public = vapid_keys()
    vapid = Vapid02.from_raw(private.encode())
    data = json.dumps({"title": title, "body": body, "url": url}, ensure_ascii=False)
    delivered = 0
    for subscription in PushSubscription.objects.filter(user=user).order_by("pk"):
        try:
            webpush(
                subscription_info={
                    "endpoint": subscription.endpoint,
                    "keys": {"p256dh": subscription.p256dh, "auth": subscription.auth},
                },
                data=data,
                vapid_private_key=vapid,
                vapid_claims={"sub": settings.VAPID_SUBJECT},
                ttl=PUSH_TTL,
                timeout=10,
            )
        except WebPushException as failed:
            status = getattr(failed.response, "status_code", None)
            if status in GONE:
                PushSubscription.objects.filter(pk=subscription.pk).delete()
            else:
                logger.warning("Push to device %s failed: %s", subscription.pk, status)
            continue
        except requests.RequestException as failed:
            logger.warning("Push to device %s failed: %s", subscription.pk, type(failed).__name__)
            continue
        delivered += 1
        with transaction.atomic():
            PushSubscription.objects.filter(pk=subscription.pk).update(last_sent_at=timezone.now())
    return delivered
