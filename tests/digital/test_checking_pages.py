"""The staff's checking pages: a unit's answers beside their inputs, decisions per answer, the
entries that differ; linked from the review queue; another workshop's staff get 404."""

import pytest

from jobs import review
from jobs.models import Answer, DigitalWork, WorkUnit
from tests.digital import checking_factories as make
from tests.i18n import ja


@pytest.fixture
def unit(workshop_a, company_a, participant_a):
    order = make.digital_order(workshop_a, company_a, items=3)
    (unit,) = make.split(order, size=3)
    make.take_and_answer(unit, participant_a)
    return unit


@pytest.fixture
def staff_client(client, staff_a):
    client.force_login(staff_a)
    return client


def test_the_review_queue_links_a_unit_of_answers_to_its_page(unit, staff_client, workshop_a):
    page = staff_client.get(f"/w/{workshop_a.slug}/work/review/").content.decode()
    assert f"/w/{workshop_a.slug}/checking/review/{unit.pk}/" in page
    assert ja("Check the answers") in page


def test_the_unit_page_shows_each_input_beside_its_answer(unit, staff_client, workshop_a):
    page = staff_client.get(f"/w/{workshop_a.slug}/checking/review/{unit.pk}/").content.decode()
    assert "木のスプーン 2 号(日本製)" in page and "スプーン2" in page
    assert ja("Input") in page and ja("Answer") in page
    assert page.count('value="send_back"') == 3


def test_staff_send_back_one_answer_with_a_phrase_and_approve_the_rest(
    unit, staff_client, workshop_a
):
    answers = list(Answer.objects.filter(unit=unit).order_by("item__number"))
    phrase = review.redo_phrases_for(workshop_a)[1]
    data = {f"a{a.pk}-decision": "approve" for a in answers}
    data[f"a{answers[1].pk}-decision"] = "send_back"
    data[f"a{answers[1].pk}-phrase"] = phrase.pk
    data[f"a{answers[1].pk}-note"] = "価格の桁をもう一度見てください。"
    response = staff_client.post(f"/w/{workshop_a.slug}/checking/review/{unit.pk}/decide/", data)
    assert response.status_code == 302
    unit.refresh_from_db()
    assert unit.status == WorkUnit.Status.REDO
    sent = Answer.objects.get(pk=answers[1].pk)
    assert sent.status == "sent_back" and phrase.text in sent.check_note and "桁" in sent.check_note


def test_sending_back_without_a_note_asks_for_one(unit, staff_client, workshop_a):
    answer = Answer.objects.filter(unit=unit).first()
    response = staff_client.post(
        f"/w/{workshop_a.slug}/checking/review/{unit.pk}/decide/",
        {f"a{answer.pk}-decision": "reject"},
    )
    assert response.status_code == 400
    assert ja("Please write what to change, or choose a phrase, so they know.") in (
        response.content.decode()
    )


def test_approve_all_from_the_page(unit, staff_client, workshop_a):
    response = staff_client.post(f"/w/{workshop_a.slug}/checking/review/{unit.pk}/approve-all/")
    assert response.status_code == 302
    unit.refresh_from_db()
    assert unit.status == WorkUnit.Status.APPROVED and unit.approved_quantity == 3


def test_another_workshops_staff_get_404(unit, client, staff_b, workshop_a, workshop_b):
    client.force_login(staff_b)
    for slug in (workshop_a.slug, workshop_b.slug):
        assert client.get(f"/w/{slug}/checking/review/{unit.pk}/").status_code == 404
        assert client.post(f"/w/{slug}/checking/review/{unit.pk}/approve-all/").status_code == 404


@pytest.fixture
def differing(workshop_a, company_a):
    order = make.digital_order(workshop_a, company_a, items=2, checking=DigitalWork.Checking.DOUBLE)
    first, second = make.split(order, size=2)
    make.take_and_answer(first, make.participant(workshop_a, "そら"))
    make.take_and_answer(
        second,
        make.participant(workshop_a, "うみ"),
        lambda item: {**make.default_values(item), "color": "赤"},
    )
    return order


def test_the_differing_entries_are_shown_side_by_side_and_settled_by_typing(
    differing, staff_client, workshop_a
):
    page = staff_client.get(f"/w/{workshop_a.slug}/checking/disagreements/").content.decode()
    assert "そら" in page and "うみ" in page and ja("Entries that differ") in page
    item = differing.items.get(number=1)
    url = f"/w/{workshop_a.slug}/checking/disagreements/{item.pk}/resolve/"
    refused = staff_client.post(url, {f"i{item.pk}-choice": "typed", f"i{item.pk}-v_price": "abc"})
    assert refused.status_code == 400 and ja("Please write a number.") in refused.content.decode()
    done = staff_client.post(
        url,
        {
            f"i{item.pk}-choice": "typed",
            f"i{item.pk}-v_name": "スプーン1",
            f"i{item.pk}-v_price": "100",
            f"i{item.pk}-v_color": "青",
        },
    )
    assert done.status_code == 302
    item.refresh_from_db()
    assert item.result == {"name": "スプーン1", "price": "100", "color": "青"}


def test_staff_pick_an_entry(differing, staff_client, workshop_a):
    item = differing.items.get(number=2)
    second = item.answers.order_by("pk").last()
    url = f"/w/{workshop_a.slug}/checking/disagreements/{item.pk}/resolve/"
    assert staff_client.post(url, {f"i{item.pk}-choice": str(second.pk)}).status_code == 302
    item.refresh_from_db()
    assert item.result["color"] == "赤"


def test_another_workshops_staff_cannot_settle(differing, client, staff_b, workshop_a, workshop_b):
    item = differing.items.get(number=1)
    client.force_login(staff_b)
    for slug in (workshop_a.slug, workshop_b.slug):
        url = f"/w/{slug}/checking/disagreements/{item.pk}/resolve/"
        assert client.post(url, {f"i{item.pk}-choice": "typed"}).status_code == 404


def test_an_image_item_is_shown_to_its_staff_and_to_nobody_else(
    unit, client, staff_a, staff_b, participant_a, workshop_a, workshop_b
):
    from tests.digital.answering_factories import label_image

    item = unit.items.order_by("number").first()
    item.image.save("label.jpg", label_image("値札"), save=True)
    address = f"/w/{workshop_a.slug}/checking/items/{item.pk}/image/"
    client.force_login(staff_a)
    page = client.get(f"/w/{workshop_a.slug}/checking/review/{unit.pk}/").content.decode()
    assert f'src="{address}"' in page
    shown = client.get(address)
    assert shown.status_code == 200 and shown["Content-Type"] == "image/jpeg"
    assert b"".join(shown.streaming_content)[:2] == b"\xff\xd8"
    client.force_login(staff_b)
    for slug in (workshop_a.slug, workshop_b.slug):
        assert client.get(f"/w/{slug}/checking/items/{item.pk}/image/").status_code == 404
    client.force_login(participant_a.user)
    assert client.get(address).status_code == 404
