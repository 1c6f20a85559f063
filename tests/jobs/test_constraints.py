"""The database itself refuses impossible rows, whatever code (or admin, or shell) writes them."""

import datetime
import uuid

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from companies.models import CompanyMembership
from jobs.models import Order, WorkUnit
from participants.models import Participant
from tests import factories
from workshop.models import StaffMembership


def refused(make) -> None:
    with transaction.atomic(), pytest.raises(IntegrityError):
        make()


@pytest.fixture
def order(db):
    return factories.OrderFactory()


def test_it_refuses_an_order_of_nothing(order):
    refused(lambda: factories.OrderFactory(workshop=order.workshop, quantity=0))


def test_it_refuses_a_unit_of_nothing(order):
    refused(lambda: factories.WorkUnitFactory(order=order, quantity=0))


def test_it_refuses_two_units_with_one_number(order):
    factories.WorkUnitFactory(order=order, number=7)
    refused(lambda: factories.WorkUnitFactory(order=order, number=7))


def test_it_refuses_an_open_unit_with_a_holder(order):
    holder = factories.ParticipantFactory(workshop=order.workshop)
    refused(lambda: factories.WorkUnitFactory(order=order, status="open", holder=holder))


@pytest.mark.parametrize("status", ["claimed", "submitted", "redo"])
def test_it_refuses_a_held_unit_without_a_holder(order, status):
    expires = timezone.now() + datetime.timedelta(hours=48)
    refused(lambda: factories.WorkUnitFactory(order=order, status=status, expires_at=expires))


def test_it_refuses_a_claim_without_an_expiry(order):
    holder = factories.ParticipantFactory(workshop=order.workshop)
    refused(lambda: factories.WorkUnitFactory(order=order, status="claimed", holder=holder))


def test_it_accepts_a_proper_claim(order):
    holder = factories.ParticipantFactory(workshop=order.workshop)
    unit = factories.WorkUnitFactory(
        order=order,
        status="claimed",
        holder=holder,
        expires_at=timezone.now() + datetime.timedelta(hours=48),
    )
    assert unit.pk


def test_it_refuses_the_same_log_twice(order):
    unit = factories.WorkUnitFactory(order=order)
    key = uuid.uuid4()
    factories.ProgressLogFactory(unit=unit, client_uuid=key)
    refused(lambda: factories.ProgressLogFactory(unit=unit, client_uuid=key))
    assert unit.logs.count() == 1


def test_it_refuses_a_log_that_records_nothing(order):
    unit = factories.WorkUnitFactory(order=order)
    refused(lambda: factories.ProgressLogFactory(unit=unit, quantity=0, minutes=0, note=""))


@pytest.mark.parametrize(
    ("make", "field"),
    [
        (lambda: factories.OrderFactory(), "status"),
        (lambda: factories.OrderFactory(), "kind"),
        (lambda: factories.OrderFactory(), "delivery_method"),
        (lambda: factories.WorkUnitFactory(), "status"),
        (lambda: factories.ParticipantFactory(), "status"),
        (lambda: factories.ParticipantFactory(), "stage"),
        (lambda: factories.StaffMembershipFactory(), "role"),
        (lambda: factories.CompanyMembershipFactory(), "role"),
        (lambda: factories.WorkshopFactory(), "pay_mode"),
    ],
)
def test_it_refuses_a_made_up_choice(db, make, field):
    obj = make()
    model = type(obj)
    refused(lambda: model.objects.filter(pk=obj.pk).update(**{field: "whatever"}))


def test_it_refuses_a_submitted_order_without_a_payment_date(order):
    refused(lambda: factories.OrderFactory(workshop=order.workshop, payment_date=None))
    draft = factories.OrderFactory(status=Order.Status.DRAFT, payment_date=None)
    assert draft.pk


def test_it_refuses_the_same_staff_membership_twice(db):
    membership = factories.StaffMembershipFactory()
    refused(
        lambda: StaffMembership.objects.create(
            user=membership.user, workshop=membership.workshop, role="manager"
        )
    )


def test_it_refuses_the_same_company_membership_twice(db):
    membership = factories.CompanyMembershipFactory()
    refused(
        lambda: CompanyMembership.objects.create(user=membership.user, company=membership.company)
    )


def test_it_refuses_more_than_sixty_hours_a_week(db):
    refused(lambda: factories.ParticipantFactory(hours_per_week_wished=61))
    assert factories.ParticipantFactory(hours_per_week_wished=60).pk


def test_it_refuses_two_participants_with_one_nickname_in_a_workshop(db):
    first = factories.ParticipantFactory(nickname="そら")
    refused(lambda: factories.ParticipantFactory(workshop=first.workshop, nickname="そら"))
    assert factories.ParticipantFactory(nickname="そら").pk  # another workshop: fine


def test_it_refuses_an_ended_participant_without_an_end_date(db):
    refused(lambda: factories.ParticipantFactory(status=Participant.Status.ENDED))


def test_it_refuses_a_workshop_without_a_sensible_claim_timeout_or_limit(db):
    refused(lambda: factories.WorkshopFactory(claim_timeout_hours=0))
    refused(lambda: factories.WorkshopFactory(hold_limit=0))
    refused(lambda: factories.WorkshopFactory(wage_share_percent=101))


def test_it_refuses_an_invoice_number_not_starting_with_t(db):
    refused(lambda: factories.WorkshopFactory(invoice_registration_number="1234567890123"))


def test_it_refuses_to_reopen_a_unit_that_still_has_a_holder(order):
    """An approved unit may keep who did it; an open one may not."""
    holder = factories.ParticipantFactory(workshop=order.workshop)
    unit = factories.WorkUnitFactory(order=order, status=WorkUnit.Status.APPROVED, holder=holder)
    refused(lambda: WorkUnit.objects.filter(pk=unit.pk).update(status="open"))
