"""Fixtures for accounts and onboarding tests, on top of the personas in tests/conftest.py."""

import pytest

from participants.invitations import invite_participant


@pytest.fixture
def invite(workshop_a, staff_a):
    """Invite a participant to workshop A; returns (participant, token)."""

    def make(nickname="はな", email="", **preferences):
        return invite_participant(
            workshop=workshop_a,
            created_by=staff_a,
            nickname=nickname,
            works_from_home=preferences.get("works_from_home", True),
            works_on_site=preferences.get("works_on_site", False),
            liked_task_kinds=preferences.get("liked_task_kinds", []),
            hours_per_week_wished=preferences.get("hours_per_week_wished"),
            email=email,
        )

    return make
