"""Introductions (つなぐ): what a coordinator and a workshop may do with one, and in which
state. The coordinator introduces and may withdraw (the row is deleted); the workshop says it
met the person, accepts them (inviting them as a participant with the one-time sign-in of
participants/invitations.py) or says it cannot now. See docs/network.md "Introductions"."""

from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from network.models import Introduction, Network
from participants.invitations import invite_participant
from participants.models import Participant
from participants.pathway import actor_label
from workshop.models import AuditLog, User, Workshop
from workshop.rules import RuleError

OPEN_STATES = (Introduction.State.SENT, Introduction.State.MET)


class IntroductionError(RuleError):
    """A rule about introductions was not met: not_in_network, answered."""


def _audit(
    *,
    actor: User,
    workshop: Workshop,
    action: str,
    introduction_id: int,
    what: str,
    participant_id: int | None = None,
) -> None:
    # The fact only (which introduction, what happened): never the nickname, the way to
    # contact them or their hopes, so the row may outlive a withdrawn introduction.
    AuditLog.objects.create(
        actor=actor,
        actor_label=actor_label(actor),
        workshop=workshop,
        action=action,
        record_type="introduction",
        record_id=introduction_id,
        participant_id=participant_id,
        summary=what,
    )


@transaction.atomic
def introduce(
    *,
    network: Network,
    workshop: Workshop,
    by: User,
    nickname: str,
    contact_by: str,
    hopes: str,
) -> Introduction:
    """The person agreed to be introduced: the caller's form made sure of it, and today is
    recorded as the day they agreed."""
    if not network.memberships.filter(workshop=workshop).exists():
        raise IntroductionError(
            _("This workshop is not part of the network."), code="not_in_network"
        )
    introduction = Introduction.objects.create(
        network=network,
        workshop=workshop,
        by=by,
        nickname=nickname.strip(),
        contact_by=contact_by.strip(),
        hopes=hopes.strip(),
        agreed_on=timezone.localdate(),
    )
    _audit(
        actor=by,
        workshop=workshop,
        action=AuditLog.Action.CREATE,
        introduction_id=introduction.pk,
        what="introduced",
    )
    return introduction


@transaction.atomic
def withdraw(*, introduction: Introduction, by: User) -> None:
    """The person withdrew: the introduction is deleted, whatever its state. The audit keeps
    that it happened, nothing of the person."""
    pk, workshop = introduction.pk, introduction.workshop
    introduction.delete()
    _audit(
        actor=by,
        workshop=workshop,
        action=AuditLog.Action.DELETE,
        introduction_id=pk,
        what="withdrawn",
    )


def _lock_open(introduction: Introduction) -> Introduction:
    locked = Introduction.objects.select_for_update().get(pk=introduction.pk)
    if locked.state not in OPEN_STATES:
        raise IntroductionError(_("This introduction has already been answered."), code="answered")
    return locked


@transaction.atomic
def mark_met(*, introduction: Introduction, by: User) -> Introduction:
    introduction = _lock_open(introduction)
    introduction.state = Introduction.State.MET
    introduction.save(update_fields=["state"])
    _audit(
        actor=by,
        workshop=introduction.workshop,
        action=AuditLog.Action.UPDATE,
        introduction_id=introduction.pk,
        what="met",
    )
    return introduction


@transaction.atomic
def cannot_now(*, introduction: Introduction, by: User, reason: str = "") -> Introduction:
    introduction = _lock_open(introduction)
    introduction.state = Introduction.State.CANNOT_NOW
    introduction.reason = reason.strip()
    introduction.answered_at = timezone.now()
    introduction.save(update_fields=["state", "reason", "answered_at"])
    _audit(
        actor=by,
        workshop=introduction.workshop,
        action=AuditLog.Action.UPDATE,
        introduction_id=introduction.pk,
        what="cannot_now",
    )
    return introduction


@transaction.atomic
def accept(
    *,
    introduction: Introduction,
    by: User,
    nickname: str,
    works_from_home: bool,
    works_on_site: bool,
    liked_task_kinds: Iterable[str],
    hours_per_week_wished: int | None,
    email: str = "",
) -> tuple[Participant, str]:
    """Invite the person as a participant (the existing one-time sign-in) and mark the
    introduction started. Returns the participant and the link's token, as
    `invite_participant` does."""
    introduction = _lock_open(introduction)
    participant, token = invite_participant(
        workshop=introduction.workshop,
        created_by=by,
        nickname=nickname,
        works_from_home=works_from_home,
        works_on_site=works_on_site,
        liked_task_kinds=liked_task_kinds,
        hours_per_week_wished=hours_per_week_wished,
        email=email,
    )
    introduction.state = Introduction.State.STARTED
    introduction.participant = participant
    introduction.answered_at = timezone.now()
    introduction.save(update_fields=["state", "participant", "answered_at"])
    _audit(
        actor=by,
        workshop=introduction.workshop,
        action=AuditLog.Action.UPDATE,
        introduction_id=introduction.pk,
        what="started",
        participant_id=participant.pk,
    )
    return participant, token
