"""Support-record fixtures on top of the personas in tests/conftest.py: a participant of each
workshop whose consent is recorded, and a way to count audit rows."""

import datetime

import pytest
from django.utils import timezone

from participants import pathway
from participants.models import Consent
from workshop.models import AuditLog

A_MONTH = datetime.timedelta(days=30)


@pytest.fixture
def yesterday(today) -> datetime.date:
    return today - datetime.timedelta(days=1)


@pytest.fixture
def a_month_ago(today) -> datetime.date:
    return today - A_MONTH


def give_consent(participant, staff, given_on=None) -> Consent:
    """Consent recorded as given on `given_on`, by default a month before today (read when
    called, never at import)."""
    if given_on is None:
        given_on = timezone.localdate() - A_MONTH
    return pathway.record_consent(
        participant=participant,
        recorded_by=staff,
        explained="支援記録を残すこと、読む人、保存期間、いつでも取り消せることを説明",
        text_version="2026-04",
        given_on=given_on,
        method=Consent.Method.SIGNED,
    )


def audit_rows(**filters) -> list[tuple]:
    return list(
        AuditLog.objects.filter(**filters)
        .order_by("pk")
        .values_list("actor__email", "action", "record_type", "record_id", "participant_id")
    )


@pytest.fixture
def sora(participant_a, staff_a, a_month_ago):
    """Workshop A's participant, with consent recorded."""
    give_consent(participant_a, staff_a, given_on=a_month_ago)
    return participant_a


@pytest.fixture
def umi(participant_b, staff_b, a_month_ago):
    give_consent(participant_b, staff_b, given_on=a_month_ago)
    return participant_b


@pytest.fixture
def note_a(sora, staff_a, today):
    return pathway.write_note(
        participant=sora,
        on=today,
        kind="interview",
        text="朝は起きにくいと話していた",
        author=staff_a,
    )
