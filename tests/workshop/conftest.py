"""One row of every model for each of the two tenants, on top of the personas in
tests/conftest.py: what tenancy and admin tests compare."""

import datetime
import uuid
from dataclasses import dataclass

import pytest
from django.utils import timezone

from companies.models import AccountRequest, CompanyMembership, Partnership
from jobs.models import Order, OrderEvent, ProgressLog, WorkUnit
from participants.models import Invitation, hash_token
from tests import factories
from workshop.models import StaffMembership, User


@dataclass
class TenantRows:
    """Everything one tenant owns: a workshop and the company that orders from it."""

    workshop: object
    company: object
    staff_membership: StaffMembership
    company_membership: CompanyMembership
    partnership: Partnership
    participant: object
    order: Order
    draft: Order
    event: OrderEvent
    open_unit: WorkUnit
    held_unit: WorkUnit
    log: ProgressLog
    invitation: Invitation
    account_request: AccountRequest

    def by_model(self) -> dict[str, list]:
        """The rows of each model, keyed as admin URLs name them (app_model)."""
        return {
            "workshop_workshop": [self.workshop],
            "workshop_staffmembership": [self.staff_membership],
            "workshop_user": [self.staff_membership.user, self.company_membership.user],
            "companies_company": [self.company],
            "companies_companymembership": [self.company_membership],
            "companies_partnership": [self.partnership],
            "companies_accountrequest": [self.account_request],
            "jobs_order": [self.order],
            "jobs_orderevent": [self.event],
            "jobs_workunit": [self.open_unit, self.held_unit],
            "jobs_progresslog": [self.log],
            "participants_participant": [self.participant],
            "participants_invitation": [self.invitation],
        }


def build_tenant(workshop, company, manager, member, participant, order) -> TenantRows:
    now = timezone.now()
    draft = factories.OrderFactory(
        workshop=workshop, company=company, status=Order.Status.DRAFT, title="下書きの発注"
    )
    event = OrderEvent.objects.create(
        order=order, actor=member, from_status="submitted", to_status="accepted"
    )
    open_unit = factories.WorkUnitFactory(order=order, number=1)
    held_unit = factories.WorkUnitFactory(
        order=order,
        number=2,
        status=WorkUnit.Status.CLAIMED,
        holder=participant,
        claimed_at=now,
        last_activity_at=now,
        expires_at=now + datetime.timedelta(hours=48),
    )
    log = factories.ProgressLogFactory(unit=held_unit, participant=participant)
    invitation = Invitation.objects.create(
        participant=participant,
        token_hash=hash_token(uuid.uuid4().hex),
        expires_at=now + datetime.timedelta(days=7),
    )
    account_request = AccountRequest.objects.create(
        workshop=workshop,
        company_name=f"{workshop.name}に頼みたい会社",
        contact_name="担当 太郎",
        email=f"ask-{workshop.slug}@example.com",
    )
    return TenantRows(
        workshop=workshop,
        company=company,
        staff_membership=StaffMembership.objects.get(user=manager, workshop=workshop),
        company_membership=CompanyMembership.objects.get(user=member, company=company),
        partnership=Partnership.objects.get(company=company, workshop=workshop),
        participant=participant,
        order=order,
        draft=draft,
        event=event,
        open_unit=open_unit,
        held_unit=held_unit,
        log=log,
        invitation=invitation,
        account_request=account_request,
    )


@pytest.fixture
def tenant_a(workshop_a, company_a, manager_a, member_a, participant_a, order_a) -> TenantRows:
    return build_tenant(workshop_a, company_a, manager_a, member_a, participant_a, order_a)


@pytest.fixture
def tenant_b(workshop_b, company_b, manager_b, member_b, participant_b, order_b) -> TenantRows:
    return build_tenant(workshop_b, company_b, manager_b, member_b, participant_b, order_b)


@pytest.fixture
def superuser(db) -> User:
    return User.objects.create_superuser(
        username="operator@example.com", email="operator@example.com", password="x"
    )
