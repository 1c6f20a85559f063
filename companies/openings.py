"""Openings (職場体験・求人) and the proposals that bring a participant to one. Every change of
an opening's or a proposal's status happens here, one function per step, each writing who and
when. Also which participants might fit an opening, with the reasons, never a score."""

from collections import defaultdict
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from companies.models import (
    Company,
    Opening,
    OpeningProposal,
    OpeningProposalEvent,
    Partnership,
)
from jobs.models import Order, ProgressLog
from participants.models import Participant, Stage, TaskKind
from workshop.models import Workshop
from workshop.roles import is_member_of, is_staff_of
from workshop.rules import RuleError

P = OpeningProposal.Status

# The fields someone posting an opening fills in; the same names in forms and the database.
OPENING_FIELDS = (
    "kind",
    "title",
    "description",
    "work_kinds",
    "hours",
    "hours_per_week",
    "place",
    "remote",
    "support",
    "starts_on",
    "ends_on",
)

# Kinds of work, as a participant may share them: the task kinds, and the two kinds of order.
WORK_KINDS: dict[str, str] = dict(TaskKind.choices) | dict(Order.Kind.choices)
DIGITAL_TASKS = {TaskKind.DATA_ENTRY, TaskKind.TRANSCRIPTION, TaskKind.CHECKING}

# Steps at which an opening may be worth a talk: regular work, and the workplace trial or later.
STAGES_THAT_MIGHT_FIT = [
    Stage.REGULAR_WORK,
    Stage.WORKPLACE_TRIAL,
    Stage.JOB_SEARCH,
    Stage.EMPLOYED,
    Stage.SETTLED,
]


class OpeningError(RuleError):
    """A rule about openings was broken. `code` is machine-readable (for the API)."""

    code = "opening_error"


class OpeningStateError(OpeningError):
    """The opening or proposal is not in a state that allows this step (HTTP 409)."""

    code = "wrong_state"


class OpeningInvalid(OpeningError):
    """What was sent cannot make a valid opening or snapshot; `errors` maps field to message."""

    code = "invalid"

    def __init__(self, errors: dict[str, list[str]]):
        super().__init__(" ".join(m for messages in errors.values() for m in messages))
        self.errors = errors


def work_kind_labels(keys: list[str]) -> list[str]:
    return [str(WORK_KINDS[key]) for key in keys if key in WORK_KINDS]


# --- openings ------------------------------------------------------------------------------


def _clean_opening(fields: dict) -> dict:
    clean = {key: fields.get(key) for key in OPENING_FIELDS if key in fields}
    errors: dict[str, list[str]] = {}
    if not (clean.get("title") or "").strip():
        errors.setdefault("title", []).append(_("Please give the opening a title."))
    if clean.get("kind") not in Opening.Kind.values:
        errors.setdefault("kind", []).append(_("Choose a workplace trial or a job."))
    if clean.get("remote") not in (None, *Opening.Remote.values):
        errors.setdefault("remote", []).append(_("Choose how much of it can be done remotely."))
    starts, ends = clean.get("starts_on"), clean.get("ends_on")
    if starts and ends and ends < starts:
        errors.setdefault("ends_on", []).append(_("The end date is before the start date."))
    unknown = [kind for kind in clean.get("work_kinds") or [] if kind not in TaskKind.values]
    if unknown:
        errors.setdefault("work_kinds", []).append(_("Choose kinds of work from the list."))
    if errors:
        raise OpeningInvalid(errors)
    for key in ("title", "description", "hours", "place", "support"):
        if key in clean:
            clean[key] = (clean[key] or "").strip()
    clean["work_kinds"] = list(clean.get("work_kinds") or [])
    return clean


def post_opening(
    *,
    workshop: Workshop,
    by,
    fields: dict,
    company: Company | None = None,
    employer_name: str = "",
) -> Opening:
    """A company posts an opening through a workshop it works with, or the workshop's staff
    post one for such a company, or for an employer that has no account here (by name)."""
    employer_name = employer_name.strip()
    if company is not None:
        if not Partnership.objects.filter(company=company, workshop=workshop).exists():
            raise OpeningInvalid(
                {"workshop": [_("This company does not work with this workshop.")]}
            )
        if not (is_member_of(by, company) or is_staff_of(by, workshop)):
            raise OpeningError(_("You cannot post openings for this company."), code="forbidden")
        employer_name = ""
    else:
        if not is_staff_of(by, workshop):
            raise OpeningError(_("You cannot post openings here."), code="forbidden")
        if not employer_name:
            raise OpeningInvalid(
                {"company": [_("Choose a company, or give the name of the employer.")]}
            )
    clean = _clean_opening(fields)
    return Opening.objects.create(
        workshop=workshop,
        company=company,
        employer_name=employer_name,
        created_by=by,
        status=Opening.Status.OPEN,
        **clean,
    )


def close_opening(*, opening: Opening, by) -> Opening:
    """No new proposals; those under way go on to their outcome."""
    if not (
        is_staff_of(by, opening.workshop) or (opening.company and is_member_of(by, opening.company))
    ):
        raise OpeningError(_("You cannot close this opening."), code="forbidden")
    with transaction.atomic():
        updated = Opening.objects.filter(pk=opening.pk, status=Opening.Status.OPEN).update(
            status=Opening.Status.CLOSED, closed_at=timezone.now()
        )
        if updated != 1:
            raise OpeningStateError(_("This opening is already closed."))
    opening.refresh_from_db()
    return opening


# --- proposals -----------------------------------------------------------------------------


def propose(*, opening: Opening, participant: Participant, by, note: str = "") -> OpeningProposal:
    """Staff suggest the opening to a participant. Nothing reaches the company until the
    participant has agreed and chosen what to share."""
    if not is_staff_of(by, opening.workshop) or participant.workshop_id != opening.workshop_id:
        raise OpeningError(
            _("Only the workshop's staff can suggest this opening."), code="forbidden"
        )
    if opening.status != Opening.Status.OPEN:
        raise OpeningStateError(_("This opening is closed."))
    if participant.status == Participant.Status.ENDED:
        raise OpeningStateError(_("Support for this participant has ended."))
    try:
        with transaction.atomic():
            proposal = OpeningProposal.objects.create(
                opening=opening, participant=participant, proposed_by=by, status=P.PROPOSED
            )
            _record(proposal, by=by, from_status="", to=P.PROPOSED, note=note)
    except IntegrityError:
        raise OpeningStateError(
            _("This opening has already been suggested to %(name)s.")
            % {"name": participant.nickname},
            code="already_proposed",
        ) from None
    return proposal


@dataclass(frozen=True)
class SharedProfile:
    """What the participant agreed to share with the company, chosen together with them."""

    name: str
    work_kinds: list[str] = field(default_factory=list)
    hours_per_week: int | None = None
    introduction: str = ""


def record_agreement(*, proposal: OpeningProposal, by, shared: SharedProfile) -> OpeningProposal:
    """The participant would like to go ahead and has chosen, with staff, what the company
    may read: the name they give, and optionally kinds of work, hours and a few words."""
    _require_staff(proposal, by)
    errors: dict[str, list[str]] = {}
    name = shared.name.strip()
    if not name:
        errors["shared_name"] = [_("Give the name the participant would like the company to see.")]
    if any(kind not in WORK_KINDS for kind in shared.work_kinds):
        errors["shared_work_kinds"] = [_("Choose kinds of work from the list.")]
    if shared.hours_per_week is not None and not 0 < shared.hours_per_week <= 60:
        errors["shared_hours_per_week"] = [_("Give between 1 and 60 hours a week.")]
    if errors:
        raise OpeningInvalid(errors)
    return _transition(
        proposal,
        to=P.PARTICIPANT_AGREED,
        allowed_from={P.PROPOSED},
        by=by,
        shared_name=name,
        shared_work_kinds=list(shared.work_kinds),
        shared_hours_per_week=shared.hours_per_week,
        shared_introduction=shared.introduction.strip(),
        agreed_at=timezone.now(),
    )


def record_participant_declined(
    *, proposal: OpeningProposal, by, note: str = ""
) -> OpeningProposal:
    """The participant would rather not. That is fine, and nothing reaches the company."""
    _require_staff(proposal, by)
    return _transition(
        proposal, to=P.PARTICIPANT_DECLINED, allowed_from={P.PROPOSED}, by=by, note=note
    )


def send_to_company(*, proposal: OpeningProposal, by, note: str = "") -> OpeningProposal:
    """From now on the company reads the snapshot the participant agreed to, nothing else."""
    _require_staff(proposal, by)
    return _transition(
        proposal,
        to=P.SENT_TO_COMPANY,
        allowed_from={P.PARTICIPANT_AGREED},
        by=by,
        note=note,
        sent_at=timezone.now(),
    )


def record_trial_held(*, proposal: OpeningProposal, by, note: str = "") -> OpeningProposal:
    return _transition(
        proposal,
        to=P.TRIAL_HELD,
        allowed_from={P.SENT_TO_COMPANY},
        by=by,
        note=note,
        by_company=_require_staff_or_company(proposal, by),
    )


def record_hired(*, proposal: OpeningProposal, by, note: str = "") -> OpeningProposal:
    return _transition(
        proposal,
        to=P.HIRED,
        allowed_from={P.SENT_TO_COMPANY, P.TRIAL_HELD},
        by=by,
        note=note,
        by_company=_require_staff_or_company(proposal, by),
    )


def record_declined(*, proposal: OpeningProposal, by, note: str = "") -> OpeningProposal:
    """It did not go ahead, on either side's wish, after the company had the proposal."""
    return _transition(
        proposal,
        to=P.DECLINED,
        allowed_from={P.SENT_TO_COMPANY, P.TRIAL_HELD},
        by=by,
        note=note,
        by_company=_require_staff_or_company(proposal, by),
    )


def withdraw_proposal(*, proposal: OpeningProposal, by, note: str = "") -> OpeningProposal:
    """The participant changed their mind, or staff took the suggestion back. The company, if
    it had the proposal, no longer sees it or anything that was shared."""
    _require_staff(proposal, by)
    return _transition(
        proposal,
        to=P.WITHDRAWN,
        allowed_from={P.PROPOSED, P.PARTICIPANT_AGREED, P.SENT_TO_COMPANY, P.TRIAL_HELD},
        by=by,
        note=note,
    )


def _require_staff(proposal: OpeningProposal, by) -> None:
    if not is_staff_of(by, proposal.opening.workshop):
        raise OpeningError(_("Only the workshop's staff can do this."), code="forbidden")


def _require_staff_or_company(proposal: OpeningProposal, by) -> bool:
    """Either side may record an outcome it knows. Returns whether it is the company."""
    if is_staff_of(by, proposal.opening.workshop):
        return False
    company = proposal.opening.company
    if company is not None and is_member_of(by, company):
        return True
    raise OpeningError(_("You cannot record an outcome for this proposal."), code="forbidden")


def _record(
    proposal: OpeningProposal, *, by, from_status: str, to: str, note: str = "", by_company=False
) -> OpeningProposalEvent:
    return OpeningProposalEvent.objects.create(
        proposal=proposal,
        actor=by,
        from_status=from_status,
        to_status=to,
        note=note.strip(),
        by_company=by_company,
    )


STATE_REFUSALS = {
    P.PARTICIPANT_AGREED: gettext_lazy("Agreement can be recorded only for a new suggestion."),
    P.PARTICIPANT_DECLINED: gettext_lazy("This can be recorded only for a new suggestion."),
    P.SENT_TO_COMPANY: gettext_lazy(
        "Only a proposal the participant has agreed to can be sent to the company."
    ),
    P.TRIAL_HELD: gettext_lazy("A trial can be recorded only after the company has the proposal."),
    P.HIRED: gettext_lazy("Hiring can be recorded only after the company has the proposal."),
    P.DECLINED: gettext_lazy("This can be recorded only after the company has the proposal."),
    P.WITHDRAWN: gettext_lazy("This proposal has already come to an end."),
}


def _transition(
    proposal: OpeningProposal,
    *,
    to: str,
    allowed_from: set[str],
    by,
    note: str = "",
    by_company: bool = False,
    **fields,
) -> OpeningProposal:
    """Move the proposal with one conditional UPDATE under a row lock, so that two people
    acting at once cannot both succeed, and write who and when."""
    with transaction.atomic():
        current = OpeningProposal.objects.select_for_update().get(pk=proposal.pk)
        if current.status not in allowed_from:
            now_is = _("It is now: %(status)s.") % {"status": current.get_status_display()}
            raise OpeningStateError(f"{STATE_REFUSALS[to]} {now_is}")
        OpeningProposal.objects.filter(pk=proposal.pk, status=current.status).update(
            status=to, **fields
        )
        _record(
            proposal, by=by, from_status=current.status, to=to, note=note, by_company=by_company
        )
    proposal.refresh_from_db()
    return proposal


# --- who might fit -------------------------------------------------------------------------


@dataclass
class Fit:
    """A participant who might fit an opening, and why, in words staff can check."""

    participant: Participant
    reasons: list[str]
    proposal: OpeningProposal | None = None


def kinds_done(participants: list[Participant]) -> dict[int, dict[str, int]]:
    """Minutes of logged work per participant and kind of order (hands-on or digital)."""
    rows = (
        ProgressLog.objects.filter(participant__in=[p.pk for p in participants])
        .order_by()
        .values("participant", "unit__order__kind")
        .annotate(minutes=Sum("minutes"))
    )
    done: dict[int, dict[str, int]] = defaultdict(dict)
    for row in rows:
        done[row["participant"]][row["unit__order__kind"]] = row["minutes"] or 0
    return done


def might_fit(*, opening: Opening, participants) -> list[Fit]:
    """Active participants of the opening's workshop at regular work or a later step, each
    with the reasons they might fit: their step, where they like to work against where the
    work is, kinds of work they like or have done here. People with more reasons come first,
    but no number is ever shown. Three queries, however many participants."""
    people = list(
        participants.filter(
            workshop=opening.workshop_id,
            status=Participant.Status.ACTIVE,
            stage__in=STAGES_THAT_MIGHT_FIT,
        ).order_by("nickname")
    )
    done = kinds_done(people)
    live = {
        proposal.participant_id: proposal
        for proposal in opening.proposals.exclude(
            status__in=[P.PARTICIPANT_DECLINED, P.DECLINED, P.WITHDRAWN]
        )
    }
    opening_kinds = set(opening.work_kinds)
    opening_order_kinds = {
        Order.Kind.DIGITAL if kind in DIGITAL_TASKS else Order.Kind.HANDS_ON
        for kind in opening_kinds
    }
    fits = []
    for person in people:
        reasons = [_("Step: %(stage)s") % {"stage": person.get_stage_display()}]
        if opening.remote == Opening.Remote.FULLY and person.works_from_home:
            reasons.append(_("Would like to work from home, and this can be done remotely"))
        elif opening.remote == Opening.Remote.PARTLY and person.works_from_home:
            reasons.append(_("Would like to work from home, and this is partly remote"))
        elif opening.remote != Opening.Remote.FULLY and person.works_on_site:
            reasons.append(_("Comes to work on site, and this is on site"))
        liked = [kind for kind in person.liked_task_kinds if kind in opening_kinds]
        if liked:
            reasons.append(_("Likes: %(kinds)s") % {"kinds": _(", ").join(work_kind_labels(liked))})
        for kind in sorted(opening_order_kinds):
            minutes = done.get(person.pk, {}).get(kind)
            if minutes:
                reasons.append(
                    _("Has done %(kind)s here (%(hours)s h)")
                    % {"kind": str(WORK_KINDS[kind]).lower(), "hours": _hours(minutes)}
                )
        fits.append(Fit(participant=person, reasons=reasons, proposal=live.get(person.pk)))
    fits.sort(key=lambda fit: -len(fit.reasons))
    return fits


def _hours(minutes: int) -> str:
    return f"{minutes / 60:.1f}".removesuffix(".0")


def profile_suggestion(*, participant: Participant) -> dict:
    """What staff start from when they sit down with the participant: their nickname, the kinds
    of work they like and have done, their wished hours. They change or remove any of it."""
    done = kinds_done([participant]).get(participant.pk, {})
    kinds = [kind for kind in participant.liked_task_kinds if kind in WORK_KINDS]
    kinds += [kind for kind in Order.Kind.values if done.get(kind)]
    return {
        "shared_name": participant.nickname,
        "shared_work_kinds": kinds,
        "shared_hours_per_week": participant.hours_per_week_wished,
        "shared_introduction": "",
    }
