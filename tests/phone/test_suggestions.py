"""A staff suggestion appears on the participant's today page, to take or to leave."""

from jobs import work
from jobs.models import Suggestion
from tests.i18n import ja


def test_a_suggestion_shows_on_today_and_can_be_left_with_one_tap(
    sora, participant_a, unit_a, staff_a
):
    work.suggest_unit(unit=unit_a, participant=participant_a, by=staff_a)

    html = sora.get("/today/").content.decode()
    assert ja("Staff thought of you for these") in html
    assert f"/units/{unit_a.pk}/not-now/" in html

    response = sora.post(f"/units/{unit_a.pk}/not-now/", follow=True)

    assert ja("All right. It is fine to leave it.") in response.content.decode()
    assert Suggestion.objects.get(unit=unit_a).status == Suggestion.Status.DECLINED
    unit_a.refresh_from_db()
    assert unit_a.status == "open"  # leaving it changes nothing else
    assert ja("Staff thought of you for these") not in sora.get("/today/").content.decode()


def test_leaving_a_suggestion_twice_is_calm(sora, participant_a, unit_a, staff_a):
    work.suggest_unit(unit=unit_a, participant=participant_a, by=staff_a)
    sora.post(f"/units/{unit_a.pk}/not-now/")

    response = sora.post(f"/units/{unit_a.pk}/not-now/", follow=True)

    assert response.status_code == 200


def test_another_participant_cannot_leave_someone_elses_suggestion(
    umi, participant_a, unit_a, staff_a
):
    work.suggest_unit(unit=unit_a, participant=participant_a, by=staff_a)

    umi.post(f"/units/{unit_a.pk}/not-now/")

    assert Suggestion.objects.get(unit=unit_a).status == Suggestion.Status.OPEN
