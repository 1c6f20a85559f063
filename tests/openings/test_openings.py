"""The rules of companies/openings.py: who may post, the proposal's steps and their refusals,
and who might fit."""

import pytest

from companies import openings
from companies.models import Opening, OpeningProposal, OpeningProposalEvent
from participants.models import Participant, Stage, TaskKind
from tests import factories
from tests.openings.conftest import FIELDS, shared

P = OpeningProposal.Status


def test_a_company_posts_an_opening_through_a_partner_workshop(opening_a, company_a, member_a):
    assert opening_a.company == company_a
    assert opening_a.status == Opening.Status.OPEN
    assert opening_a.created_by == member_a
    assert opening_a.employer == "丘の上印刷"


def test_a_company_cannot_post_through_a_workshop_it_does_not_work_with(
    workshop_b, company_a, member_a
):
    with pytest.raises(openings.OpeningInvalid) as error:
        openings.post_opening(workshop=workshop_b, company=company_a, by=member_a, fields=FIELDS)

    assert error.value.code == "invalid"
    assert "workshop" in error.value.errors


def test_staff_post_for_an_employer_without_an_account_by_name(workshop_a, staff_a):
    opening = openings.post_opening(
        workshop=workshop_a, by=staff_a, fields=FIELDS, employer_name="坂ノ上ベーカリー"
    )

    assert opening.company is None
    assert opening.employer == "坂ノ上ベーカリー"


def test_staff_must_name_the_employer(workshop_a, staff_a):
    with pytest.raises(openings.OpeningInvalid) as error:
        openings.post_opening(workshop=workshop_a, by=staff_a, fields=FIELDS)

    assert "company" in error.value.errors


def test_another_workshops_staff_cannot_post_here(workshop_a, staff_b):
    with pytest.raises(openings.OpeningError) as error:
        openings.post_opening(workshop=workshop_a, by=staff_b, fields=FIELDS, employer_name="x")

    assert error.value.code == "forbidden"


def test_an_opening_needs_a_title_and_dates_in_order(workshop_a, company_a, member_a):
    import datetime

    fields = dict(
        FIELDS,
        title=" ",
        starts_on=datetime.date(2026, 5, 1),
        ends_on=datetime.date(2026, 4, 1),
    )
    with pytest.raises(openings.OpeningInvalid) as error:
        openings.post_opening(workshop=workshop_a, company=company_a, by=member_a, fields=fields)

    assert set(error.value.errors) == {"title", "ends_on"}


def test_closing_twice_is_refused(opening_a, member_a):
    openings.close_opening(opening=opening_a, by=member_a)

    with pytest.raises(openings.OpeningStateError):
        openings.close_opening(opening=opening_a, by=member_a)
    assert opening_a.closed_at is not None


def test_a_proposal_walks_to_hired_writing_who_and_when(sent_proposal, staff_a, member_a):
    openings.record_trial_held(proposal=sent_proposal, by=member_a, note="2日間、来てくれました")
    openings.record_hired(proposal=sent_proposal, by=staff_a)

    events = list(sent_proposal.events.values_list("from_status", "to_status", "by_company"))
    assert events == [
        ("", P.PROPOSED, False),
        (P.PROPOSED, P.PARTICIPANT_AGREED, False),
        (P.PARTICIPANT_AGREED, P.SENT_TO_COMPANY, False),
        (P.SENT_TO_COMPANY, P.TRIAL_HELD, True),
        (P.TRIAL_HELD, P.HIRED, False),
    ]
    assert sent_proposal.status == P.HIRED
    assert sent_proposal.events.get(to_status=P.TRIAL_HELD).actor == member_a
    assert sent_proposal.sent_at is not None


def test_the_agreement_stores_only_what_was_chosen(opening_a, aoi, staff_a):
    proposal = openings.propose(opening=opening_a, participant=aoi, by=staff_a)

    openings.record_agreement(
        proposal=proposal,
        by=staff_a,
        shared=openings.SharedProfile(name=" あおい ", work_kinds=[], hours_per_week=None),
    )

    proposal.refresh_from_db()
    assert (proposal.shared_name, proposal.shared_work_kinds) == ("あおい", [])
    assert proposal.shared_hours_per_week is None
    assert proposal.shared_introduction == ""
    assert proposal.agreed_at is not None


def test_an_agreement_needs_a_name(opening_a, aoi, staff_a):
    proposal = openings.propose(opening=opening_a, participant=aoi, by=staff_a)

    with pytest.raises(openings.OpeningInvalid) as error:
        openings.record_agreement(proposal=proposal, by=staff_a, shared=shared(name=""))

    assert "shared_name" in error.value.errors
    proposal.refresh_from_db()
    assert proposal.status == P.PROPOSED


def test_it_refuses_to_send_before_the_participant_agreed(opening_a, aoi, staff_a):
    proposal = openings.propose(opening=opening_a, participant=aoi, by=staff_a)

    with pytest.raises(openings.OpeningStateError) as error:
        openings.send_to_company(proposal=proposal, by=staff_a)

    assert error.value.code == "wrong_state"
    assert "利用者に提案中" in error.value.message
    assert OpeningProposal.objects.get().status == P.PROPOSED


def test_a_participant_saying_no_ends_it_and_nothing_can_be_sent(opening_a, aoi, staff_a):
    proposal = openings.propose(opening=opening_a, participant=aoi, by=staff_a)
    openings.record_participant_declined(proposal=proposal, by=staff_a)

    for rule in (openings.send_to_company, openings.record_hired, openings.withdraw_proposal):
        with pytest.raises(openings.OpeningStateError):
            rule(proposal=proposal, by=staff_a)
    with pytest.raises(openings.OpeningStateError):
        openings.record_agreement(proposal=proposal, by=staff_a, shared=shared())


def test_it_refuses_a_trial_or_hiring_before_the_company_has_it(opening_a, aoi, staff_a):
    proposal = openings.propose(opening=opening_a, participant=aoi, by=staff_a)
    openings.record_agreement(proposal=proposal, by=staff_a, shared=shared())

    for rule in (openings.record_trial_held, openings.record_hired, openings.record_declined):
        with pytest.raises(openings.OpeningStateError):
            rule(proposal=proposal, by=staff_a)


def test_hired_is_final(sent_proposal, staff_a):
    openings.record_hired(proposal=sent_proposal, by=staff_a)

    for rule in (openings.record_trial_held, openings.record_declined, openings.withdraw_proposal):
        with pytest.raises(openings.OpeningStateError):
            rule(proposal=sent_proposal, by=staff_a)
    assert OpeningProposalEvent.objects.filter(proposal=sent_proposal).count() == 4


def test_the_company_cannot_do_the_workshops_steps(opening_a, aoi, staff_a, member_a):
    proposal = openings.propose(opening=opening_a, participant=aoi, by=staff_a)

    for rule in (openings.record_participant_declined, openings.withdraw_proposal):
        with pytest.raises(openings.OpeningError) as error:
            rule(proposal=proposal, by=member_a)
        assert error.value.code == "forbidden"
    with pytest.raises(openings.OpeningError):
        openings.record_agreement(proposal=proposal, by=member_a, shared=shared())


def test_another_company_cannot_record_an_outcome(sent_proposal, member_b):
    with pytest.raises(openings.OpeningError) as error:
        openings.record_hired(proposal=sent_proposal, by=member_b)

    assert error.value.code == "forbidden"


def test_it_refuses_to_suggest_twice_while_a_proposal_is_live(opening_a, aoi, staff_a):
    first = openings.propose(opening=opening_a, participant=aoi, by=staff_a)

    with pytest.raises(openings.OpeningStateError) as error:
        openings.propose(opening=opening_a, participant=aoi, by=staff_a)
    assert error.value.code == "already_proposed"

    openings.withdraw_proposal(proposal=first, by=staff_a)
    again = openings.propose(opening=opening_a, participant=aoi, by=staff_a)
    assert again.status == P.PROPOSED


def test_it_refuses_to_suggest_a_closed_opening_or_another_workshops_participant(
    opening_a, aoi, participant_b, staff_a, member_a
):
    with pytest.raises(openings.OpeningError) as error:
        openings.propose(opening=opening_a, participant=participant_b, by=staff_a)
    assert error.value.code == "forbidden"

    openings.close_opening(opening=opening_a, by=member_a)
    with pytest.raises(openings.OpeningStateError):
        openings.propose(opening=opening_a, participant=aoi, by=staff_a)


def test_might_fit_lists_people_from_regular_work_on_with_reasons(opening_a, aoi, workshop_a):
    factories.ParticipantFactory(workshop=workshop_a, nickname="つき", stage=Stage.PLACE)
    factories.ParticipantFactory(
        workshop=workshop_a,
        nickname="ゆき",
        stage=Stage.REGULAR_WORK,
        status=Participant.Status.PAUSED,
    )
    rin = factories.ParticipantFactory(
        workshop=workshop_a,
        nickname="りん",
        stage=Stage.REGULAR_WORK,
        works_on_site=False,
        liked_task_kinds=[TaskKind.DATA_ENTRY],
    )
    unit = factories.WorkUnitFactory(order__workshop=workshop_a)
    factories.ProgressLogFactory(unit=unit, participant=aoi, minutes=90)
    factories.ProgressLogFactory(unit=unit, participant=aoi, minutes=60)

    fits = openings.might_fit(opening=opening_a, participants=Participant.objects.all())

    assert [fit.participant for fit in fits] == [aoi, rin]
    assert fits[0].reasons == [
        "ステップ：職場体験",
        "通所での作業を希望していて、これは現地での仕事です",
        "好きな作業：封入",
        "事業所で手作業の経験あり（2.5時間）",
    ]
    assert fits[1].reasons == ["ステップ：継続作業"]


def test_might_fit_marks_who_already_has_a_live_proposal(opening_a, aoi, staff_a):
    proposal = openings.propose(opening=opening_a, participant=aoi, by=staff_a)

    fits = openings.might_fit(opening=opening_a, participants=Participant.objects.all())

    assert fits[0].proposal == proposal


def test_the_suggested_profile_starts_from_what_the_participant_said(aoi, workshop_a):
    unit = factories.WorkUnitFactory(order__workshop=workshop_a, order__kind="digital")
    factories.ProgressLogFactory(unit=unit, participant=aoi, minutes=30)

    suggestion = openings.profile_suggestion(participant=aoi)

    assert suggestion == {
        "shared_name": "あおい",
        "shared_work_kinds": [TaskKind.STUFFING, TaskKind.LABELLING, "digital"],
        "shared_hours_per_week": 37,
        "shared_introduction": "",
    }
