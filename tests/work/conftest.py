"""Units in each state for the work console's tests, and a way to count a page's queries."""

import datetime
import io
import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from PIL import Image

from jobs import work
from jobs.models import WorkUnit
from tests import factories


def submitted_unit(order, participant, *, quantity=50, logged=None, **fields) -> WorkUnit:
    """A unit the participant took, logged work on and handed in, through the real rules."""
    unit = factories.WorkUnitFactory(order=order, quantity=quantity, **fields)
    work.claim_unit(unit_id=unit.pk, participant=participant)
    work.log_progress(
        unit=unit,
        participant=participant,
        client_uuid=uuid.uuid4(),
        quantity=quantity if logged is None else logged,
        minutes=30,
        note="できました",
    )
    work.finish_unit(unit=unit, participant=participant)
    unit.refresh_from_db()
    return unit


def held_unit(order, participant, *, quiet_days: int = 0, **fields) -> WorkUnit:
    """A unit the participant holds, last touched `quiet_days` ago and not expired."""
    now = timezone.now()
    last = now - datetime.timedelta(days=quiet_days)
    return factories.WorkUnitFactory(
        order=order,
        status=WorkUnit.Status.CLAIMED,
        holder=participant,
        claimed_at=last,
        last_activity_at=last,
        expires_at=now + datetime.timedelta(hours=24),
        **fields,
    )


def jpeg_with_gps() -> bytes:
    """A small JPEG carrying EXIF with a GPS position."""
    image = Image.new("RGB", (40, 30), "orange")
    exif = Image.Exif()
    exif[0x8825] = {1: "N", 2: (35.0, 40.0, 12.0), 3: "E", 4: (139.0, 45.0, 30.0)}
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif.tobytes())
    return out.getvalue()


def queries_for(client, url: str, **extra) -> int:
    with CaptureQueriesContext(connection) as context:
        response = client.get(url, **extra)
    assert response.status_code == 200
    return len(context.captured_queries)


@pytest.fixture
def staff_client(client, staff_a):
    client.force_login(staff_a)
    return client


@pytest.fixture
def haru(workshop_a):
    return factories.ParticipantFactory(workshop=workshop_a, nickname="はる")
