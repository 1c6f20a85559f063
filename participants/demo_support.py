"""Demo support records for `manage.py seed_demo`: consents, a history of steps and small
steps, goals with reviews (one due within 30 days) and a few support notes (one corrected) for
the participants of one workshop. Written through participants/pathway.py, so the demo's audit
log shows what real use would. Kind, plausible, and with no real names.

Running it again changes nothing: a participant who already has a consent is left alone."""

import datetime

from django.db import transaction
from django.utils import timezone

from participants import pathway
from participants.models import (
    Consent,
    Goal,
    MilestoneCategory,
    NoteKind,
    Participant,
    Stage,
)
from workshop.models import StaffMembership, User, Workshop

ORDER = list(Stage.values)
# The small step written down on reaching each step.
STEP_MILESTONES = {
    Stage.PLACE: (MilestoneCategory.FIRST_VISIT, "玄関まで来て、お茶を一杯飲んで帰りました。"),
    Stage.TRYING_WORK: (
        MilestoneCategory.FIRST_UNIT_AT_HOME,
        "家で封入を50枚。写真つきで報告してくれました。",
    ),
    Stage.REGULAR_WORK: (
        MilestoneCategory.CAME_REGULARLY,
        "週2回のペースが1か月続きました。",
    ),
    Stage.WORKPLACE_TRIAL: (
        MilestoneCategory.FIRST_COMPANY_TALK,
        "丘の上印刷の方と、作業所で10分ほど話しました。",
    ),
    Stage.JOB_SEARCH: (MilestoneCategory.WENT_OUT, "ハローワークに一緒に行きました。"),
}
GOALS = {
    Stage.TRYING_WORK: "自分に合う作業を2つ見つける",
    Stage.REGULAR_WORK: "週2回、無理のない時間で作業を続ける",
    Stage.WORKPLACE_TRIAL: "職場体験で、困ったときに声をかけられるようになる",
    Stage.JOB_SEARCH: "短時間の事務の仕事に応募してみる",
    Stage.SETTLED: "仕事と休みのバランスを自分で整える",
}
NOTES = [
    (
        NoteKind.INTERVIEW,
        "最近の様子を聞きました。朝は起きにくいが、午後は作業に集中できるとのこと。",
    ),
    (NoteKind.PHONE, "作業の区切りを相談する電話。次の来所日はご本人が決めることにしました。"),
]
CONSENT_TEXT = (
    "支援記録を残すこと、読むのはこの作業所の支援員だけであること、支援終了後5年で消すこと、"
    "いつでも不利益なく同意を取り消せることを説明しました。"
)
# Someone who first came ten days ago and has not been asked yet, and someone who withdrew.
NOT_YET = {"みどり"}
WITHDREW = {"かえで"}


def seed_demo_support(workshop: Workshop) -> None:
    staff = _staff(workshop)
    if staff is None:
        return
    today = timezone.localdate()
    participants = Participant.objects.filter(workshop=workshop).order_by("pk")
    for participant in participants:
        if participant.nickname in NOT_YET or Consent.objects.of(participant).exists():
            continue
        _seed_one(participant, staff, today)


def _staff(workshop: Workshop) -> User | None:
    membership = (
        StaffMembership.objects.filter(workshop=workshop)
        .select_related("user")
        .order_by("-role", "pk")  # "staff" sorts after "manager": a staff member writes
        .first()
    )
    return membership.user if membership else None


def _days_ago(today: datetime.date, days: int) -> datetime.date:
    return today - datetime.timedelta(days=max(days, 0))


@transaction.atomic
def _seed_one(participant: Participant, staff: User, today: datetime.date) -> None:
    # At least 45 days of history, so the notes (40 and 20 days ago) come after the start.
    started = min(
        max(participant.start_date, today - datetime.timedelta(days=720)),
        today - datetime.timedelta(days=45),
    )
    history_days = (today - started).days
    pathway.record_consent(
        participant=participant,
        recorded_by=staff,
        explained=CONSENT_TEXT,
        text_version="2026-04",
        given_on=started,
        method=Consent.Method.SIGNED,
    )
    pathway.record_milestone(
        participant=participant,
        category=MilestoneCategory.FIRST_CONTACT,
        on=started,
        note="ご家族からの電話がきっかけでした。",
        shared_with_participant=True,
        recorded_by=staff,
    )
    # Walk the steps up to where the person is now, spread over their time here.
    target = participant.stage
    Participant.objects.filter(pk=participant.pk).update(stage=Stage.CONNECTION)
    participant.stage = Stage.CONNECTION
    path = ORDER[1 : ORDER.index(target) + 1]
    for number, stage in enumerate(path, start=1):
        on = started + datetime.timedelta(days=history_days * number // (len(path) + 1))
        pathway.change_stage(
            participant=participant,
            to_stage=stage,
            on=on,
            note="本人と相談して決めました。",
            recorded_by=staff,
        )
        if stage in STEP_MILESTONES:
            category, note = STEP_MILESTONES[stage]
            pathway.record_milestone(
                participant=participant,
                category=category,
                on=min(on + datetime.timedelta(days=3), today),
                note=note,
                shared_with_participant=True,
                recorded_by=staff,
            )
    if target in GOALS:
        _goal(participant, staff, today, GOALS[target], started)
    for number, (kind, text) in enumerate(NOTES):
        note = pathway.write_note(
            participant=participant,
            on=_days_ago(today, 40 - 20 * number),
            kind=kind,
            text=text,
            author=staff,
        )
        if participant.nickname == "そら" and number == 0:
            pathway.correct_note(
                note=note,
                text=text.replace("午後は", "昼過ぎからは"),
                on=note.on,
                kind=note.kind,
                reason="聞き取った時間帯を正確にしました。",
                corrected_by=staff,
            )
    if participant.nickname in WITHDREW:
        pathway.withdraw_consent(
            participant=participant, recorded_by=staff, withdrawn_on=_days_ago(today, 30)
        )


def _goal(
    participant: Participant, staff: User, today: datetime.date, text: str, started: datetime.date
) -> Goal:
    # そら's goal was set about five months ago and has not been reviewed yet, so with the
    # default six months its review falls within the next 30 days.
    if participant.nickname == "そら":
        return pathway.set_goal(
            participant=participant,
            text=text,
            started_on=_days_ago(today, 160),
            target_on=None,
            shared_with_participant=True,
            recorded_by=staff,
        )
    goal_start = max(started + datetime.timedelta(days=7), _days_ago(today, 300))
    goal = pathway.set_goal(
        participant=participant,
        text=text,
        started_on=goal_start,
        target_on=goal_start + datetime.timedelta(days=365),
        shared_with_participant=True,
        recorded_by=staff,
    )
    pathway.review_goal(
        goal=goal,
        on=max(_days_ago(today, 110), goal_start + (today - goal_start) / 2),
        note="少しずつ進んでいます。ペースはこのままで。",
        recorded_by=staff,
    )
    return goal
