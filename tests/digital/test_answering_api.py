"""The participant API of digital work: a held unit's items with the form, one item, saving an
answer with client_uuid (a retry counts once, errors keyed by field in Japanese), and 404 for
anyone who does not hold the unit."""

import uuid

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from jobs.models import Answer, ProgressLog
from tests import factories
from tests.digital.answering_factories import items, make_digital_order, make_digital_unit, take
from tests.i18n import ja

pytestmark = pytest.mark.django_db


@pytest.fixture
def unit(workshop_a, company_a, participant_a):
    order = make_digital_order(workshop=workshop_a, company=company_a)
    return take(make_digital_unit(order), participant_a)


def api_for(participant) -> APIClient:
    api = APIClient()
    api.force_authenticate(participant.user)
    return api


def answer_url(unit, item):
    return reverse("phone_api:item_answer", kwargs={"pk": unit.pk, "item_pk": item.pk})


def test_it_lists_the_items_with_the_form(unit, participant_a):
    body = api_for(participant_a).get(reverse("phone_api:items", args=[unit.pk])).json()
    assert body["total"] == 4 and body["answered"] == 0
    assert [f["key"] for f in body["form"]["fields"]][:2] == ["name", "price"]
    assert body["items"][0]["data"] == {
        "品番": "A-1001",
        "商品名": "国産 緑茶ティーバッグ 50袋",
        "価格": "598円",
    }
    assert body["items"][0]["answer"] is None and body["items"][0]["can_change"] is True


def test_a_save_is_stored_once_and_a_retry_answers_200(unit, participant_a):
    api, item, same = api_for(participant_a), items(unit)[0], str(uuid.uuid4())
    data = {"client_uuid": same, "values": {"name": "緑茶", "price": "598"}, "final": True}
    first = api.post(answer_url(unit, item), data, format="json")
    assert first.status_code == 201 and first.json()["applied"] is True
    again = api.put(answer_url(unit, item), data, format="json")
    assert again.status_code == 200 and again.json()["applied"] is False
    assert ProgressLog.objects.filter(unit=unit).count() == 1
    assert again.json()["answered"] == 1


def test_a_form_encoded_save_as_the_queue_sends_it(unit, participant_a):
    item = items(unit)[0]
    response = api_for(participant_a).post(
        answer_url(unit, item),
        {
            "client_uuid": str(uuid.uuid4()),
            "values": '{"name": "緑茶"}',
            "final": "false",
            "cant_read": "false",
            "client_saved_at": "2026-12-07T09:00:00+09:00",
        },
    )
    assert response.status_code == 201, response.json()
    assert Answer.objects.get(item=item).values["name"] == "緑茶"


def test_errors_are_keyed_by_field_in_japanese(unit, participant_a):
    response = api_for(participant_a).post(
        answer_url(unit, items(unit)[0]),
        {"client_uuid": str(uuid.uuid4()), "values": {"price": "-1"}, "final": True},
        format="json",
    )
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert errors["values.name"] == [ja("Please fill this in.")]
    assert errors["values.price"] == [ja("Please write a number of at least %(low)s.", low="0")]


def test_a_save_after_hand_in_is_refused_with_not_holder(unit, participant_a):
    from jobs import work

    work.finish_unit(unit=unit, participant=participant_a)
    response = api_for(participant_a).post(
        answer_url(unit, items(unit)[0]),
        {"client_uuid": str(uuid.uuid4()), "values": {"name": "x"}},
        format="json",
    )
    assert response.status_code == 409 and response.json()["code"] == "not_holder"


@pytest.mark.parametrize("who", ["same_workshop", "other_workshop"])
def test_someone_not_holding_the_unit_gets_404(unit, workshop_a, participant_b, who):
    other = (
        factories.ParticipantFactory(workshop=workshop_a)
        if who == "same_workshop"
        else participant_b
    )
    api, item = api_for(other), items(unit)[0]
    assert api.get(reverse("phone_api:items", args=[unit.pk])).status_code == 404
    assert api.get(reverse("phone_api:item", args=[unit.pk, item.pk])).status_code == 404
    response = api.post(
        answer_url(unit, item), {"client_uuid": str(uuid.uuid4()), "values": {}}, format="json"
    )
    assert response.status_code == 404
    assert not Answer.objects.exists()


def test_under_a_redo_an_answer_not_sent_back_is_409_answer_locked(unit, participant_a):
    from jobs import work
    from jobs.models import WorkUnit

    api, (first, second) = api_for(participant_a), items(unit)[:2]
    for item in (first, second):
        api.post(
            answer_url(unit, item),
            {
                "client_uuid": str(uuid.uuid4()),
                "values": {"name": "x", "price": "1"},
                "final": True,
            },
            format="json",
        )
    work.finish_unit(unit=unit, participant=participant_a)
    Answer.objects.filter(item=first).update(status=Answer.Status.SENT_BACK)
    WorkUnit.objects.filter(pk=unit.pk).update(status=WorkUnit.Status.REDO)
    fixed = {"client_uuid": str(uuid.uuid4()), "values": {"name": "y", "price": "2"}, "final": True}
    assert api.post(answer_url(unit, first), fixed, format="json").status_code == 200
    fixed["client_uuid"] = str(uuid.uuid4())
    response = api.post(answer_url(unit, second), fixed, format="json")
    assert response.status_code == 409 and response.json()["code"] == "answer_locked"
