"""The work rules' edges, each a behaviour people rely on, which mutation testing found
unguarded (docs/testing.md): a claim kept alive by logging, a paused person's claim refused,
the exact moment a claim expires, what a hand-back returns and records, refusals in the words
people read, and the review note's length limit."""

import datetime
import itertools
import uuid

import pytest
from django.db.models import Sum
from django.utils import timezone, translation

from jobs import counters, review, work
from jobs.models import UnitEvent, WorkUnit
from participants.models import Participant
from tests import factories
from tests.i18n import ja
from tests.work.conftest import submitted_unit

HOURS = 48  # the factories' workshop claim timeout
T0 = timezone.make_aware(datetime.datetime(2026, 4, 1, 9, 0))
TICK = datetime.timedelta(microseconds=1)


@pytest.fixture
def unit(order_a):
    return factories.WorkUnitFactory(order=order_a, number=1, quantity=50)


@pytest.fixture
def haru(workshop_a):
    return factories.ParticipantFactory(workshop=workshop_a, nickname="はる")


def at(monkeypatch, moment):
    monkeypatch.setattr(timezone, "now", lambda: moment)


def log(unit, participant, **fields):
    return work.log_progress(unit=unit, participant=participant, client_uuid=uuid.uuid4(), **fields)


def test_the_workshop_claim_timeout_is_the_one_these_tests_assume(workshop_a):
    assert workshop_a.claim_timeout_hours == HOURS


# --- log_progress ---------------------------------------------------------------------------


def test_each_log_keeps_the_claim_for_another_full_timeout(monkeypatch, unit, participant_a):
    work.claim_unit(unit_id=unit.pk, participant=participant_a, now=T0)
    later = T0 + datetime.timedelta(hours=HOURS - 1)
    at(monkeypatch, later)
    log(unit, participant_a, quantity=5, minutes=10)
    unit.refresh_from_db()
    assert unit.expires_at == later + datetime.timedelta(hours=HOURS)
    assert unit.last_activity_at == later
    # Past the original expiry the unit is still theirs, and nobody else can take it.
    at(monkeypatch, T0 + datetime.timedelta(hours=HOURS + 1))
    assert work.units_in_hand(participant_a, timezone.now()) == 1


@pytest.mark.parametrize("quantity, minutes", [(-1, 5), (5, -1), (-1, -1)])
def test_a_log_below_zero_in_either_number_is_refused(unit, participant_a, quantity, minutes):
    work.claim_unit(unit_id=unit.pk, participant=participant_a)
    with pytest.raises(work.WorkError) as refused:
        log(unit, participant_a, quantity=quantity, minutes=minutes)
    assert refused.value.code == "invalid"
    assert not unit.logs.exists()


def test_a_log_of_nothing_at_all_is_refused_but_a_note_alone_is_kept(unit, participant_a):
    work.claim_unit(unit_id=unit.pk, participant=participant_a)
    with pytest.raises(work.WorkError) as refused:
        log(unit, participant_a, note="  ")
    assert refused.value.code == "invalid"
    entry, created = log(unit, participant_a, note=" 少し休みます ")
    assert created and entry.note == "少し休みます"


def test_a_log_up_to_what_is_left_is_kept_and_one_more_is_refused(unit, participant_a):
    work.claim_unit(unit_id=unit.pk, participant=participant_a)
    log(unit, participant_a, quantity=49)
    with pytest.raises(work.WorkError) as refused:
        log(unit, participant_a, quantity=2)
    assert refused.value.code == "too_many"
    assert log(unit, participant_a, quantity=1)[1]


def test_no_one_logs_on_a_unit_that_is_not_theirs(unit, participant_a, haru):
    work.claim_unit(unit_id=unit.pk, participant=participant_a)
    with pytest.raises(work.WorkError) as refused:
        log(unit, haru, quantity=1)
    assert refused.value.code == "not_holder"


# --- claim_unit -----------------------------------------------------------------------------


@pytest.mark.parametrize("status", [Participant.Status.PAUSED, Participant.Status.ENDED])
def test_a_paused_or_ended_participant_cannot_take_a_unit(unit, participant_a, status):
    participant_a.status = status
    participant_a.ended_on = timezone.localdate() if status == Participant.Status.ENDED else None
    participant_a.save(update_fields=["status", "ended_on"])
    with pytest.raises(work.WorkError) as refused:
        work.claim_unit(unit_id=unit.pk, participant=participant_a)
    assert refused.value.code == "not_active"
    unit.refresh_from_db()
    assert (unit.status, unit.holder) == (WorkUnit.Status.OPEN, None)


def test_a_claim_is_still_its_holders_at_the_very_moment_it_expires(unit, participant_a, haru):
    work.claim_unit(unit_id=unit.pk, participant=participant_a, now=T0)
    expiry = T0 + datetime.timedelta(hours=HOURS)
    with pytest.raises(work.WorkError) as refused:
        work.claim_unit(unit_id=unit.pk, participant=haru, now=expiry)
    assert refused.value.code == "taken"
    taken = work.claim_unit(unit_id=unit.pk, participant=haru, now=expiry + TICK)
    assert taken.holder == haru


def test_the_holder_takes_their_own_expired_claim_again_only_once_it_expired(unit, participant_a):
    work.claim_unit(unit_id=unit.pk, participant=participant_a, now=T0)
    expiry = T0 + datetime.timedelta(hours=HOURS)
    with pytest.raises(work.WorkError):
        work.claim_unit(unit_id=unit.pk, participant=participant_a, now=expiry)
    again = work.claim_unit(unit_id=unit.pk, participant=participant_a, now=expiry + TICK)
    assert again.expires_at == expiry + TICK + datetime.timedelta(hours=HOURS)


def test_units_in_hand_count_a_claim_up_to_and_including_its_expiry(unit, participant_a):
    work.claim_unit(unit_id=unit.pk, participant=participant_a, now=T0)
    expiry = T0 + datetime.timedelta(hours=HOURS)
    assert work.units_in_hand(participant_a, expiry) == 1
    assert work.units_in_hand(participant_a, expiry + TICK) == 0


def test_expire_leaves_a_claim_alone_until_it_has_expired(unit, participant_a):
    work.claim_unit(unit_id=unit.pk, participant=participant_a, now=T0)
    unit.refresh_from_db()
    expiry = T0 + datetime.timedelta(hours=HOURS)
    assert work._expire(unit, now=expiry) is None
    unit.refresh_from_db()
    assert unit.holder == participant_a
    opened = work._expire(unit, now=expiry + TICK)
    assert (opened.pk, opened.status, opened.holder) == (unit.pk, WorkUnit.Status.OPEN, None)
    assert UnitEvent.objects.filter(unit=unit, kind=UnitEvent.Kind.EXPIRED).count() == 1


# --- finish_unit and handing back -----------------------------------------------------------


def test_finishing_a_unit_that_is_not_yours_is_refused(unit, participant_a, haru):
    work.claim_unit(unit_id=unit.pk, participant=participant_a)
    with pytest.raises(work.WorkError) as refused:
        work.finish_unit(unit=unit, participant=haru)
    assert refused.value.code == "not_holder"
    unit.refresh_from_db()
    assert unit.status == WorkUnit.Status.CLAIMED
    assert not UnitEvent.objects.filter(unit=unit, kind=UnitEvent.Kind.SUBMITTED).exists()


def test_finishing_records_the_hand_in(unit, participant_a):
    work.claim_unit(unit_id=unit.pk, participant=participant_a)
    finished = work.finish_unit(unit=unit, participant=participant_a)
    assert (finished.status, finished.expires_at) == (WorkUnit.Status.SUBMITTED, None)
    event = UnitEvent.objects.get(unit=unit, kind=UnitEvent.Kind.SUBMITTED)
    assert (event.participant, event.actor) == (participant_a, participant_a.user)


def test_handing_back_part_done_records_the_hand_in_and_returns_the_rest(unit, participant_a):
    work.claim_unit(unit_id=unit.pk, participant=participant_a)
    log(unit, participant_a, quantity=20)
    rest = work.release_unit(unit=unit, participant=participant_a)
    unit.refresh_from_db()
    assert (unit.status, unit.quantity, unit.expires_at) == (WorkUnit.Status.SUBMITTED, 20, None)
    event = UnitEvent.objects.get(unit=unit, kind=UnitEvent.Kind.SUBMITTED)
    assert (event.quantity, event.participant, event.actor) == (
        20,
        participant_a,
        participant_a.user,
    )
    assert rest.pk != unit.pk
    assert (rest.status, rest.quantity, rest.holder) == (WorkUnit.Status.OPEN, 30, None)
    assert rest.number == 2


def test_handing_back_all_done_returns_the_handed_in_unit_and_opens_nothing(unit, participant_a):
    work.claim_unit(unit_id=unit.pk, participant=participant_a)
    log(unit, participant_a, quantity=50)
    returned = work.release_unit(unit=unit, participant=participant_a)
    assert (returned.pk, returned.status) == (unit.pk, WorkUnit.Status.SUBMITTED)
    assert WorkUnit.objects.filter(order=unit.order).count() == 1


def test_handing_back_nothing_done_returns_the_same_unit_open(unit, participant_a):
    work.claim_unit(unit_id=unit.pk, participant=participant_a)
    returned = work.release_unit(unit=unit, participant=participant_a)
    assert (returned.pk, returned.status, returned.holder) == (unit.pk, "open", None)
    assert (returned.claimed_at, returned.expires_at) == (None, None)


def test_handing_back_a_unit_that_is_not_yours_is_refused(unit, participant_a, haru):
    work.claim_unit(unit_id=unit.pk, participant=participant_a)
    with pytest.raises(work.WorkError) as refused:
        work.release_unit(unit=unit, participant=haru)
    assert refused.value.code == "not_holder"


# --- review ---------------------------------------------------------------------------------


def test_a_redo_note_of_the_longest_length_is_kept_and_one_more_is_refused(
    order_a, participant_a, staff_a
):
    unit = submitted_unit(order_a, participant_a)
    with pytest.raises(work.WorkError) as refused:
        review.ask_redo(unit=unit, by=staff_a, note="あ" * (review.MAX_NOTE_LENGTH + 1))
    assert refused.value.code == "note_too_long"
    longest = "あ" * review.MAX_NOTE_LENGTH
    assert review.ask_redo(unit=unit, by=staff_a, note=f"  {longest}  ").status == "redo"
    assert UnitEvent.objects.get(unit=unit, kind=UnitEvent.Kind.REDO).note == longest


def test_the_review_note_limit_is_the_forms(order_a):
    from workshop.work_views import PartForm, RedoForm

    assert review.MAX_NOTE_LENGTH == 1000
    assert RedoForm.base_fields["note"].max_length == review.MAX_NOTE_LENGTH
    assert PartForm.base_fields["note"].max_length == review.MAX_NOTE_LENGTH


def test_a_phrase_of_the_longest_length_is_kept_and_one_more_is_refused(workshop_a, staff_a):
    with pytest.raises(work.WorkError) as refused:
        review.add_redo_phrase(workshop=workshop_a, text="あ" * 201, by=staff_a)
    assert refused.value.code == "invalid"
    phrase = review.add_redo_phrase(workshop=workshop_a, text=" " + "あ" * 200, by=staff_a)
    assert phrase.text == "あ" * 200


def test_approving_part_down_to_a_single_item_is_allowed_and_notes_nothing_unasked(
    order_a, participant_a, staff_a
):
    unit = submitted_unit(order_a, participant_a)
    approved, rest = review.approve_part(unit=unit, by=staff_a, quantity=1)
    assert (approved.quantity, approved.approved_quantity, rest.quantity) == (1, 1, 49)
    event = UnitEvent.objects.get(unit=unit, kind=UnitEvent.Kind.PARTIALLY_APPROVED)
    assert (event.quantity, event.note, event.actor) == (1, "", staff_a)


def test_approving_notes_nothing_unasked(order_a, participant_a, staff_a):
    unit = submitted_unit(order_a, participant_a)
    review.approve_unit(unit=unit, by=staff_a)
    event = UnitEvent.objects.get(unit=unit, kind=UnitEvent.Kind.APPROVED)
    assert (event.quantity, event.note, event.actor) == (50, "", staff_a)


def test_deciding_records_who_when_and_the_note_as_written(
    monkeypatch, order_a, participant_a, staff_a
):
    whole = submitted_unit(order_a, participant_a)
    part = submitted_unit(order_a, participant_a)
    decided = T0 + datetime.timedelta(days=3)
    at(monkeypatch, decided)
    review.approve_unit(unit=whole, by=staff_a, note=" よくできました ")
    _approved, rest = review.approve_part(unit=part, by=staff_a, quantity=30, note=" 20個やり直し ")
    for unit, kind, note in [
        (whole, UnitEvent.Kind.APPROVED, "よくできました"),
        (part, UnitEvent.Kind.PARTIALLY_APPROVED, "20個やり直し"),
    ]:
        unit.refresh_from_db()
        assert unit.last_activity_at == decided
        event = UnitEvent.objects.get(unit=unit, kind=kind)
        assert (event.note, event.actor, event.participant, event.at) == (
            note,
            staff_a,
            participant_a,
            decided,
        )
    reopened = UnitEvent.objects.get(unit=rest, kind=UnitEvent.Kind.REST_REOPENED)
    assert (reopened.actor, reopened.quantity, reopened.at) == (staff_a, 20, decided)


def test_a_too_long_redo_note_is_refused_in_words_people_read(order_a, participant_a, staff_a):
    unit = submitted_unit(order_a, participant_a)
    with pytest.raises(work.WorkError) as refused:
        review.ask_redo(unit=unit, by=staff_a, note="あ" * (review.MAX_NOTE_LENGTH + 1))
    with translation.override("ja"):
        assert str(refused.value.message) == ja("Please keep the note shorter.")


def ticking(monkeypatch, start=T0):
    """A clock that moves on a second each time it is read: a rule that reads it twice, instead
    of passing one moment along, records two different times."""
    moments = (start + datetime.timedelta(seconds=n) for n in itertools.count())
    monkeypatch.setattr(timezone, "now", lambda: next(moments))


def test_a_decision_is_recorded_at_one_moment_even_on_a_moving_clock(
    monkeypatch, order_a, participant_a, staff_a
):
    whole = submitted_unit(order_a, participant_a)
    part = submitted_unit(order_a, participant_a)
    redo = submitted_unit(order_a, participant_a)
    ticking(monkeypatch)
    review.approve_unit(unit=whole, by=staff_a)
    _approved, rest = review.approve_part(unit=part, by=staff_a, quantity=30)
    review.ask_redo(unit=redo, by=staff_a, note="もう一度")
    for unit, kind in [
        (whole, UnitEvent.Kind.APPROVED),
        (part, UnitEvent.Kind.PARTIALLY_APPROVED),
        (redo, UnitEvent.Kind.REDO),
    ]:
        unit.refresh_from_db()
        assert UnitEvent.objects.get(unit=unit, kind=kind).at == unit.last_activity_at
    reopened = UnitEvent.objects.get(unit=rest, kind=UnitEvent.Kind.REST_REOPENED)
    assert reopened.at == part.last_activity_at


def test_items_handed_in_without_a_log_are_logged_as_of_the_hand_in_when_approved(
    monkeypatch, order_a, participant_a, staff_a
):
    at(monkeypatch, T0)
    unit = submitted_unit(order_a, participant_a, logged=30)
    at(monkeypatch, T0 + datetime.timedelta(days=2))
    review.approve_unit(unit=unit, by=staff_a)
    added = unit.logs.order_by("pk").last()
    assert (added.quantity, added.participant, added.created_at) == (20, participant_a, T0)
    assert unit.logs.aggregate(total=Sum("quantity"))["total"] == 50


def test_approving_part_keeps_the_orders_counters_true(order_a, participant_a, staff_a):
    unit = submitted_unit(order_a, participant_a)
    review.approve_part(unit=unit, by=staff_a, quantity=30)
    assert counters.stored(order_a.pk) == counters.recount(order_a.pk)
    assert counters.stored(order_a.pk)["items_approved"] == 30


def test_the_default_phrases_are_written_once_in_their_order(
    workshop_a, django_assert_num_queries
):
    phrases = review.redo_phrases_for(workshop_a)
    with translation.override("ja"):
        assert [p.text for p in phrases] == [ja(text) for text in review.DEFAULT_REDO_PHRASES]
    assert [p.position for p in phrases] == [0, 1, 2, 3]
    # Once written, the phrases are read in one query, without the lock or the check.
    with django_assert_num_queries(1):
        assert review.redo_phrases_for(workshop_a) == phrases


def test_an_empty_or_too_long_phrase_is_refused_in_words_people_read(workshop_a, staff_a):
    for text, message in [
        ("  ", "Please write the phrase."),
        ("あ" * 201, "Please keep the phrase shorter."),
    ]:
        with pytest.raises(work.WorkError) as refused:
            review.add_redo_phrase(workshop=workshop_a, text=text, by=staff_a)
        assert refused.value.code == "invalid"
        with translation.override("ja"):
            assert str(refused.value.message) == ja(message)
    assert not review.redo_phrases_for(workshop_a)[4:]


def test_a_new_phrase_comes_after_the_others(workshop_a, staff_a):
    first = review.add_redo_phrase(workshop=workshop_a, text="ありがとう", by=staff_a)
    second = review.add_redo_phrase(workshop=workshop_a, text="もう一度", by=staff_a)
    assert (first.position, second.position) == (4, 5)
    assert [p.text for p in review.redo_phrases_for(workshop_a)][-2:] == ["ありがとう", "もう一度"]
