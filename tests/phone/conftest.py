"""The participant's phone, read in Japanese as participants read it (tests compare against
tests.i18n.ja(...)), with units in each state and photos made on the spot."""

import datetime
import io
import uuid

import pytest
from django.core.cache import cache
from django.utils import timezone
from PIL import Image
from rest_framework.test import APIClient

from jobs import counters
from jobs.models import WorkUnit
from tests import factories

GPS_IFD = 0x8825


@pytest.fixture(autouse=True)
def fresh_rate_counts():
    cache.clear()  # the API's rate counts


def signed_in(client, user):
    client.force_login(user)
    return client


@pytest.fixture
def sora(client, participant_a):
    return signed_in(client, participant_a.user)


@pytest.fixture
def umi(participant_b):
    from django.test import Client

    return signed_in(Client(), participant_b.user)


@pytest.fixture
def sora_api(participant_a):
    api = APIClient()
    api.force_authenticate(participant_a.user)
    return api


@pytest.fixture
def umi_api(participant_b):
    api = APIClient()
    api.force_authenticate(participant_b.user)
    return api


@pytest.fixture
def unit_a(order_a):
    return factories.WorkUnitFactory(order=order_a, quantity=50, estimated_minutes=30)


def take(participant, unit: WorkUnit, hours: int = 48) -> WorkUnit:
    """The participant holds the unit, kept for `hours` more (negative: already expired)."""
    now = timezone.now()
    counters.moved(unit.order_id, unit.status, WorkUnit.Status.CLAIMED)
    WorkUnit.objects.filter(pk=unit.pk).update(
        status=WorkUnit.Status.CLAIMED,
        holder=participant,
        claimed_at=now,
        last_activity_at=now,
        expires_at=now + datetime.timedelta(hours=hours),
    )
    unit.refresh_from_db()
    return unit


@pytest.fixture
def held_a(participant_a, unit_a):
    return take(participant_a, unit_a)


def log_fields(**overrides) -> dict:
    return {
        "client_uuid": str(uuid.uuid4()),
        "quantity": 10,
        "minutes": 25,
        "note": "",
        "place": "home",
        **overrides,
    }


def jpeg_with_gps(size=(1200, 900)) -> bytes:
    image = Image.new("RGB", size, "orange")
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"
    exif[0x0110] = "Model X"
    exif[0x0132] = "2026:11:29 10:00:00"
    exif[GPS_IFD] = {1: "N", 2: (35.0, 40.0, 12.0), 3: "E", 4: (139.0, 45.0, 30.0)}
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", exif=exif.tobytes())
    return buffer.getvalue()


def bomb_png() -> bytes:
    buffer = io.BytesIO()
    Image.new("1", (12000, 12000)).save(buffer, "PNG")  # 144 megapixels in a few kilobytes
    return buffer.getvalue()


def upload(data: bytes, name: str = "photo.jpg", content_type: str = "image/jpeg"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data, content_type=content_type)
