"""The network: workshops of one area that work together around the social welfare council,
the coordinators who see the network's anonymous picture, and the companies that buy as the
public sector (for the yearly priority-procurement report)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


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
