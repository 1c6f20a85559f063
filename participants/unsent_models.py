"""Records a phone kept because the server refused them (UnsentRecord): a progress log or a
check-in made offline that could not be stored when the connection returned (the unit went
back, a note too long, a photo too large). The phone keeps the record itself; this row is what
staff see of it, so that work done offline is never silently lost. See participants/unsent.py."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from workshop.models import StaffMembership


class UnsentRecordQuerySet(models.QuerySet):
    def visible_to(self, user) -> "UnsentRecordQuerySet":
        """Staff of the participant's workshop, and the participant themself."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(
            Q(workshop__in=StaffMembership.objects.filter(user=user).values("workshop"))
            | Q(participant__user=user)
        )

    def for_staff(self) -> "UnsentRecordQuerySet":
        """What staff still have to look at: kept on a phone, or sent to them as a note."""
        return self.filter(state__in=[UnsentRecord.State.KEPT, UnsentRecord.State.NOTE])


class UnsentRecord(models.Model):
    class Kind(models.TextChoices):
        LOG = "log", _("Progress log")
        CHECK_IN = "check_in", pgettext_lazy("check-in", "Check-in")
        # An answer to an item of digital work (static/js/answers.js): staff read what was
        # typed in the note and talk with the person; there is no count to record by hand.
        ANSWER = "answer", _("Answer to an item")

    class State(models.TextChoices):
        # On the phone, waiting for the person to decide.
        KEPT = "kept", _("Kept on the phone")
        # The person sent it to staff as a note; it is no longer on the phone.
        NOTE = "note", _("Sent to staff as a note")
        LET_GO = "let_go", _("Let go by the participant")
        # Stored after all (sent again), or settled by staff.
        RESOLVED = "resolved", _("Resolved")

    workshop = models.ForeignKey(
        "workshop.Workshop",
        on_delete=models.CASCADE,
        related_name="unsent_records",
        verbose_name=_("workshop"),
    )
    participant = models.ForeignKey(
        "participants.Participant",
        on_delete=models.CASCADE,
        related_name="unsent_records",
        verbose_name=_("participant"),
    )
    # The UUID the phone gave the record: the same one the log or check-in would have had.
    client_uuid = models.UUIDField(_("record UUID on the phone"))
    kind = models.CharField(_("kind of record"), max_length=10, choices=Kind.choices)
    unit = models.ForeignKey(
        "jobs.WorkUnit",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("unit"),
    )
    quantity = models.PositiveIntegerField(_("quantity"), default=0)
    minutes = models.PositiveIntegerField(_("minutes"), default=0)
    note = models.TextField(_("note"), blank=True)
    place = models.CharField(_("where"), max_length=10, blank=True)
    check_in_kind = models.CharField(_("check-in"), max_length=5, blank=True)
    had_photo = models.BooleanField(_("had a photo"), default=False)
    made_at = models.DateTimeField(_("made on the phone at"))
    refusal_code = models.CharField(_("refusal code"), max_length=40)
    refusal_status = models.PositiveSmallIntegerField(_("HTTP status of the refusal"))
    refusal_reason = models.CharField(_("reason given"), max_length=300)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.KEPT)
    reported_at = models.DateTimeField(_("reported at"), default=timezone.now)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("resolved by"),
    )
    credited_log = models.ForeignKey(
        "jobs.ProgressLog",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("progress log recorded by staff"),
    )

    objects = UnsentRecordQuerySet.as_manager()

    class Meta:
        verbose_name = _("record kept on a phone")
        verbose_name_plural = _("records kept on phones")
        ordering = ["made_at", "pk"]
        indexes = [
            models.Index(fields=["workshop", "state"], name="unsent_workshop_state"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["participant", "client_uuid"], name="unsent_once_per_record"
            ),
            models.CheckConstraint(
                condition=Q(state__in=["kept", "note", "let_go", "resolved"]),
                name="unsent_state_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.participant}: {self.kind} {self.refusal_code}"
