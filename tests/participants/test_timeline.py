"""A participant's timeline: everything in one chronological page, a fixed number of queries
however long the history, and every entry reachable through "show older"."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from jobs.models import ProgressLog, WorkUnit
from participants import pathway
from participants.models import Goal, GoalReview, Milestone, StageChange, SupportNote
from tests import factories
from workshop.models import AuditLog


def history(participant, staff, order, days: int) -> None:
    """`days` days of history up to today (read when called), several records of every kind each
    day (bulk, to stay fast)."""
    today = timezone.localdate()
    notes, milestones, changes, logs = [], [], [], []
    unit = unit_for(participant, order)
    for number in range(days):
        day = today - datetime.timedelta(days=number)
        notes += [
            SupportNote(participant=participant, on=day, kind="phone", text=f"記録{number}-{i}")
            for i in range(2)
        ]
        milestones.append(Milestone(participant=participant, category="other", on=day))
        changes.append(StageChange(participant=participant, to_stage="place", on=day))
        logs.append(
            factories.ProgressLogFactory.build(
                unit=unit,
                participant=participant,
                created_at=timezone.now() - datetime.timedelta(days=number),
            )
        )
    SupportNote.objects.bulk_create(notes)
    Milestone.objects.bulk_create(milestones)
    StageChange.objects.bulk_create(changes)
    ProgressLog.objects.bulk_create(logs)
    goal = Goal.objects.create(
        participant=participant, text="目標", started_on=today - datetime.timedelta(days=days)
    )
    GoalReview.objects.create(goal=goal, participant=participant, on=today)


_units: dict = {}


def unit_for(participant, order):
    key = (participant.pk, order.pk)
    if key not in _units or not WorkUnit.objects.filter(pk=_units[key].pk).exists():
        now = timezone.now()
        _units[key] = factories.WorkUnitFactory(
            order=order,
            status=WorkUnit.Status.CLAIMED,
            holder=participant,
            claimed_at=now,
            last_activity_at=now,
            expires_at=now + datetime.timedelta(hours=48),
        )
    return _units[key]


def timeline_url(participant):
    return reverse("support:timeline", args=[participant.workshop.slug, participant.pk])


def queries(client, url) -> int:
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200
    return len(context.captured_queries)


def test_its_query_count_is_the_same_for_a_week_and_for_years(
    client, staff_a, sora, order_a, django_assert_max_num_queries
):
    history(sora, staff_a, order_a, days=7)
    client.force_login(staff_a)
    queries(client, timeline_url(sora))
    a_week = queries(client, timeline_url(sora))

    history(sora, staff_a, order_a, days=400)
    with django_assert_max_num_queries(a_week):
        response = client.get(timeline_url(sora))
    assert len(response.context["page"].entries) == 40
    with django_assert_max_num_queries(a_week):
        client.get(timeline_url(sora) + "?before=" + response.context["page"].next_cursor)


def test_show_older_reaches_every_entry_once_newest_first(staff_a, sora, order_a):
    history(sora, staff_a, order_a, days=12)
    expected = (
        SupportNote.objects.count()
        + Milestone.objects.count()
        + StageChange.objects.count()
        + Goal.objects.count()
        + GoalReview.objects.count()
        + 12  # progress logs
        + 1  # the unit taken
    )

    seen, before = [], None
    while True:
        page = pathway.timeline_for(participant=sora, reader=staff_a, before=before, limit=7)
        seen += page.entries
        if page.next_cursor is None:
            break
        before = page.next_cursor

    assert len(seen) == expected
    assert len({(e.kind, e.pk) for e in seen}) == expected
    keys = [e.key for e in seen]
    assert keys == sorted(keys, reverse=True)


def test_it_shows_each_kind_and_audits_only_the_sensitive_ones(
    client, staff_a, sora, order_a, today
):
    pathway.record_milestone(
        participant=sora,
        category="first_visit",
        on=today,
        note="はじめて来所",
        shared_with_participant=True,
        recorded_by=staff_a,
    )
    note = pathway.write_note(
        participant=sora, on=today, kind="visit", text="自宅を訪問", author=staff_a
    )
    unit = unit_for(sora, order_a)
    factories.ProgressLogFactory(unit=unit, participant=sora, quantity=12)
    client.force_login(staff_a)

    html = client.get(timeline_url(sora)).content.decode()

    assert "はじめて来所" in html and "自宅を訪問" in html
    assert order_a.title in html and "12" in html
    reads = set(AuditLog.objects.filter(action="read").values_list("record_type", "record_id"))
    assert reads == {("milestone", sora.milestones.get().pk), ("support_note", note.pk)}


def test_show_older_is_a_link_that_htmx_swaps_for_the_next_entries(client, staff_a, sora, order_a):
    history(sora, staff_a, order_a, days=20)
    client.force_login(staff_a)
    page = client.get(timeline_url(sora)).context["page"]

    html = client.get(timeline_url(sora)).content.decode()
    fragment = client.get(
        timeline_url(sora) + "?before=" + page.next_cursor, HTTP_HX_REQUEST="true"
    ).content.decode()

    assert f'href="?before={page.next_cursor}"' in html
    assert f'hx-get="?before={page.next_cursor}"' in html
    assert "<html" not in fragment
    assert 'data-kind="' in fragment


def test_another_participants_entries_never_appear(staff_a, sora, order_a, workshop_a, today):
    other = factories.ParticipantFactory(workshop=workshop_a, nickname="ほか")
    SupportNote.objects.create(participant=other, on=today, kind="phone", text="ほかの人の記録")
    factories.ProgressLogFactory(unit=unit_for(other, order_a), participant=other)

    page = pathway.timeline_for(participant=sora, reader=staff_a)

    assert page.entries == []


@pytest.mark.parametrize("cursor", ["", "nonsense", "2026-13-01.1.1"])
def test_a_malformed_cursor_starts_from_the_newest(staff_a, sora, cursor):
    assert pathway.parse_cursor(cursor) is None


def test_check_ins_and_their_replies_are_on_the_timeline(client, staff_a, sora):
    from participants import attendance

    check, _ = attendance.check_in(participant=sora, kind="start", place="home")
    attendance.reply_to_check_in(attendance=check, by=staff_a, text="おはようございます。")
    client.force_login(staff_a)

    html = client.get(timeline_url(sora), HTTP_ACCEPT_LANGUAGE="ja").content.decode()

    assert 'data-kind="check_in"' in html
    assert "おはようございます。" in html
    # Check-ins are not support records: showing them is not an audited read.
    assert not AuditLog.objects.filter(action="read", record_type="attendance").exists()
