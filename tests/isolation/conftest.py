"""The world the isolation matrix runs in: the demo (two workshops, two companies, orders in
every state, support records, openings, money), built once for the package inside a transaction
that is rolled back at the end, plus the personas that were missing from it."""

import dataclasses
import uuid

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from django.apps import apps
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from companies.models import Company, CompanyMembership
from companies.tokens import create_token
from jobs.models import (
    ChangeProposal,
    Item,
    Order,
    OrderFile,
    OrderMessage,
    RedoPhrase,
    SkillTraining,
    SplitJob,
    Suggestion,
    UnitEvent,
    UnitEventKind,
    WorkUnit,
)
from jobs.money_models import Invoice, InvoicePayment
from network.demo import COORDINATOR_EMAIL
from network.introductions import introduce
from network.models import Network, PublicBuyer
from participants.attendance_models import Attendance
from participants.demo_support import seed_demo_support
from participants.models import Invitation, Participant, hash_token
from participants.unsent_models import UnsentRecord
from participants.wage_models import WageDeduction, WageRun, WageStatement
from tests import factories
from workshop.demo import seed_demo
from workshop.models import StaffMembership, User, Workshop


@dataclasses.dataclass(frozen=True)
class Persona:
    name: str
    kind: str  # staff, company, participant, token or anonymous
    user: User | None = None
    token: str = ""
    workshop_slug: str = ""
    company_slug: str = ""


@dataclasses.dataclass
class World:
    personas: dict[str, Persona]


def _user(email: str) -> User:
    return User.objects.get(username=email)


def build_world() -> World:
    seed_demo()
    hidamari = Workshop.objects.get(slug="hidamari")
    minato = Workshop.objects.get(slug="minato")
    okanoue = Company.objects.get(slug="okanoue-print")
    machikado = Company.objects.get(slug="machikado")
    # minato's support records and people too, so that each workshop has something to hide.
    seed_demo_support(minato)
    manager_minato = factories.StaffMembershipFactory(
        workshop=minato, role=StaffMembership.Role.MANAGER, user__email="manager@minato.example"
    ).user
    admin_machikado = factories.CompanyMembershipFactory(
        company=machikado,
        role=CompanyMembership.Role.ADMIN,
        user__email="admin@machikado.example",
    ).user
    umi = Participant.objects.get(workshop=minato, nickname="うみ")
    umi.user = factories.UserFactory(email="umi@minato.example")
    umi.save(update_fields=["user"])
    sora = Participant.objects.get(workshop=hidamari, nickname="そら")
    for workshop, company, staff in (
        (hidamari, okanoue, _user("staff@hidamari.example")),
        (minato, machikado, _user("staff@minato.example")),
    ):
        add_rows_the_demo_lacks(workshop, company, staff)
    okanoue_admin = _user("admin@okanoue-print.example")
    token_okanoue = create_token(company=okanoue, by=okanoue_admin, name="matrix")[1]
    token_machikado = create_token(company=machikado, by=admin_machikado, name="matrix")[1]
    staff = "staff@hidamari.example", "manager@hidamari.example", "staff@minato.example"
    personas = [
        Persona("staff_hidamari", "staff", _user(staff[0]), workshop_slug="hidamari"),
        Persona("manager_hidamari", "staff", _user(staff[1]), workshop_slug="hidamari"),
        Persona("staff_minato", "staff", _user(staff[2]), workshop_slug="minato"),
        Persona("manager_minato", "staff", manager_minato, workshop_slug="minato"),
        Persona("admin_okanoue", "company", okanoue_admin, company_slug="okanoue-print"),
        Persona(
            "member_machikado",
            "company",
            _user("member@machikado.example"),
            company_slug="machikado",
        ),
        Persona("token_okanoue", "token", okanoue_admin, token_okanoue, "", "okanoue-print"),
        Persona("token_machikado", "token", admin_machikado, token_machikado, "", "machikado"),
        Persona("participant_sora", "participant", sora.user),
        Persona("participant_umi", "participant", umi.user),
        Persona("anonymous", "anonymous"),
    ]
    for user in (manager_minato, admin_machikado, umi.user):  # as the demo's own logins have
        EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    # Rows of no tenant, that only an operator may open in the admin.
    Group.objects.create(name="matrix")
    PublicBuyer.objects.create(company=machikado, note="matrix")
    # An introduction to minato too (the demo has one to ひだまり), so that each hides one.
    introduce(
        network=Network.objects.get(slug="sakanoue"),
        workshop=minato,
        by=_user(COORDINATOR_EMAIL),
        nickname="matrix",
        contact_by="matrix",
        hopes="matrix",
    )
    apps.get_model("django_tasks_database", "DBTaskResult").objects.create(
        enqueued_at=timezone.now(),
        run_after=timezone.now(),
        args_kwargs={"args": [], "kwargs": {}},
        task_path="workshop.mail.send",
        backend_name="default",
        exception_class_path="",
        traceback="",
    )
    return World(personas={persona.name: persona for persona in personas})


def add_rows_the_demo_lacks(workshop: Workshop, company: Company, staff: User) -> None:
    """One row of each kind a URL names that the demo has none of, for this tenant."""
    now = timezone.now()
    today = timezone.localdate()
    order = Order.objects.filter(workshop=workshop, company=company).exclude(status="draft")
    order = order.order_by("pk").first()
    unit = WorkUnit.objects.filter(order__workshop=workshop).order_by("pk").first()
    person = Participant.objects.filter(workshop=workshop).order_by("pk").first()
    member = CompanyMembership.objects.filter(company=company).first().user
    ChangeProposal.objects.create(
        order=order,
        unit_price_yen=order.unit_price_yen,
        total_price_yen=order.total_price_yen,
        desired_delivery_date=today,
        payment_date=today,
        proposed_by=staff,
    )
    OrderFile.objects.create(
        order=order,
        file=ContentFile(b"matrix", name="matrix.txt"),
        original_name="matrix.txt",
        content_type="text/plain",
        extension="txt",
        size=6,
        uploaded_by=member,
    )
    OrderMessage.objects.create(order=order, author=member, side="company", body="matrix")
    Suggestion.objects.create(unit=unit, participant=person, suggested_by=staff)
    RedoPhrase.objects.create(workshop=workshop, text="もう一度お願いします")
    SkillTraining.objects.create(participant=person, skill_tag="matrix", marked_by=staff)
    SplitJob.objects.create(order=order, created_by=staff, total=1)
    UnitEvent.objects.create(unit=unit, kind=UnitEventKind.values[0], actor=staff)
    statement = WageStatement.objects.filter(participant__workshop=workshop).first()
    WageDeduction.objects.create(
        statement=statement, amount_yen=1, reason="matrix", entered_by=staff
    )
    WageRun.objects.create(workshop=workshop, month=today.replace(day=1), created_by=staff, total=0)
    Attendance.objects.create(participant=person, kind="start", place="home", day=today, at=now)
    Invitation.objects.create(
        participant=person, token_hash=hash_token(uuid.uuid4().hex), expires_at=now
    )
    invoice = Invoice.objects.filter(workshop=workshop).exclude(payment__isnull=False).first()
    if invoice is not None:
        InvoicePayment.objects.create(
            invoice=invoice, paid_on=today, amount_yen=1, recorded_by=staff
        )
    RecoveryCodes.activate(staff)
    # Digital work's items (issue 9): one in a unit of this workshop.
    Item.objects.create(
        order=unit.order, workshop=workshop, number=1_000_000 + unit.pk, unit=unit, data={"a": "b"}
    )
    UnsentRecord.objects.create(
        workshop=workshop,
        participant=person,
        client_uuid=uuid.uuid4(),
        kind=UnsentRecord.Kind.LOG,
        made_at=now,
        refusal_code="not_holder",
        refusal_status=409,
        refusal_reason="matrix",
    )


@pytest.fixture(scope="package")
def world(django_db_setup, django_db_blocker):
    """Built once for tests/isolation; every test runs in a savepoint inside this transaction,
    rolled back at the end."""
    with django_db_blocker.unblock(), transaction.atomic():
        built = build_world()
        yield built
        transaction.set_rollback(True)


@pytest.fixture(autouse=True)
def no_rate_limits(monkeypatch):
    """The matrix sends hundreds of requests per persona; rate limits have their own tests."""
    from companies import api_auth

    for name in ("ApiTokenRateThrottle", "ApiUserRateThrottle"):
        monkeypatch.setattr(getattr(api_auth, name), "allow_request", lambda *args: True)
    cache.clear()
    yield
    cache.clear()
