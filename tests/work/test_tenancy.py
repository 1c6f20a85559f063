"""Another workshop's staff gets 404 on every page of the work console, and so do participants
and company members."""

import pytest

from jobs import work
from jobs.models import ProgressLog, RedoPhrase, SkillTraining
from tests import factories
from tests.work.conftest import submitted_unit


@pytest.fixture
def things(order_a, participant_a, staff_a, workshop_a):
    unit = factories.WorkUnitFactory(order=order_a)
    handed_in = submitted_unit(order_a, participant_a, quantity=10)
    suggestion = work.suggest_unit(unit=unit, participant=participant_a, by=staff_a)
    training = SkillTraining.objects.create(participant=participant_a, skill_tag="sealing")
    phrase = RedoPhrase.objects.create(workshop=workshop_a, text="もう一度")
    log = ProgressLog.objects.get(unit=handed_in)
    return {
        "order": order_a.pk,
        "unit": unit.pk,
        "handed_in": handed_in.pk,
        "suggestion": suggestion.pk,
        "training": training.pk,
        "phrase": phrase.pk,
        "log": log.pk,
    }


GETS = [
    "orders/{order}/split/",
    "orders/{order}/split/progress/",
    "orders/{order}/board/",
    "units/{unit}/sample/",
    "units/{unit}/release/",
    "units/{unit}/reach-out/",
    "units/{unit}/suggest/",
    "review/",
    "logs/{log}/photo/",
    "skills/",
]
POSTS = [
    "orders/{order}/split/preview/",
    "orders/{order}/split/publish/",
    "units/{unit}/release/confirm/",
    "units/{unit}/reach-out/record/",
    "units/{unit}/suggest/send/",
    "suggestions/{suggestion}/withdraw/",
    "review/{handed_in}/approve/",
    "review/{handed_in}/redo/",
    "review/{handed_in}/approve-part/",
    "review/phrases/",
    "review/phrases/{phrase}/remove/",
    "skills/mark/",
    "skills/{training}/unmark/",
]


def addresses(paths: list[str]) -> list[tuple[str, str]]:
    """Each path under workshop a's address, and those naming an object of a under b's own
    address too (pages of b without an object are b's own, of course)."""
    return [("hidamari", path) for path in paths] + [
        ("minato", path) for path in paths if "{" in path
    ]


@pytest.mark.parametrize(("slug", "path"), addresses(GETS))
def test_another_workshops_staff_gets_404_on_every_page(client, staff_b, things, path, slug):
    client.force_login(staff_b)
    assert client.get(f"/w/{slug}/work/" + path.format(**things)).status_code == 404


@pytest.mark.parametrize(("slug", "path"), addresses(POSTS))
def test_another_workshops_staff_gets_404_on_every_action(
    client, staff_b, things, path, slug, participant_a
):
    client.force_login(staff_b)
    response = client.post(
        f"/w/{slug}/work/" + path.format(**things),
        {
            "how": "size",
            "size": "1",
            "participant": participant_a.pk,
            "skill_tag": "x",
            "text": "x",
        },
    )
    assert response.status_code == 404
    assert SkillTraining.objects.count() == 1 and RedoPhrase.objects.count() == 1


@pytest.mark.parametrize("persona", ["participant_a", "member_a"])
def test_participants_and_companies_get_404(client, request, things, persona):
    person = request.getfixturevalue(persona)
    client.force_login(getattr(person, "user", person))
    for path in GETS:
        assert client.get("/w/hidamari/work/" + path.format(**things)).status_code == 404


def test_signed_out_people_are_sent_to_sign_in(client, things):
    response = client.get("/w/hidamari/work/review/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
