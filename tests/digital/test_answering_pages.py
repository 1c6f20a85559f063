"""The phone pages of digital work: 「項目 3 / 25」, the input above the form built from the field
specs, 「保存して次へ」 without JavaScript, messages beside their fields in Japanese, the list of
items, and 404 for anyone who does not hold the unit (another participant, another workshop)."""

import pytest
from django.urls import reverse

from jobs.models import Answer, ProgressLog, WorkUnit
from tests import factories
from tests.digital.answering_factories import items, make_digital_order, make_digital_unit, take
from tests.i18n import ja

pytestmark = pytest.mark.django_db


@pytest.fixture
def order(workshop_a, company_a):
    return make_digital_order(workshop=workshop_a, company=company_a)


@pytest.fixture
def unit(order, participant_a):
    return take(make_digital_unit(order), participant_a)


@pytest.fixture
def sora(client, participant_a):
    client.force_login(participant_a.user)
    return client


def item_url(unit, item, name="phone:item"):
    return reverse(name, kwargs={"pk": unit.pk, "item_pk": item.pk})


def test_the_item_page_shows_item_k_of_n_with_the_input_and_the_form(sora, unit):
    second = items(unit)[1]
    html = sora.get(item_url(unit, second)).content.decode()
    assert ja("Item %(position)s of %(total)s", position=2, total=4) in html
    assert "やわらかタオル 2枚組" in html and "<dt>品番</dt>" in html
    assert 'inputmode="decimal"' in html and 'enterkeyhint="next"' in html
    assert ja("Save and go on") in html
    assert 'name="cant_read"' in html


def test_the_unit_page_of_a_digital_unit_leads_to_its_items(sora, unit):
    html = sora.get(reverse("phone:unit", args=[unit.pk])).content.decode()
    assert ja("Answer the items") in html
    assert item_url(unit, items(unit)[0]) in html
    assert reverse("phone:log", args=[unit.pk]) not in html


def test_a_digital_unit_without_items_of_its_own_is_recorded_by_count(sora, order, participant_a):
    """An order from before its items were in Engawa (the demo has two), or a redo asked for
    by count: "0 of 0 items" would leave its holder no way on. The page offers what the rules
    take for such a unit (jobs.work.finish_unit): recording progress by count."""
    bare = take(factories.WorkUnitFactory(order=order, quantity=12), participant_a)

    html = sora.get(reverse("phone:unit", args=[bare.pk])).content.decode()

    assert reverse("phone:log", args=[bare.pk]) in html
    assert ja("Record progress") in html
    assert reverse("phone:items", args=[bare.pk]) not in html


def test_save_and_go_on_without_javascript_answers_and_opens_the_next_item(sora, unit):
    first, second = items(unit)[:2]
    response = sora.post(
        item_url(unit, first, "phone:item_save"),
        {"v-name": "緑茶", "v-price": "５９８", "v-category": "食品", "v-in_stock": "yes"},
    )
    assert response.status_code == 302 and response.url == item_url(unit, second)
    answer = Answer.objects.get(item=first)
    assert answer.status == Answer.Status.ANSWERED
    assert answer.values == {
        "name": "緑茶",
        "price": "598",
        "category": "食品",
        "in_stock": True,
        "note": None,
    }
    assert ProgressLog.objects.filter(unit=unit).count() == 1


def test_a_missing_answer_is_named_beside_its_field_and_what_was_typed_is_kept(sora, unit):
    first = items(unit)[0]
    response = sora.post(
        item_url(unit, first, "phone:item_save"), {"v-name": "緑茶", "v-price": "abc"}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert ja("Please write a number.") in html
    assert ja("Please look at the fields marked below.") in html
    assert 'value="緑茶"' in html and 'value="abc"' in html
    assert not ProgressLog.objects.exists()


def test_a_required_field_left_empty_keeps_the_rest_as_a_draft(sora, unit):
    first = items(unit)[0]
    response = sora.post(item_url(unit, first, "phone:item_save"), {"v-name": "緑茶"})
    assert ja("Please fill this in.") in response.content.decode()
    answer = Answer.objects.get(item=first)
    assert answer.status == Answer.Status.DRAFT and answer.values["name"] == "緑茶"


def test_a_draft_without_javascript_stays_on_the_item(sora, unit):
    first = items(unit)[0]
    response = sora.post(item_url(unit, first, "phone:item_draft"), {"v-name": "途中"})
    assert response.status_code == 302 and response.url == item_url(unit, first)
    assert 'value="途中"' in sora.get(item_url(unit, first)).content.decode()


def test_the_last_item_leads_to_the_list_where_it_is_handed_in(sora, unit):
    complete = {"v-name": "x", "v-price": "1"}
    for item in items(unit):
        response = sora.post(item_url(unit, item, "phone:item_save"), complete)
    assert response.url == reverse("phone:items", args=[unit.pk])
    html = sora.get(response.url).content.decode()
    assert ja("I'm done with it") in html and reverse("phone:done", args=[unit.pk]) in html
    assert WorkUnit.objects.get(pk=unit.pk).quantity_logged() == 4


def test_the_list_says_which_items_are_answered(sora, unit):
    first = items(unit)[0]
    sora.post(item_url(unit, first, "phone:item_save"), {"v-name": "x", "v-price": "1"})
    html = sora.get(reverse("phone:items", args=[unit.pk])).content.decode()
    assert ja("%(answered)s of %(total)s answered", answered=1, total=4) in html
    assert html.count(f">{ja('Not yet')}<") == 3
    assert reverse("phone:done", args=[unit.pk]) not in html


def test_an_image_item_is_shown_to_its_holder_only(sora, order, participant_a, workshop_a):
    unit = take(make_digital_unit(order, images=2), participant_a)
    image = items(unit)[0]
    html = sora.get(item_url(unit, image)).content.decode()
    assert item_url(unit, image, "phone:item_image") in html
    response = sora.get(item_url(unit, image, "phone:item_image"))
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    other = factories.ParticipantFactory(workshop=workshop_a)
    from django.test import Client

    stranger = Client()
    stranger.force_login(other.user)
    assert stranger.get(item_url(unit, image, "phone:item_image")).status_code == 404


PAGES = ["phone:item", "phone:item_image"]


@pytest.mark.parametrize("name", ["phone:item", "phone:items"])
def test_a_participant_of_the_same_workshop_not_holding_the_unit_gets_404(unit, workshop_a, name):
    from django.test import Client

    other = factories.ParticipantFactory(workshop=workshop_a)
    client = Client()
    client.force_login(other.user)
    kwargs = (
        {"pk": unit.pk} if name == "phone:items" else {"pk": unit.pk, "item_pk": items(unit)[0].pk}
    )
    assert client.get(reverse(name, kwargs=kwargs)).status_code == 404
    response = client.post(item_url(unit, items(unit)[0], "phone:item_save"), {"v-name": "x"})
    assert response.status_code == 404
    assert not Answer.objects.exists()


def test_a_participant_of_another_workshop_gets_404(unit, participant_b):
    from django.test import Client

    client = Client()
    client.force_login(participant_b.user)
    assert client.get(item_url(unit, items(unit)[0])).status_code == 404
    assert client.get(reverse("phone:items", args=[unit.pk])).status_code == 404


def test_an_item_of_another_unit_is_404_under_my_unit(sora, order, unit, participant_a):
    mine_too = take(make_digital_unit(order), participant_a)
    assert sora.get(item_url(unit, items(mine_too)[0])).status_code == 404


def test_a_sent_back_answer_shows_what_to_change_and_others_are_read_only(
    sora, unit, participant_a
):
    from jobs import work

    complete = {"v-name": "x", "v-price": "1"}
    for item in items(unit):
        sora.post(item_url(unit, item, "phone:item_save"), complete)
    work.finish_unit(unit=unit, participant=participant_a)
    first, second = items(unit)[:2]
    Answer.objects.filter(item=first).update(
        status=Answer.Status.SENT_BACK, check_note="価格をもう一度"
    )
    WorkUnit.objects.filter(pk=unit.pk).update(status=WorkUnit.Status.REDO)
    html = sora.get(item_url(unit, first)).content.decode()
    assert "価格をもう一度" in html and ja("Save and go on") in html
    html = sora.get(item_url(unit, second)).content.decode()
    assert ja("This answer has been handed in. You can read it here.") in html
    assert '<fieldset class="answer-fields" disabled>' in html
    response = sora.post(item_url(unit, second, "phone:item_save"), {"v-name": "y", "v-price": "2"})
    assert Answer.objects.get(item=second).values["name"] == "x"
    assert response.status_code == 302
