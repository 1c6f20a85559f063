"""Suggesting a unit to a participant: an offer to take or leave, never an assignment. And
skill-tagged units, offered only to people marked as trained."""

import pytest
from django.utils import translation

from jobs import work
from jobs.models import SkillTraining, Suggestion, WorkUnit
from participants.models import Participant
from tests import factories
from tests.i18n import ja


@pytest.fixture
def unit(order_a):
    return factories.WorkUnitFactory(order=order_a, quantity=30)


def test_a_suggestion_leaves_the_unit_open(unit, participant_a, staff_a):
    suggestion = work.suggest_unit(
        unit=unit, participant=participant_a, by=staff_a, note="どうかな"
    )

    unit.refresh_from_db()
    assert (unit.status, unit.holder) == ("open", None)
    assert suggestion.status == "open"
    assert list(WorkUnit.objects.suggested_to(participant_a)) == [unit]
    assert unit.events.get(kind="suggested").participant == participant_a


def test_the_participant_can_decline_and_it_is_gone_for_them(unit, participant_a, staff_a):
    work.suggest_unit(unit=unit, participant=participant_a, by=staff_a)

    declined = work.decline_suggestion(unit_id=unit.pk, participant=participant_a)

    assert declined.status == "declined"
    assert not WorkUnit.objects.suggested_to(participant_a).exists()
    unit.refresh_from_db()
    assert unit.status == "open"
    assert unit.events.filter(kind="suggestion_declined").count() == 1
    with pytest.raises(work.WorkError):
        work.decline_suggestion(unit_id=unit.pk, participant=participant_a)


def test_someone_else_can_still_take_a_suggested_unit(unit, participant_a, staff_a, haru):
    work.suggest_unit(unit=unit, participant=participant_a, by=staff_a)

    taken = work.claim_unit(unit_id=unit.pk, participant=haru)

    assert taken.holder == haru
    assert not WorkUnit.objects.suggested_to(participant_a).exists()
    assert Suggestion.objects.get().status == "withdrawn"


def test_taking_a_suggested_unit_marks_the_suggestion_taken(unit, participant_a, staff_a):
    work.suggest_unit(unit=unit, participant=participant_a, by=staff_a)
    work.claim_unit(unit_id=unit.pk, participant=participant_a)
    assert Suggestion.objects.get().status == "taken"


def test_taking_a_suggested_unit_on_the_phone_marks_the_suggestion_taken(
    unit, participant_a, staff_a, haru
):
    """The phone's take reads the person in its lock (claim_unit(user=…)); the suggestion is
    closed all the same, and one to someone else lapses."""
    work.suggest_unit(unit=unit, participant=participant_a, by=staff_a)
    work.suggest_unit(unit=unit, participant=haru, by=staff_a)
    work.claim_unit(unit_id=unit.pk, user=participant_a.user_id)
    assert dict(Suggestion.objects.values_list("participant", "status")) == {
        participant_a.pk: "taken",
        haru.pk: "withdrawn",
    }


def test_a_unit_is_not_suggested_to_someone_it_does_not_fit(order_a, participant_a, staff_a):
    on_site = factories.WorkUnitFactory(order=order_a, home_ok=False)
    with pytest.raises(work.WorkError) as refused:
        work.suggest_unit(unit=on_site, participant=participant_a, by=staff_a)
    assert refused.value.code == "not_available"


def test_a_unit_of_another_workshop_is_not_suggested(order_b, participant_a, staff_a):
    other = factories.WorkUnitFactory(order=order_b)
    with pytest.raises(work.WorkError):
        work.suggest_unit(unit=other, participant=participant_a, by=staff_a)


def test_skill_tagged_units_are_offered_only_to_the_trained(order_a, participant_a, haru, staff_a):
    sealing = factories.WorkUnitFactory(order=order_a, skill_tag="sealing")
    plain = factories.WorkUnitFactory(order=order_a)
    work.mark_trained(participant=haru, skill_tag="sealing", by=staff_a)

    assert set(WorkUnit.objects.claimable().available_to(haru)) == {sealing, plain}
    assert set(WorkUnit.objects.claimable().available_to(participant_a)) == {plain}
    with pytest.raises(work.WorkError) as refused:
        work.suggest_unit(unit=sealing, participant=participant_a, by=staff_a)
    assert refused.value.code == "not_available"


def test_another_workshops_training_does_not_count(order_a, participant_b, staff_b):
    factories.WorkUnitFactory(order=order_a, skill_tag="sealing")
    work.mark_trained(participant=participant_b, skill_tag="sealing", by=staff_b)
    assert not WorkUnit.objects.available_to(participant_b).exists()


# --- pages ----------------------------------------------------------------------------------


def test_the_suggest_page_lists_only_people_the_unit_fits(
    staff_client, order_a, participant_a, haru, staff_a, workshop_a
):
    unit = factories.WorkUnitFactory(order=order_a, skill_tag="sealing")
    work.mark_trained(participant=haru, skill_tag="sealing", by=staff_a)

    response = staff_client.get(f"/w/hidamari/work/units/{unit.pk}/suggest/")

    assert list(response.context["form"].fields["participant"].queryset) == [haru]
    html = response.content.decode()
    assert "はる" in html and "そら" not in html


def test_suggesting_from_the_page(staff_client, unit, participant_a):
    response = staff_client.post(
        f"/w/hidamari/work/units/{unit.pk}/suggest/send/",
        {"participant": participant_a.pk, "note": "数える作業です"},
    )
    assert response["Location"] == f"/w/hidamari/work/orders/{unit.order_id}/board/"
    suggestion = Suggestion.objects.get()
    assert (suggestion.participant, suggestion.note) == (participant_a, "数える作業です")
    board = staff_client.get(response["Location"]).content.decode()
    assert ja("suggested to %(name)s", name="そら") in board


def test_suggesting_twice_shows_the_error_next_to_the_choice(
    staff_client, unit, participant_a, staff_a
):
    work.suggest_unit(unit=unit, participant=participant_a, by=staff_a)
    response = staff_client.post(
        f"/w/hidamari/work/units/{unit.pk}/suggest/send/",
        {"participant": participant_a.pk},
    )
    assert response.status_code == 400
    assert (
        ja("This unit is already suggested to %(name)s.", name="そら") in response.content.decode()
    )


def test_withdrawing_a_suggestion(staff_client, unit, participant_a, staff_a):
    suggestion = work.suggest_unit(unit=unit, participant=participant_a, by=staff_a)
    staff_client.post(f"/w/hidamari/work/suggestions/{suggestion.pk}/withdraw/")
    suggestion.refresh_from_db()
    assert suggestion.status == "withdrawn"
    assert not WorkUnit.objects.suggested_to(participant_a).exists()


def test_the_skills_page_marks_and_unmarks(staff_client, participant_a, workshop_a):
    staff_client.post(
        "/w/hidamari/work/skills/mark/", {"participant": participant_a.pk, "skill_tag": "sealing"}
    )
    training = participant_a.skill_trainings.get()
    assert training.skill_tag == "sealing"
    html = staff_client.get("/w/hidamari/work/skills/").content.decode()
    assert "sealing" in html

    staff_client.post(f"/w/hidamari/work/skills/{training.pk}/unmark/")
    assert not participant_a.skill_trainings.exists()


def test_another_workshops_participant_cannot_be_marked(staff_client, participant_b):
    response = staff_client.post(
        "/w/hidamari/work/skills/mark/", {"participant": participant_b.pk, "skill_tag": "sealing"}
    )
    assert response.status_code == 400
    assert not participant_b.skill_trainings.exists()


# --- what each step records (mutation testing found these unguarded: docs/testing.md) ---------


def test_a_suggestion_records_who_offered_what_to_whom_and_reminds_them(
    monkeypatch, unit, participant_a, staff_a
):
    from participants import reminders

    sent = []
    monkeypatch.setattr(reminders, "remind", lambda **kwargs: sent.append(kwargs))
    suggestion = work.suggest_unit(unit=unit, participant=participant_a, by=staff_a, note=" ぜひ ")
    suggestion.refresh_from_db()
    assert (suggestion.unit, suggestion.participant, suggestion.suggested_by) == (
        unit,
        participant_a,
        staff_a,
    )
    assert (suggestion.note, suggestion.status) == ("ぜひ", Suggestion.Status.OPEN)
    event = unit.events.get(kind="suggested")
    assert (event.actor, event.participant, event.at) == (staff_a, participant_a, suggestion.at)
    assert event.note.strip() == "ぜひ"
    assert sent == [
        {"participant": participant_a, "kind": reminders.Reminder.SUGGESTION, "url": "/today/"}
    ]


def test_suggestion_refusals_say_why_in_words_people_read(
    unit, order_a, participant_a, staff_a, haru
):
    work.suggest_unit(unit=unit, participant=participant_a, by=staff_a)
    on_site = factories.WorkUnitFactory(order=order_a, home_ok=False)
    taken = factories.WorkUnitFactory(order=order_a)
    work.claim_unit(unit_id=taken.pk, participant=haru)
    paused = factories.ParticipantFactory(
        workshop=participant_a.workshop, nickname="なつ", status=Participant.Status.PAUSED
    )
    cases = [
        (unit, participant_a, "already_suggested", "This unit is already suggested to %(name)s."),
        (taken, participant_a, "taken", "Someone has taken this unit already."),
        (
            on_site,
            participant_a,
            "not_available",
            "This unit does not fit %(name)s: where they work or a skill it needs.",
        ),
        (unit, paused, "not_active", "%(name)s is taking a break; suggestions can wait."),
    ]
    for target, person, code, message in cases:
        with pytest.raises(work.WorkError) as refused:
            work.suggest_unit(unit=target, participant=person, by=staff_a)
        assert refused.value.code == code
        with translation.override("ja"):
            assert str(refused.value.message) == ja(message) % {"name": person.nickname}
    assert Suggestion.objects.count() == 1


def test_declining_and_withdrawing_record_when_and_who(unit, order_a, participant_a, staff_a, haru):
    work.suggest_unit(unit=unit, participant=participant_a, by=staff_a)
    other = factories.WorkUnitFactory(order=order_a)
    offered = work.suggest_unit(unit=other, participant=haru, by=staff_a)
    declined = work.decline_suggestion(unit_id=unit.pk, participant=participant_a)
    assert (declined.status, declined.decided_at is not None) == (Suggestion.Status.DECLINED, True)
    event = unit.events.get(kind="suggestion_declined")
    assert (event.actor, event.participant) == (participant_a.user, participant_a)
    withdrawn = work.withdraw_suggestion(suggestion=offered, by=staff_a)
    assert (withdrawn.status, withdrawn.decided_at is not None) == (
        Suggestion.Status.WITHDRAWN,
        True,
    )
    event = other.events.get(kind="suggestion_withdrawn")
    assert (event.actor, event.participant, event.at) == (staff_a, haru, withdrawn.decided_at)
    for again in [
        lambda: work.decline_suggestion(unit_id=unit.pk, participant=participant_a),
        lambda: work.withdraw_suggestion(suggestion=offered, by=staff_a),
    ]:
        with pytest.raises(work.WorkError) as refused:
            again()
        assert refused.value.code == "not_found"
        with translation.override("ja"):
            assert str(refused.value.message) == ja("This suggestion is no longer open.")


def test_declining_leaves_other_peoples_suggestions_open(unit, participant_a, staff_a, haru):
    work.suggest_unit(unit=unit, participant=participant_a, by=staff_a)
    work.suggest_unit(unit=unit, participant=haru, by=staff_a)
    work.decline_suggestion(unit_id=unit.pk, participant=participant_a)
    assert Suggestion.objects.get(participant=haru).status == Suggestion.Status.OPEN


def test_taking_a_suggested_unit_closes_every_suggestion_of_it_at_that_moment(
    unit, participant_a, staff_a, haru
):
    work.suggest_unit(unit=unit, participant=participant_a, by=staff_a)
    work.suggest_unit(unit=unit, participant=haru, by=staff_a)
    taken = work.claim_unit(unit_id=unit.pk, participant=participant_a)
    statuses = dict(Suggestion.objects.values_list("participant__nickname", "status"))
    assert statuses == {participant_a.nickname: "taken", haru.nickname: "withdrawn"}
    assert set(Suggestion.objects.values_list("decided_at", flat=True)) == {taken.claimed_at}


def test_taking_a_suggested_unit_leaves_other_units_and_answered_suggestions_alone(
    unit, order_a, participant_a, staff_a, haru
):
    other_unit = factories.WorkUnitFactory(order=order_a, quantity=30)
    elsewhere = work.suggest_unit(unit=other_unit, participant=haru, by=staff_a)
    declined = work.suggest_unit(unit=unit, participant=haru, by=staff_a)
    declined = work.decline_suggestion(unit_id=unit.pk, participant=haru)
    work.suggest_unit(unit=unit, participant=participant_a, by=staff_a)

    work.claim_unit(unit_id=unit.pk, participant=participant_a)

    elsewhere.refresh_from_db()
    assert (elsewhere.status, elsewhere.decided_at) == (Suggestion.Status.OPEN, None)
    kept = Suggestion.objects.get(pk=declined.pk)
    assert (kept.status, kept.decided_at) == (Suggestion.Status.DECLINED, declined.decided_at)


def test_marking_trained_keeps_one_row_and_says_what_is_wrong(participant_a, staff_a):
    training = work.mark_trained(participant=participant_a, skill_tag=" 封入 ", by=staff_a)
    assert (training.participant, training.skill_tag, training.marked_by) == (
        participant_a,
        "封入",
        staff_a,
    )
    assert work.mark_trained(participant=participant_a, skill_tag="封入", by=staff_a) == training
    for tag, message in [
        ("  ", "Please enter the skill."),
        ("あ" * 31, "Please keep the skill name short."),
    ]:
        with pytest.raises(work.WorkError) as refused:
            work.mark_trained(participant=participant_a, skill_tag=tag, by=staff_a)
        assert refused.value.code == "invalid"
        with translation.override("ja"):
            assert str(refused.value.message) == ja(message)
    assert work.mark_trained(participant=participant_a, skill_tag="あ" * 30, by=staff_a)
    work.unmark_trained(training=training, by=staff_a)
    assert list(SkillTraining.objects.values_list("skill_tag", flat=True)) == ["あ" * 30]


def test_declining_one_suggestion_leaves_the_others_to_that_person(
    unit, order_a, participant_a, staff_a
):
    other = factories.WorkUnitFactory(order=order_a)
    work.suggest_unit(unit=unit, participant=participant_a, by=staff_a)
    work.suggest_unit(unit=other, participant=participant_a, by=staff_a)
    # Each way round: the one declined is neither the first nor the last one by chance.
    work.decline_suggestion(unit_id=unit.pk, participant=participant_a)
    assert Suggestion.objects.get(unit=other).status == Suggestion.Status.OPEN
    work.decline_suggestion(unit_id=other.pk, participant=participant_a)
    assert Suggestion.objects.filter(status=Suggestion.Status.DECLINED).count() == 2
    third = factories.WorkUnitFactory(order=order_a)
    work.suggest_unit(unit=third, participant=participant_a, by=staff_a)
    work.suggest_unit(unit=unit, participant=participant_a, by=staff_a)
    work.decline_suggestion(unit_id=third.pk, participant=participant_a)
    assert Suggestion.objects.get(unit=unit, status__in=["open"]).status == "open"
    assert unit.events.filter(kind="suggestion_declined").count() == 1
