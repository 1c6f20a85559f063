"""Openings of tenant a, and a participant of a who has a story a company must never read."""

import pytest

from companies import openings
from companies.models import Opening
from participants.models import Stage, TaskKind
from tests import factories

FIELDS = {
    "kind": Opening.Kind.TRIAL,
    "title": "印刷工場の職場体験",
    "description": "封入と検品を体験します。",
    "work_kinds": [TaskKind.STUFFING, TaskKind.CHECKING],
    "hours": "週2日・10時〜12時",
    "hours_per_week": 4,
    "place": "丘の上町3-8-1",
    "remote": Opening.Remote.NO,
    "support": "初日は支援員が同行します。",
}


@pytest.fixture
def opening_a(workshop_a, company_a, member_a):
    return openings.post_opening(
        workshop=workshop_a, company=company_a, by=member_a, fields=dict(FIELDS)
    )


@pytest.fixture
def opening_b(workshop_b, company_b, member_b):
    return openings.post_opening(
        workshop=workshop_b,
        company=company_b,
        by=member_b,
        fields=dict(FIELDS, title="みなとの求人", kind=Opening.Kind.JOB),
    )


@pytest.fixture
def aoi(workshop_a):
    """At the workplace-trial step, likes stuffing, comes on site, wishes 37 hours."""
    return factories.ParticipantFactory(
        workshop=workshop_a,
        nickname="あおい",
        stage=Stage.WORKPLACE_TRIAL,
        works_on_site=True,
        works_from_home=False,
        liked_task_kinds=[TaskKind.STUFFING, TaskKind.LABELLING],
        hours_per_week_wished=37,
    )


def shared(name: str = "青井 さん", **kwargs) -> openings.SharedProfile:
    return openings.SharedProfile(
        name=name,
        work_kinds=kwargs.get("work_kinds", [TaskKind.STUFFING]),
        hours_per_week=kwargs.get("hours_per_week", 8),
        introduction=kwargs.get("introduction", "封入が好きです。"),
    )


@pytest.fixture
def sent_proposal(opening_a, aoi, staff_a):
    proposal = openings.propose(opening=opening_a, participant=aoi, by=staff_a)
    openings.record_agreement(proposal=proposal, by=staff_a, shared=shared())
    return openings.send_to_company(proposal=proposal, by=staff_a)
