"""Staff pages for support records (/w/<slug>/people/…): what staff see and write, that
everyone else (another workshop, the participant, any company) gets 404, and that reading a
page is audited."""

import pytest
from django.urls import reverse
from django.utils import timezone

from participants import pathway
from participants.models import Stage, SupportNote, SupportNoteVersion
from tests.i18n import in_japanese, ja, ja_around, ja_html
from tests.participants.conftest import audit_rows
from workshop.models import AuditLog


def person_url(participant):
    return reverse("support:person", args=[participant.workshop.slug, participant.pk])


def note_url(note):
    participant = note.participant
    return reverse("support:note", args=[participant.workshop.slug, participant.pk, note.pk])


def note_form(**overrides):
    """A note as the form posts it, dated today (read when called)."""
    return {
        "on": timezone.localdate().isoformat(),
        "kind": "interview",
        "text": "面談で近況を聞いた",
    } | overrides


def test_staff_see_a_participants_whole_record(client, staff_a, sora, note_a, today):
    pathway.change_stage(
        participant=sora, to_stage=Stage.PLACE, on=today, note="来所が増えた", recorded_by=staff_a
    )
    client.force_login(staff_a)

    html = client.get(person_url(sora)).content.decode()

    assert "そら" in html
    consent = sora.consents.get()
    given = ja_around(
        "Consent given on %(day)s (%(method)s), consent text version %(version)s.",
        "day",
        method=in_japanese(consent.get_method_display()),
        version=consent.text_version,
    )
    assert all(piece in html for piece in given) and "2026" in html
    assert "来所が増えた" in html
    assert "朝は起きにくいと話していた" in html
    assert 'name="text"' in html  # the note form, since consent stands


def test_without_consent_the_page_asks_for_it_and_offers_no_record_forms(
    client, staff_a, participant_a
):
    client.force_login(staff_a)

    html = client.get(person_url(participant_a)).content.decode()

    assert (
        ja_html(
            "No consent is recorded. Support notes, small steps, goals and step changes can be "
            "kept only after the participant's consent is recorded."
        )
        in html
    )
    assert reverse("support:record_consent", args=["hidamari", participant_a.pk]) in html
    assert reverse("support:write_note", args=["hidamari", participant_a.pk]) not in html


def test_posting_a_note_without_consent_is_refused_with_the_reason(client, staff_a, participant_a):
    client.force_login(staff_a)

    response = client.post(
        reverse("support:write_note", args=["hidamari", participant_a.pk]), note_form()
    )

    assert response.status_code == 400
    assert (
        ja(
            "Support records can be kept only after the participant's consent is recorded. "
            "Please record their consent first."
        )
        in response.content.decode()
    )
    assert not SupportNote.objects.exists()


def test_recording_consent_then_writing_a_note(client, staff_a, participant_a, today):
    client.force_login(staff_a)

    response = client.post(
        reverse("support:record_consent", args=["hidamari", participant_a.pk]),
        {
            "explained": "説明した",
            "text_version": "2026-04",
            "given_on": today.isoformat(),
            "method": "verbal",
        },
    )
    assert response.status_code == 302
    response = client.post(
        reverse("support:write_note", args=["hidamari", participant_a.pk]), note_form()
    )

    assert response.url.endswith("#notes")
    note = SupportNote.objects.get()
    assert (note.text, note.author, note.kind) == ("面談で近況を聞いた", staff_a, "interview")


def test_a_note_with_errors_keeps_what_was_typed(client, staff_a, sora):
    client.force_login(staff_a)

    response = client.post(
        reverse("support:write_note", args=["hidamari", sora.pk]),
        note_form(on="", text="残しておきたい文章"),
    )

    html = response.content.decode()
    assert response.status_code == 400
    assert "残しておきたい文章" in html
    assert "errorlist" in html
    assert not SupportNote.objects.exists()


def test_correcting_a_note_on_its_page_keeps_the_history(client, staff_a, note_a):
    client.force_login(staff_a)

    response = client.post(
        reverse("support:correct_note", args=["hidamari", note_a.participant_id, note_a.pk]),
        note_form(text="朝は起きにくいが、午後は元気", reason="聞き取りを補った"),
    )

    assert response.status_code == 302
    html = client.get(note_url(note_a)).content.decode()
    assert "朝は起きにくいが、午後は元気" in html
    assert "朝は起きにくいと話していた" in html  # the earlier text, in the history
    assert "聞き取りを補った" in html
    assert SupportNoteVersion.objects.count() == 1


def test_a_correction_without_a_reason_is_refused(client, staff_a, note_a):
    client.force_login(staff_a)

    response = client.post(
        reverse("support:correct_note", args=["hidamari", note_a.participant_id, note_a.pk]),
        note_form(text="別の文章", reason=""),
    )

    assert response.status_code == 400
    assert "別の文章" in response.content.decode()
    assert SupportNote.objects.get().text == "朝は起きにくいと話していた"


def test_opening_a_note_leaves_a_read_row(client, staff_a, note_a):
    client.force_login(staff_a)

    client.get(note_url(note_a))

    assert ("staff-a@example.com", "read", "support_note", note_a.pk, note_a.participant_id) in (
        audit_rows(action="read")
    )


@pytest.mark.parametrize("persona", ["staff_b", "participant_a", "member_a", "company_admin_a"])
def test_everyone_but_the_workshops_staff_gets_404_on_notes(client, request, persona, note_a):
    person = request.getfixturevalue(persona)
    client.force_login(getattr(person, "user", person))
    slug, pk = "hidamari", note_a.participant_id

    urls = [
        reverse("support:people", args=[slug]),
        person_url(note_a.participant),
        note_url(note_a),
        reverse("support:timeline", args=[slug, pk]),
    ]
    for url in urls:
        assert client.get(url).status_code == 404, url
    posts = [
        reverse("support:write_note", args=[slug, pk]),
        reverse("support:correct_note", args=[slug, pk, note_a.pk]),
    ]
    for url in posts:
        assert client.post(url, note_form(reason="x")).status_code == 404, url
    assert SupportNote.objects.get().text == "朝は起きにくいと話していた"
    assert not AuditLog.objects.filter(action="read").exists()


def test_staff_of_another_workshop_get_404_even_under_their_own_address(
    client, staff_b, workshop_b, note_a
):
    client.force_login(staff_b)
    url = reverse("support:note", args=[workshop_b.slug, note_a.participant_id, note_a.pk])

    assert client.get(url).status_code == 404


def test_a_goal_page_records_reviews(client, staff_a, sora, today):
    goal = pathway.set_goal(
        participant=sora,
        text="週2回来る",
        started_on=today,
        target_on=None,
        shared_with_participant=False,
        recorded_by=staff_a,
    )
    client.force_login(staff_a)
    url = reverse("support:review_goal", args=["hidamari", sora.pk, goal.pk])

    response = client.post(url, {"on": today.isoformat(), "note": "順調"})

    assert response.status_code == 302
    html = client.get(response.url).content.decode()
    assert "順調" in html and "週2回来る" in html


def test_the_list_links_each_participant_and_says_whether_consent_is_recorded(
    client, staff_a, sora, workshop_a
):
    from tests import factories

    factories.ParticipantFactory(workshop=workshop_a, nickname="あおい")
    client.force_login(staff_a)

    html = client.get(reverse("support:people", args=["hidamari"])).content.decode()

    assert person_url(sora) in html
    assert ja("Recorded") in html and ja("Not recorded") in html
