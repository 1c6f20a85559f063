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


def _staff_workshops(user):
    return StaffMembership.objects.filter(user=user).values("workshop")


class SensitiveQuerySet(models.QuerySet):
    """Support records (要配慮個人情報) are read by the participant's own workshop staff only:
    not by the participant, not by companies, not by another workshop. Reads and writes go
    through participants/pathway.py, which writes the audit log."""

    def visible_to(self, user):
        if not user.is_authenticated:
            return self.none()
        return self.filter(participant__workshop__in=_staff_workshops(user))


class Consent(models.Model):
    """The participant's consent to keeping support records: what was explained, in which
    version of the text, when, how, and who recorded it. No sensitive record is saved without
    a consent that has not been withdrawn."""

    class Method(models.TextChoices):
        SIGNED = "signed", _("Signed on paper")
        VERBAL = "verbal", _("Spoken, in person")
        ONLINE = "online", _("Online, on their own device")

    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="consents")
    explained = models.TextField(_("what was explained"))
    text_version = models.CharField(_("version of the consent text"), max_length=30)
    given_on = models.DateField(_("given on"))
    method = models.CharField(_("how it was given"), max_length=10, choices=Method.choices)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)
    withdrawn_on = models.DateField(_("withdrawn on"), null=True, blank=True)
    withdrawal_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = SensitiveQuerySet.as_manager()

    class Meta:
        verbose_name = _("consent")
        verbose_name_plural = _("consents")
        ordering = ["-given_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(method__in=["signed", "verbal", "online"]), name="consent_method_valid"
            ),
            models.CheckConstraint(
                condition=Q(withdrawn_on__isnull=True) | Q(withdrawn_on__gte=models.F("given_on")),
                name="consent_withdrawn_after_given",
            ),
            models.UniqueConstraint(
                fields=["participant"],
                condition=Q(withdrawn_on__isnull=True),
                name="one_standing_consent_per_participant",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.participant} {self.given_on} ({self.text_version})"


class StageChange(models.Model):
    """A move between steps (ステップ): forward, back or staying is all fine."""

    participant = models.ForeignKey(
        Participant, on_delete=models.CASCADE, related_name="stage_changes"
    )
    from_stage = models.CharField(_("from"), max_length=20, choices=Stage.choices, blank=True)
    to_stage = models.CharField(_("to"), max_length=20, choices=Stage.choices)
    on = models.DateField(_("date"))
    note = models.TextField(_("note"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    objects = SensitiveQuerySet.as_manager()

    class Meta:
        verbose_name = _("stage change")
        verbose_name_plural = _("stage changes")
        ordering = ["on", "pk"]
        indexes = [models.Index(fields=["participant", "on"], name="stage_change_participant_on")]
        constraints = [
            models.CheckConstraint(
                condition=Q(to_stage__in=Stage.values), name="stage_change_to_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.participant}: {self.from_stage or '—'} → {self.to_stage} ({self.on})"


class MilestoneCategory(models.TextChoices):
    """Small steps (小さな一歩) worth writing down: small changes are what support counts."""

    FIRST_CONTACT = "first_contact", _("First contact")
    FIRST_VISIT = "first_visit", _("First visit to the workshop")
    FIRST_UNIT_AT_HOME = "first_unit_at_home", _("First unit done at home")
    FIRST_DAY_ON_SITE = "first_day_on_site", _("First day of work on site")
    CAME_REGULARLY = "came_regularly", _("Came regularly for a while")
    FIRST_COMPANY_TALK = "first_company_talk", _("First talk with a company")
    WENT_OUT = "went_out", _("Went somewhere new")
    OTHER = "other", _("Other")


class Milestone(models.Model):
    participant = models.ForeignKey(
        Participant, on_delete=models.CASCADE, related_name="milestones"
    )
    category = models.CharField(_("kind of step"), max_length=30, choices=MilestoneCategory.choices)
    on = models.DateField(_("date"))
    note = models.TextField(_("note"), blank=True)
    shared_with_participant = models.BooleanField(
        _("show on the participant's own page"), default=True
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    objects = SensitiveQuerySet.as_manager()

    class Meta:
        verbose_name = _("small step")
        verbose_name_plural = _("small steps")
        ordering = ["on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(category__in=MilestoneCategory.values), name="milestone_category_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.participant}: {self.get_category_display()} ({self.on})"
