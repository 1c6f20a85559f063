"""Suggesting a unit to a participant: an offer to take or leave, never an assignment. And
skill-tagged units, offered only to people marked as trained."""

import pytest

from jobs import work
from jobs.models import Suggestion, WorkUnit
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
