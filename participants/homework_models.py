"""The home-work day (docs/homework.md): the daily report (日報) built from what was recorded,
the participant's own line and mood for the day, contacts staff made outside Engawa, and the
weekly evaluation (週のふりかえり). The rules live in participants/homework.py."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from participants.models import SensitiveQuerySet, SharedQuerySet, _staff_workshops


class DailyReportQuerySet(models.QuerySet):
    def visible_to(self, user) -> "DailyReportQuerySet":
        """Staff of the participant's workshop, and the participant themself. Companies and
        coordinators never see reports."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(
            Q(participant__workshop__in=_staff_workshops(user)) | Q(participant__user=user)
        )


class DailyReport(models.Model):
    """One participant's day. What was done is built from check-ins and progress logs when the
    report is read; on confirmation it is frozen into `snapshot`, and a confirmed report never
    changes again (later words are DailyReportNote rows)."""

    participant = models.ForeignKey(
        "participants.Participant",
        on_delete=models.CASCADE,
        related_name="daily_reports",
        verbose_name=_("participant"),
    )
    day = models.DateField(_("day"))
    # The participant's own "how the day went", never required.
    line = models.CharField(_("how the day went"), max_length=300, blank=True)
    line_at = models.DateTimeField(_("written at"), null=True, blank=True)
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("confirmed by"),
    )
    staff_note = models.CharField(_("staff's note"), max_length=500, blank=True)
    # The day as it was confirmed: check-ins, replies, work, minutes, contacts.
    snapshot = models.JSONField(_("the day as confirmed"), default=dict, blank=True)

    objects = DailyReportQuerySet.as_manager()

    class Meta:
        verbose_name = _("daily report")
        verbose_name_plural = _("daily reports")
        ordering = ["-day", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["participant", "day"], name="daily_report_once_a_day"),
            models.CheckConstraint(
                condition=Q(confirmed_at__isnull=True) | ~Q(snapshot={}),
                name="daily_report_confirmed_has_snapshot",
            ),
        ]
        indexes = [models.Index(fields=["day"], name="daily_report_day")]

    def __str__(self) -> str:
        return f"{self.participant}: {self.day}"

    @property
    def is_confirmed(self) -> bool:
        return self.confirmed_at is not None


class DailyReportNote(models.Model):
    """A note added to a confirmed report: the way a report is corrected without changing it."""

    report = models.ForeignKey(
        DailyReport, on_delete=models.CASCADE, related_name="notes", verbose_name=_("daily report")
    )
    text = models.CharField(_("note"), max_length=500)
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("written by"),
    )
    written_at = models.DateTimeField(_("written at"), default=timezone.now)

    class Meta:
        verbose_name = _("note added to a daily report")
        verbose_name_plural = _("notes added to daily reports")
        ordering = ["written_at", "pk"]

    def __str__(self) -> str:
        return f"report {self.report_id}: note {self.pk}"


class Mood(models.TextChoices):
    """How the participant felt, if they wish to tap one. Words, not scores."""

    GOOD = "good", _("Feeling good")
    CALM = "calm", _("Calm")
    TIRED = "tired", _("A bit tired")
    HEAVY = "heavy", _("A heavy day")


class DailyMood(models.Model):
    """The mood a participant tapped for a day: 要配慮個人情報, kept only with consent, read
    and written through participants/homework.py with the audit log, purged with support notes."""

    participant = models.ForeignKey(
        "participants.Participant",
        on_delete=models.CASCADE,
        related_name="moods",
        verbose_name=_("participant"),
    )
    day = models.DateField(_("day"))
    mood = models.CharField(_("mood"), max_length=10, choices=Mood.choices)
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    objects = SensitiveQuerySet.as_manager()

    class Meta:
        verbose_name = _("mood of the day")
        verbose_name_plural = _("moods of the day")
        constraints = [
            models.UniqueConstraint(fields=["participant", "day"], name="daily_mood_once_a_day"),
            models.CheckConstraint(condition=Q(mood__in=Mood.values), name="daily_mood_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.participant}: mood {self.day}"


class ContactQuerySet(models.QuerySet):
    def visible_to(self, user) -> "ContactQuerySet":
        if not user.is_authenticated:
            return self.none()
        return self.filter(participant__workshop__in=_staff_workshops(user))


class Contact(models.Model):
    """Contact staff made outside Engawa (a phone call, a visit), recorded in two taps."""

    class Method(models.TextChoices):
        PHONE = "phone", _("Phone call")
        VISIT = "visit", _("Visit")
        OTHER = "other", _("Other contact")

    participant = models.ForeignKey(
        "participants.Participant",
        on_delete=models.CASCADE,
        related_name="contacts",
        verbose_name=_("participant"),
    )
    method = models.CharField(_("how"), max_length=10, choices=Method.choices, default="phone")
    at = models.DateTimeField(_("at"), default=timezone.now)
    day = models.DateField(_("day"))
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("by"),
    )
    line = models.CharField(_("a line about it"), max_length=300, blank=True)

    objects = ContactQuerySet.as_manager()

    class Meta:
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["participant", "day"], name="contact_participant_day")]
        constraints = [
            models.CheckConstraint(
                condition=Q(method__in=["phone", "visit", "other"]), name="contact_method_valid"
            )
        ]

    def __str__(self) -> str:
        return f"{self.participant}: {self.method} {self.at:%Y-%m-%d %H:%M}"


class Pace(models.TextChoices):
    LIGHT = "light", _("Light, room for more")
    ABOUT_RIGHT = "about_right", _("About right")
    HEAVY = "heavy", _("A lot; ease off")


class WeeklyEvaluation(models.Model):
    """The weekly evaluation (週のふりかえり) of a home worker, for the week starting on Monday
    `week_start`, with that week's numbers kept as they were when it was written."""

    participant = models.ForeignKey(
        "participants.Participant",
        on_delete=models.CASCADE,
        related_name="weekly_evaluations",
        verbose_name=_("participant"),
    )
    week_start = models.DateField(_("week starting"))
    went_well = models.TextField(_("what went well"), blank=True)
    try_next = models.TextField(_("what to try next week"), blank=True)
    pace = models.CharField(_("how the pace felt"), max_length=15, choices=Pace.choices)
    numbers = models.JSONField(_("the week's numbers"), default=dict, blank=True)
    shared_with_participant = models.BooleanField(_("shared with the participant"), default=False)
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("written by"),
    )
    written_at = models.DateTimeField(_("written at"), default=timezone.now)

    objects = SharedQuerySet.as_manager()

    class Meta:
        verbose_name = _("weekly evaluation")
        verbose_name_plural = _("weekly evaluations")
        ordering = ["-week_start", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["participant", "week_start"], name="weekly_evaluation_once_a_week"
            ),
            models.CheckConstraint(
                condition=Q(pace__in=Pace.values), name="weekly_evaluation_pace_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.participant}: week of {self.week_start}"
