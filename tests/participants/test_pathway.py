"""The rules of support records (participants/pathway.py): consent first, steps that may go
any way, goals and their reviews, notes whose corrections keep history, and an audit row for
every read and write."""

import datetime

import pytest
from django.utils import timezone

from participants import pathway
from participants.models import (
    Consent,
    Goal,
    Milestone,
    Participant,
    Stage,
    StageChange,
    SupportNote,
    SupportNoteVersion,
)
from participants.pathway import PathwayError
from tests.participants.conftest import audit_rows, give_consent
from workshop.models import AuditLog


def write(participant, staff, text="電話で近況を聞いた"):
    """A phone note dated today (read when called)."""
    return pathway.write_note(
        participant=participant, on=timezone.localdate(), kind="phone", text=text, author=staff
    )


# --- consent first ---------------------------------------------------------------------------


def test_it_refuses_to_save_a_note_without_consent(participant_a, staff_a):
    with pytest.raises(PathwayError) as refused:
        write(participant_a, staff_a)

    assert refused.value.code == "consent_required"
    assert not SupportNote.objects.exists()
    assert not AuditLog.objects.exists()


@pytest.mark.parametrize(
    "record",
    [
        lambda p, s, today: pathway.change_stage(
            participant=p, to_stage=Stage.PLACE, on=today, note="", recorded_by=s
        ),
        lambda p, s, today: pathway.record_milestone(
            participant=p,
            category="first_visit",
            on=today,
            note="",
            shared_with_participant=True,
            recorded_by=s,
        ),
        lambda p, s, today: pathway.set_goal(
            participant=p,
            text="週1回来る",
            started_on=today,
            target_on=None,
            shared_with_participant=False,
            recorded_by=s,
        ),
    ],
    ids=["stage", "small step", "goal"],
)
def test_it_refuses_every_sensitive_record_without_consent(participant_a, staff_a, record, today):
    with pytest.raises(PathwayError) as refused:
        record(participant_a, staff_a, today)

    assert refused.value.code == "consent_required"
    assert not StageChange.objects.exists()
    assert not Milestone.objects.exists()
    assert not Goal.objects.exists()
    assert Participant.objects.get(pk=participant_a.pk).stage == Stage.CONNECTION


def test_a_withdrawal_stops_new_records_but_keeps_what_is_held(sora, staff_a, today):
    note = write(sora, staff_a)

    consent = pathway.withdraw_consent(participant=sora, recorded_by=staff_a, withdrawn_on=today)

    assert consent.withdrawn_on == today
    assert consent.withdrawal_recorded_by == staff_a
    with pytest.raises(PathwayError) as refused:
        write(sora, staff_a)
    assert refused.value.code == "consent_required"
    with pytest.raises(PathwayError):
        pathway.correct_note(
            note=note, text="直す", on=today, kind="phone", reason="誤字", corrected_by=staff_a
        )
    assert list(SupportNote.objects.all()) == [note]


def test_consent_given_again_after_a_withdrawal_is_a_new_row(sora, staff_a, today):
    pathway.withdraw_consent(participant=sora, recorded_by=staff_a, withdrawn_on=today)

    again = give_consent(sora, staff_a, given_on=today)

    assert Consent.objects.filter(participant=sora).count() == 2
    assert pathway.standing_consent(sora) == again
    write(sora, staff_a)


def test_it_refuses_a_second_standing_consent(sora, staff_a):
    with pytest.raises(PathwayError) as refused:
        give_consent(sora, staff_a)

    assert refused.value.code == "consent_exists"


def test_it_refuses_a_withdrawal_when_there_is_no_consent(participant_a, staff_a, today):
    with pytest.raises(PathwayError) as refused:
        pathway.withdraw_consent(participant=participant_a, recorded_by=staff_a, withdrawn_on=today)

    assert refused.value.code == "consent_required"


# --- steps -----------------------------------------------------------------------------------


def test_a_participant_can_move_on_stay_and_go_back(sora, staff_a, today):
    pathway.change_stage(
        participant=sora, to_stage=Stage.TRYING_WORK, on=today, note="", recorded_by=staff_a
    )
    pathway.change_stage(
        participant=sora, to_stage=Stage.TRYING_WORK, on=today, note="このまま", recorded_by=staff_a
    )
    pathway.change_stage(
        participant=sora, to_stage=Stage.PLACE, on=today, note="少し休む", recorded_by=staff_a
    )

    moves = list(StageChange.objects.order_by("pk").values_list("from_stage", "to_stage", "note"))
    assert moves == [
        (Stage.CONNECTION, Stage.TRYING_WORK, ""),
        (Stage.TRYING_WORK, Stage.TRYING_WORK, "このまま"),
        (Stage.TRYING_WORK, Stage.PLACE, "少し休む"),
    ]
    assert Participant.objects.get(pk=sora.pk).stage == Stage.PLACE
    assert StageChange.objects.last().recorded_by == staff_a


def test_it_refuses_a_date_in_the_future(sora, staff_a, today):
    with pytest.raises(PathwayError) as refused:
        pathway.record_milestone(
            participant=sora,
            category="first_visit",
            on=today + datetime.timedelta(days=1),
            note="",
            shared_with_participant=True,
            recorded_by=staff_a,
        )

    assert refused.value.code == "invalid_date"
    assert refused.value.field == "on"


# --- goals -----------------------------------------------------------------------------------


def test_a_goals_first_review_falls_the_workshops_interval_after_it_was_set(sora, staff_a):
    sora.workshop.goal_review_months = 3
    sora.workshop.save()

    goal = pathway.set_goal(
        participant=sora,
        text="週2回来る",
        started_on=datetime.date(2026, 1, 31),
        target_on=None,
        shared_with_participant=True,
        recorded_by=staff_a,
    )

    assert goal.next_review_on == datetime.date(2026, 4, 30)


def test_a_review_moves_the_next_one_on_from_the_review(sora, staff_a, today, a_month_ago):
    goal = pathway.set_goal(
        participant=sora,
        text="週2回来る",
        started_on=a_month_ago,
        target_on=None,
        shared_with_participant=True,
        recorded_by=staff_a,
    )

    review = pathway.review_goal(goal=goal, on=today, note="続いている", recorded_by=staff_a)

    goal.refresh_from_db()
    assert review.participant == sora
    assert goal.next_review_on == pathway.add_months(today, 6)


def test_a_goal_set_aside_has_no_review_due_and_one_taken_up_again_has(sora, staff_a, today):
    goal = pathway.set_goal(
        participant=sora,
        text="週2回来る",
        started_on=today - datetime.timedelta(days=170),
        target_on=None,
        shared_with_participant=False,
        recorded_by=staff_a,
    )
    assert list(pathway.reviews_due(sora.workshop)) == [goal]

    pathway.update_goal(
        goal=goal,
        recorded_by=staff_a,
        text=goal.text,
        target_on=None,
        status=Goal.Status.PAUSED,
        shared_with_participant=False,
    )
    assert list(pathway.reviews_due(sora.workshop)) == []

    pathway.update_goal(
        goal=goal,
        recorded_by=staff_a,
        text=goal.text,
        target_on=None,
        status=Goal.Status.ACTIVE,
        shared_with_participant=True,
    )
    goal.refresh_from_db()
    assert goal.next_review_on == pathway.add_months(today, 6)


def test_reviews_due_are_those_of_the_workshop_within_the_days_asked(
    sora, umi, staff_a, staff_b, today
):
    def goal(participant, staff, days_ago):
        return pathway.set_goal(
            participant=participant,
            text="目標",
            started_on=today - datetime.timedelta(days=days_ago),
            target_on=None,
            shared_with_participant=False,
            recorded_by=staff,
        )

    soon = goal(sora, staff_a, 175)  # due in about a week
    passed = goal(sora, staff_a, 200)  # due a couple of weeks ago
    goal(sora, staff_a, 30)  # due in five months
    goal(umi, staff_b, 175)  # another workshop's

    assert list(pathway.reviews_due(sora.workshop)) == [passed, soon]
    assert list(pathway.reviews_due(sora.workshop, within_days=0)) == [passed]


# --- notes and their history -----------------------------------------------------------------


def test_a_correction_keeps_the_earlier_text_with_who_and_why(sora, staff_a, manager_a):
    note = write(sora, staff_a, text="午後は来られる")

    pathway.correct_note(
        note=note,
        text="昼過ぎからは来られる",
        on=note.on,
        kind="interview",
        reason="時間帯を正確に",
        corrected_by=manager_a,
    )

    note.refresh_from_db()
    assert (note.text, note.kind, note.author, note.corrected_by) == (
        "昼過ぎからは来られる",
        "interview",
        staff_a,
        manager_a,
    )
    [version] = SupportNoteVersion.objects.all()
    assert (version.text, version.kind, version.written_by, version.replaced_by) == (
        "午後は来られる",
        "phone",
        staff_a,
        manager_a,
    )
    assert version.reason == "時間帯を正確に"


def test_a_second_correction_keeps_both_earlier_texts(sora, staff_a, manager_a):
    note = write(sora, staff_a, text="一")
    for text, who in (("二", manager_a), ("三", staff_a)):
        pathway.correct_note(
            note=note, text=text, on=note.on, kind="phone", reason="直し", corrected_by=who
        )

    versions = SupportNoteVersion.objects.order_by("pk")
    assert [(v.text, v.written_by, v.replaced_by) for v in versions] == [
        ("一", staff_a, manager_a),
        ("二", manager_a, staff_a),
    ]
    assert SupportNote.objects.get().text == "三"


def test_a_correction_that_changes_nothing_is_refused(sora, staff_a):
    note = write(sora, staff_a)

    with pytest.raises(PathwayError) as refused:
        pathway.correct_note(
            note=note, text=note.text, on=note.on, kind=note.kind, reason="?", corrected_by=staff_a
        )

    assert refused.value.code == "unchanged"
    assert not SupportNoteVersion.objects.exists()


# --- the audit log ---------------------------------------------------------------------------


def test_every_note_write_and_read_leaves_an_audit_row(sora, staff_a, manager_a):
    note = write(sora, staff_a)
    pathway.correct_note(
        note=note, text="直した", on=note.on, kind="phone", reason="誤字", corrected_by=staff_a
    )
    version = SupportNoteVersion.objects.get()

    pathway.notes_for(participant=sora, reader=manager_a)
    pathway.get_note_for(reader=staff_a, participant=sora, pk=note.pk)

    assert audit_rows(record_type__startswith="support_note") == [
        ("staff-a@example.com", "create", "support_note", note.pk, sora.pk),
        ("staff-a@example.com", "update", "support_note", note.pk, sora.pk),
        ("staff-a@example.com", "update", "support_note_version", version.pk, sora.pk),
        ("manager-a@example.com", "read", "support_note", note.pk, sora.pk),
        ("staff-a@example.com", "read", "support_note", note.pk, sora.pk),
        ("staff-a@example.com", "read", "support_note_version", version.pk, sora.pk),
    ]


def test_audit_rows_never_hold_the_records_content(sora, staff_a):
    write(sora, staff_a, text="とても個人的な内容")
    pathway.notes_for(participant=sora, reader=staff_a)

    for row in AuditLog.objects.all():
        assert "個人的" not in row.summary
        assert row.workshop_id == sora.workshop_id


def test_reads_and_writes_of_every_kind_are_audited(sora, staff_a, today):
    change = pathway.change_stage(
        participant=sora, to_stage=Stage.PLACE, on=today, note="", recorded_by=staff_a
    )
    milestone = pathway.record_milestone(
        participant=sora,
        category="first_visit",
        on=today,
        note="",
        shared_with_participant=True,
        recorded_by=staff_a,
    )
    goal = pathway.set_goal(
        participant=sora,
        text="目標",
        started_on=today,
        target_on=None,
        shared_with_participant=False,
        recorded_by=staff_a,
    )
    review = pathway.review_goal(goal=goal, on=today, note="", recorded_by=staff_a)
    consent = pathway.standing_consent(sora)

    pathway.support_record_for(participant=sora, reader=staff_a)

    reads = {(row[2], row[3]) for row in audit_rows(action="read")}
    assert reads == {
        ("consent", consent.pk),
        ("stage_change", change.pk),
        ("milestone", milestone.pk),
        ("goal", goal.pk),
        ("goal_review", review.pk),
    }
    creates = {(row[2], row[3]) for row in audit_rows(action="create")}
    assert creates == reads


def test_staff_of_another_workshop_read_nothing_and_leave_no_read_rows_about_others(
    sora, staff_b, staff_a
):
    write(sora, staff_a)

    assert pathway.notes_for(participant=sora, reader=staff_b) == []
    assert audit_rows(action="read") == []


def test_the_audit_log_cannot_be_changed_or_deleted(sora, staff_a):
    row = AuditLog.objects.first()

    with pytest.raises(PermissionError):
        row.save()
    with pytest.raises(PermissionError):
        AuditLog.objects.update(summary="x")
    with pytest.raises(PermissionError):
        AuditLog.objects.all().delete()
