"""The order board: units by state, who holds which (staff only), quiet units gently marked, and
what staff may do: reach out or release, nothing punitive."""

import datetime
import uuid

from django.utils import timezone

from jobs import work
from jobs.models import UnitEvent, WorkUnit
from tests import factories
from tests.i18n import in_japanese, ja, ja_plural
from tests.work.conftest import held_unit, queries_for, submitted_unit


def board_url(order, query=""):
    return f"/w/hidamari/work/orders/{order.pk}/board/{query}"


def test_it_counts_units_by_state_and_shows_who_holds_which(
    staff_client, order_a, participant_a, haru
):
    factories.WorkUnitFactory(order=order_a, number=1)
    held_unit(order_a, participant_a, number=2)
    submitted_unit(order_a, haru, quantity=10)
    expired = held_unit(order_a, haru, number=4)
    WorkUnit.objects.filter(pk=expired.pk).update(
        expires_at=timezone.now() - datetime.timedelta(minutes=5)
    )

    response = staff_client.get(board_url(order_a))

    counts = response.context["counts"]
    assert (counts["open"], counts["taken"], counts["submitted"], counts["all"]) == (2, 1, 1, 4)
    html = response.content.decode()
    row = html.split(f'id="unit-{expired.pk}"')[1].split("</tr>")[0]
    assert (
        in_japanese(WorkUnit.Status.OPEN.label) in row and "はる" not in row
    )  # an expired claim reads as open again
    assert "そら" in html.split('id="unit-')[2]


def test_quiet_units_are_marked_gently(staff_client, order_a, participant_a, haru):
    quiet = held_unit(order_a, participant_a, quiet_days=3, number=1)
    busy = held_unit(order_a, haru, number=2)

    html = staff_client.get(board_url(order_a)).content.decode()

    quiet_row = html.split(f'id="unit-{quiet.pk}"')[1].split("</tr>")[0]
    busy_row = html.split(f'id="unit-{busy.pk}"')[1].split("</tr>")[0]
    quiet_tag = ja_plural(
        "no progress for %(days)s day", "no progress for %(days)s days", 3, days=3
    )
    assert f'<span class="tag">{quiet_tag}</span>' in quiet_row
    assert 'class="tag"' not in busy_row
    assert "error" not in quiet_row and "red" not in quiet_row

    only_quiet = staff_client.get(board_url(order_a, "?state=quiet")).context["page"]
    assert [unit.pk for unit in only_quiet] == [quiet.pk]


def test_releasing_opens_the_unit_and_keeps_logged_work_credited(
    staff_client, staff_a, order_a, participant_a
):
    unit = factories.WorkUnitFactory(order=order_a, quantity=50)
    work.claim_unit(unit_id=unit.pk, participant=participant_a)
    work.log_progress(unit=unit, participant=participant_a, client_uuid=uuid.uuid4(), quantity=20)

    confirm = staff_client.get(f"/w/hidamari/work/units/{unit.pk}/release/")
    assert (
        ja(
            "%(name)s logged %(logged)s of %(quantity)s %(label)s. That part stays credited to "
            "them and goes to review; only the rest opens again.",
            name="そら",
            logged=20,
            quantity=50,
            label="枚",
        )
        in confirm.content.decode()
    )
    response = staff_client.post(
        f"/w/hidamari/work/units/{unit.pk}/release/confirm/", {"note": "本人と相談して"}
    )

    assert response["Location"] == board_url(order_a)
    unit.refresh_from_db()
    assert (unit.status, unit.quantity, unit.holder) == ("submitted", 20, participant_a)
    rest = WorkUnit.objects.get(order=order_a, status="open")
    assert rest.quantity == 30
    event = unit.events.get(kind="released_by_staff")
    assert (event.actor, event.participant, event.note) == (
        staff_a,
        participant_a,
        "本人と相談して",
    )


def test_releasing_a_unit_nobody_holds_says_so(staff_client, order_a):
    unit = factories.WorkUnitFactory(order=order_a)
    response = staff_client.post(f"/w/hidamari/work/units/{unit.pk}/release/confirm/", follow=True)
    assert ja("Nobody holds this unit now.") in response.content.decode()


def test_reaching_out_is_only_a_record(staff_client, staff_a, order_a, participant_a):
    unit = held_unit(order_a, participant_a, quiet_days=3)

    staff_client.post(
        f"/w/hidamari/work/units/{unit.pk}/reach-out/record/", {"note": "LINEで様子をきいた"}
    )

    unit.refresh_from_db()
    assert (unit.status, unit.holder) == ("claimed", participant_a)
    event = UnitEvent.objects.get(unit=unit, kind="reached_out")
    assert (event.actor, event.participant, event.note) == (
        staff_a,
        participant_a,
        "LINEで様子をきいた",
    )


def test_the_board_costs_the_same_queries_for_few_units_or_many(
    staff_client, order_a, workshop_a, participant_a
):
    people = [
        factories.ParticipantFactory(workshop=workshop_a, nickname=f"人{n}") for n in range(6)
    ]
    held_unit(order_a, people[0], number=1)
    factories.WorkUnitFactory(order=order_a, number=2)
    few = queries_for(staff_client, board_url(order_a))
    for n, person in enumerate(people[1:], start=3):
        held_unit(order_a, person, number=n, quiet_days=n)
    unit = factories.WorkUnitFactory(order=order_a, number=40)
    work.suggest_unit(unit=unit, participant=participant_a, by=None)
    for n in range(41, 100):
        factories.WorkUnitFactory(order=order_a, number=n)
    many = queries_for(staff_client, board_url(order_a))
    assert few == many
