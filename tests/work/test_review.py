"""Review (検品): approve, ask for a redo, approve part; the queue page and its decisions."""

import uuid

import pytest
from django.core.files.base import ContentFile
from django.utils import translation
from django.utils.translation import gettext

from jobs import review, work
from jobs.models import ProgressLog, RedoPhrase, UnitEvent, WorkUnit
from tests import factories
from tests.i18n import ja, ja_around, ja_html, ja_plural
from tests.work.conftest import queries_for, submitted_unit

QUEUE = "/w/hidamari/work/review/"


@pytest.fixture
def handed_in(order_a, participant_a):
    return submitted_unit(order_a, participant_a, quantity=50)


# --- rules ----------------------------------------------------------------------------------


def test_approving_credits_the_whole_quantity(handed_in, staff_a, participant_a):
    unit = review.approve_unit(unit=handed_in, by=staff_a)

    assert (unit.status, unit.approved_quantity, unit.holder) == ("approved", 50, participant_a)
    event = unit.events.get(kind="approved")
    assert (event.actor, event.participant, event.quantity) == (staff_a, participant_a, 50)


def test_a_redo_needs_a_note(handed_in, staff_a):
    with pytest.raises(work.WorkError) as refused:
        review.ask_redo(unit=handed_in, by=staff_a, note="   ")
    assert refused.value.code == "note_required"
    handed_in.refresh_from_db()
    assert handed_in.status == "submitted"


def test_a_redo_goes_back_to_the_same_participant_who_can_hand_it_in_again(
    handed_in, staff_a, participant_a
):
    unit = review.ask_redo(unit=handed_in, by=staff_a, note="ラベルを直してください")

    assert (unit.status, unit.holder, unit.approved_quantity) == ("redo", participant_a, 0)
    assert unit.last_redo_note() == "ラベルを直してください"
    assert WorkUnit.objects.held_by(participant_a).filter(pk=unit.pk).exists()
    # They fix it and hand it in again; nobody else could have taken it meanwhile.
    work.log_progress(
        unit=unit,
        participant=participant_a,
        client_uuid=uuid.uuid4(),
        minutes=10,
        note="直しました",
    )
    work.finish_unit(unit=unit, participant=participant_a)
    assert review.approve_unit(unit=unit, by=staff_a).status == "approved"
    assert list(unit.events.values_list("kind", flat=True)) == [
        "claimed",
        "submitted",
        "redo",
        "submitted",
        "approved",
    ]


def test_nobody_else_can_take_a_unit_sent_back_for_a_redo(handed_in, staff_a, haru):
    review.ask_redo(unit=handed_in, by=staff_a, note="もう一度数えてください")
    with pytest.raises(work.WorkError) as refused:
        work.claim_unit(unit_id=handed_in.pk, participant=haru)
    assert refused.value.code == "taken"


def test_approving_part_reopens_the_rest_as_a_new_unit(handed_in, staff_a, participant_a):
    approved, rest = review.approve_part(unit=handed_in, by=staff_a, quantity=40, note="10個ずれ")

    assert (approved.status, approved.quantity, approved.approved_quantity) == ("approved", 40, 40)
    assert approved.holder == participant_a
    assert (rest.status, rest.quantity, rest.holder, rest.approved_quantity) == (
        "open",
        10,
        None,
        0,
    )
    assert rest.order_id == approved.order_id and rest.number > approved.number
    assert rest.instructions == approved.instructions
    assert approved.events.get(kind="partially_approved").quantity == 40
    assert rest.events.get(kind="rest_reopened").quantity == 10
    # The order's items are all still accounted for, once.
    assert work.unsplit_quantity(approved.order) == approved.order.quantity - 50


@pytest.mark.parametrize("quantity", [0, 50, 51])
def test_approving_part_needs_a_number_below_the_whole(handed_in, staff_a, quantity):
    with pytest.raises(work.WorkError) as refused:
        review.approve_part(unit=handed_in, by=staff_a, quantity=quantity)
    assert refused.value.code == "invalid_quantity"


@pytest.mark.parametrize(
    "decide",
    [
        lambda unit, by: review.approve_unit(unit=unit, by=by),
        lambda unit, by: review.ask_redo(unit=unit, by=by, note="もう一度"),
        lambda unit, by: review.approve_part(unit=unit, by=by, quantity=1),
    ],
)
def test_only_a_handed_in_unit_can_be_decided_on_and_only_once(handed_in, staff_a, decide):
    review.approve_unit(unit=handed_in, by=staff_a)
    with pytest.raises(work.WorkError) as refused:
        decide(handed_in, staff_a)
    assert refused.value.code == "not_submitted"
    open_unit = factories.WorkUnitFactory(order=handed_in.order)
    with pytest.raises(work.WorkError):
        decide(open_unit, staff_a)


def test_each_workshop_gets_kind_default_phrases_once(workshop_a, workshop_b):
    first = review.redo_phrases_for(workshop_a)
    again = review.redo_phrases_for(workshop_a)
    assert len(first) >= 3 and [p.pk for p in first] == [p.pk for p in again]
    with translation.override("ja"):  # written in the site's language
        assert [p.text for p in first] == [gettext(t) for t in review.DEFAULT_REDO_PHRASES]
    assert RedoPhrase.objects.filter(workshop=workshop_b).count() == 0


NOTE_NEEDED_MSGID = "Please write a short note, or choose a phrase, so they know what to look at."


# --- the queue ------------------------------------------------------------------------------


def test_the_queue_shows_handed_in_units_oldest_first_with_their_logs(
    staff_client, order_a, participant_a, haru
):
    older = submitted_unit(order_a, participant_a, quantity=20)
    newer = submitted_unit(order_a, haru, quantity=30, logged=25)
    factories.WorkUnitFactory(order=order_a)  # open: not for review

    html = staff_client.get(QUEUE).content.decode()

    assert html.index(f'id="unit-{older.pk}"') < html.index(f'id="unit-{newer.pk}"')
    for name in ("そら", "はる"):  # the time varies; the words around it do not
        for piece in ja_around("%(name)s, handed in %(when)s", "when", name=name):
            assert piece in html
    logged = ja(
        "Logged %(logged)s of %(quantity)s %(label)s, %(minutes)s minutes in all.",
        logged=25,
        quantity=30,
        label="枚",
        minutes=30,
    )
    assert logged in html
    assert "できました" in html
    waiting = ja_plural(
        "%(count)s unit waiting, oldest first", "%(count)s units waiting, oldest first", 2, count=2
    )
    assert waiting in html


def test_approving_from_the_queue_without_javascript(staff_client, handed_in):
    response = staff_client.post(f"{QUEUE}{handed_in.pk}/approve/")
    assert response.status_code == 302 and response["Location"] == QUEUE
    handed_in.refresh_from_db()
    assert handed_in.status == "approved"


def test_approving_with_htmx_swaps_the_card_for_a_note(staff_client, handed_in):
    response = staff_client.post(f"{QUEUE}{handed_in.pk}/approve/", HTTP_HX_REQUEST="true")
    html = response.content.decode()
    approved = ja(
        "Approved %(quantity)s %(label)s of %(order)s #%(number)s.",
        quantity=50,
        label=handed_in.order.unit_label,
        order=handed_in.order.title,
        number=handed_in.number,
    )
    assert f'id="unit-{handed_in.pk}"' in html and approved in html
    assert "<html" not in html


def waiting(count: int) -> str:
    return ja_plural(
        "%(count)s unit waiting, oldest first",
        "%(count)s units waiting, oldest first",
        count,
        count=count,
    )


def test_the_header_count_follows_an_approval(staff_client, handed_in, order_a, participant_a):
    other = submitted_unit(order_a, participant_a, quantity=10)
    assert waiting(2) in staff_client.get(QUEUE).content.decode()

    note = staff_client.post(f"{QUEUE}{handed_in.pk}/approve/", HTTP_HX_REQUEST="true")
    html = note.content.decode()
    # The count is swapped out of band with the note (htmx replaces the card only otherwise).
    assert 'id="review-waiting" hx-swap-oob="true"' in html and waiting(1) in html

    after = staff_client.post(f"{QUEUE}{other.pk}/approve/", follow=True).content.decode()
    assert waiting(0) in after and waiting(1) not in after


def test_a_redo_can_start_from_a_phrase_and_add_own_words(staff_client, handed_in, workshop_a):
    phrase = review.redo_phrases_for(workshop_a)[1]
    prefix = f"u{handed_in.pk}"

    staff_client.post(
        f"{QUEUE}{handed_in.pk}/redo/",
        {f"{prefix}-phrase": phrase.pk, f"{prefix}-note": "3つ目の封筒です"},
    )

    handed_in.refresh_from_db()
    assert handed_in.status == "redo"
    assert handed_in.last_redo_note() == f"{phrase.text}\n3つ目の封筒です"


def test_a_redo_without_a_note_shows_the_error_in_that_card(staff_client, handed_in):
    response = staff_client.post(f"{QUEUE}{handed_in.pk}/redo/", {f"u{handed_in.pk}-note": ""})
    html = response.content.decode()
    assert response.status_code == 400
    card = html.split(f'id="unit-{handed_in.pk}"')[1]
    assert ja_html(NOTE_NEEDED_MSGID) in card
    assert "<details open>" in card
    handed_in.refresh_from_db()
    assert handed_in.status == "submitted"


def test_with_htmx_the_card_comes_back_with_the_error_in_place(staff_client, handed_in):
    response = staff_client.post(
        f"{QUEUE}{handed_in.pk}/redo/",
        {f"u{handed_in.pk}-note": ""},
        HTTP_HX_REQUEST="true",
    )
    html = response.content.decode()
    assert response.status_code == 200  # htmx swaps only successful responses
    assert html.lstrip().startswith(f'<article class="card stack" id="unit-{handed_in.pk}"')
    assert ja_html(NOTE_NEEDED_MSGID) in html


def test_approving_part_from_the_queue_keeps_a_wrong_number_next_to_the_field(
    staff_client, handed_in
):
    prefix = f"u{handed_in.pk}"
    wrong = staff_client.post(
        f"{QUEUE}{handed_in.pk}/approve-part/",
        {f"{prefix}-quantity": "80"},
    )
    assert wrong.status_code == 400
    assert (
        ja_html("Enter a number from 1 to %(most)s; to approve all of it, use Approve.", most=49)
        in wrong.content.decode()
    )
    assert 'value="80"' in wrong.content.decode()

    staff_client.post(f"{QUEUE}{handed_in.pk}/approve-part/", {f"{prefix}-quantity": "45"})
    handed_in.refresh_from_db()
    assert (handed_in.status, handed_in.approved_quantity) == ("approved", 45)
    assert WorkUnit.objects.filter(order=handed_in.order, status="open", quantity=5).exists()


def test_deciding_twice_answers_calmly(staff_client, handed_in, staff_a):
    review.approve_unit(unit=handed_in, by=staff_a)
    response = staff_client.post(f"{QUEUE}{handed_in.pk}/approve/", follow=True)
    assert (
        ja("This unit is no longer waiting for review; someone may have decided already.")
        in response.content.decode()
    )
    assert UnitEvent.objects.filter(unit=handed_in, kind="approved").count() == 1


def test_phrases_can_be_added_and_removed(staff_client, workshop_a):
    staff_client.post(f"{QUEUE}phrases/", {"text": "いつもありがとう。角をそろえてね"})
    added = RedoPhrase.objects.get(workshop=workshop_a, text="いつもありがとう。角をそろえてね")
    assert RedoPhrase.objects.filter(workshop=workshop_a).count() >= 4

    staff_client.post(f"{QUEUE}phrases/{added.pk}/remove/")
    assert not RedoPhrase.objects.filter(pk=added.pk).exists()


def test_a_log_photo_is_served_to_the_units_workshop_only(client, staff_a, staff_b, handed_in):
    log = ProgressLog.objects.get(unit=handed_in)
    log.photo.save("p.jpg", ContentFile(b"\xff\xd8\xff\xe0fake"), save=True)
    client.force_login(staff_a)
    assert client.get(f"/w/hidamari/work/logs/{log.pk}/photo/").status_code == 200
    client.force_login(staff_b)
    assert client.get(f"/w/hidamari/work/logs/{log.pk}/photo/").status_code == 404
    assert client.get(f"/w/minato/work/logs/{log.pk}/photo/").status_code == 404


def test_the_queue_costs_the_same_queries_for_two_units_or_twelve(
    staff_client, order_a, workshop_a
):
    review.redo_phrases_for(workshop_a)
    people = [
        factories.ParticipantFactory(workshop=workshop_a, nickname=f"人{n}") for n in range(12)
    ]
    for person in people[:2]:
        submitted_unit(order_a, person, quantity=5)
    few = queries_for(staff_client, QUEUE)
    for person in people[2:]:
        submitted_unit(order_a, person, quantity=5)
    many = queries_for(staff_client, QUEUE)
    assert few == many
