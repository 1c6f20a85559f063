"""Factories for every model the tests need. Personas built from them live in conftest.py."""

import datetime
import uuid

import factory
from django.utils import timezone

from companies.models import Company, CompanyMembership, Partnership
from jobs import counters
from jobs.models import Order, ProgressLog, WorkUnit
from participants.models import Participant
from workshop.models import StaffMembership, User, Workshop

PASSWORD = "correct-horse-battery"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.Sequence(lambda n: f"user{n}@example.com")
    display_name = factory.Faker("name", locale="ja_JP")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class WorkshopFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Workshop

    name = factory.Sequence(lambda n: f"作業所{n}")
    slug = factory.Sequence(lambda n: f"workshop-{n}")
    address = "坂ノ上市本町1-2-3"
    invoice_registration_number = "T1234567890123"


class StaffMembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StaffMembership

    user = factory.SubFactory(UserFactory)
    workshop = factory.SubFactory(WorkshopFactory)
    role = StaffMembership.Role.STAFF


class CompanyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Company

    name = factory.Sequence(lambda n: f"株式会社テスト{n}")
    slug = factory.Sequence(lambda n: f"company-{n}")
    contact_email = factory.Sequence(lambda n: f"orders{n}@example.co.jp")


class CompanyMembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CompanyMembership

    user = factory.SubFactory(UserFactory)
    company = factory.SubFactory(CompanyFactory)
    role = CompanyMembership.Role.MEMBER


class PartnershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Partnership

    company = factory.SubFactory(CompanyFactory)
    workshop = factory.SubFactory(WorkshopFactory)


class ParticipantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Participant

    workshop = factory.SubFactory(WorkshopFactory)
    user = factory.SubFactory(UserFactory)
    nickname = factory.Sequence(lambda n: f"さくら{n}")


class OrderFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Order

    workshop = factory.SubFactory(WorkshopFactory)
    company = factory.SubFactory(CompanyFactory)
    title = factory.Sequence(lambda n: f"封入作業 {n}")
    quantity = 1000
    unit_label = "枚"
    unit_price_yen = 5
    total_price_yen = 5000
    desired_delivery_date = factory.LazyFunction(
        lambda: timezone.localdate() + datetime.timedelta(days=14)
    )
    payment_date = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=60))
    status = Order.Status.ACCEPTED


class WorkUnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WorkUnit

    order = factory.SubFactory(OrderFactory)
    workshop = factory.SelfAttribute("order.workshop")
    number = factory.Sequence(lambda n: n + 1)
    quantity = 50
    instructions = "封筒に案内状を1枚ずつ入れてください。"
    status = WorkUnit.Status.OPEN
    approved_quantity = factory.LazyAttribute(
        lambda unit: unit.quantity if unit.status == WorkUnit.Status.APPROVED else 0
    )

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        """A unit made here counts on its order, as one made by the rules would."""
        unit = super()._create(model_class, *args, **kwargs)
        counters.added(unit.order_id, units=1, items=unit.quantity)
        counters.moved(
            unit.order_id,
            WorkUnit.Status.OPEN,
            unit.status,
            items_approved=unit.approved_quantity,
        )
        return unit


class ProgressLogFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProgressLog

    unit = factory.SubFactory(WorkUnitFactory)
    participant = factory.SubFactory(ParticipantFactory)
    client_uuid = factory.LazyFunction(uuid.uuid4)
    quantity = 10
    minutes = 20
