"""Attendance (出席): the participant's one-tap check-ins, "始めます" and "おわります", at home or
on site, each answered by staff with a short reply. Home work rules ask for contact twice a
day; these rows are that contact, and the daily report is built from them."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from workshop.models import StaffMembership


class AttendanceQuerySet(models.QuerySet):
    def visible_to(self, user) -> "AttendanceQuerySet":
        """Staff see the check-ins of their workshops' participants; a participant sees only
        their own. Companies never see them."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(
            Q(
                participant__workshop__in=StaffMembership.objects.filter(user=user).values(
                    "workshop"
                )
            )
            | Q(participant__user=user)
        )

    def on_day(self, day) -> "AttendanceQuerySet":
        return self.filter(day=day)


class Attendance(models.Model):
    class Kind(models.TextChoices):
        START = "start", pgettext_lazy("check-in", "Starting")
        END = "end", pgettext_lazy("check-in", "Finishing")

    class Place(models.TextChoices):
        HOME = "home", _("At home")
        ON_SITE = "on_site", _("At the workshop")

    participant = models.ForeignKey(
        "participants.Participant",
        on_delete=models.CASCADE,
        related_name="attendances",
        verbose_name=_("participant"),
    )
    kind = models.CharField(_("check-in"), max_length=5, choices=Kind.choices)
    place = models.CharField(_("where"), max_length=10, choices=Place.choices)
    at = models.DateTimeField(_("at"), default=timezone.now)
    # The local date of `at`, kept so that "today's check-ins" is one indexed query.
    day = models.DateField(_("day"))
    staff_reply = models.CharField(_("reply"), max_length=300, blank=True)
    replied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("replied by"),
    )
    replied_at = models.DateTimeField(_("replied at"), null=True, blank=True)
    # The phone's UUID for the check-in: sent again from the offline queue, it is stored once.
    client_uuid = models.UUIDField(_("check-in UUID on the phone"), null=True, blank=True)
    # When the server stored it; `at` is when the person tapped, which is earlier when the
    # check-in waited on the phone for a connection.
    received_at = models.DateTimeField(_("received at"), null=True, blank=True)

    objects = AttendanceQuerySet.as_manager()

    class Meta:
        verbose_name = _("check-in")
        verbose_name_plural = _("check-ins")
        ordering = ["at", "pk"]
        indexes = [
            models.Index(fields=["participant", "day"], name="attendance_participant_day"),
            models.Index(fields=["day"], name="attendance_day"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["client_uuid"],
                condition=Q(client_uuid__isnull=False),
                name="attendance_client_uuid_once",
            ),
            models.CheckConstraint(
                condition=Q(kind__in=["start", "end"]), name="attendance_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(place__in=["home", "on_site"]), name="attendance_place_valid"
            ),
            models.CheckConstraint(
                condition=Q(staff_reply="") | Q(replied_at__isnull=False),
                name="attendance_reply_has_time",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.participant}: {self.kind} {self.at:%Y-%m-%d %H:%M}"
