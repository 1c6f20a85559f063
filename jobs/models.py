"""The work pipeline's data: orders from companies, the units they are split into, and the
progress participants log on them. The rules that move them live in jobs/work.py."""

import datetime
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from companies.models import CompanyMembership
from participants.models import Participant
from workshop.models import StaffMembership


def _staff_workshops(user):
    return StaffMembership.objects.filter(user=user).values("workshop")


class OrderQuerySet(models.QuerySet):
    def visible_to(self, user) -> "OrderQuerySet":
        """A company's members see all its orders; a workshop's staff see the orders sent to
        it, except drafts, which are still the company's own."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(
            Q(company__in=CompanyMembership.objects.filter(user=user).values("company"))
            | (Q(workshop__in=_staff_workshops(user)) & ~Q(status=Order.Status.DRAFT))
        )

    def open(self) -> "OrderQuerySet":
        return self.filter(status__in=[Order.Status.ACCEPTED, Order.Status.IN_PROGRESS])


class OrderStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    ACCEPTED = "accepted", _("Accepted")
    IN_PROGRESS = "in_progress", _("In progress")
    DELIVERED = "delivered", _("Delivered")
    ACCEPTED_BY_COMPANY = "accepted_by_company", _("Accepted by the company")
    INVOICED = "invoiced", _("Invoiced")
    DECLINED = "declined", _("Declined")
    CANCELLED = "cancelled", _("Cancelled")


class OrderKind(models.TextChoices):
    HANDS_ON = "hands_on", _("Hands-on work")
    DIGITAL = "digital", _("Digital work")


class DeliveryMethod(models.TextChoices):
    PICKUP = "pickup", _("The company picks it up")
    DROPOFF = "dropoff", _("The workshop drops it off")
    SHIPPING = "shipping", _("Shipping")
    DIGITAL = "digital", _("Digital delivery")


class Order(models.Model):
    """An order (発注) from a company to a workshop. It records what the law asks of it:
    deliverables, price, delivery date and payment date."""

    Status = OrderStatus
    Kind = OrderKind
    DeliveryMethod = DeliveryMethod

    workshop = models.ForeignKey(
        "workshop.Workshop",
        on_delete=models.PROTECT,
        related_name="orders",
        verbose_name=_("workshop"),
    )
    company = models.ForeignKey(
        "companies.Company",
        on_delete=models.PROTECT,
        related_name="orders",
        verbose_name=_("company"),
    )
    title = models.CharField(_("title"), max_length=120)
    kind = models.CharField(
        _("kind"), max_length=10, choices=OrderKind.choices, default=OrderKind.HANDS_ON
    )
    description = models.TextField(_("what the work is"), blank=True)
    instructions = models.TextField(_("instructions"), blank=True)
    quantity = models.PositiveIntegerField(_("quantity"))
    unit_label = models.CharField(_("counted in"), max_length=10, default="個")
    unit_price_yen = models.PositiveIntegerField(_("unit price (yen)"), null=True, blank=True)
    total_price_yen = models.PositiveIntegerField(_("total price (yen)"))
    desired_delivery_date = models.DateField(_("desired delivery date"))
    payment_date = models.DateField(_("payment date"), null=True, blank=True)
    delivery_method = models.CharField(
        _("delivery method"),
        max_length=10,
        choices=DeliveryMethod.choices,
        default=DeliveryMethod.PICKUP,
    )
    notes = models.TextField(_("notes"), blank=True)
    minutes_per_item = models.PositiveSmallIntegerField(
        _("estimated minutes per item"),
        null=True,
        blank=True,
        help_text=_("Entered by staff before accepting."),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=OrderStatus.choices, default=OrderStatus.DRAFT
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    # Counters of the order's units, kept by the rules that change a unit (jobs/counters.py),
    # so that pages show them without counting a million units. Units neither taken, handed
    # in, sent back nor approved are open. An expired claim still counts as taken here (expiry
    # is computed when read); the board corrects for it from the few units taken.
    units_total = models.PositiveIntegerField(_("units"), default=0, editable=False)
    units_claimed = models.PositiveIntegerField(_("units taken"), default=0, editable=False)
    units_submitted = models.PositiveIntegerField(_("units handed in"), default=0, editable=False)
    units_redo = models.PositiveIntegerField(_("units asked to redo"), default=0, editable=False)
    units_approved = models.PositiveIntegerField(_("units approved"), default=0, editable=False)
    items_in_units = models.PositiveIntegerField(_("items in units"), default=0, editable=False)
    items_approved = models.PositiveIntegerField(_("items approved"), default=0, editable=False)

    objects = OrderQuerySet.as_manager()

    class Meta:
        verbose_name = _("order")
        verbose_name_plural = _("orders")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["workshop", "status"], name="order_workshop_status"),
            models.Index(fields=["company", "status"], name="order_company_status"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(quantity__gte=1), name="order_quantity_at_least_one"
            ),
            models.CheckConstraint(
                condition=Q(status__in=OrderStatus.values), name="order_status_valid"
            ),
            models.CheckConstraint(condition=Q(kind__in=OrderKind.values), name="order_kind_valid"),
            models.CheckConstraint(
                condition=Q(delivery_method__in=DeliveryMethod.values),
                name="order_delivery_method_valid",
            ),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(payment_date__isnull=False),
                name="order_submitted_has_payment_date",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def number(self) -> str:
        return f"{self.pk:06d}" if self.pk else ""


class OrderEventQuerySet(models.QuerySet):
    def visible_to(self, user) -> "OrderEventQuerySet":
        """The events of an order are read by whoever may read the order."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(order__in=Order.objects.visible_to(user).values("pk"))


class OrderEvent(models.Model):
    """One row per transition of an order: who, when, from, to, note. Both sides read them."""

    order = models.ForeignKey(
        Order, on_delete=models.CASCADE, related_name="events", verbose_name=_("order")
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("actor"),
    )
    at = models.DateTimeField(_("at"), default=timezone.now)
    from_status = models.CharField(
        _("from status"), max_length=20, choices=OrderStatus.choices, blank=True
    )
    to_status = models.CharField(_("to status"), max_length=20, choices=OrderStatus.choices)
    note = models.TextField(_("note"), blank=True)

    objects = OrderEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("order event")
        verbose_name_plural = _("order events")
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["order", "at"], name="order_event_order_at")]

    def __str__(self) -> str:
        return f"{self.order}: {self.from_status or '—'} → {self.to_status}"


# A unit held (or being redone) with no activity for this long is "quiet": staff may reach out.
QUIET_AFTER = datetime.timedelta(days=2)


def board_states(now: datetime.datetime) -> dict[str, Q]:
    """The order board's states as filters, so that the board, the staff home and the staff API
    sort units alike. An expired claim counts as open, as DESIGN.md's expiry rule says."""
    taken = Q(status=UnitStatus.CLAIMED, expires_at__gte=now)
    return {
        "all": Q(),
        "open": Q(status=UnitStatus.OPEN) | Q(status=UnitStatus.CLAIMED, expires_at__lt=now),
        "taken": taken,
        "quiet": (taken | Q(status=UnitStatus.REDO)) & Q(last_activity_at__lt=now - QUIET_AFTER),
        "submitted": Q(status=UnitStatus.SUBMITTED),
        "redo": Q(status=UnitStatus.REDO),
        "approved": Q(status=UnitStatus.APPROVED),
    }


class WorkUnitQuerySet(models.QuerySet):
    def visible_to(self, user) -> "WorkUnitQuerySet":
        """Staff see every unit of their workshops. A participant sees the units free to take in
        their workshop (open, or claimed by someone whose claim has expired: expiry is computed
        as it is read) and the ones they hold. Companies see orders, never units."""
        if not user.is_authenticated:
            return self.none()
        own = Participant.objects.filter(user=user)
        own_workshops = own.values("workshop")
        return self.filter(
            Q(workshop__in=_staff_workshops(user))
            | Q(workshop__in=own_workshops, status=WorkUnit.Status.OPEN)
            | Q(
                workshop__in=own_workshops,
                status=WorkUnit.Status.CLAIMED,
                expires_at__lt=timezone.now(),
            )
            | Q(holder__in=own)
        )

    def claimable(self, now=None) -> "WorkUnitQuerySet":
        """Open units, and claimed ones whose claim has expired (computed here, as it is read)."""
        now = now or timezone.now()
        return self.filter(
            Q(status=WorkUnit.Status.OPEN) | Q(status=WorkUnit.Status.CLAIMED, expires_at__lt=now)
        )

    def available_to(self, participant: Participant) -> "WorkUnitQuerySet":
        """Units this participant could take up now, by where they said they like to work.
        Someone who comes on site can do any unit; everyone else sees only units that can be
        done at home. A unit tagged with a skill (say "sealing") is offered only to people whom
        staff have marked as trained for it (SkillTraining).
        Combine with `claimable()`: this says whose the unit could be, not whether it is free."""
        return self.suited_to(participant).filter(
            order__status__in=[Order.Status.ACCEPTED, Order.Status.IN_PROGRESS]
        )

    def suited_to(self, participant: Participant) -> "WorkUnitQuerySet":
        """Units of the participant's workshop whose kind they may do: the skill (if any) is
        one they are trained for, and the place is home unless they come on site. Reading a
        unit follows the same rule as offering it (participants/phone_views.get_unit_for).
        Without the order's status, so that queries starting from open orders (jobs/offers.py)
        need no join back to the order."""
        trained = SkillTraining.objects.filter(participant=participant).values("skill_tag")
        units = self.filter(
            Q(skill_tag="") | Q(skill_tag__in=trained), workshop=participant.workshop_id
        )
        if not participant.works_on_site:
            units = units.filter(home_ok=True)
        return units

    def suggested_to(self, participant: Participant, now=None) -> "WorkUnitQuerySet":
        """Units staff suggested to this participant that they could still take now: a
        suggestion is an offer to take or leave (decline it with `jobs.work.decline_suggestion`),
        never an assignment, so the unit stays open for everyone until someone takes it."""
        offered = Suggestion.objects.filter(
            participant=participant, status=Suggestion.Status.OPEN
        ).values("unit")
        return self.filter(pk__in=offered).claimable(now).available_to(participant)

    def held_by(self, participant: Participant, now=None) -> "WorkUnitQuerySet":
        now = now or timezone.now()
        # Named as the statuses of `unit_held_by_holder`'s condition (an open unit has no
        # holder), so that the plan reads that small index whatever the statistics say: as
        # "not approved" PostgreSQL once merged all the units by order to find a person's few.
        return self.filter(holder=participant, status__in=IN_HAND).exclude(
            status=WorkUnit.Status.CLAIMED, expires_at__lt=now
        )


class UnitStatus(models.TextChoices):
    OPEN = "open", _("Open")
    CLAIMED = "claimed", _("Taken")
    SUBMITTED = "submitted", _("Handed in")
    REDO = "redo", _("Asked to redo")
    APPROVED = "approved", pgettext_lazy("work unit", "Approved")


# The statuses of a unit in someone's hands (the condition of the partial indexes on them).
IN_HAND = [UnitStatus.CLAIMED.value, UnitStatus.SUBMITTED.value, UnitStatus.REDO.value]


class WorkUnit(models.Model):
    """A small unit of an order (作業) that one participant can take, do and hand in."""

    Status = UnitStatus

    # The foreign keys of units and their events have no index of their own: each leads a
    # composite index below (order: number; workshop: status; holder: status), and a split
    # writes every index of 100,000 rows (docs/performance.md).
    order = models.ForeignKey(
        Order,
        on_delete=models.CASCADE,
        related_name="units",
        verbose_name=_("order"),
        db_index=False,
    )
    # Copied from the order so that scoping and the boards need no join. No database
    # constraint of its own: the order's foreign key already holds the workshop, units are only
    # made by the split (jobs/work.py) from their order's workshop, and Django enforces PROTECT;
    # a second check per unit cost a quarter of a 100,000-unit split (docs/performance.md).
    workshop = models.ForeignKey(
        "workshop.Workshop",
        on_delete=models.PROTECT,
        related_name="units",
        verbose_name=_("workshop"),
        db_index=False,
        db_constraint=False,
    )
    number = models.PositiveIntegerField(_("number"))
    quantity = models.PositiveIntegerField(_("quantity"))
    instructions = models.TextField(_("instructions"), blank=True)
    estimated_minutes = models.PositiveSmallIntegerField(_("estimated minutes"), default=30)
    home_ok = models.BooleanField(_("can be done at home"), default=True)
    skill_tag = models.CharField(_("skill needed"), max_length=30, blank=True)
    sample_photo = models.ImageField(_("sample photo"), upload_to="samples/%Y/%m/", blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=UnitStatus.choices, default=UnitStatus.OPEN
    )
    holder = models.ForeignKey(
        Participant,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="held_units",
        verbose_name=_("held by"),
        db_index=False,
    )
    # What staff approved in review (検品); 0 until then. This, not what was logged, counts
    # for delivery and 工賃.
    approved_quantity = models.PositiveIntegerField(_("approved quantity"), default=0)
    claimed_at = models.DateTimeField(_("taken at"), null=True, blank=True)
    last_activity_at = models.DateTimeField(_("last activity at"), null=True, blank=True)
    expires_at = models.DateTimeField(_("expires at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = WorkUnitQuerySet.as_manager()

    class Meta:
        verbose_name = _("work unit")
        verbose_name_plural = _("work units")
        ordering = ["order", "number"]
        indexes = [
            models.Index(fields=["workshop", "status"], name="unit_workshop_status"),
            # Whole, not partial on "has a holder": smaller, it was chosen on stale statistics
            # over unit_held_by_holder for the today page, reading a person's every approved
            # unit (test_every_page_reads_a_few_rows_on_stale_statistics caught it).
            models.Index(fields=["holder", "status"], name="unit_holder_status"),
            # What a person holds (their today page, the hold limit): only units in hands, so
            # neither a year of their approved units nor a split's open ones make it larger.
            models.Index(
                fields=["holder", "expires_at", "id"],
                name="unit_held_by_holder",
                condition=Q(status__in=["claimed", "submitted", "redo"]),
            ),
            # Offers: the first open unit of an order, and the few in someone's hands (expired
            # claims are offered too; the board counts the quiet ones), each read from a small
            # partial index, never a scan of the order's units.
            models.Index(
                fields=["order", "number"],
                name="unit_open_by_number",
                condition=Q(status="open"),
            ),
            models.Index(
                fields=["order", "status"],
                name="unit_in_hand_by_order",
                condition=Q(status__in=["claimed", "submitted", "redo"]),
            ),
            # The review queue: a workshop's handed-in units, oldest first, a page at a time.
            models.Index(
                fields=["workshop", "last_activity_at", "id"],
                name="unit_submitted_by_age",
                condition=Q(status="submitted"),
            ),
        ]
        constraints = [
            models.UniqueConstraint(fields=["order", "number"], name="unit_number_unique_in_order"),
            models.CheckConstraint(condition=Q(quantity__gte=1), name="unit_quantity_at_least_one"),
            models.CheckConstraint(
                condition=Q(status__in=UnitStatus.values), name="unit_status_valid"
            ),
            models.CheckConstraint(
                condition=~Q(status="open") | Q(holder__isnull=True), name="unit_open_has_no_holder"
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["claimed", "submitted", "redo"]) | Q(holder__isnull=False),
                name="unit_held_has_holder",
            ),
            models.CheckConstraint(
                condition=~Q(status="claimed") | Q(expires_at__isnull=False),
                name="unit_claim_has_expiry",
            ),
            models.CheckConstraint(
                condition=Q(approved_quantity__lte=models.F("quantity")),
                name="unit_approved_at_most_quantity",
            ),
            models.CheckConstraint(
                condition=Q(status="approved") | Q(approved_quantity=0),
                name="unit_approved_quantity_only_when_approved",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.order} #{self.number}"

    def is_claim_expired(self, now=None) -> bool:
        now = now or timezone.now()
        return (
            self.status == self.Status.CLAIMED
            and self.expires_at is not None
            and self.expires_at < now
        )

    def quantity_logged(self) -> int:
        return self.logs.aggregate(total=Sum("quantity"))["total"] or 0

    def last_redo_note(self) -> str:
        """What staff asked to be redone, for the participant's screen while the unit is back
        with them."""
        if self.status != self.Status.REDO:
            return ""
        event = self.events.filter(kind=UnitEvent.Kind.REDO).order_by("-at", "-pk").first()
        return event.note if event else ""


class ProgressLogQuerySet(models.QuerySet):
    def visible_to(self, user) -> "ProgressLogQuerySet":
        if not user.is_authenticated:
            return self.none()
        return self.filter(Q(unit__workshop__in=_staff_workshops(user)) | Q(participant__user=user))


class ProgressLog(models.Model):
    """Append-only record of work done (作業記録). The client makes the UUID, so a retried
    request finds the first row instead of counting twice."""

    unit = models.ForeignKey(
        WorkUnit, on_delete=models.CASCADE, related_name="logs", verbose_name=_("unit")
    )
    participant = models.ForeignKey(
        Participant,
        on_delete=models.PROTECT,
        related_name="progress_logs",
        verbose_name=_("participant"),
    )
    client_uuid = models.UUIDField(_("record id made by the phone"), unique=True)
    quantity = models.PositiveIntegerField(_("quantity done"), default=0)
    minutes = models.PositiveIntegerField(_("minutes"), default=0)
    place = models.CharField(
        _("where"),
        max_length=10,
        choices=[("home", _("At home")), ("on_site", _("At the workshop"))],
        default="home",
    )
    note = models.TextField(_("note"), blank=True)
    photo = models.ImageField(_("photo"), upload_to="progress/%Y/%m/", blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    objects = ProgressLogQuerySet.as_manager()

    class Meta:
        verbose_name = _("progress log")
        verbose_name_plural = _("progress logs")
        ordering = ["created_at", "pk"]
        indexes = [
            models.Index(fields=["participant", "created_at"], name="log_participant_created"),
            models.Index(fields=["unit", "created_at"], name="log_unit_created"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gte=0), name="log_quantity_not_negative"),
            models.CheckConstraint(condition=Q(minutes__gte=0), name="log_minutes_not_negative"),
            models.CheckConstraint(
                condition=Q(quantity__gt=0) | Q(minutes__gt=0) | ~Q(note=""),
                name="log_records_something",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.unit}: {self.quantity} by {self.participant}"


class OrderFileQuerySet(models.QuerySet):
    def visible_to(self, user) -> "OrderFileQuerySet":
        return self.filter(order__in=Order.objects.visible_to(user))


def order_file_path(instance: "OrderFile", filename: str) -> str:
    # The stored name never comes from the uploader: only the detected extension is kept.
    return f"orders/{instance.order_id}/{uuid.uuid4().hex}.{instance.extension}"


class OrderFile(models.Model):
    """A specification or sample attached to an order; its type was read from its content."""

    order = models.ForeignKey(
        Order, on_delete=models.CASCADE, related_name="files", verbose_name=_("order")
    )
    file = models.FileField(_("file"), upload_to=order_file_path, max_length=200)
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("file type"), max_length=50)
    extension = models.CharField(_("extension"), max_length=10)
    size = models.PositiveIntegerField(_("size (bytes)"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), default=timezone.now)

    objects = OrderFileQuerySet.as_manager()

    class Meta:
        verbose_name = _("order file")
        verbose_name_plural = _("order files")
        ordering = ["uploaded_at", "pk"]

    def __str__(self) -> str:
        return self.original_name


class OrderMessageQuerySet(models.QuerySet):
    def visible_to(self, user) -> "OrderMessageQuerySet":
        return self.filter(order__in=Order.objects.visible_to(user))


class OrderMessage(models.Model):
    """The message thread between the company and the workshop about one order."""

    class Side(models.TextChoices):
        COMPANY = "company", _("Company")
        WORKSHOP = "workshop", _("Workshop")

    order = models.ForeignKey(
        Order, on_delete=models.CASCADE, related_name="messages", verbose_name=_("order")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("author"),
    )
    side = models.CharField(_("sent by"), max_length=10, choices=Side.choices)
    body = models.TextField(_("message"))
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    objects = OrderMessageQuerySet.as_manager()

    class Meta:
        verbose_name = _("order message")
        verbose_name_plural = _("order messages")
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(side__in=["company", "workshop"]), name="order_message_side_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.order}: {self.body[:30]}"


class ChangeProposal(models.Model):
    """The workshop would accept the order with another price or other dates; the company
    confirms (and the order is accepted with these terms) or refuses (and it stays submitted)."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for the company")
        CONFIRMED = "confirmed", _("Confirmed by the company")
        REFUSED = "refused", _("Refused by the company")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    order = models.ForeignKey(
        Order, on_delete=models.CASCADE, related_name="change_proposals", verbose_name=_("order")
    )
    unit_price_yen = models.PositiveIntegerField(_("unit price (yen)"), null=True, blank=True)
    total_price_yen = models.PositiveIntegerField(_("total price (yen)"))
    desired_delivery_date = models.DateField(_("delivery date"))
    payment_date = models.DateField(_("payment date"))
    minutes_per_item = models.PositiveSmallIntegerField(
        _("minutes per item"), null=True, blank=True
    )
    note = models.TextField(_("note"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("proposed by"),
    )
    proposed_at = models.DateTimeField(_("proposed at"), default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    class Meta:
        verbose_name = _("proposed change")
        verbose_name_plural = _("proposed changes")
        ordering = ["-proposed_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["order"],
                condition=Q(status="pending"),
                name="one_pending_proposal_per_order",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["pending", "confirmed", "refused", "withdrawn"]),
                name="change_proposal_status_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.order}: {self.get_status_display()}"


class IdempotencyKey(models.Model):
    """Remembers the first answer to an API create that carried an `Idempotency-Key`, so that a
    retry gets the same order back and never makes a second one."""

    company = models.ForeignKey(
        "companies.Company", on_delete=models.CASCADE, related_name="+", verbose_name=_("company")
    )
    key = models.CharField(_("key"), max_length=200)
    request_hash = models.CharField(_("request hash"), max_length=64)
    order = models.ForeignKey(
        Order, null=True, on_delete=models.CASCADE, related_name="+", verbose_name=_("order")
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("idempotency key")
        verbose_name_plural = _("idempotency keys")
        constraints = [
            models.UniqueConstraint(fields=["company", "key"], name="idempotency_key_unique"),
        ]

    def __str__(self) -> str:
        return self.key


class UnitEventQuerySet(models.QuerySet):
    def visible_to(self, user) -> "UnitEventQuerySet":
        """Staff read the whole history of their workshop's units; a participant reads only the
        events about themself (a redo note, a suggestion), never what concerns anyone else."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(Q(unit__workshop__in=_staff_workshops(user)) | Q(participant__user=user))


class UnitEventKind(models.TextChoices):
    PUBLISHED = "published", _("Published")
    CLAIMED = "claimed", _("Taken")
    RELEASED = "released", _("Handed back")
    RELEASED_BY_STAFF = "released_by_staff", _("Released by staff")
    EXPIRED = "expired", _("Claim expired")
    SUBMITTED = "submitted", _("Handed in")
    APPROVED = "approved", pgettext_lazy("work unit", "Approved")
    REDO = "redo", _("Asked to redo")
    PARTIALLY_APPROVED = "partially_approved", _("Partly approved")
    REST_REOPENED = "rest_reopened", _("Rest opened as a new unit")
    SUGGESTED = "suggested", _("Suggested")
    SUGGESTION_DECLINED = "suggestion_declined", _("Suggestion declined")
    SUGGESTION_WITHDRAWN = "suggestion_withdrawn", _("Suggestion withdrawn")
    REACHED_OUT = "reached_out", _("Staff reached out")


class UnitEvent(models.Model):
    """One row for everything that happens to a unit and every decision about it: who, when,
    what, for whom, how many, and a note. Append-only."""

    Kind = UnitEventKind

    # No index of their own: unit_event_unit_at and unit_event_participant_kind lead with them.
    unit = models.ForeignKey(
        WorkUnit,
        on_delete=models.CASCADE,
        related_name="events",
        verbose_name=_("unit"),
        db_index=False,
    )
    kind = models.CharField(_("what"), max_length=24, choices=UnitEventKind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("actor"),
    )
    # The participant the event concerns (who took it, who was asked to redo, to whom it was
    # suggested); empty for events about the unit alone.
    participant = models.ForeignKey(
        Participant,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="unit_events",
        verbose_name=_("participant"),
        db_index=False,
    )
    at = models.DateTimeField(_("at"), default=timezone.now)
    quantity = models.PositiveIntegerField(_("quantity"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)

    objects = UnitEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("work unit event")
        verbose_name_plural = _("work unit events")
        ordering = ["at", "pk"]
        indexes = [
            models.Index(fields=["unit", "at"], name="unit_event_unit_at"),
            models.Index(fields=["participant", "kind"], name="unit_event_participant_kind"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=UnitEventKind.values), name="unit_event_kind_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.unit}: {self.kind}"


class RedoPhraseQuerySet(models.QuerySet):
    def visible_to(self, user) -> "RedoPhraseQuerySet":
        if not user.is_authenticated:
            return self.none()
        return self.filter(workshop__in=_staff_workshops(user))


class RedoPhrase(models.Model):
    """A short, kind phrase a workshop keeps for asking a participant to redo part of a unit."""

    workshop = models.ForeignKey(
        "workshop.Workshop",
        on_delete=models.CASCADE,
        related_name="redo_phrases",
        verbose_name=_("workshop"),
    )
    text = models.CharField(_("phrase"), max_length=200)
    position = models.PositiveSmallIntegerField(_("order"), default=0)

    objects = RedoPhraseQuerySet.as_manager()

    class Meta:
        verbose_name = _("redo phrase")
        verbose_name_plural = _("redo phrases")
        ordering = ["workshop", "position", "pk"]

    def __str__(self) -> str:
        return self.text


class SkillTrainingQuerySet(models.QuerySet):
    def visible_to(self, user) -> "SkillTrainingQuerySet":
        """Staff of the participant's workshop, and the participant themself."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(
            Q(participant__workshop__in=_staff_workshops(user)) | Q(participant__user=user)
        )


class SkillTraining(models.Model):
    """Staff marked this participant as trained for units tagged with this skill."""

    participant = models.ForeignKey(
        Participant,
        on_delete=models.CASCADE,
        related_name="skill_trainings",
        verbose_name=_("participant"),
    )
    skill_tag = models.CharField(_("skill"), max_length=30)
    marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("marked by"),
    )
    marked_at = models.DateTimeField(_("marked at"), default=timezone.now)

    objects = SkillTrainingQuerySet.as_manager()

    class Meta:
        verbose_name = _("skill training")
        verbose_name_plural = _("skill trainings")
        ordering = ["participant", "skill_tag"]
        constraints = [
            models.UniqueConstraint(
                fields=["participant", "skill_tag"], name="skill_training_unique"
            ),
            models.CheckConstraint(condition=~Q(skill_tag=""), name="skill_training_has_tag"),
        ]

    def __str__(self) -> str:
        return f"{self.participant}: {self.skill_tag}"


class SuggestionQuerySet(models.QuerySet):
    def visible_to(self, user) -> "SuggestionQuerySet":
        """Staff of the unit's workshop, and the participant it was made to."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(Q(unit__workshop__in=_staff_workshops(user)) | Q(participant__user=user))


class Suggestion(models.Model):
    """Staff think this unit might suit this participant. The participant may take it or leave
    it; the unit stays open to everyone meanwhile."""

    class Status(models.TextChoices):
        OPEN = "open", _("Waiting")
        TAKEN = "taken", _("Taken up")
        DECLINED = "declined", _("Declined")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    unit = models.ForeignKey(
        WorkUnit, on_delete=models.CASCADE, related_name="suggestions", verbose_name=_("unit")
    )
    participant = models.ForeignKey(
        Participant,
        on_delete=models.CASCADE,
        related_name="suggestions",
        verbose_name=_("participant"),
    )
    suggested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("suggested by"),
    )
    note = models.CharField(_("note"), max_length=200, blank=True)
    at = models.DateTimeField(_("suggested at"), default=timezone.now)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    objects = SuggestionQuerySet.as_manager()

    class Meta:
        verbose_name = _("suggestion")
        verbose_name_plural = _("suggestions")
        ordering = ["-at", "-pk"]
        indexes = [
            models.Index(fields=["participant", "status"], name="suggestion_participant_status")
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "participant"],
                condition=Q(status="open"),
                name="one_open_suggestion_per_unit_and_person",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["open", "taken", "declined", "withdrawn"]),
                name="suggestion_status_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.unit} → {self.participant}"


class SplitJobQuerySet(models.QuerySet):
    def visible_to(self, user) -> "SplitJobQuerySet":
        if not user.is_authenticated:
            return self.none()
        return self.filter(order__workshop__in=_staff_workshops(user))

    def unfinished(self) -> "SplitJobQuerySet":
        return self.filter(status__in=[SplitJob.Status.QUEUED, SplitJob.Status.RUNNING])


class SplitJob(models.Model):
    """The record of a split: who published how many units of which sizes, and when. A large
    split is published by a background task, batch by batch, so that the order's pages stay
    usable meanwhile; a small one is written already done. It stands for the units' "published"
    events, which a split does not write one per unit. The sizes are kept run-length encoded:
    [[size, count], …], so 100,000 units of 1 are one short list."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting to start")
        RUNNING = "running", _("Publishing")
        DONE = "done", _("Done")
        FAILED = "failed", _("Stopped")

    order = models.ForeignKey(
        Order, on_delete=models.CASCADE, related_name="split_jobs", verbose_name=_("order")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    runs = models.JSONField(_("runs"), default=list)
    total = models.PositiveIntegerField(_("units to publish"))
    done_count = models.PositiveIntegerField(_("units published"), default=0)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    instructions = models.TextField(_("instructions"), blank=True)
    estimated_minutes = models.PositiveSmallIntegerField(_("estimated minutes"), default=30)
    home_ok = models.BooleanField(_("can be done at home"), default=True)
    skill_tag = models.CharField(_("skill"), max_length=30, blank=True)
    sample_photo = models.CharField(_("sample photo"), max_length=200, blank=True)
    error = models.TextField(_("error"), blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    objects = SplitJobQuerySet.as_manager()

    class Meta:
        verbose_name = _("split")
        verbose_name_plural = _("splits")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["queued", "running", "done", "failed"]),
                name="split_job_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(done_count__lte=models.F("total")), name="split_job_done_at_most_total"
            ),
            models.UniqueConstraint(
                fields=["order"],
                condition=Q(status__in=["queued", "running"]),
                name="one_unfinished_split_per_order",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.order}: {self.done_count}/{self.total}"

    @property
    def percent(self) -> int:
        return 100 * self.done_count // self.total if self.total else 100

    @property
    def finished(self) -> bool:
        return self.status in {self.Status.DONE, self.Status.FAILED}


class DeliveryQuerySet(models.QuerySet):
    def visible_to(self, user) -> "DeliveryQuerySet":
        """The order's company members and the workshop's staff. Deliveries exist only for
        orders the workshop accepted, so there are no drafts to hide."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(
            Q(order__company__in=CompanyMembership.objects.filter(user=user).values("company"))
            | Q(order__workshop__in=_staff_workshops(user))
        )


class DeliveryStatus(models.TextChoices):
    PENDING_ACCEPTANCE = "pending_acceptance", _("Waiting for acceptance")
    ACCEPTED = "accepted", pgettext_lazy("delivery", "Accepted")
    PARTLY_REFUSED = "partly_refused", _("Partly refused")


class Delivery(models.Model):
    """A delivery (納品) of part or all of an order, with its delivery slip (納品書). Once
    recorded it never changes (DESIGN.md invariant 4): only the company's answer (検収, or a
    refusal of part) is written to it, once."""

    Status = DeliveryStatus

    order = models.ForeignKey(
        Order, on_delete=models.PROTECT, related_name="deliveries", verbose_name=_("order")
    )
    number = models.PositiveIntegerField(_("number"))
    quantity = models.PositiveIntegerField(_("quantity"))
    delivered_on = models.DateField(_("delivered on"))
    method = models.CharField(_("delivery method"), max_length=10, choices=DeliveryMethod.choices)
    note = models.TextField(_("note"), blank=True)
    is_final = models.BooleanField(_("final delivery"), default=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=DeliveryStatus.choices,
        default=DeliveryStatus.PENDING_ACCEPTANCE,
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    refused_quantity = models.PositiveIntegerField(_("refused quantity"), default=0)
    refusal_reason = models.TextField(_("reason for refusing"), blank=True)

    objects = DeliveryQuerySet.as_manager()

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        ordering = ["order", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["order", "number"], name="delivery_number_unique_in_order"
            ),
            models.CheckConstraint(
                condition=Q(quantity__gte=1), name="delivery_quantity_at_least_one"
            ),
            models.CheckConstraint(
                condition=Q(status__in=DeliveryStatus.values), name="delivery_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(method__in=DeliveryMethod.values), name="delivery_method_valid"
            ),
            models.CheckConstraint(
                condition=Q(refused_quantity__lte=models.F("quantity")),
                name="delivery_refused_at_most_quantity",
            ),
            models.CheckConstraint(
                condition=(
                    Q(status="partly_refused", refused_quantity__gte=1) & ~Q(refusal_reason="")
                )
                | (~Q(status="partly_refused") & Q(refused_quantity=0)),
                name="delivery_refusal_has_quantity_and_reason",
            ),
            models.CheckConstraint(
                condition=Q(status="pending_acceptance") | Q(decided_at__isnull=False),
                name="delivery_decision_has_time",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.order} / {self.number}"

    @property
    def accepted_quantity(self) -> int:
        """What the company kept: everything unless it refused part."""
        return self.quantity - self.refused_quantity

    @property
    def slip_number(self) -> str:
        """The delivery slip's number: the order's number and this delivery's."""
        return f"{self.order.number}-{self.number:02d}"


from jobs.digital_models import (  # noqa: E402,F401
    Answer,
    AnswerForm,
    CheckingMode,
    DigitalWork,
    Item,
    ItemImport,
    SpotSample,
)
from jobs.money_models import (  # noqa: E402,F401
    Credit,
    DocumentCounter,
    DocumentEvent,
    Invoice,
    InvoiceLine,
    InvoicePayment,
    MoneySettings,
    OrderConfirmation,
    ProductionCost,
)
