"""Participants (利用者): their screen name, preferences, and how they were invited."""

import hashlib

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

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

    def own_record(self, user) -> "ParticipantQuerySet":
        """The signed-in person's own participant record (active or taking a break; the first
        if they ever had two), as the phone pages read it and as a take locks it."""
        return self.filter(user=user).exclude(status=Participant.Status.ENDED).order_by("pk")[:1]

    def with_workshop_columns(self, *more: str):
        """Every column of the person, then every column of their workshop, then `more`, as
        rows for a prepared statement (jobs/prepared.py); read back by `with_workshop`."""
        from jobs.prepared import fields_of

        return self.values_list(*fields_of(Participant), *fields_of(Workshop, "workshop__"), *more)


def with_workshop(row: tuple) -> "Participant":
    """The participant, with their workshop, from a row of `with_workshop_columns`."""
    from jobs.prepared import instances

    [participant] = instances(Participant, [row])
    start = len(Participant._meta.concrete_fields)
    [participant.workshop] = instances(Workshop, [row], start=start)
    return participant


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
        verbose_name=_("user"),
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
    # Weekdays (Monday 0 … Sunday 6) the participant usually works, which staff set; today's
    # contacts expect them on these days (docs/homework.md).
    usual_days = models.JSONField(_("usual days"), default=list, blank=True)
    hours_per_week_wished = models.PositiveSmallIntegerField(
        _("hours a week wished"), null=True, blank=True, validators=[MaxValueValidator(60)]
    )
    start_date = models.DateField(_("start date"), default=timezone.localdate)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.ACTIVE
    )
    ended_on = models.DateField(_("support ended on"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

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
        Participant,
        on_delete=models.CASCADE,
        related_name="invitations",
        verbose_name=_("participant"),
    )
    token_hash = models.CharField(_("token hash"), max_length=64, unique=True, editable=False)
    email = models.EmailField(_("e-mail address (optional)"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires at"))
    used_at = models.DateTimeField(_("used at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

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

    # The path from the record to its participant.
    participant_path = "participant"

    def visible_to(self, user):
        if not user.is_authenticated:
            return self.none()
        return self.filter(**{f"{self.participant_path}__workshop__in": _staff_workshops(user)})

    def of(self, participant: "Participant"):
        return self.filter(**{self.participant_path: participant})


class SharedQuerySet(SensitiveQuerySet):
    """Records staff may choose to show on the participant's own page."""

    def shared_with_owner(self, user):
        """What the signed-in participant may see of their own records: only what staff
        marked as shared. Never anyone else's."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(participant__user=user, shared_with_participant=True)


class Consent(models.Model):
    """The participant's consent to keeping support records: what was explained, in which
    version of the text, when, how, and who recorded it. No sensitive record is saved without
    a consent that has not been withdrawn."""

    class Method(models.TextChoices):
        SIGNED = "signed", _("Signed on paper")
        VERBAL = "verbal", _("Spoken, in person")
        ONLINE = "online", _("Online, on their own device")

    participant = models.ForeignKey(
        Participant,
        on_delete=models.CASCADE,
        related_name="consents",
        verbose_name=_("participant"),
    )
    explained = models.TextField(_("what was explained"))
    text_version = models.CharField(_("version of the consent text"), max_length=30)
    given_on = models.DateField(_("given on"))
    method = models.CharField(_("how it was given"), max_length=10, choices=Method.choices)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)
    withdrawn_on = models.DateField(_("withdrawn on"), null=True, blank=True)
    withdrawal_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("withdrawal recorded by"),
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
        Participant,
        on_delete=models.CASCADE,
        related_name="stage_changes",
        verbose_name=_("participant"),
    )
    from_stage = models.CharField(_("from"), max_length=20, choices=Stage.choices, blank=True)
    to_stage = models.CharField(_("to"), max_length=20, choices=Stage.choices)
    on = models.DateField(_("date"))
    note = models.TextField(_("note"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)

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
        Participant,
        on_delete=models.CASCADE,
        related_name="milestones",
        verbose_name=_("participant"),
    )
    category = models.CharField(_("kind of step"), max_length=30, choices=MilestoneCategory.choices)
    on = models.DateField(_("date"))
    note = models.TextField(_("note"), blank=True)
    shared_with_participant = models.BooleanField(
        _("show on the participant's own page"), default=True
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    objects = SharedQuerySet.as_manager()

    class Meta:
        verbose_name = _("small step")
        verbose_name_plural = _("small steps")
        ordering = ["on", "pk"]
        indexes = [models.Index(fields=["participant", "on"], name="milestone_participant_on")]
        constraints = [
            models.CheckConstraint(
                condition=Q(category__in=MilestoneCategory.values), name="milestone_category_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.participant}: {self.get_category_display()} ({self.on})"


class Goal(models.Model):
    """A goal of the individual support plan (個別支援計画の目標), chosen with the participant.
    It is reviewed (モニタリング) every `workshop.goal_review_months`; `next_review_on` is kept
    by participants/pathway.py so that the reviews due can be found with one indexed query."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("Working on it")
        ACHIEVED = "achieved", _("Reached")
        PAUSED = "paused", _("Resting for now")
        LET_GO = "let_go", _("Set aside")

    participant = models.ForeignKey(
        Participant, on_delete=models.CASCADE, related_name="goals", verbose_name=_("participant")
    )
    text = models.TextField(_("goal"))
    started_on = models.DateField(_("set on"))
    target_on = models.DateField(_("hoped-for date"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.ACTIVE
    )
    shared_with_participant = models.BooleanField(
        _("show on the participant's own page"), default=False
    )
    next_review_on = models.DateField(_("next review"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    objects = SharedQuerySet.as_manager()

    class Meta:
        verbose_name = _("goal")
        verbose_name_plural = _("goals")
        ordering = ["-started_on", "-pk"]
        indexes = [
            models.Index(fields=["participant", "started_on"], name="goal_participant_started"),
            models.Index(fields=["status", "next_review_on"], name="goal_status_next_review"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["active", "achieved", "paused", "let_go"]),
                name="goal_status_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.participant}: goal {self.pk} ({self.started_on})"


class GoalReview(models.Model):
    """A review of a goal (モニタリング): how it went, on which day, who was there."""

    goal = models.ForeignKey(
        Goal, on_delete=models.CASCADE, related_name="reviews", verbose_name=_("goal")
    )
    # Copied from the goal, so that scoping, the timeline and the purge need no join.
    participant = models.ForeignKey(
        Participant,
        on_delete=models.CASCADE,
        related_name="goal_reviews",
        verbose_name=_("participant"),
    )
    on = models.DateField(_("date"))
    note = models.TextField(_("how it went"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    objects = SensitiveQuerySet.as_manager()

    class Meta:
        verbose_name = _("goal review")
        verbose_name_plural = _("goal reviews")
        ordering = ["-on", "-pk"]
        indexes = [
            models.Index(fields=["participant", "on"], name="goal_review_participant_on"),
        ]

    def __str__(self) -> str:
        return f"{self.participant}: review of goal {self.goal_id} ({self.on})"


class NoteKind(models.TextChoices):
    INTERVIEW = "interview", _("Interview")  # 面談
    PHONE = "phone", _("Phone call")  # 電話
    VISIT = "visit", _("Home visit")  # 訪問
    ACCOMPANY = "accompany", _("Going along")  # 同行
    CASE_MEETING = "case_meeting", _("Case meeting")  # ケース会議
    OTHER = "other", pgettext_lazy("kind of support note", "Other")


class SupportNote(models.Model):
    """A support record (支援記録). Its text is never overwritten silently: a correction moves
    the earlier text into SupportNoteVersion, with who wrote it and who corrected it."""

    participant = models.ForeignKey(
        Participant,
        on_delete=models.CASCADE,
        related_name="support_notes",
        verbose_name=_("participant"),
    )
    on = models.DateField(_("date"))
    kind = models.CharField(_("kind"), max_length=20, choices=NoteKind.choices)
    text = models.TextField(_("what happened"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("author"),
    )
    written_at = models.DateTimeField(_("written at"), default=timezone.now)
    # Who last corrected it, and when; empty while it is as first written.
    corrected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("corrected by"),
    )
    corrected_at = models.DateTimeField(_("corrected at"), null=True, blank=True)

    objects = SensitiveQuerySet.as_manager()

    class Meta:
        verbose_name = _("support note")
        verbose_name_plural = _("support notes")
        ordering = ["-on", "-pk"]
        indexes = [models.Index(fields=["participant", "on"], name="note_participant_on")]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=NoteKind.values), name="support_note_kind_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.participant}: note {self.pk} ({self.on})"


class SupportNoteVersionQuerySet(SensitiveQuerySet):
    participant_path = "note__participant"


class SupportNoteVersion(models.Model):
    """An earlier text of a support note, kept when it was corrected."""

    note = models.ForeignKey(
        SupportNote,
        on_delete=models.CASCADE,
        related_name="versions",
        verbose_name=_("support note"),
    )
    on = models.DateField(_("date"))
    kind = models.CharField(_("kind"), max_length=20, choices=NoteKind.choices)
    text = models.TextField(_("earlier text"))
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("written by"),
    )
    written_at = models.DateTimeField(_("written at"))
    replaced_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("replaced by"),
    )
    replaced_at = models.DateTimeField(_("replaced at"), default=timezone.now)
    reason = models.CharField(_("reason for the correction"), max_length=200)

    objects = SupportNoteVersionQuerySet.as_manager()

    class Meta:
        verbose_name = _("earlier text of a support note")
        verbose_name_plural = _("earlier texts of support notes")
        ordering = ["-replaced_at", "-pk"]

    def __str__(self) -> str:
        return f"note {self.note_id}, replaced {self.replaced_at:%Y-%m-%d}"


from participants.attendance_models import Attendance  # noqa: E402,F401
from participants.homework_models import (  # noqa: E402,F401
    Contact,
    DailyMood,
    DailyReport,
    DailyReportNote,
    WeeklyEvaluation,
)
from participants.reminder_models import PushSubscription, ReminderSettings  # noqa: E402,F401
from participants.unsent_models import UnsentRecord  # noqa: E402,F401
from participants.wage_models import (  # noqa: E402,F401
    BankAccount,
    WageDeduction,
    WageRun,
    WageStatement,
    WageStatementLine,
)
