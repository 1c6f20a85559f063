"""The network: workshops of one area that work together around the social welfare council,
the coordinators who see the network's anonymous picture, and the companies that buy as the
public sector (for the yearly priority-procurement report)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from workshop.limits import REASON_LENGTH, TITLE_LENGTH


class NetworkQuerySet(models.QuerySet):
    def coordinated_by(self, user) -> "NetworkQuerySet":
        if not user.is_authenticated:
            return self.none()
        return self.filter(coordinators__user=user)


class Network(models.Model):
    """Workshops of one area, with the people who coordinate them (社協 and its outreach)."""

    name = models.CharField(_("network name"), max_length=120)
    slug = models.SlugField(_("short name for addresses"), max_length=50, unique=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = NetworkQuerySet.as_manager()

    class Meta:
        verbose_name = _("network")
        verbose_name_plural = _("networks")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class NetworkMembership(models.Model):
    """A workshop belongs to at most one network: one row per workshop."""

    network = models.ForeignKey(
        Network, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("network")
    )
    workshop = models.OneToOneField(
        "workshop.Workshop",
        on_delete=models.CASCADE,
        related_name="network_membership",
        verbose_name=_("workshop"),
    )
    joined_on = models.DateField(_("joined on"), auto_now_add=True)

    class Meta:
        verbose_name = _("workshop in a network")
        verbose_name_plural = _("workshops in networks")

    def __str__(self) -> str:
        return f"{self.workshop} ∈ {self.network}"


class Coordinator(models.Model):
    """ネットワーカー: sees the network's aggregates, never a participant."""

    network = models.ForeignKey(
        Network, on_delete=models.CASCADE, related_name="coordinators", verbose_name=_("network")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="coordinations",
        verbose_name=_("user"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("coordinator")
        verbose_name_plural = _("coordinators")
        constraints = [
            models.UniqueConstraint(fields=["network", "user"], name="one_coordinator_row"),
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.network})"


class PublicBuyer(models.Model):
    """A company that buys as the public sector (国・自治体・独法 …): its orders count for the
    yearly report under the act on priority procurement from welfare workshops."""

    company = models.OneToOneField(
        "companies.Company",
        on_delete=models.CASCADE,
        related_name="public_buyer",
        verbose_name=_("company"),
    )
    note = models.CharField(_("note"), max_length=120, blank=True)

    class Meta:
        verbose_name = _("public-sector buyer")
        verbose_name_plural = _("public-sector buyers")

    def __str__(self) -> str:
        return str(self.company)


class IntroductionQuerySet(models.QuerySet):
    def visible_to(self, user) -> "IntroductionQuerySet":
        """The introductions to a workshop the user is staff of, and those of a network they
        coordinate (whose pages still show the coordinator only the state)."""
        if not user.is_authenticated:
            return self.none()
        from workshop.models import Workshop

        return self.filter(
            models.Q(workshop__in=Workshop.objects.staffed_by(user))
            | models.Q(network__in=Network.objects.coordinated_by(user))
        )

    def for_coordinator(self, user, network: Network) -> "IntroductionQuerySet":
        """A network's introductions, for one of its coordinators (nobody else gets any)."""
        if not network.coordinators.filter(user=user).exists():
            return self.none()
        return self.filter(network=network)

    def for_workshop(self, workshop) -> "IntroductionQuerySet":
        return self.filter(workshop=workshop)


class Introduction(models.Model):
    """つなぐ: a coordinator introduces a person they met through the council's outreach to a
    workshop of the network. The coordinator sees only the state; the participant that may
    follow is linked on the workshop's side only (docs/network.md "Introductions"). A person
    who withdraws is deleted, row and all."""

    class State(models.TextChoices):
        SENT = "sent", _("Sent")
        MET = "met", _("Met")
        STARTED = "started", _("Started")
        CANNOT_NOW = "cannot_now", _("Cannot now")

    network = models.ForeignKey(
        Network, on_delete=models.CASCADE, related_name="introductions", verbose_name=_("network")
    )
    workshop = models.ForeignKey(
        "workshop.Workshop",
        on_delete=models.CASCADE,
        related_name="introductions",
        verbose_name=_("workshop"),
    )
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("introduced by"),
    )
    # As long as a participant's nickname, so that accepting can use it as it is.
    nickname = models.CharField(_("nickname"), max_length=30)
    contact_by = models.CharField(_("how they would like to be contacted"), max_length=TITLE_LENGTH)
    hopes = models.TextField(_("what they hope for"), max_length=REASON_LENGTH)
    agreed_on = models.DateField(_("agreed to be introduced on"))
    state = models.CharField(_("state"), max_length=12, choices=State.choices, default=State.SENT)
    reason = models.CharField(
        _("reason (for the coordinator)"), max_length=REASON_LENGTH, blank=True
    )
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    # The workshop's side only: no coordinator page or query ever reads it.
    participant = models.OneToOneField(
        "participants.Participant",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="introduction",
        verbose_name=_("participant"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = IntroductionQuerySet.as_manager()

    class Meta:
        verbose_name = _("introduction")
        verbose_name_plural = _("introductions")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.workshop} ← {self.network} #{self.pk}"
