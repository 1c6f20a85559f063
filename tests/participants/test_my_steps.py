"""The participant's own page (/me/steps/): their step in warm words, the small steps and
goals staff chose to share; never notes, never a ladder, never anyone else."""

from django.utils import timezone

from participants import pathway
from tests import factories


def share(participant, staff, note, shared=True):
    """A small step recorded today (read when called)."""
    return pathway.record_milestone(
        participant=participant,
        category="first_visit",
        on=timezone.localdate(),
        note=note,
        shared_with_participant=shared,
        recorded_by=staff,
    )


def test_it_shows_the_step_in_warm_words_and_what_staff_shared(client, sora, staff_a, today):
    share(sora, staff_a, "はじめて来られた日")
    share(sora, staff_a, "スタッフだけのメモ", shared=False)
    pathway.set_goal(
        participant=sora,
        text="週に1回、作業所でお茶を飲む",
        started_on=today,
        target_on=None,
        shared_with_participant=True,
        recorded_by=staff_a,
    )
    pathway.set_goal(
        participant=sora,
        text="支援員だけが見る目標",
        started_on=today,
        target_on=None,
        shared_with_participant=False,
        recorded_by=staff_a,
    )
    client.force_login(sora.user)

    html = client.get("/me/steps/").content.decode()

    assert "わたしの歩み" in html
    assert "つながり" in html and "出会えてうれしいです" in html
    assert "はじめて来られた日" in html
    assert "週に1回、作業所でお茶を飲む" in html
    assert "スタッフだけのメモ" not in html
    assert "支援員だけが見る目標" not in html


def test_it_never_shows_notes_a_ladder_or_anyone_else(client, sora, staff_a, workshop_a, today):
    pathway.write_note(
        participant=sora, on=today, kind="interview", text="面談の内容", author=staff_a
    )
    other = factories.ParticipantFactory(workshop=workshop_a, nickname="となり")
    pathway.record_consent(
        participant=other,
        recorded_by=staff_a,
        explained="説明",
        text_version="1",
        given_on=today,
        method="verbal",
    )
    share(other, staff_a, "となりの一歩")
    client.force_login(sora.user)

    html = client.get("/me/steps/").content.decode()

    assert "面談の内容" not in html
    assert "となり" not in html
    assert "<progress" not in html and "一般就労" not in html  # no ladder of the steps ahead


def test_reading_ones_own_steps_is_not_audited(client, sora, staff_a):
    from workshop.models import AuditLog

    share(sora, staff_a, "一歩")
    rows = AuditLog.objects.count()
    client.force_login(sora.user)

    client.get("/me/steps/")

    assert AuditLog.objects.count() == rows


def test_staff_and_companies_have_no_such_page(client, staff_a, member_a):
    for user in (staff_a, member_a):
        client.force_login(user)
        assert client.get("/me/steps/").status_code == 404
