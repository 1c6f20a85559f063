"""Invitations: nobody signs up on their own. Staff invite a participant and hand them a
one-time link (on paper as a QR code, or by e-mail); the link sets up the account on the
person's own phone. Only a hash of the token is stored."""

import datetime
import secrets
from collections.abc import Iterable

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from participants.models import Invitation, Participant, TaskKind, hash_token
from workshop.accounts import create_account, email_in_use, set_primary_email
from workshop.mail import enqueue_templated_email
from workshop.models import User, Workshop
from workshop.rules import RuleError

INVITATION_VALID_FOR = datetime.timedelta(days=14)


class InvitationError(RuleError):
    """A rule about invitations was not met. `code` says which, for views and the API:
    nickname_taken, unknown, used, expired, revoked, ended, email_taken, password_invalid."""


def invitation_url(token: str) -> str:
    return settings.SITE_URL + reverse("participants:invite", args=[token])


def _issue(*, participant: Participant, created_by: User, email: str) -> str:
    token = secrets.token_urlsafe(32)
    Invitation.objects.create(
        participant=participant,
        token_hash=hash_token(token),
        email=email,
        created_by=created_by,
        expires_at=timezone.now() + INVITATION_VALID_FOR,
    )
    if email:
        enqueue_templated_email(
            template_prefix="participants/email/invitation",
            to=[email],
            context={
                "participant": participant,
                "workshop": participant.workshop,
                "url": invitation_url(token),
                "valid_days": INVITATION_VALID_FOR.days,
            },
        )
    return token


@transaction.atomic
def invite_participant(
    *,
    workshop: Workshop,
    created_by: User,
    nickname: str,
    works_from_home: bool,
    works_on_site: bool,
    liked_task_kinds: Iterable[str],
    hours_per_week_wished: int | None,
    email: str = "",
) -> tuple[Participant, str]:
    """Add a participant to the workshop and issue their first link. Returns the participant
    and the token, which exists nowhere else: show it once."""
    nickname = nickname.strip()
    if Participant.objects.filter(workshop=workshop, nickname=nickname).exists():
        raise InvitationError(
            _("Someone in this workshop already uses that nickname. Please choose another."),
            code="nickname_taken",
        )
    liked = set(liked_task_kinds)
    kinds = [kind for kind in TaskKind.values if kind in liked]
    try:
        with transaction.atomic():
            participant = Participant.objects.create(
                workshop=workshop,
                nickname=nickname,
                works_from_home=works_from_home,
                works_on_site=works_on_site,
                liked_task_kinds=kinds,
                hours_per_week_wished=hours_per_week_wished,
            )
    except IntegrityError:
        # Two staff invited the same nickname at the same moment.
        raise InvitationError(
            _("Someone in this workshop already uses that nickname. Please choose another."),
            code="nickname_taken",
        ) from None
    token = _issue(participant=participant, created_by=created_by, email=email.strip().lower())
    return participant, token


@transaction.atomic
def reissue_invitation(*, participant: Participant, created_by: User) -> str:
    """A new link for a participant who lost theirs or changed phones. Earlier links that were
    not used stop working. The link goes by e-mail too, if we know an address."""
    if participant.status == Participant.Status.ENDED:
        raise InvitationError(
            _("Support for this participant has ended; no new link can be issued."),
            code="ended",
        )
    now = timezone.now()
    participant.invitations.filter(used_at__isnull=True, revoked_at__isnull=True).update(
        revoked_at=now
    )
    email = (participant.user.email if participant.user else "") or (
        participant.invitations.exclude(email="").values_list("email", flat=True).first() or ""
    )
    return _issue(participant=participant, created_by=created_by, email=email)


def find_invitation(*, token: str) -> Invitation:
    """The invitation a token belongs to, if it can still be used; otherwise an error saying
    why (so the page can say it kindly)."""
    invitation = (
        Invitation.objects.select_related("participant", "participant__workshop")
        .filter(token_hash=hash_token(token))
        .first()
    )
    if invitation is None:
        raise InvitationError(_("This link is not known."), code="unknown")
    if invitation.used_at is not None:
        raise InvitationError(_("This link has already been used."), code="used")
    if invitation.revoked_at is not None:
        raise InvitationError(_("A newer link replaced this one."), code="revoked")
    if invitation.expires_at <= timezone.now():
        raise InvitationError(_("This link has expired."), code="expired")
    if invitation.participant.status == Participant.Status.ENDED:
        raise InvitationError(_("This link can no longer be used."), code="ended")
    return invitation


@transaction.atomic
def accept_invitation(*, token: str, email: str = "", password: str = "") -> User:
    """Use the link: set up the account (or, for a reissued link, sign the existing account in
    on a new phone). With no e-mail and no password the account has an unusable password and
    lives only in this phone's session; staff can issue a new link later."""
    invitation = find_invitation(token=token)
    email = email.strip().lower()
    participant = invitation.participant
    user = participant.user
    if email and email_in_use(email, except_user=user):
        raise InvitationError(
            _("This e-mail address is already in use. Leave it empty, or ask staff."),
            code="email_taken",
        )
    if password:
        try:
            validate_password(password, user)
        except ValidationError as error:
            raise InvitationError(" ".join(error.messages), code="password_invalid") from None
    # Taking the link is one conditional UPDATE: of two phones using it at once, one wins.
    taken = Invitation.objects.filter(pk=invitation.pk, used_at__isnull=True).update(
        used_at=timezone.now()
    )
    if taken != 1:
        raise InvitationError(_("This link has already been used."), code="used")
    if user is None:
        user = create_account(
            kind="participant",
            email=email,
            password=password or None,
            display_name=participant.nickname,
        )
        participant.user = user
        participant.save(update_fields=["user"])
    else:
        if email:
            set_primary_email(user=user, email=email)
        if password:
            user.set_password(password)
            user.save(update_fields=["password"])
    return user
