"""Support-record fixtures on top of the personas in tests/conftest.py: a participant of each
workshop whose consent is recorded, and a way to count audit rows."""

import datetime

import pytest
from django.utils import timezone

from participants import pathway
from participants.models import Consent
from workshop.models import AuditLog

TODAY = timezone.localdate()
A_MONTH_AGO = TODAY - datetime.timedelta(days=30)


def give_consent(participant, staff, given_on=A_MONTH_AGO) -> Consent:
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
def sora(participant_a, staff_a):
    """Workshop A's participant, with consent recorded."""
    give_consent(participant_a, staff_a)
    return participant_a


@pytest.fixture
def umi(participant_b, staff_b):
    give_consent(participant_b, staff_b)
    return participant_b


@pytest.fixture
def note_a(sora, staff_a):
    return pathway.write_note(
        participant=sora,
        on=TODAY,
        kind="interview",
        text="朝は起きにくいと話していた",
        author=staff_a,
    )
