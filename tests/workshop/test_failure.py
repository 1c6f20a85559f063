"""When something underneath fails, people lose nothing and see a calm page.

- A database error in the middle of an action (injected after its first write) answers with the
  calm 500 page, or the API's JSON, and leaves no trace: the action's writes are one
  transaction. Every kind of action is tried, from every side.
- With the task worker down (TASKS_BACKEND=database and no `db_worker`), actions still succeed
  and their e-mails wait in the queue until a worker runs."""

import datetime
import uuid
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.apps import apps
from django.core import mail
from django.core.management import call_command
from django.db import OperationalError, connection
from django.test import Client
from django.urls import reverse
from django_tasks_db.models import DBTaskResult
from rest_framework.test import APIClient

from companies.tokens import create_token
from jobs import deliveries, work
from jobs.models import Order
from participants import pathway
from participants.invitations import invite_participant
from tests import factories
from tests.i18n import ja

NOW_DATE = datetime.date(2026, 11, 20)
# The tables an action may write; sessions are the middleware's, after the view.
APPS = ("workshop", "companies", "jobs", "participants", "django_tasks_database")


class FailTheSecondWrite:
    """A database connection wrapper: the first INSERT/UPDATE/DELETE of the request goes
    through, the second raises the error a lost connection or a full disk would."""

    def __init__(self) -> None:
        self.writes: list[str] = []

    def __call__(self, execute, sql, params, many, context):
        statement = sql.lstrip().upper()
        if statement.startswith(("INSERT", "UPDATE", "DELETE")) and "DJANGO_SESSION" not in (
            statement
        ):
            self.writes.append(sql)
            if len(self.writes) == 2:
                raise OperationalError("injected: the database went away mid-request")
        return execute(sql, params, many, context)


def snapshot() -> dict[str, list[dict]]:
    return {
        model._meta.label: list(model._base_manager.order_by("pk").values())
        for app in APPS
        for model in apps.get_app_config(app).get_models()
    }


@dataclass
class Action:
    client: Client
    method: str
    url: str
    data: dict
    api: bool = False


def signed_in(user, *, api: bool = False) -> Client:
    client = APIClient() if api else Client()
    client.raise_request_exception = False
    client.force_login(user)
    return client


def held_unit(order, participant, *, logged: int = 0):
    unit = factories.WorkUnitFactory(order=order, quantity=20)
    work.claim_unit(unit_id=unit.pk, participant=participant)
    if logged:
        work.log_progress(
            unit=unit, participant=participant, client_uuid=uuid.uuid4(), quantity=logged
        )
    return unit


def log_fields() -> dict:
    return {
        "client_uuid": str(uuid.uuid4()),
        "quantity": 5,
        "minutes": 10,
        "note": "",
        "place": "home",
    }


# Each builds one write action on the world of tenant A and says how it is sent.
def take(w) -> Action:
    unit = factories.WorkUnitFactory(order=w.order)
    return Action(signed_in(w.participant.user), "post", f"/units/{unit.pk}/take/", {})


def log_progress(w) -> Action:
    unit = held_unit(w.order, w.participant)
    return Action(signed_in(w.participant.user), "post", f"/units/{unit.pk}/log/", log_fields())


def log_progress_by_api(w) -> Action:
    unit = held_unit(w.order, w.participant)
    return Action(
        signed_in(w.participant.user, api=True),
        "post",
        f"/api/v1/me/units/{unit.pk}/log/",
        log_fields(),
        api=True,
    )


def hand_in(w) -> Action:
    unit = held_unit(w.order, w.participant, logged=20)
    return Action(signed_in(w.participant.user), "post", f"/units/{unit.pk}/done/", {})


def hand_back_with_work_done(w) -> Action:
    unit = held_unit(w.order, w.participant, logged=8)
    return Action(signed_in(w.participant.user), "post", f"/units/{unit.pk}/hand-back/", {})


def approve_in_review(w) -> Action:
    unit = held_unit(w.order, w.participant, logged=20)
    work.finish_unit(unit=unit, participant=w.participant)
    url = f"/w/{w.workshop.slug}/work/review/{unit.pk}/approve/"
    return Action(signed_in(w.staff), "post", url, {})


def publish_a_split(w) -> Action:
    order = factories.OrderFactory(workshop=w.workshop, company=w.company, quantity=300)
    url = f"/w/{w.workshop.slug}/work/orders/{order.pk}/split/publish/"
    return Action(signed_in(w.staff), "post", url, {"how": "size", "size": "100"})


def record_a_delivery(w) -> Action:
    unit = held_unit(w.order, w.participant, logged=20)
    work.finish_unit(unit=unit, participant=w.participant)
    from jobs import review

    review.approve_unit(unit=unit, by=w.staff)
    data = {"quantity": "20", "delivered_on": NOW_DATE.isoformat(), "method": "dropoff"}
    url = f"/w/{w.workshop.slug}/orders/{w.order.pk}/deliveries/"
    return Action(signed_in(w.staff), "post", url, data)


def accept_a_delivery(w) -> Action:
    factories.WorkUnitFactory(order=w.order, quantity=w.order.quantity, status="approved")
    deliveries.record_delivery(
        order=w.order, by=w.staff, quantity=w.order.quantity, delivered_on=NOW_DATE, method="pickup"
    )
    url = f"/c/{w.company.slug}/orders/{w.order.pk}/deliveries/1/accept/"
    return Action(signed_in(w.member), "post", url, {})


def invite_a_participant(w) -> Action:
    data = {"nickname": "はな", "works_from_home": "on", "email": "hana@example.com"}
    return Action(signed_in(w.staff), "post", f"/w/{w.workshop.slug}/participants/invite/", data)


def write_a_support_note(w) -> Action:
    pathway.record_consent(
        participant=w.participant,
        given_on=NOW_DATE,
        method="verbal",
        text_version="2026-04",
        explained="説明した",
        recorded_by=w.staff,
    )
    url = reverse("support:write_note", args=[w.workshop.slug, w.participant.pk])
    data = {"on": NOW_DATE.isoformat(), "kind": "interview", "text": "面談で近況を聞いた"}
    return Action(signed_in(w.staff), "post", url, data)


def send_an_order(w) -> Action:
    data = {
        "workshop": str(w.workshop.pk),
        "title": "DM封入 4月号",
        "kind": "hands_on",
        "quantity": "1000",
        "unit_label": "通",
        "unit_price_yen": "12",
        "desired_delivery_date": (NOW_DATE + datetime.timedelta(days=400)).isoformat(),
        "delivery_method": "pickup",
    }
    url = f"/c/{w.company.slug}/orders/new/send/"
    return Action(signed_in(w.member), "post", url, data)


def send_an_order_by_api(w) -> Action:
    _, secret = create_token(company=w.company, by=w.member, name="受注システム")
    client = APIClient()
    client.raise_request_exception = False
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
    # A client in use: the token's last use was just written (once a minute at most), so the
    # failing request's writes are the order's own.
    assert client.get("/api/v1/orders/").status_code == 200
    body = {
        "title": "DM封入 4月号",
        "quantity": 2000,
        "unit_label": "通",
        "unit_price_yen": 6,
        "desired_delivery_date": (NOW_DATE + datetime.timedelta(days=400)).isoformat(),
        "delivery_method": "pickup",
        "submit": True,
    }
    return Action(client, "post", "/api/v1/orders/", body, api=True)


def accept_an_invitation_on_this_phone(w) -> Action:
    _, token = invite_participant(
        workshop=w.workshop,
        created_by=w.staff,
        nickname="こはく",
        works_from_home=True,
        works_on_site=False,
        liked_task_kinds=[],
        hours_per_week_wished=None,
        email="",
    )
    client = Client(raise_request_exception=False)
    return Action(client, "post", f"/invite/{token}/this-phone/", {})


ACTIONS: list[Callable] = [
    take,
    log_progress,
    log_progress_by_api,
    hand_in,
    hand_back_with_work_done,
    approve_in_review,
    publish_a_split,
    record_a_delivery,
    accept_a_delivery,
    invite_a_participant,
    write_a_support_note,
    send_an_order,
    send_an_order_by_api,
    accept_an_invitation_on_this_phone,
]


@dataclass
class World:
    workshop: object
    company: object
    staff: object
    member: object
    participant: object
    order: Order


@pytest.fixture
def world(workshop_a, company_a, staff_a, company_admin_a, participant_a):
    order = factories.OrderFactory(
        workshop=workshop_a,
        company=company_a,
        quantity=100,
        status=Order.Status.IN_PROGRESS,
        created_by=company_admin_a,
    )
    return World(workshop_a, company_a, staff_a, company_admin_a, participant_a, order)


@pytest.mark.parametrize("build", ACTIONS, ids=lambda build: build.__name__)
def test_a_database_error_mid_action_leaves_no_trace_and_a_calm_page(world, build):
    action = build(world)
    before = snapshot()
    failing = FailTheSecondWrite()

    with connection.execute_wrapper(failing):
        response = getattr(action.client, action.method)(
            action.url, action.data, **({"format": "json"} if action.api else {})
        )

    assert len(failing.writes) >= 2, f"{build.__name__} writes once; pick a bigger action"
    assert response.status_code == 500, response.content[:300]
    if action.api:
        assert response.json()["code"] == "server_error"
    else:
        assert ja("Something went wrong on our side") in response.content.decode()
    after = snapshot()
    changed = {label for label in before if before[label] != after[label]}
    assert not changed, f"{build.__name__} left a partial write in {sorted(changed)}"


# --- the task worker is down ------------------------------------------------------------------


@pytest.fixture
def worker_down(settings, transactional_db):
    """Tasks go to the database queue, and no worker takes them. Committed for real, as the
    worker (run later) closes and reopens its database connection between tasks."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def run_the_worker() -> None:
    call_command("db_worker", batch=True, startup_delay=False, reload=False, verbosity=0)


def test_with_the_worker_down_an_invitation_succeeds_and_its_email_waits(
    worker_down, client, staff_a, workshop_a
):
    client.force_login(staff_a)

    response = client.post(
        f"/w/{workshop_a.slug}/participants/invite/",
        {"nickname": "はな", "works_from_home": "on", "email": "hana@example.com"},
    )

    assert response.status_code == 302
    assert workshop_a.participants.filter(nickname="はな").exists()
    assert mail.outbox == []
    waiting = DBTaskResult.objects.ready()
    assert [task.task_path for task in waiting] == ["workshop.mail.send_email"]

    run_the_worker()

    assert [message.to for message in mail.outbox] == [["hana@example.com"]]
    assert not DBTaskResult.objects.ready().exists()


def test_with_the_worker_down_an_order_is_sent_and_staff_hear_of_it_later(
    worker_down, client, member_a, staff_a, workshop_a
):
    client.force_login(member_a)
    data = {
        "workshop": str(workshop_a.pk),
        "title": "DM封入 4月号",
        "kind": "hands_on",
        "quantity": "1000",
        "unit_label": "通",
        "unit_price_yen": "12",
        "desired_delivery_date": (NOW_DATE + datetime.timedelta(days=400)).isoformat(),
        "delivery_method": "pickup",
    }

    response = client.post("/c/okanoue-print/orders/new/send/", data)

    assert response.status_code == 302
    assert Order.objects.get(title="DM封入 4月号").status == Order.Status.SUBMITTED
    assert mail.outbox == [] and DBTaskResult.objects.ready().count() == 1

    run_the_worker()

    assert [message.to for message in mail.outbox] == [[staff_a.email]]


def test_with_the_worker_down_a_sign_in_code_waits_and_arrives_when_it_runs(
    worker_down, client, participant_a
):
    response = client.post(reverse("account_request_login_code"), {"email": "sora@example.com"})

    assert response.status_code == 302
    assert mail.outbox == []

    run_the_worker()

    assert [message.to for message in mail.outbox] == [["sora@example.com"]]
