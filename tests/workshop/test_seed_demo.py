"""`manage.py seed_demo`: a believable workshop, every state of the pipeline, consistent sums,
working logins, tenants kept apart, and a second run that changes nothing."""

import datetime
import io
import itertools
import logging
import shutil
import subprocess
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings as django_settings
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.db.models import F, Sum
from django.utils import timezone

from companies.models import Company, Partnership
from jobs.models import Order, OrderEvent, ProgressLog, WorkUnit
from participants.models import Participant, Stage
from workshop.demo import DEMO_PASSWORD, LOGINS
from workshop.models import User, Workshop


@pytest.fixture
def seeded(db) -> str:
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def counts() -> dict[str, int]:
    return {model._meta.label: model._default_manager.count() for model in apps.get_models()}


def test_it_prints_every_demo_login(seeded):
    for email in LOGINS:
        assert email in seeded
    assert DEMO_PASSWORD in seeded
    assert "/w/hidamari/" in seeded and "/today/" in seeded


def test_the_demo_tasks_say_nothing_so_the_logins_stay_on_screen(db, caplog):
    """The demo runs its tasks at once; their log lines would push the logins off the screen."""
    caplog.set_level(logging.INFO, logger="django.tasks")

    call_command("seed_demo", stdout=io.StringIO())

    assert not [r for r in caplog.records if r.name.startswith("django.tasks")]
    assert logging.getLogger("django.tasks").level == logging.INFO  # put back afterwards


def test_the_demos_own_e_mails_are_not_printed_even_with_the_console_mailer(db, settings, capsys):
    """`make run` prints e-mails to the console; the ones the demo's events send while seeding
    (a joint order's notices) would push the logins off the screen."""
    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}
    out = io.StringIO()

    call_command("seed_demo", stdout=out)

    assert "Subject:" not in capsys.readouterr().out + out.getvalue()
    assert out.getvalue().rstrip().endswith("(see docs/api.md)")


def test_a_second_run_changes_nothing(seeded):
    before = counts()
    orders = dict(Order.objects.values_list("pk", "updated_at"))
    units = list(WorkUnit.objects.order_by("pk").values())
    call_command("seed_demo", stdout=io.StringIO())
    assert counts() == before
    assert dict(Order.objects.values_list("pk", "updated_at")) == orders
    assert list(WorkUnit.objects.order_by("pk").values()) == units


def test_it_models_hidamari_and_its_neighbour(seeded):
    hidamari = Workshop.objects.get(slug="hidamari")
    assert hidamari.name == "ひだまり作業所"
    assert hidamari.operator == "坂ノ上市社会福祉協議会"
    assert hidamari.invoice_registration_number.startswith("T")
    assert len(hidamari.invoice_registration_number) == 14
    assert (hidamari.claim_timeout_hours, hidamari.hold_limit) == (48, 3)
    assert (hidamari.pay_mode, hidamari.wage_share_percent) == ("piece", 70)
    assert Workshop.objects.get(slug="minato").operator != hidamari.operator
    machikado = Company.objects.get(slug="machikado")
    assert set(machikado.workshops.values_list("slug", flat=True)) == {"hidamari", "minato"}
    okanoue = Company.objects.get(slug="okanoue-print")
    assert set(okanoue.workshops.values_list("slug", flat=True)) == {"hidamari"}


def test_participants_are_at_different_steps(seeded):
    hidamari = Participant.objects.filter(workshop__slug="hidamari")
    assert 10 <= hidamari.count() <= 14
    assert 2 <= Participant.objects.filter(workshop__slug="minato").count() <= 3
    assert hidamari.values("stage").distinct().count() >= 6
    assert set(hidamari.values_list("status", flat=True)) == {"active", "paused", "ended"}
    assert hidamari.filter(status="ended", ended_on__isnull=False).exists()
    two_years_ago = timezone.localdate() - datetime.timedelta(days=731)
    assert not hidamari.filter(start_date__lt=two_years_ago).exists()


def test_sora_is_a_regular_with_one_unit_and_a_history(seeded):
    sora = Participant.objects.get(user__email="sora@hidamari.example")
    assert (sora.nickname, sora.workshop.slug) == ("そら", "hidamari")
    assert (sora.status, sora.stage) == ("active", Stage.REGULAR_WORK)
    held = WorkUnit.objects.held_by(sora)
    assert [unit.status for unit in held] == ["claimed"]
    assert sora.progress_logs.count() >= 10


def test_units_are_in_every_state_and_orders_in_many(seeded):
    assert set(WorkUnit.objects.values_list("status", flat=True)) == set(WorkUnit.Status.values)
    expired = [
        unit for unit in WorkUnit.objects.filter(status="claimed") if unit.is_claim_expired()
    ]
    live = [
        unit for unit in WorkUnit.objects.filter(status="claimed") if not unit.is_claim_expired()
    ]
    assert expired and live
    statuses = set(Order.objects.values_list("status", flat=True))
    assert {
        "draft",
        "submitted",
        "accepted",
        "in_progress",
        "delivered",
        "accepted_by_company",
    } <= statuses
    assert statuses & {"declined", "cancelled"}


def test_claims_follow_the_workshops_rules(seeded):
    for unit in WorkUnit.objects.filter(status="claimed").select_related("workshop"):
        timeout = datetime.timedelta(hours=unit.workshop.claim_timeout_hours)
        assert unit.expires_at == unit.last_activity_at + timeout
        assert unit.claimed_at <= unit.last_activity_at
    for participant in Participant.objects.select_related("workshop"):
        assert WorkUnit.objects.held_by(participant).count() <= participant.workshop.hold_limit


def test_logged_work_adds_up(seeded):
    for unit in WorkUnit.objects.annotate(logged=Sum("logs__quantity")):
        logged = unit.logged or 0
        assert logged <= unit.quantity, unit
        if unit.status in ("approved", "submitted", "redo"):
            assert logged == unit.quantity, unit
        if unit.status == "open":
            assert logged == 0, unit
    for order in Order.objects.filter(units__isnull=False).distinct():
        assert order.units.aggregate(total=Sum("quantity"))["total"] == order.quantity
    for order in Order.objects.filter(status__in=["delivered", "accepted_by_company"]):
        assert not order.units.exclude(status="approved").exists()


def test_a_month_of_history_mostly_on_weekdays(seeded):
    now = timezone.now()
    # Answers to digital items log one item each with no minutes (jobs/answering.py).
    answered = Order.objects.filter(items__isnull=False)
    logs = list(ProgressLog.objects.exclude(unit__order__in=answered))
    assert len(logs) > 100
    assert all(now - datetime.timedelta(days=31) <= log.created_at <= now for log in logs)
    weekdays = [log for log in logs if timezone.localtime(log.created_at).weekday() < 5]
    assert len(weekdays) > 0.8 * len(logs)
    assert all(log.quantity > 0 and 0 < log.minutes < 8 * 60 for log in logs)


def test_orders_carry_their_story_and_the_law(seeded):
    for order in Order.objects.all():
        events = list(order.events.order_by("at", "pk"))
        assert events, order
        assert events[-1].to_status == order.status
        assert events[0].from_status == ""
        for before, after in itertools.pairwise(events):
            assert after.from_status == before.to_status
            assert after.at >= before.at
        assert order.total_price_yen == order.quantity * order.unit_price_yen
        assert order.unit_label in {"枚", "個", "件"}
        assert order.payment_date <= order.desired_delivery_date + datetime.timedelta(days=60)
    assert OrderEvent.objects.filter(actor__isnull=True).count() == 0


def test_tenants_stay_apart(seeded):
    assert not WorkUnit.objects.exclude(holder=None).exclude(holder__workshop=F("workshop"))
    assert not WorkUnit.objects.exclude(workshop=F("order__workshop"))
    assert not ProgressLog.objects.exclude(participant__workshop=F("unit__workshop"))
    for order in Order.objects.all():
        assert Partnership.objects.filter(company=order.company, workshop=order.workshop)
    minato_staff = User.objects.get(email="staff@minato.example")
    assert not Order.objects.visible_to(minato_staff).filter(workshop__slug="hidamari")
    assert not WorkUnit.objects.visible_to(minato_staff).filter(workshop__slug="hidamari")
    okanoue = User.objects.get(email="admin@okanoue-print.example")
    assert not Order.objects.visible_to(okanoue).exclude(company__slug="okanoue-print")
    member = User.objects.get(email="member@machikado.example")
    seen = set(Order.objects.visible_to(member).values_list("workshop__slug", flat=True))
    assert seen == {"hidamari", "minato"}


@pytest.mark.parametrize("email", list(LOGINS))
def test_every_demo_login_signs_in(seeded, email):
    assert authenticate(username=email, password=DEMO_PASSWORD) is not None


def test_demo_logins_land_where_the_table_says(seeded, client):
    for email, expected in [
        ("manager@hidamari.example", "/w/hidamari/"),
        ("staff@minato.example", "/w/minato/"),
        ("admin@okanoue-print.example", "/c/okanoue-print/"),
        ("member@machikado.example", "/c/machikado/"),
        ("sora@hidamari.example", "/today/"),
    ]:
        client.force_login(User.objects.get(email=email))
        response = client.get("/home/")
        assert response.status_code == 302 and response.url == expected, email
    client.force_login(User.objects.get(email="both@hidamari.example"))
    assert client.get("/home/").status_code == 200  # two roles: the person chooses


# --- `make run` on another port --------------------------------------------------------------


def test_the_printed_links_follow_the_sites_address(db, settings):
    settings.SITE_URL = "http://127.0.0.1:8101"
    out = io.StringIO()

    call_command("seed_demo", stdout=out)

    assert "http://127.0.0.1:8101/api/v1/orders/" in out.getvalue()
    assert ":8000" not in out.getvalue()


def test_make_run_on_another_port_serves_and_links_there_and_keeps_the_logins_last():
    make = shutil.which("make")
    assert make, "make is needed to run the demo (README)"
    plan = subprocess.run(
        [make, "-n", "run", "PORT=8101"],
        cwd=Path(django_settings.BASE_DIR),
        capture_output=True,
        text=True,
        check=True,
    ).stdout.splitlines()

    commands = [line for line in plan if "manage.py" in line]
    assert all("SITE_URL=http://127.0.0.1:8101" in line for line in commands), commands
    migrate = next(line for line in commands if "manage.py migrate" in line)
    assert "--verbosity 0" in migrate  # its ~70 lines would push the logins off the screen
    steps = [line.split("manage.py ")[1].split()[0] for line in commands]
    assert steps[-2:] == ["seed_demo", "runserver"]  # the logins come last, then the server
    assert commands[-1].rstrip().endswith("runserver 127.0.0.1:8101")
