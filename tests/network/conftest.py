"""A network of ひだまり and みなと with a coordinator, and そよかぜ outside it."""

import datetime

import pytest

from network.models import Coordinator, Network, NetworkMembership
from participants.wage_models import WageStatement
from tests import factories


@pytest.fixture
def network(workshop_a, workshop_b):
    network = Network.objects.create(name="坂ノ上市 しごとネットワーク", slug="sakanoue")
    NetworkMembership.objects.create(network=network, workshop=workshop_a)
    NetworkMembership.objects.create(network=network, workshop=workshop_b)
    return network


@pytest.fixture
def coordinator(network):
    user = factories.UserFactory(email="coordinator@example.com")
    Coordinator.objects.create(network=network, user=user)
    return user


@pytest.fixture
def workshop_c(db):
    return factories.WorkshopFactory(name="そよかぜ工房", slug="soyokaze")


@pytest.fixture
def staff_c(workshop_c):
    return factories.StaffMembershipFactory(
        workshop=workshop_c, user__email="staff-c@example.com"
    ).user


def issued_statement(participant, month: datetime.date, total_yen: int, number: str):
    return WageStatement.objects.create(
        workshop=participant.workshop,
        participant=participant,
        month=month,
        status=WageStatement.Status.ISSUED,
        number=number,
        fiscal_year=2026,
        pay_mode="piece",
        gross_yen=total_yen,
        total_yen=total_yen,
        pay_date=month + datetime.timedelta(days=40),
    )
