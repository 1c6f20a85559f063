"""Helpers for the role homes' tests: units in each state, and counting a page's queries."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from jobs.models import WorkUnit
from tests import factories


def held_unit(participant, order, **fields) -> WorkUnit:
    """A unit the participant has taken, kept for them for two more days."""
    now = timezone.now()
    return factories.WorkUnitFactory(
        order=order,
        status=WorkUnit.Status.CLAIMED,
        holder=participant,
        claimed_at=now,
        last_activity_at=now,
        expires_at=now + datetime.timedelta(hours=48),
        **fields,
    )


def queries_for(client, url: str) -> int:
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200
    return len(context.captured_queries)


@pytest.fixture
def sora_client(client, participant_a):
    client.force_login(participant_a.user)
    return client
