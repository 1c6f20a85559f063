"""What a participant chose about reminders (which ones, quiet hours, e-mail as a fallback) and
the devices their installed app subscribed for Web Push. Sending is participants/reminders.py."""

import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class PushSubscriptionQuerySet(models.QuerySet):
    def visible_to(self, user) -> "PushSubscriptionQuerySet":
        """A person's own devices only; staff never see them."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(user=user)


class PushSubscription(models.Model):
    """One device's Web Push subscription. Removed when the push service says it is gone."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="push_subscriptions",
        verbose_name=_("user"),
    )
    endpoint = models.URLField(_("push service address"), max_length=1000, unique=True)
    p256dh = models.CharField(_("device public key"), max_length=200)
    auth = models.CharField(_("device secret"), max_length=100)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    last_sent_at = models.DateTimeField(_("last sent at"), null=True, blank=True)

    objects = PushSubscriptionQuerySet.as_manager()

    class Meta:
        verbose_name = _("push subscription")
        verbose_name_plural = _("push subscriptions")

    def __str__(self) -> str:
        return f"{self.user_id}: device {self.pk}"


class ReminderSettings(models.Model):
    """Which reminders reach the participant's phone, and when not. Without a row, the defaults
    below hold: every kind on, quiet from 21:00 to 8:00, no e-mail. Equal times mean no quiet
    hours."""

    participant = models.OneToOneField(
        "participants.Participant",
        on_delete=models.CASCADE,
        related_name="reminder_settings",
        verbose_name=_("participant"),
    )
    on_reply = models.BooleanField(_("a staff reply to my check-in"), default=True)
    on_redo = models.BooleanField(_("a note asking to look at work again"), default=True)
    on_suggestion = models.BooleanField(_("a unit staff suggest to me"), default=True)
    on_statement = models.BooleanField(_("my pay statement is ready"), default=True)
    quiet_from = models.TimeField(_("quiet from"), default=datetime.time(21, 0))
    quiet_until = models.TimeField(_("quiet until"), default=datetime.time(8, 0))
    email_fallback = models.BooleanField(_("by e-mail when no phone can be reached"), default=False)

    class Meta:
        verbose_name = _("reminder settings")
        verbose_name_plural = _("reminder settings")

    def __str__(self) -> str:
        return f"{self.participant}: reminders"
