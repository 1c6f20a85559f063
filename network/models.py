"""The network: workshops of one area that work together around the social welfare council,
the coordinators who see the network's anonymous picture, and the companies that buy as the
public sector (for the yearly priority-procurement report)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from jobs.models import DeliveryMethod, OrderKind
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


# --- the joint order desk (共同受注窓口) --------------------------------------------------------


class JointOrderQuerySet(models.QuerySet):
    def visible_to(self, user) -> "JointOrderQuerySet":
        """The company's members, and the coordinators of the network it was sent to. A
        workshop's staff never read the joint order itself, only their own share of it."""
        if not user.is_authenticated:
            return self.none()
        from companies.models import CompanyMembership

        return self.filter(
            models.Q(company__in=CompanyMembership.objects.filter(user=user).values("company"))
            | models.Q(network__in=Network.objects.coordinated_by(user))
        )


class JointOrder(models.Model):
    """An order a company sends to a network's joint order desk instead of one workshop. The
    coordinator routes it to one workshop or splits it into shares; each accepted share is a
    normal jobs.Order of its workshop (docs/network.md "The joint order desk")."""

    class Status(models.TextChoices):
        AT_DESK = "at_desk", _("At the desk")
        ROUTED = "routed", _("Waiting for the workshops")
        TAKEN_ON = "taken_on", _("Taken on")

    network = models.ForeignKey(
        Network, on_delete=models.PROTECT, related_name="joint_orders", verbose_name=_("network")
    )
    company = models.ForeignKey(
        "companies.Company",
        on_delete=models.PROTECT,
        related_name="joint_orders",
        verbose_name=_("company"),
    )
    # The terms, with the same names as jobs.orders.TERM_FIELDS.
    title = models.CharField(_("title"), max_length=120)
    kind = models.CharField(_("kind"), max_length=10, choices=OrderKind.choices)
    description = models.TextField(_("what the work is"), blank=True)
    instructions = models.TextField(_("instructions"), blank=True)
    quantity = models.PositiveIntegerField(_("quantity"))
    unit_label = models.CharField(_("counted in"), max_length=10, default="個")
    unit_price_yen = models.PositiveIntegerField(_("unit price (yen)"), null=True, blank=True)
    total_price_yen = models.PositiveIntegerField(_("total price (yen)"))
    desired_delivery_date = models.DateField(_("desired delivery date"))
    payment_date = models.DateField(_("payment date"))
    delivery_method = models.CharField(
        _("delivery method"),
        max_length=10,
        choices=DeliveryMethod.choices,
        default=DeliveryMethod.PICKUP,
    )
    notes = models.TextField(_("notes"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.AT_DESK
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("sent to the desk by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = JointOrderQuerySet.as_manager()

    class Meta:
        verbose_name = _("joint order")
        verbose_name_plural = _("joint orders")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(quantity__gte=1), name="joint_order_quantity_at_least_one"
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=["at_desk", "routed", "taken_on"]),
                name="joint_order_status_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def number(self) -> str:
        return f"J{self.pk:06d}" if self.pk else ""


class ShareQuerySet(models.QuerySet):
    def visible_to(self, user) -> "ShareQuerySet":
        """A share is read by the staff of its workshop (the coordinator and the company read
        it through the joint order)."""
        if not user.is_authenticated:
            return self.none()
        from workshop.models import Workshop

        return self.filter(workshop__in=Workshop.objects.staffed_by(user))

    def live(self) -> "ShareQuerySet":
        """Shares that still hold their quantity: sent or accepted (a declined one gave it back)."""
        return self.exclude(status=Share.Status.DECLINED)


class Share(models.Model):
    """The part of a joint order routed to one workshop. Accepting it makes a normal order of
    that workshop (`order`); declining gives its quantity and money back to the desk."""

    class Status(models.TextChoices):
        SENT = "sent", _("Waiting for the workshop")
        ACCEPTED = "accepted", pgettext_lazy("share", "Accepted")
        DECLINED = "declined", pgettext_lazy("share", "Declined")

    joint_order = models.ForeignKey(
        JointOrder, on_delete=models.CASCADE, related_name="shares", verbose_name=_("joint order")
    )
    workshop = models.ForeignKey(
        "workshop.Workshop",
        on_delete=models.PROTECT,
        related_name="network_shares",
        verbose_name=_("workshop"),
    )
    quantity = models.PositiveIntegerField(_("quantity"))
    price_yen = models.PositiveIntegerField(_("price (yen)"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.SENT
    )
    routed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("routed by"),
    )
    routed_at = models.DateTimeField(_("routed at"), auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    reason = models.CharField(_("reason"), max_length=REASON_LENGTH, blank=True)
    order = models.OneToOneField(
        "jobs.Order",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="network_share",
        verbose_name=_("order"),
    )

    objects = ShareQuerySet.as_manager()

    class Meta:
        verbose_name = _("share of a joint order")
        verbose_name_plural = _("shares of joint orders")
        ordering = ["joint_order", "pk"]
        indexes = [models.Index(fields=["workshop", "status"], name="share_workshop_status")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(quantity__gte=1), name="share_quantity_at_least_one"
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=["sent", "accepted", "declined"]),
                name="share_status_valid",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="accepted") | models.Q(order__isnull=False),
                name="share_accepted_has_order",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.joint_order} → {self.workshop}"


class JointOrderEventQuerySet(models.QuerySet):
    def visible_to(self, user) -> "JointOrderEventQuerySet":
        """Read by whoever may read the joint order."""
        return self.filter(joint_order__in=JointOrder.objects.visible_to(user).values("pk"))


class JointOrderEvent(models.Model):
    """One row per thing that happens to a joint order (sent, routed, a share accepted or
    declined): who, when, which share, a note. The company and the coordinator read them."""

    class What(models.TextChoices):
        SENT = "sent", _("Sent to the desk")
        ROUTED = "routed", _("Routed to a workshop")
        ACCEPTED = "accepted", _("Share accepted")
        DECLINED = "declined", _("Share declined")

    joint_order = models.ForeignKey(
        JointOrder, on_delete=models.CASCADE, related_name="events", verbose_name=_("joint order")
    )
    share = models.ForeignKey(
        Share,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="events",
        verbose_name=_("share"),
    )
    what = models.CharField(_("what"), max_length=10, choices=What.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("actor"),
    )
    at = models.DateTimeField(_("at"), auto_now_add=True)
    note = models.CharField(_("note"), max_length=REASON_LENGTH, blank=True)

    objects = JointOrderEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("joint order event")
        verbose_name_plural = _("joint order events")
        ordering = ["at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(what__in=["sent", "routed", "accepted", "declined"]),
                name="joint_order_event_what_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.joint_order}: {self.what}"
