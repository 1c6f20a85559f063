"""Participants (利用者): their screen name, preferences, and how they were invited."""

import hashlib

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from workshop.models import StaffMembership, Workshop


class Stage(models.TextChoices):
    """The default steps (ステップ). Not a ladder: a person may stay, pause or go back."""

    CONNECTION = "connection", _("Connection")  # つながり
    PLACE = "place", _("A place to be")  # 居場所
    TRYING_WORK = "trying_work", _("Trying work")  # 作業体験
    REGULAR_WORK = "regular_work", _("Regular work")  # 継続作業
    WORKPLACE_TRIAL = "workplace_trial", _("Workplace trial")  # 職場体験
    JOB_SEARCH = "job_search", _("Looking for a job")  # 就職活動
    EMPLOYED = "employed", _("In general employment")  # 一般就労
    SETTLED = "settled", _("Settled in work")  # 定着


class TaskKind(models.TextChoices):
    """Kinds of task a participant may say they like; used to suggest units, never to rank."""

    STUFFING = "stuffing", _("Envelope stuffing")
    LABELLING = "labelling", _("Labelling")
    SEALING = "sealing", _("Sealing")
    FOLDING = "folding", _("Folding")
    COUNTING = "counting", _("Counting and sorting")
    DATA_ENTRY = "data_entry", _("Data entry")
    TRANSCRIPTION = "transcription", _("Transcription")
    CHECKING = "checking", _("Checking")


class ParticipantQuerySet(models.QuerySet):
    def visible_to(self, user) -> "ParticipantQuerySet":
        """Staff see the participants of their workshops; a participant sees only themself.
        Companies never see participants."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(
            Q(workshop__in=StaffMembership.objects.filter(user=user).values("workshop"))
            | Q(user=user)
        )

    def active(self) -> "ParticipantQuerySet":
        return self.filter(status=Participant.Status.ACTIVE)


class Participant(models.Model):
    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        PAUSED = "paused", _("Taking a break")
        ENDED = "ended", _("Support ended")

    workshop = models.ForeignKey(
        Workshop, on_delete=models.PROTECT, related_name="participants", verbose_name=_("workshop")
    )
    # Empty until the invitation has been used and the person has an account.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="participations",
    )
    nickname = models.CharField(
        _("nickname"),
        max_length=30,
        help_text=_("The name shown on screens. It need not be a real name."),
    )
    stage = models.CharField(
        _("step"), max_length=20, choices=Stage.choices, default=Stage.CONNECTION
    )
    works_from_home = models.BooleanField(_("would like to work from home"), default=True)
    works_on_site = models.BooleanField(_("would like to work at the workshop"), default=False)
    liked_task_kinds = models.JSONField(_("kinds of task liked"), default=list, blank=True)
    hours_per_week_wished = models.PositiveSmallIntegerField(
        _("hours a week wished"), null=True, blank=True, validators=[MaxValueValidator(60)]
    )
    start_date = models.DateField(_("start date"), default=timezone.localdate)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.ACTIVE
    )
    ended_on = models.DateField(_("support ended on"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ParticipantQuerySet.as_manager()

    class Meta:
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        ordering = ["nickname"]
        constraints = [
            models.UniqueConstraint(
                fields=["workshop", "nickname"], name="participant_nickname_unique_in_workshop"
            ),
            models.UniqueConstraint(
                fields=["workshop", "user"],
                condition=Q(user__isnull=False),
                name="participant_user_once_per_workshop",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["active", "paused", "ended"]),
                name="participant_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(stage__in=Stage.values), name="participant_stage_valid"
            ),
            models.CheckConstraint(
                condition=Q(hours_per_week_wished__isnull=True) | Q(hours_per_week_wished__lte=60),
                name="participant_hours_wished_at_most_60",
            ),
            models.CheckConstraint(
                condition=~Q(status="ended") | Q(ended_on__isnull=False),
                name="participant_ended_has_date",
            ),
        ]

    def __str__(self) -> str:
        return self.nickname


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class InvitationQuerySet(models.QuerySet):
    def visible_to(self, user) -> "InvitationQuerySet":
        if not user.is_authenticated:
            return self.none()
        return self.filter(
            participant__workshop__in=StaffMembership.objects.filter(user=user).values("workshop")
        )

    def usable(self) -> "InvitationQuerySet":
        return self.filter(
            used_at__isnull=True, revoked_at__isnull=True, expires_at__gt=timezone.now()
        )


class Invitation(models.Model):
    """A one-time link with which a participant sets up their account on their own phone.
    Only a hash of the token is stored; the link is shown (or printed as a QR code) once."""

    participant = models.ForeignKey(
        Participant, on_delete=models.CASCADE, related_name="invitations"
    )
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    email = models.EmailField(_("e-mail address (optional)"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.participant} ({self.created_at:%Y-%m-%d})"

    @property
    def is_usable(self) -> bool:
        return self.used_at is None and self.revoked_at is None and self.expires_at > timezone.now()
