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


def log(unit, participant, client_uuid=None, **fields):
    return work.log_progress(
        unit=unit, participant=participant, client_uuid=client_uuid or uuid.uuid4(), **fields
    )


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


def test_approving_keeps_the_orders_counters_true(order_a, participant_a, staff_a):
    whole = submitted_unit(order_a, participant_a, quantity=40)
    part = submitted_unit(order_a, participant_a)
    review.approve_unit(unit=whole, by=staff_a)
    review.approve_part(unit=part, by=staff_a, quantity=30)
    assert counters.stored(order_a.pk) == counters.recount(order_a.pk)
    assert counters.stored(order_a.pk)["items_approved"] == 70


def test_a_redo_is_recorded_with_who_asked_and_for_whom_and_reminds_them(
    monkeypatch, order_a, participant_a, staff_a
):
    from participants import reminders

    sent = []
    monkeypatch.setattr(reminders, "remind", lambda **kwargs: sent.append(kwargs))
    unit = submitted_unit(order_a, participant_a)
    review.ask_redo(unit=unit, by=staff_a, note=" もう一度 ")
    event = UnitEvent.objects.get(unit=unit, kind=UnitEvent.Kind.REDO)
    assert (event.actor, event.participant, event.note) == (staff_a, participant_a, "もう一度")
    assert sent == [
        {"participant": participant_a, "kind": reminders.Reminder.REDO, "url": f"/units/{unit.pk}/"}
    ]


def test_the_default_phrases_are_written_once_in_their_order(workshop_a, django_assert_num_queries):
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


# --- the work rules' records, refusals and counters -------------------------------------------


def counters_are_true(order):
    return counters.stored(order.pk) == counters.recount(order.pk)


def left_open(unit) -> bool:
    """Whether the unit is still open and nobody's, as read from the database now."""
    unit.refresh_from_db()
    return (unit.status, unit.holder) == (WorkUnit.Status.OPEN, None)


def refusal_code(rule, **kwargs) -> str:
    with pytest.raises(work.WorkError) as refused:
        rule(**kwargs)
    return refused.value.code


def test_a_log_is_kept_as_given_at_the_moment_it_was_made(monkeypatch, unit, participant_a):
    work.claim_unit(unit_id=unit.pk, participant=participant_a, now=T0)
    at(monkeypatch, T0 + datetime.timedelta(hours=1))
    entry, created = log(
        unit, participant_a, quantity=7, minutes=25, note=" 順調 ", place="workshop", photo="p.jpg"
    )
    assert created
    entry.refresh_from_db()
    assert (entry.unit, entry.participant, entry.quantity, entry.minutes, entry.note) == (
        unit,
        participant_a,
        7,
        25,
        "順調",
    )
    assert (entry.place, entry.photo.name, entry.created_at) == (
        "workshop",
        "p.jpg",
        T0 + datetime.timedelta(hours=1),
    )


def test_a_log_without_a_photo_keeps_none(unit, participant_a):
    work.claim_unit(unit_id=unit.pk, participant=participant_a)
    entry, _created = log(unit, participant_a, quantity=1)
    entry.refresh_from_db()
    assert (entry.photo.name, entry.place, entry.minutes, entry.note) == ("", "home", 0, "")


def test_a_record_id_used_for_another_unit_or_person_is_refused(order_a, participant_a, haru):
    first = factories.WorkUnitFactory(order=order_a, quantity=10)
    second = factories.WorkUnitFactory(order=order_a, quantity=10)
    work.claim_unit(unit_id=first.pk, participant=participant_a)
    work.claim_unit(unit_id=second.pk, participant=participant_a)
    work.claim_unit(unit_id=factories.WorkUnitFactory(order=order_a).pk, participant=haru)
    record = uuid.uuid4()
    entry, created = work.log_progress(
        unit=first, participant=participant_a, client_uuid=record, quantity=3
    )
    for unit, person in [(second, participant_a), (first, haru)]:
        with pytest.raises(work.WorkError) as refused:
            work.log_progress(unit=unit, participant=person, client_uuid=record, quantity=3)
        assert refused.value.code == "uuid_reused"
        with translation.override("ja"):
            assert str(refused.value.message) == ja(
                "This record was already used for something else."
            )
    again, created = work.log_progress(
        unit=first, participant=participant_a, client_uuid=record, quantity=3
    )
    assert (again, created) == (entry, False)


def test_log_refusals_are_in_words_people_read(unit, participant_a, haru):
    work.claim_unit(unit_id=unit.pk, participant=participant_a)
    log(unit, participant_a, quantity=45)
    cases = [
        (participant_a, {"quantity": -1}, "Numbers cannot be below zero.", {}),
        (participant_a, {"minutes": 0}, "Please enter how many, the minutes, or a note.", {}),
        (participant_a, {"quantity": 6}, "This unit has %(left)s left to do.", {"left": 5}),
        (haru, {"quantity": 1}, "This unit is no longer with you.", {}),
    ]
    for person, fields, message, values in cases:
        with pytest.raises(work.WorkError) as refused:
            log(unit, person, **fields)
        with translation.override("ja"):
            assert str(refused.value.message) == ja(message) % values


def test_only_a_claim_is_kept_alive_by_logging_a_redo_has_no_expiry(
    monkeypatch, order_a, participant_a, staff_a
):
    unit = submitted_unit(order_a, participant_a, logged=40)
    review.ask_redo(unit=unit, by=staff_a, note="もう一度")
    at(monkeypatch, T0)
    log(unit, participant_a, quantity=10)
    unit.refresh_from_db()
    assert (unit.status, unit.expires_at) == (WorkUnit.Status.REDO, None)
    assert unit.logs.count() == 2


def test_logging_on_a_unit_handed_in_is_refused(order_a, participant_a):
    unit = submitted_unit(order_a, participant_a, logged=10)
    with pytest.raises(work.WorkError) as refused:
        log(unit, participant_a, quantity=1)
    assert refused.value.code == "not_holder"


def test_a_paused_person_is_refused_before_anything_is_asked_of_the_database(
    unit, participant_a, django_assert_num_queries
):
    participant_a.status = Participant.Status.PAUSED
    participant_a.save(update_fields=["status"])
    for take in [
        lambda: work.claim_unit(unit_id=unit.pk, participant=participant_a),
        lambda: work.take_next(participant=participant_a, order_id=unit.order_id),
    ]:
        with django_assert_num_queries(0), pytest.raises(work.WorkError) as refused:
            take()
        assert refused.value.code == "not_active"
        with translation.override("ja"):
            assert str(refused.value.message) == ja(
                "Your participation is paused; talk to staff to start again."
            )


def test_a_person_paused_since_their_page_was_read_is_refused_too(unit, participant_a):
    Participant.objects.filter(pk=participant_a.pk).update(status=Participant.Status.PAUSED)
    for take in [
        lambda: work.claim_unit(unit_id=unit.pk, participant=participant_a),
        lambda: work.take_next(participant=participant_a, order_id=unit.order_id),
    ]:
        with pytest.raises(work.WorkError) as refused:
            take()
        assert refused.value.code == "not_active"
    unit.refresh_from_db()
    assert unit.status == WorkUnit.Status.OPEN


def test_taking_as_the_signed_in_user_takes_as_their_own_record_read_afresh(
    unit, participant_a, workshop_a
):
    workshop_a.claim_timeout_hours = 6
    workshop_a.save(update_fields=["claim_timeout_hours"])
    taken = work.claim_unit(unit_id=unit.pk, user=participant_a.user_id, now=T0)
    assert (taken.holder.pk, taken.holder.user_id, taken.holder.workshop.pk) == (
        participant_a.pk,
        participant_a.user_id,
        workshop_a.pk,
    )
    assert taken.holder.workshop.claim_timeout_hours == 6
    assert taken.expires_at == T0 + datetime.timedelta(hours=6)
    event = UnitEvent.objects.get(unit=unit, kind=UnitEvent.Kind.CLAIMED)
    assert (event.actor_id, event.participant_id) == (participant_a.user_id, participant_a.pk)
    assert counters_are_true(unit.order)


@pytest.mark.parametrize("by", ["participant", "user"])
@pytest.mark.parametrize("with_order", [True, False])
def test_a_take_reads_the_units_order_only_when_asked(unit, participant_a, by, with_order):
    taker = (
        {"participant": participant_a} if by == "participant" else {"user": participant_a.user_id}
    )
    taken = work.claim_unit(unit_id=unit.pk, with_order=with_order, **taker)
    assert WorkUnit.order.is_cached(taken) is with_order
    if with_order:
        assert (taken.order.pk, taken.order.title) == (unit.order_id, unit.order.title)


def test_a_user_whose_support_ended_here_takes_as_their_record_in_another_workshop(
    participant_a, workshop_b, order_b
):
    participant_a.status = Participant.Status.ENDED
    participant_a.ended_on = timezone.localdate()
    participant_a.save(update_fields=["status", "ended_on"])
    there = factories.ParticipantFactory(workshop=workshop_b, user=participant_a.user)
    unit_there = factories.WorkUnitFactory(order=order_b, number=1, quantity=5)
    taken = work.claim_unit(unit_id=unit_there.pk, user=participant_a.user_id)
    assert (taken.holder.pk, taken.holder_id, taken.holder.workshop.pk) == (
        there.pk,
        there.pk,
        workshop_b.pk,
    )


@pytest.mark.parametrize("status", [Participant.Status.PAUSED, Participant.Status.ENDED])
def test_a_user_paused_or_ended_takes_nothing(unit, participant_a, status):
    participant_a.status = status
    participant_a.ended_on = timezone.localdate() if status == Participant.Status.ENDED else None
    participant_a.save(update_fields=["status", "ended_on"])
    # Paused: refused in words. Ended: they have no current record, as if they had none.
    expected = work.WorkError if status == Participant.Status.PAUSED else Participant.DoesNotExist
    with pytest.raises(expected) as refused:
        work.claim_unit(unit_id=unit.pk, user=participant_a.user_id)
    if expected is work.WorkError:
        assert refused.value.code == "not_active"
    assert left_open(unit)


def test_a_user_who_is_not_a_participant_takes_nothing(unit, staff_a):
    with pytest.raises(Participant.DoesNotExist):
        work.claim_unit(unit_id=unit.pk, user=staff_a.pk)
    assert left_open(unit)


# The take sends the lock and its UPDATE together, the UPDATE built for the person as the
# caller read them; these are the changes staff can make in between, each taken from the
# locked row instead (jobs.work._claim).


def stale(participant):
    return Participant.objects.select_related("workshop").get(pk=participant.pk)


def test_a_hold_limit_lowered_since_the_person_was_read_is_the_one_kept(
    order_a, participant_a, workshop_a
):
    first, second = (factories.WorkUnitFactory(order=order_a, number=n) for n in (1, 2))
    work.claim_unit(unit_id=first.pk, participant=participant_a)
    read_before = stale(participant_a)
    assert read_before.workshop.hold_limit > 1
    workshop_a.hold_limit = 1
    workshop_a.save(update_fields=["hold_limit"])
    assert refusal_code(work.claim_unit, unit_id=second.pk, participant=read_before) == (
        "hold_limit"
    )
    assert left_open(second)
    assert counters_are_true(order_a)


@pytest.mark.parametrize("now_on_site", [False, True])
def test_where_someone_works_changed_since_they_were_read_is_the_one_kept(
    order_a, participant_a, now_on_site
):
    on_site_only = factories.WorkUnitFactory(order=order_a, number=1, home_ok=False)
    Participant.objects.filter(pk=participant_a.pk).update(works_on_site=not now_on_site)
    read_before = stale(participant_a)
    Participant.objects.filter(pk=participant_a.pk).update(works_on_site=now_on_site)
    if now_on_site:
        taken = work.claim_unit(unit_id=on_site_only.pk, participant=read_before)
        assert (taken.pk, taken.holder_id, taken.holder.works_on_site) == (
            on_site_only.pk,
            participant_a.pk,
            True,
        )
    else:
        assert refusal_code(work.claim_unit, unit_id=on_site_only.pk, participant=read_before) == (
            "not_offered"
        )
        assert left_open(on_site_only)
    assert counters_are_true(order_a)


def test_a_claim_timeout_changed_since_the_person_was_read_is_the_one_kept(
    unit, participant_a, workshop_a
):
    read_before = stale(participant_a)
    workshop_a.claim_timeout_hours = 6
    workshop_a.save(update_fields=["claim_timeout_hours"])
    taken = work.claim_unit(unit_id=unit.pk, participant=read_before, now=T0)
    assert taken.expires_at == T0 + datetime.timedelta(hours=6)
    unit.refresh_from_db()
    assert unit.expires_at == T0 + datetime.timedelta(hours=6)
    assert UnitEvent.objects.filter(unit=unit, kind=UnitEvent.Kind.CLAIMED).count() == 1
    assert counters_are_true(unit.order)


def test_a_person_read_without_their_workshop_takes_as_well(unit, participant_a):
    read_bare = Participant.objects.get(pk=participant_a.pk)
    taken = work.claim_unit(unit_id=unit.pk, participant=read_bare)
    assert (taken.holder_id, taken.holder.workshop.pk) == (
        participant_a.pk,
        participant_a.workshop_id,
    )


def test_taking_records_who_and_when_and_holds_it_for_the_workshops_timeout(unit, participant_a):
    taken = work.claim_unit(unit_id=unit.pk, participant=participant_a, now=T0)
    taken.refresh_from_db()
    assert (taken.status, taken.holder, taken.claimed_at, taken.last_activity_at) == (
        WorkUnit.Status.CLAIMED,
        participant_a,
        T0,
        T0,
    )
    assert taken.expires_at == T0 + datetime.timedelta(hours=HOURS)
    event = UnitEvent.objects.get(unit=unit, kind=UnitEvent.Kind.CLAIMED)
    assert (event.actor, event.participant, event.at) == (participant_a.user, participant_a, T0)
    assert counters_are_true(unit.order)


def test_the_hold_limit_is_said_with_its_number(order_a, participant_a, workshop_a):
    units = [factories.WorkUnitFactory(order=order_a) for _ in range(workshop_a.hold_limit + 1)]
    for held in units[:-1]:
        work.claim_unit(unit_id=held.pk, participant=participant_a)
    for take in [
        lambda: work.claim_unit(unit_id=units[-1].pk, participant=participant_a),
        lambda: work.take_next(participant=participant_a, order_id=order_a.pk),
    ]:
        with pytest.raises(work.WorkError) as refused:
            take()
        assert refused.value.code == "hold_limit"
        with translation.override("ja"):
            assert str(refused.value.message) == ja(
                "You already have %(limit)s units. Finish or hand one back first."
            ) % {"limit": workshop_a.hold_limit}


def test_a_unit_held_by_another_is_refused_in_words_people_read(unit, participant_a, haru):
    work.claim_unit(unit_id=unit.pk, participant=participant_a)
    with pytest.raises(work.WorkError) as refused:
        work.claim_unit(unit_id=unit.pk, participant=haru)
    assert refused.value.code == "taken"
    with translation.override("ja"):
        assert str(refused.value.message) == ja("Someone took this unit a moment ago.")


def test_taking_an_expired_claim_with_work_logged_gives_the_rest_and_hands_in_the_part(
    monkeypatch, unit, participant_a, haru
):
    work.claim_unit(unit_id=unit.pk, participant=participant_a, now=T0)
    at(monkeypatch, T0 + datetime.timedelta(hours=1))
    log(unit, participant_a, quantity=20)
    later = T0 + datetime.timedelta(hours=HOURS + 2)
    taken = work.claim_unit(unit_id=unit.pk, participant=haru, now=later)
    unit.refresh_from_db()
    assert (unit.status, unit.quantity, unit.holder) == (
        WorkUnit.Status.SUBMITTED,
        20,
        participant_a,
    )
    assert (taken.status, taken.quantity, taken.holder, taken.number) == (
        WorkUnit.Status.CLAIMED,
        30,
        haru,
        2,
    )
    assert taken.expires_at == later + datetime.timedelta(hours=HOURS)
    expired = UnitEvent.objects.get(unit=unit, kind=UnitEvent.Kind.EXPIRED)
    assert (expired.participant, expired.at, expired.actor) == (participant_a, later, None)
    handed_in = UnitEvent.objects.get(unit=unit, kind=UnitEvent.Kind.SUBMITTED)
    assert (handed_in.participant, handed_in.quantity, handed_in.at) == (participant_a, 20, later)
    claimed = UnitEvent.objects.get(unit=taken, kind=UnitEvent.Kind.CLAIMED)
    assert (claimed.participant, claimed.at) == (haru, later)
    assert counters_are_true(unit.order)


def test_taking_an_expired_claim_with_nothing_logged_takes_the_same_unit(unit, participant_a, haru):
    work.claim_unit(unit_id=unit.pk, participant=participant_a, now=T0)
    later = T0 + datetime.timedelta(hours=HOURS + 2)
    taken = work.claim_unit(unit_id=unit.pk, participant=haru, now=later)
    assert (taken.pk, taken.holder, taken.quantity, taken.claimed_at) == (unit.pk, haru, 50, later)
    assert UnitEvent.objects.filter(unit=unit, kind=UnitEvent.Kind.EXPIRED).count() == 1
    assert counters_are_true(unit.order)


def test_finishing_is_recorded_at_one_moment_and_counted(monkeypatch, unit, participant_a):
    work.claim_unit(unit_id=unit.pk, participant=participant_a, now=T0)
    ticking(monkeypatch, T0 + datetime.timedelta(hours=1))
    finished = work.finish_unit(unit=unit, participant=participant_a)
    event = UnitEvent.objects.get(unit=unit, kind=UnitEvent.Kind.SUBMITTED)
    assert event.at == finished.last_activity_at > T0
    assert counters_are_true(unit.order)
    with pytest.raises(work.WorkError) as refused:
        work.finish_unit(unit=unit, participant=participant_a)
    with translation.override("ja"):
        assert str(refused.value.message) == ja("This unit is no longer with you.")


def test_a_redo_can_be_handed_in_again(order_a, participant_a, staff_a):
    unit = submitted_unit(order_a, participant_a)
    review.ask_redo(unit=unit, by=staff_a, note="もう一度")
    assert work.finish_unit(unit=unit, participant=participant_a).status == "submitted"
    assert counters_are_true(order_a)


def test_handing_back_is_recorded_with_the_reason_at_one_moment(monkeypatch, unit, participant_a):
    work.claim_unit(unit_id=unit.pk, participant=participant_a, now=T0)
    log(unit, participant_a, quantity=20)
    ticking(monkeypatch, T0 + datetime.timedelta(hours=1))
    rest = work.release_unit(unit=unit, participant=participant_a, reason=" 疲れました ")
    unit.refresh_from_db()
    released = UnitEvent.objects.get(unit=unit, kind=UnitEvent.Kind.RELEASED)
    handed_in = UnitEvent.objects.get(unit=unit, kind=UnitEvent.Kind.SUBMITTED)
    reopened = UnitEvent.objects.get(unit=rest, kind=UnitEvent.Kind.REST_REOPENED)
    assert (released.note, released.actor, released.participant) == (
        "疲れました",
        participant_a.user,
        participant_a,
    )
    assert released.at == handed_in.at == reopened.at == unit.last_activity_at
    assert (reopened.actor, reopened.quantity) == (participant_a.user, 30)
    with translation.override("ja"):
        assert reopened.note == ja("The rest of unit %(number)s.") % {"number": unit.number}
    assert counters_are_true(unit.order)


def test_handing_back_nothing_done_is_counted_and_dated(monkeypatch, unit, participant_a):
    work.claim_unit(unit_id=unit.pk, participant=participant_a, now=T0)
    at(monkeypatch, T0 + datetime.timedelta(hours=1))
    reopened = work.release_unit(unit=unit, participant=participant_a)
    assert reopened.last_activity_at == T0 + datetime.timedelta(hours=1)
    assert counters_are_true(unit.order)


def test_the_rest_is_like_the_unit_with_its_share_of_the_minutes(order_a, participant_a, staff_a):
    participant_a.works_on_site = True
    participant_a.save(update_fields=["works_on_site"])
    work.mark_trained(participant=participant_a, skill_tag="封入", by=staff_a)
    unit = factories.WorkUnitFactory(
        order=order_a,
        quantity=50,
        estimated_minutes=100,
        instructions="丁寧に",
        home_ok=False,
        skill_tag="封入",
        sample_photo="s.jpg",
    )
    work.claim_unit(unit_id=unit.pk, participant=participant_a)
    log(unit, participant_a, quantity=20)
    rest = work.release_unit(unit=unit, participant=participant_a)
    rest.refresh_from_db()
    assert (rest.order_id, rest.workshop_id, rest.quantity, rest.estimated_minutes) == (
        order_a.pk,
        unit.workshop_id,
        30,
        60,
    )
    assert (rest.instructions, rest.home_ok, rest.skill_tag, rest.sample_photo.name) == (
        "丁寧に",
        False,
        "封入",
        "s.jpg",
    )


@pytest.mark.parametrize(
    "decide",
    [
        lambda unit, by: review.approve_unit(unit=unit, by=by),
        lambda unit, by: review.approve_part(unit=unit, by=by, quantity=10),
        lambda unit, by: review.ask_redo(unit=unit, by=by, note="もう一度"),
    ],
)
def test_a_decision_is_on_the_unit_decided_on_and_no_other(order_a, participant_a, staff_a, decide):
    earlier = submitted_unit(order_a, participant_a)
    later = submitted_unit(order_a, participant_a)
    decide(later, staff_a)
    earlier.refresh_from_db()
    later.refresh_from_db()
    assert (earlier.status, earlier.quantity) == (WorkUnit.Status.SUBMITTED, 50)
    assert later.status != WorkUnit.Status.SUBMITTED
    assert (
        not UnitEvent.objects.filter(unit=earlier)
        .exclude(kind__in=[UnitEvent.Kind.CLAIMED, UnitEvent.Kind.SUBMITTED])
        .exists()
    )


def test_another_workshops_unit_is_not_found_and_none_of_ones_own_is_taken_instead(
    unit, order_b, participant_a
):
    """Taking by an address of another workshop's unit (or of no unit): not found, in words,
    and nothing else happens, though one's own workshop has an open unit."""
    elsewhere = factories.WorkUnitFactory(order=order_b, number=1)
    for unit_id in (elsewhere.pk, elsewhere.pk + 10_000):
        with pytest.raises(work.WorkError) as refused:
            work.claim_unit(unit_id=unit_id, participant=participant_a)
        assert refused.value.code == "not_found"
        with translation.override("ja"):
            assert str(refused.value.message) == ja("This unit is not available.")
    unit.refresh_from_db()
    elsewhere.refresh_from_db()
    assert (unit.status, unit.holder_id) == (WorkUnit.Status.OPEN, None)
    assert (elsewhere.status, elsewhere.holder_id) == (WorkUnit.Status.OPEN, None)


def test_a_unit_that_needs_training_is_refused_in_words(order_a, participant_a):
    trained_only = factories.WorkUnitFactory(order=order_a, skill_tag="検品")
    with pytest.raises(work.WorkError) as refused:
        work.claim_unit(unit_id=trained_only.pk, participant=participant_a)
    assert refused.value.code == "not_offered"
    with translation.override("ja"):
        assert str(refused.value.message) == ja(
            "This unit is not one you can take. Please ask staff if you would like to try it."
        )


def test_the_rest_of_a_unit_is_estimated_at_one_minute_at_least(order_a, participant_a):
    unit = factories.WorkUnitFactory(order=order_a, quantity=10, estimated_minutes=1)
    work.claim_unit(unit_id=unit.pk, participant=participant_a)
    log(unit, participant_a, quantity=9)
    rest = work.release_unit(unit=unit, participant=participant_a)
    assert (rest.quantity, rest.estimated_minutes) == (1, 1)


def test_retaking_ones_own_expired_claim_takes_that_unit_and_no_other(order_a, participant_a):
    first = factories.WorkUnitFactory(order=order_a, number=1)
    second = factories.WorkUnitFactory(order=order_a, number=2)
    for held in (first, second):
        work.claim_unit(unit_id=held.pk, participant=participant_a, now=T0)
    later = T0 + datetime.timedelta(hours=HOURS + 1)

    taken = work.claim_unit(unit_id=second.pk, participant=participant_a, now=later)

    first.refresh_from_db()
    assert (taken.pk, taken.claimed_at) == (second.pk, later)
    assert first.claimed_at == T0  # still the old, expired claim


def test_a_handed_in_unit_cannot_be_taken_back_once_its_claim_time_is_over(
    monkeypatch, unit, participant_a
):
    work.claim_unit(unit_id=unit.pk, participant=participant_a, now=T0)
    at(monkeypatch, T0 + datetime.timedelta(hours=1))
    work.finish_unit(unit=unit, participant=participant_a)
    later = T0 + datetime.timedelta(hours=HOURS + 2)

    with pytest.raises(work.WorkError) as refused:
        work.claim_unit(unit_id=unit.pk, participant=participant_a, now=later)

    assert refused.value.code == "taken"
    unit.refresh_from_db()
    assert unit.status == WorkUnit.Status.SUBMITTED


def test_handing_back_hands_back_that_unit_only_and_records_no_reason_unless_given(
    order_a, participant_a
):
    first = factories.WorkUnitFactory(order=order_a, number=1)
    second = factories.WorkUnitFactory(order=order_a, number=2)
    for held in (first, second):
        work.claim_unit(unit_id=held.pk, participant=participant_a)

    work.release_unit(unit=second, participant=participant_a)

    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, first.holder_id) == (WorkUnit.Status.CLAIMED, participant_a.pk)
    assert (second.status, second.holder_id) == (WorkUnit.Status.OPEN, None)
    assert UnitEvent.objects.get(unit=second, kind=UnitEvent.Kind.RELEASED).note == ""
    assert not UnitEvent.objects.filter(unit=first, kind=UnitEvent.Kind.RELEASED).exists()


def test_a_handed_in_unit_cannot_be_handed_back_and_says_so(unit, participant_a):
    work.claim_unit(unit_id=unit.pk, participant=participant_a)
    work.finish_unit(unit=unit, participant=participant_a)

    with pytest.raises(work.WorkError) as refused:
        work.release_unit(unit=unit, participant=participant_a)

    assert refused.value.code == "not_holder"
    with translation.override("ja"):
        assert str(refused.value.message) == ja("This unit is no longer with you.")
    unit.refresh_from_db()
    assert unit.status == WorkUnit.Status.SUBMITTED


def test_a_recorded_event_is_the_stored_row(unit, participant_a):
    event = work.record_event(
        unit.pk, UnitEvent.Kind.PUBLISHED, by=participant_a.user_id, participant=participant_a.pk
    )

    stored = UnitEvent.objects.get(unit=unit, kind=UnitEvent.Kind.PUBLISHED)
    assert event.pk == stored.pk is not None
    event.refresh_from_db()
    assert (event.actor_id, event.participant_id, event.note) == (
        participant_a.user_id,
        participant_a.pk,
        "",
    )


def test_a_take_is_recorded_without_a_note_and_lasts_the_workshops_own_timeout(
    order_a, participant_a
):
    participant_a.workshop.claim_timeout_hours = 6
    participant_a.workshop.save(update_fields=["claim_timeout_hours"])
    unit = factories.WorkUnitFactory(order=order_a)

    taken = work.claim_unit(unit_id=unit.pk, participant=participant_a, now=T0)

    assert taken.expires_at == T0 + datetime.timedelta(hours=6)
    claimed = UnitEvent.objects.get(unit=unit, kind=UnitEvent.Kind.CLAIMED)
    assert (claimed.note, claimed.quantity, claimed.at) == ("", None, T0)


@pytest.mark.parametrize("take", ["chosen", "next"])
def test_a_person_paused_since_their_page_was_read_is_refused_in_words(unit, participant_a, take):
    """The page's copy says active; the row, read under the take's lock, says paused."""
    Participant.objects.filter(pk=participant_a.pk).update(status=Participant.Status.PAUSED)
    assert participant_a.status == Participant.Status.ACTIVE  # the stale copy

    with pytest.raises(work.WorkError) as refused:
        if take == "chosen":
            work.claim_unit(unit_id=unit.pk, participant=participant_a)
        else:
            work.take_next(participant=participant_a, order_id=unit.order_id)

    assert refused.value.code == "not_active"
    with translation.override("ja"):
        assert str(refused.value.message) == ja(
            "Your participation is paused; talk to staff to start again."
        )
    unit.refresh_from_db()
    assert (unit.status, unit.holder_id) == (WorkUnit.Status.OPEN, None)


# --- take_next ------------------------------------------------------------------------------


def test_take_next_takes_the_lowest_open_number_of_the_order_due_first(
    workshop_a, company_a, participant_a, staff_a
):
    later = factories.OrderFactory(
        workshop=workshop_a,
        company=company_a,
        desired_delivery_date=datetime.date(2027, 3, 1),
        status="accepted",
    )
    sooner = factories.OrderFactory(
        workshop=workshop_a,
        company=company_a,
        desired_delivery_date=datetime.date(2027, 2, 1),
        status="accepted",
    )
    work.publish_units(order=later, by=staff_a, sizes=[10, 10])
    work.publish_units(order=sooner, by=staff_a, sizes=[10, 10, 10])
    first = WorkUnit.objects.get(order=sooner, number=1)
    work.claim_unit(unit_id=first.pk, participant=factories.ParticipantFactory(workshop=workshop_a))
    taken = work.take_next(participant=participant_a, now=T0)
    assert (taken.order_id, taken.number, taken.holder, taken.claimed_at) == (
        sooner.pk,
        2,
        participant_a,
        T0,
    )
    assert taken.expires_at == T0 + datetime.timedelta(hours=HOURS)
    event = UnitEvent.objects.get(unit=taken, kind=UnitEvent.Kind.CLAIMED)
    assert (event.actor, event.participant, event.at) == (participant_a.user, participant_a, T0)
    chosen = work.take_next(participant=participant_a, order_id=later.pk)
    assert (chosen.order_id, chosen.number) == (later.pk, 1)
    assert counters_are_true(sooner) and counters_are_true(later)


def test_take_next_offers_only_what_the_person_may_take_and_says_when_none_is_left(
    order_a, participant_a, staff_a
):
    work.publish_units(order=order_a, by=staff_a, sizes=[10], home_ok=False)
    with pytest.raises(work.WorkError) as refused:
        work.take_next(participant=participant_a, order_id=order_a.pk)
    assert refused.value.code == "none_left"
    with translation.override("ja"):
        assert str(refused.value.message) == ja(
            "There is no more of this work to take right now. Thank you!"
        )


def test_take_next_closes_the_suggestions_of_the_unit_it_takes(order_a, participant_a, staff_a):
    from jobs.models import Suggestion

    work.publish_units(order=order_a, by=staff_a, sizes=[10])
    unit = WorkUnit.objects.get(order=order_a)
    work.suggest_unit(unit=unit, participant=participant_a, by=staff_a)
    work.take_next(participant=participant_a, order_id=order_a.pk)
    assert Suggestion.objects.get().status == Suggestion.Status.TAKEN


# --- what staff do ------------------------------------------------------------------------------


def test_staff_releasing_a_unit_is_a_hand_back_recorded_in_their_name(
    monkeypatch, unit, participant_a, staff_a
):
    work.claim_unit(unit_id=unit.pk, participant=participant_a, now=T0)
    log(unit, participant_a, quantity=20)
    ticking(monkeypatch, T0 + datetime.timedelta(hours=1))
    rest = work.release_unit_by_staff(unit=unit, by=staff_a, note=" 話しました ")
    unit.refresh_from_db()
    released = UnitEvent.objects.get(unit=unit, kind=UnitEvent.Kind.RELEASED_BY_STAFF)
    handed_in = UnitEvent.objects.get(unit=unit, kind=UnitEvent.Kind.SUBMITTED)
    assert (released.actor, released.participant, released.note) == (
        staff_a,
        participant_a,
        "話しました",
    )
    assert (handed_in.actor, handed_in.participant, handed_in.quantity) == (
        staff_a,
        participant_a,
        20,
    )
    assert released.at == handed_in.at == unit.last_activity_at
    assert (unit.status, unit.quantity, rest.quantity, rest.status) == ("submitted", 20, 30, "open")
    assert counters_are_true(unit.order)


def test_staff_release_and_reach_out_need_someone_holding_the_unit(unit, staff_a, participant_a):
    for act in [
        lambda: work.release_unit_by_staff(unit=unit, by=staff_a),
        lambda: work.reach_out(unit=unit, by=staff_a),
    ]:
        with pytest.raises(work.WorkError) as refused:
            act()
        assert refused.value.code == "not_held"
        with translation.override("ja"):
            assert str(refused.value.message) == ja("Nobody holds this unit now.")


@pytest.mark.parametrize("state", ["claimed", "redo", "submitted"])
def test_reaching_out_is_recorded_for_the_holder_and_changes_nothing(
    order_a, participant_a, staff_a, state
):
    unit = submitted_unit(order_a, participant_a)
    if state == "redo":
        review.ask_redo(unit=unit, by=staff_a, note="もう一度")
    if state == "claimed":
        unit = factories.WorkUnitFactory(order=order_a)
        work.claim_unit(unit_id=unit.pk, participant=participant_a)
    unit.refresh_from_db()
    before = (unit.status, unit.holder_id, unit.expires_at, unit.last_activity_at)
    event = work.reach_out(unit=unit, by=staff_a, note=" 電話しました ")
    assert (event.unit_id, event.kind, event.actor, event.participant, event.note) == (
        unit.pk,
        UnitEvent.Kind.REACHED_OUT,
        staff_a,
        participant_a,
        "電話しました",
    )
    unit.refresh_from_db()
    assert (unit.status, unit.holder_id, unit.expires_at, unit.last_activity_at) == before


def test_staff_release_of_a_redo_frees_it(order_a, participant_a, staff_a):
    unit = submitted_unit(order_a, participant_a)
    review.ask_redo(unit=unit, by=staff_a, note="もう一度")
    work.release_unit_by_staff(unit=unit, by=staff_a)
    unit.refresh_from_db()
    assert unit.status == WorkUnit.Status.SUBMITTED
    assert counters_are_true(order_a)
    # Without a note, none is made up.
    assert UnitEvent.objects.get(unit=unit, kind=UnitEvent.Kind.RELEASED_BY_STAFF).note == ""
    assert work.reach_out(unit=unit, by=staff_a).note == ""


def test_staff_act_on_the_unit_they_chose_and_no_other(order_a, participant_a, staff_a, haru):
    first, second = (factories.WorkUnitFactory(order=order_a) for _ in range(2))
    work.claim_unit(unit_id=first.pk, participant=participant_a)
    work.claim_unit(unit_id=second.pk, participant=haru)
    work.release_unit_by_staff(unit=second, by=staff_a)
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, first.holder) == (WorkUnit.Status.CLAIMED, participant_a)
    assert (second.status, second.holder) == (WorkUnit.Status.OPEN, None)
    one, other = (
        work.suggest_unit(unit=unit, participant=participant_a, by=staff_a)
        for unit in (second, factories.WorkUnitFactory(order=order_a))
    )
    work.withdraw_suggestion(suggestion=other, by=staff_a)
    one.refresh_from_db()
    assert one.status == one.Status.OPEN


def test_nobody_is_reached_out_to_about_an_approved_unit(order_a, participant_a, staff_a):
    unit = submitted_unit(order_a, participant_a)
    review.approve_unit(unit=unit, by=staff_a)
    with pytest.raises(work.WorkError) as refused:
        work.reach_out(unit=unit, by=staff_a)
    assert refused.value.code == "not_held"


def test_expire_ends_the_claim_it_was_given_and_no_other(order_a, participant_a, haru):
    first, second = (factories.WorkUnitFactory(order=order_a) for _ in range(2))
    work.claim_unit(unit_id=first.pk, participant=participant_a, now=T0)
    work.claim_unit(unit_id=second.pk, participant=haru, now=T0)
    later = T0 + datetime.timedelta(hours=HOURS + 1)
    second.refresh_from_db()
    assert work._expire(second, now=later).pk == second.pk
    first.refresh_from_db()
    assert (first.status, first.holder) == (WorkUnit.Status.CLAIMED, participant_a)


def test_a_suggestion_without_a_note_has_none(order_a, participant_a, staff_a):
    unit = factories.WorkUnitFactory(order=order_a)
    suggestion = work.suggest_unit(unit=unit, participant=participant_a, by=staff_a)
    assert suggestion.note == ""
    assert UnitEvent.objects.get(unit=unit, kind=UnitEvent.Kind.SUGGESTED).note == ""


def test_finishing_anothers_unit_is_refused_while_holding_one_of_ones_own(
    order_a, participant_a, haru
):
    mine, theirs = (factories.WorkUnitFactory(order=order_a) for _ in range(2))
    work.claim_unit(unit_id=mine.pk, participant=haru)
    work.claim_unit(unit_id=theirs.pk, participant=participant_a)
    with pytest.raises(work.WorkError) as refused:
        work.finish_unit(unit=theirs, participant=haru)
    assert refused.value.code == "not_holder"
    theirs.refresh_from_db()
    assert (theirs.status, theirs.holder) == (WorkUnit.Status.CLAIMED, participant_a)


def test_handing_back_all_but_one_opens_a_unit_of_one(unit, participant_a):
    work.claim_unit(unit_id=unit.pk, participant=participant_a)
    log(unit, participant_a, quantity=49)
    rest = work.release_unit(unit=unit, participant=participant_a)
    assert (rest.pk != unit.pk, rest.quantity, rest.status) == (True, 1, WorkUnit.Status.OPEN)


def test_logging_on_anothers_unit_is_refused_while_holding_one_of_ones_own(
    order_a, participant_a, haru
):
    mine, theirs = (factories.WorkUnitFactory(order=order_a) for _ in range(2))
    work.claim_unit(unit_id=mine.pk, participant=haru)
    work.claim_unit(unit_id=theirs.pk, participant=participant_a)
    with pytest.raises(work.WorkError) as refused:
        log(theirs, haru, quantity=1)
    assert refused.value.code == "not_holder"
    assert not mine.logs.exists() and not theirs.logs.exists()


def test_a_log_keeps_only_its_own_claim_alive(monkeypatch, order_a, participant_a, haru):
    mine, theirs = (factories.WorkUnitFactory(order=order_a) for _ in range(2))
    work.claim_unit(unit_id=mine.pk, participant=participant_a, now=T0)
    work.claim_unit(unit_id=theirs.pk, participant=haru, now=T0)
    at(monkeypatch, T0 + datetime.timedelta(hours=1))
    log(mine, participant_a, quantity=1)
    theirs.refresh_from_db()
    assert (theirs.last_activity_at, theirs.expires_at) == (
        T0,
        T0 + datetime.timedelta(hours=HOURS),
    )


def test_the_same_record_arriving_twice_at_once_is_kept_once(monkeypatch, unit, participant_a):
    from jobs.models import ProgressLog

    work.claim_unit(unit_id=unit.pk, participant=participant_a)
    record = uuid.uuid4()
    first, _created = log(unit, participant_a, quantity=3, client_uuid=record)
    # The second request looked before the first had written: it finds nothing, then its
    # insert meets the first one's row.
    real = ProgressLog.objects.filter
    looked = []

    def looked_too_early(*args, **kwargs):
        found = real(*args, **kwargs)
        if kwargs == {"client_uuid": record} and not looked:
            looked.append(True)
            return found.none()
        return found

    monkeypatch.setattr(ProgressLog.objects, "filter", looked_too_early)
    again, created = log(unit, participant_a, quantity=3, client_uuid=record)
    assert (again, created, looked) == (first, False, [True])
    assert unit.logs.count() == 1
