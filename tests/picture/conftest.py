"""A workshop whose history is written by hand, with dates chosen so that every number of the
picture can be worked out on paper (see the comments in test_picture.py)."""

import datetime
import uuid

import pytest
from django.utils import timezone

from jobs.models import ProgressLog
from participants.models import Participant, Stage, StageChange
from tests import factories

TODAY = datetime.date(2026, 11, 20)


def change(participant, on: datetime.date, to: str, from_stage: str = "") -> StageChange:
    return StageChange.objects.create(
        participant=participant, on=on, to_stage=to, from_stage=from_stage
    )


def log(participant, unit, when: datetime.datetime, minutes: int, place: str) -> ProgressLog:
    return ProgressLog.objects.create(
        unit=unit,
        participant=participant,
        client_uuid=uuid.uuid4(),
        minutes=minutes,
        quantity=1,
        place=place,
        created_at=timezone.make_aware(when),
    )


def build_history(workshop, prefix: str = "") -> dict:
    """Five participants of `workshop`:

    A: 2026-01-10 first → つながり, 02-09 → 居場所, 04-10 → 作業体験 (now, active)
    B: 2026-01-20 first → つながり, 02-19 → 居場所, 03-21 → つながり (back), now つながり, paused
    C: 2026-02-01 first → 居場所, 03-03 → 作業体験, 2026-05-02 → 一般就労, 2026-07-01 → 定着,
       support ended 2026-08-31
    D: 2025-03-10 → 一般就労 (from 就職活動), now 一般就労, active
    E: no change recorded, at 居場所, active
    """
    P = Participant.Status
    make = factories.ParticipantFactory
    a = make(workshop=workshop, nickname=f"{prefix}A", stage=Stage.TRYING_WORK)
    b = make(workshop=workshop, nickname=f"{prefix}B", stage=Stage.CONNECTION, status=P.PAUSED)
    c = make(
        workshop=workshop,
        nickname=f"{prefix}C",
        stage=Stage.SETTLED,
        status=P.ENDED,
        ended_on=datetime.date(2026, 8, 31),
    )
    d = make(workshop=workshop, nickname=f"{prefix}D", stage=Stage.EMPLOYED)
    e = make(workshop=workshop, nickname=f"{prefix}E", stage=Stage.PLACE)
    S = Stage
    change(a, datetime.date(2026, 1, 10), S.CONNECTION)
    change(a, datetime.date(2026, 2, 9), S.PLACE, S.CONNECTION)
    change(a, datetime.date(2026, 4, 10), S.TRYING_WORK, S.PLACE)
    change(b, datetime.date(2026, 1, 20), S.CONNECTION)
    change(b, datetime.date(2026, 2, 19), S.PLACE, S.CONNECTION)
    change(b, datetime.date(2026, 3, 21), S.CONNECTION, S.PLACE)
    change(c, datetime.date(2026, 2, 1), S.PLACE)
    change(c, datetime.date(2026, 3, 3), S.TRYING_WORK, S.PLACE)
    change(c, datetime.date(2026, 5, 2), S.EMPLOYED, S.TRYING_WORK)
    change(c, datetime.date(2026, 7, 1), S.SETTLED, S.EMPLOYED)
    change(d, datetime.date(2025, 3, 10), S.EMPLOYED, S.JOB_SEARCH)

    # Work: 90 + 30 minutes at home in October, 45 on site in October, 60 on site in November,
    # and one log before the twelve months shown (2025-11-30) that must not count.
    unit = factories.WorkUnitFactory(order__workshop=workshop, order__company__slug=f"{prefix}co")
    log(a, unit, datetime.datetime(2026, 10, 5, 10, 0), 90, "home")
    log(a, unit, datetime.datetime(2026, 10, 31, 23, 30), 30, "home")
    log(b, unit, datetime.datetime(2026, 10, 12, 14, 0), 45, "on_site")
    log(e, unit, datetime.datetime(2026, 11, 1, 0, 15), 60, "on_site")
    log(e, unit, datetime.datetime(2025, 11, 30, 12, 0), 600, "home")
    return {"a": a, "b": b, "c": c, "d": d, "e": e}


@pytest.fixture
def history(workshop_a):
    return build_history(workshop_a)
