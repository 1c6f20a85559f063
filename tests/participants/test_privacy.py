"""Privacy duties: `purge_expired` deletes exactly the records whose retention has passed and
records counts only; the full export holds everything about one person and nothing of anyone
else; managers (only) search the audit log and download the export."""

import csv
import datetime
import io
import json
import zipfile

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from participants import pathway, privacy
from participants.models import (
    Consent,
    Goal,
    GoalReview,
    Milestone,
    Participant,
    StageChange,
    SupportNote,
    SupportNoteVersion,
)
from tests import factories
from tests.participants.conftest import give_consent
from workshop.models import AuditLog

SENSITIVE = [SupportNote, SupportNoteVersion, Goal, GoalReview, Milestone, StageChange]


def records_for(participant, staff, on=None):
    """One record of every sensitive kind, dated `on` (by default today, read when called)."""
    if on is None:
        on = timezone.localdate()
    note = pathway.write_note(
        participant=participant,
        on=on,
        kind="phone",
        text=f"{participant.nickname}の記録",
        author=staff,
    )
    pathway.correct_note(
        note=note, text=f"{participant.nickname}の記録（直し）", on=on, kind="phone",
        reason="直し", corrected_by=staff,
    )  # fmt: skip
    goal = pathway.set_goal(
        participant=participant,
        text=f"{participant.nickname}の目標",
        started_on=on,
        target_on=None,
        shared_with_participant=True,
        recorded_by=staff,
    )
    pathway.review_goal(goal=goal, on=on, note="ふりかえり", recorded_by=staff)
    pathway.record_milestone(
        participant=participant,
        category="first_visit",
        on=on,
        note=f"{participant.nickname}の一歩",
        shared_with_participant=True,
        recorded_by=staff,
    )
    pathway.change_stage(
        participant=participant, to_stage="place", on=on, note="", recorded_by=staff
    )


def counts(participant) -> list[int]:
    return [
        SupportNoteVersion.objects.filter(note__participant=participant).count()
        if model is SupportNoteVersion
        else model.objects.filter(participant=participant).count()
        for model in SENSITIVE
    ]


def end_support(participant, on):
    Participant.objects.filter(pk=participant.pk).update(status="ended", ended_on=on)


# --- purge -----------------------------------------------------------------------------------


@pytest.fixture
def four(workshop_a, staff_a):
    """Four participants of workshop A, each with one record of every kind:
    ended just over five years ago, ended just under, withdrew over five years ago, active."""
    people = {}
    for name in ("ended_long_ago", "ended_recently", "withdrew_long_ago", "active"):
        participant = factories.ParticipantFactory(workshop=workshop_a, nickname=name)
        give_consent(participant, staff_a, given_on=datetime.date(2019, 1, 1))
        records_for(participant, staff_a, on=datetime.date(2020, 1, 1))
        people[name] = participant
    Consent.objects.filter(participant=people["withdrew_long_ago"]).update(
        withdrawn_on=datetime.date(2021, 3, 1)
    )
    end_support(people["ended_long_ago"], datetime.date(2021, 3, 1))
    end_support(people["ended_recently"], datetime.date(2021, 3, 2))
    return people


PURGE_DAY = datetime.date(2026, 3, 1)  # five years after 2021-03-01


def test_purge_deletes_exactly_the_records_past_retention(four):
    report = privacy.purge_expired(today=PURGE_DAY)

    assert counts(four["ended_long_ago"]) == [0] * 6
    assert counts(four["withdrew_long_ago"]) == [0] * 6
    assert counts(four["ended_recently"]) == [1] * 6
    assert counts(four["active"]) == [1] * 6
    assert set(report.counts) == {four["ended_long_ago"].pk, four["withdrew_long_ago"].pk}
    # The people themselves and their consents stay (docs/privacy.md).
    assert Participant.objects.count() == 4
    assert Consent.objects.filter(participant=four["ended_long_ago"]).exists()


def test_purge_records_counts_and_never_content(four):
    privacy.purge_expired(today=PURGE_DAY)

    rows = AuditLog.objects.filter(action="purge").order_by("participant_id")
    assert [(r.participant_id, r.actor_label, r.actor_id) for r in rows] == [
        (four["ended_long_ago"].pk, "purge_expired", None),
        (four["withdrew_long_ago"].pk, "purge_expired", None),
    ]
    assert rows[0].summary == (
        "support_notes=1 support_note_versions=1 goal_reviews=1 goals=1 milestones=1 "
        "stage_changes=1"
    )


def test_purge_run_again_deletes_nothing_and_writes_nothing(four):
    privacy.purge_expired(today=PURGE_DAY)
    rows = AuditLog.objects.count()

    report = privacy.purge_expired(today=PURGE_DAY)

    assert report.counts == {}
    assert AuditLog.objects.count() == rows


def test_purge_follows_the_workshops_retention(four, workshop_a):
    workshop_a.retention_years = 6
    workshop_a.save()

    report = privacy.purge_expired(today=PURGE_DAY)

    assert report.counts == {}


def test_consent_given_again_stops_the_withdrawal_clock(four, staff_a):
    give_consent(four["withdrew_long_ago"], staff_a, given_on=datetime.date(2025, 1, 1))

    privacy.purge_expired(today=PURGE_DAY)

    assert counts(four["withdrew_long_ago"]) == [1] * 6


def test_the_command_dry_run_counts_and_deletes_nothing(four, capsys):
    call_command("purge_expired", "--dry-run", "--today", PURGE_DAY.isoformat())

    out = capsys.readouterr().out
    assert "Would delete the records of 2 participant(s)" in out
    assert "support_notes=2" in out
    assert counts(four["ended_long_ago"]) == [1] * 6
    assert not AuditLog.objects.filter(action="purge").exists()


def test_the_command_deletes(four, capsys):
    call_command("purge_expired", "--today", PURGE_DAY.isoformat())

    assert "Deleted the records of 2 participant(s)" in capsys.readouterr().out
    assert counts(four["ended_long_ago"]) == [0] * 6


# --- export ----------------------------------------------------------------------------------


def read_zip(data: bytes) -> tuple[dict, dict[str, list[dict]], str]:
    archive = zipfile.ZipFile(io.BytesIO(data))
    everything = json.loads(archive.read("everything.json"))
    tables = {
        name.removeprefix("csv/").removesuffix(".csv"): list(
            csv.DictReader(io.StringIO(archive.read(name).decode("utf-8-sig")))
        )
        for name in archive.namelist()
        if name.startswith("csv/")
    }
    raw = "".join(archive.read(name).decode("utf-8-sig") for name in archive.namelist())
    return everything, tables, raw


@pytest.fixture
def two_people(sora, umi, staff_a, staff_b, workshop_a, order_a):
    """そら and a neighbour in the same workshop working on the same unit, plus うみ of B."""
    neighbour = factories.ParticipantFactory(
        workshop=workshop_a, nickname="となり", user__email="tonari@example.com"
    )
    give_consent(neighbour, staff_a)
    for person, staff in ((sora, staff_a), (neighbour, staff_a), (umi, staff_b)):
        records_for(person, staff)
    unit = factories.WorkUnitFactory(order=order_a)
    factories.ProgressLogFactory(unit=unit, participant=sora, note="そらの作業メモ")
    factories.ProgressLogFactory(unit=unit, participant=neighbour, note="となりの作業メモ")
    pathway.notes_for(participant=neighbour, reader=staff_a)
    return neighbour


def test_the_export_holds_every_record_of_the_person(sora, manager_a, two_people):
    everything, tables, _raw = read_zip(
        privacy.export_participant(participant=sora, exported_by=manager_a)
    )

    assert everything["participant"][0]["nickname"] == "そら"
    assert everything["account"][0]["email"] == "sora@example.com"
    for name in (
        "consents", "stage_changes", "milestones", "goals", "goal_reviews",
        "support_notes", "support_note_versions", "progress_logs",
    ):  # fmt: skip
        assert len(everything[name]) == 1, name
        assert len(tables[name]) == 1, name
    assert everything["support_notes"][0]["text"] == "そらの記録（直し）"
    assert everything["support_note_versions"][0]["text"] == "そらの記録"
    assert everything["progress_logs"][0]["note"] == "そらの作業メモ"
    assert {row["action"] for row in everything["audit_log"]} >= {"create", "update", "export"}


def test_the_export_holds_nothing_of_anyone_else(sora, manager_a, two_people):
    _everything, _tables, raw = read_zip(
        privacy.export_participant(participant=sora, exported_by=manager_a)
    )

    for other in ("となり", "tonari@example.com", "うみ", "umi@example.com", "manager-a@example"):
        assert other not in raw
    assert "token_hash" not in raw


def test_the_export_includes_check_ins_suggestions_skills_and_openings(sora, manager_a, staff_a):
    from jobs import work
    from participants import attendance

    check, _ = attendance.check_in(participant=sora, kind="start", place="home")
    attendance.reply_to_check_in(attendance=check, by=staff_a, text="おはよう")
    unit = factories.WorkUnitFactory(order=factories.OrderFactory(workshop=sora.workshop))
    work.suggest_unit(unit=unit, participant=sora, by=staff_a)
    work.mark_trained(participant=sora, skill_tag="sealing", by=staff_a)

    everything, tables, _raw = read_zip(
        privacy.export_participant(participant=sora, exported_by=manager_a)
    )

    assert everything["check_ins"][0]["staff_reply"] == "おはよう"
    assert everything["suggestions"][0]["status"] == "open"
    assert everything["skills"][0]["skill"] == "sealing"
    assert everything["opening_proposals"] == []
    assert {"check_ins", "suggestions", "skills", "opening_proposals"} <= set(tables)


def test_the_export_is_audited(sora, manager_a):
    privacy.export_participant(participant=sora, exported_by=manager_a)

    assert AuditLog.objects.filter(
        action="export", participant_id=sora.pk, actor=manager_a, record_type="participant"
    ).exists()


def test_managers_download_the_export_and_plain_staff_get_404(
    client, sora, manager_a, staff_a, manager_b
):
    url = reverse("support:export", args=["hidamari", sora.pk])

    client.force_login(staff_a)
    assert client.post(url).status_code == 404
    client.force_login(manager_b)
    assert client.post(url).status_code == 404
    client.force_login(manager_a)
    response = client.post(url)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert "attachment" in response["Content-Disposition"]
    assert read_zip(response.content)[0]["participant"][0]["nickname"] == "そら"


# --- the audit log page ----------------------------------------------------------------------


def test_managers_search_the_audit_log_by_who_and_what(client, manager_a, staff_a, note_a, sora):
    pathway.notes_for(participant=sora, reader=manager_a)
    client.force_login(manager_a)
    url = reverse("support:audit_log", args=["hidamari"])

    response = client.get(url, {"actor": staff_a.pk, "action": "create"})

    rows = list(response.context["page"].object_list)
    assert {(r.actor_id, r.action) for r in rows} == {(staff_a.pk, "create")}
    assert {r.record_type for r in rows} == {"consent", "support_note"}
    html = response.content.decode()
    assert "そら" in html
    assert "朝は起きにくい" not in html


def test_the_audit_log_filters_by_participant_record_and_dates(
    client, manager_a, note_a, sora, workshop_a, staff_a, today
):
    other = factories.ParticipantFactory(workshop=workshop_a)
    give_consent(other, staff_a)
    client.force_login(manager_a)
    url = reverse("support:audit_log", args=["hidamari"])

    by_person = client.get(url, {"participant": other.pk}).context["page"].object_list
    by_type = client.get(url, {"record_type": "support_note"}).context["page"].object_list
    tomorrow = (today + datetime.timedelta(days=1)).isoformat()
    later = client.get(url, {"since": tomorrow}).context["page"].object_list

    assert {r.participant_id for r in by_person} == {other.pk}
    assert [r.record_id for r in by_type] == [note_a.pk]
    assert list(later) == []


@pytest.mark.parametrize("persona", ["staff_a", "manager_b", "participant_a", "member_a"])
def test_only_the_workshops_managers_open_the_audit_log(client, request, persona, note_a):
    person = request.getfixturevalue(persona)
    client.force_login(getattr(person, "user", person))

    assert client.get(reverse("support:audit_log", args=["hidamari"])).status_code == 404
