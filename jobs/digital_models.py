"""Digital work done inside Engawa (issue 9): a digital order's items (one input each: a CSV
row or an image), its answer form in versions, the imports that create items, and the answers
participants give. Items are grouped into the order's ordinary work units, so taking, holding,
hand back, expiry and review work as for hands-on orders.

The field specs of an answer form, and how an answer is checked against them, are in
jobs/answer_forms.py; imports in jobs/items.py; the answering rules in jobs/answering.py; the
checking (every item, double entry, spot checks) in jobs/checking.py; results in jobs/results.py."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from companies.models import CompanyMembership
from participants.models import Participant
from workshop.models import StaffMembership


def _staff_workshops(user):
    return StaffMembership.objects.filter(user=user).values("workshop")


def _member_companies(user):
    return CompanyMembership.objects.filter(user=user).values("company")


class CheckingMode(models.TextChoices):
    EVERY = "every", _("Review every item")
    DOUBLE = "double", _("Double entry")
    SPOT = "spot", _("Spot checks")


class DigitalWorkQuerySet(models.QuerySet):
    def visible_to(self, user) -> "DigitalWorkQuerySet":
        """Staff of the order's workshop and members of its company."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(
            Q(order__workshop__in=_staff_workshops(user))
            | Q(order__company__in=_member_companies(user))
        )


class DigitalWork(models.Model):
    """How a digital order's items are done: which input columns the participant sees and how
    answers are checked. One per digital order, made when its first items are imported."""

    Checking = CheckingMode

    order = models.OneToOneField(
        "jobs.Order", on_delete=models.CASCADE, related_name="digital", verbose_name=_("order")
    )
    columns = models.JSONField(_("input columns"), default=list, blank=True)
    shown_columns = models.JSONField(_("columns the participant sees"), default=list, blank=True)
    checking = models.CharField(
        _("checking"), max_length=10, choices=CheckingMode.choices, default=CheckingMode.EVERY
    )
    spot_check_size = models.PositiveSmallIntegerField(
        _("items checked per unit (spot checks)"), default=3
    )
    items_total = models.PositiveIntegerField(_("items"), default=0, editable=False)
    # Items with a result, each counted once (jobs/checking.py keeps it): the company's progress.
    # The units' approved quantities cannot say it: under double entry each item is in two units.
    items_approved = models.PositiveIntegerField(
        _("items with a result"), default=0, editable=False
    )

    objects = DigitalWorkQuerySet.as_manager()

    class Meta:
        verbose_name = _("digital work")
        verbose_name_plural = _("digital work")
        constraints = [
            models.CheckConstraint(
                condition=Q(checking__in=CheckingMode.values), name="digital_checking_valid"
            ),
        ]

    def __str__(self) -> str:
        return str(self.order)


class AnswerFormQuerySet(models.QuerySet):
    def visible_to(self, user) -> "AnswerFormQuerySet":
        """Staff of the order's workshop and members of its company. Participants read the form
        through the unit they hold (jobs/answering.py), never by listing forms."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(
            Q(order__workshop__in=_staff_workshops(user))
            | Q(order__company__in=_member_companies(user))
        )

    def current(self) -> "AnswerFormQuerySet":
        return self.filter(status=AnswerForm.Status.CURRENT)


class AnswerForm(models.Model):
    """One version of a digital order's answer form. Answers keep the version they were given
    with; changing a form that has answers makes a new version (jobs/answer_forms.py)."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Proposed by the company")
        CURRENT = "current", _("In use")
        SUPERSEDED = "superseded", _("Replaced by a newer version")
        DECLINED = "declined", _("Not taken")

    order = models.ForeignKey(
        "jobs.Order",
        on_delete=models.CASCADE,
        related_name="answer_forms",
        verbose_name=_("order"),
    )
    version = models.PositiveSmallIntegerField(_("version"))
    fields = models.JSONField(_("fields"), default=list)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.CURRENT
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("made by"),
    )
    created_at = models.DateTimeField(_("made at"), default=timezone.now)

    objects = AnswerFormQuerySet.as_manager()

    class Meta:
        verbose_name = _("answer form")
        verbose_name_plural = _("answer forms")
        ordering = ["order", "version"]
        constraints = [
            models.UniqueConstraint(fields=["order", "version"], name="answer_form_version_unique"),
            models.UniqueConstraint(
                fields=["order"],
                condition=Q(status="current"),
                name="answer_form_one_current_per_order",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["proposed", "current", "superseded", "declined"]),
                name="answer_form_status_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.order} v{self.version}"


def item_import_path(instance, filename: str) -> str:
    # Never the uploader's name in the path: imports/<order>/<uuid>.<ext>.
    import uuid

    extension = filename.rsplit(".", 1)[-1].lower()[:8] if "." in filename else "bin"
    return f"imports/{instance.order_id}/{uuid.uuid4().hex}.{extension}"


class ItemImportQuerySet(models.QuerySet):
    def visible_to(self, user) -> "ItemImportQuerySet":
        if not user.is_authenticated:
            return self.none()
        return self.filter(
            Q(order__workshop__in=_staff_workshops(user))
            | Q(order__company__in=_member_companies(user))
        )


class ItemImport(models.Model):
    """One uploaded file of items (a CSV or a ZIP of images), read by a background task. A
    refused file names the row and column at fault and creates no item."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting to start")
        RUNNING = "running", _("Reading")
        DONE = "done", _("Done")
        REFUSED = "refused", _("Refused")

    class Kind(models.TextChoices):
        CSV = "csv", _("CSV file")
        ZIP = "zip", _("ZIP of images")

    order = models.ForeignKey(
        "jobs.Order", on_delete=models.CASCADE, related_name="item_imports", verbose_name=_("order")
    )
    kind = models.CharField(_("kind of file"), max_length=5, choices=Kind.choices)
    file = models.FileField(_("file"), upload_to=item_import_path, max_length=200, blank=True)
    original_name = models.CharField(_("file name"), max_length=200)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    created_at = models.DateTimeField(_("uploaded at"), default=timezone.now)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    encoding = models.CharField(_("encoding"), max_length=20, blank=True)
    rows_total = models.PositiveIntegerField(_("rows"), null=True, blank=True)
    rows_done = models.PositiveIntegerField(_("rows read"), default=0)
    error_code = models.CharField(_("refusal"), max_length=40, blank=True)
    error_row = models.PositiveIntegerField(_("row at fault"), null=True, blank=True)
    error_column = models.CharField(_("column at fault"), max_length=200, blank=True)
    message = models.TextField(_("message"), blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    # Asked at upload: the columns the participant sees, applied when the order's first items
    # are read (jobs 0012).
    shown_columns = models.JSONField(_("columns to show the participant"), default=list, blank=True)

    objects = ItemImportQuerySet.as_manager()

    class Meta:
        verbose_name = _("item import")
        verbose_name_plural = _("item imports")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.original_name


class ItemQuerySet(models.QuerySet):
    def visible_to(self, user) -> "ItemQuerySet":
        """Staff of the workshop and members of the company. A participant reads only the items
        of a unit they hold (jobs/answering.py), exactly as they read the unit."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(
            Q(workshop__in=_staff_workshops(user)) | Q(order__company__in=_member_companies(user))
        )

    def approved(self) -> "ItemQuerySet":
        return self.filter(approved_at__isnull=False)


def item_image_path(instance, filename: str) -> str:
    import uuid

    return f"items/{instance.order_id}/{uuid.uuid4().hex}.jpg"


class Item(models.Model):
    """One input of digital work (項目): a CSV row (`data`, column → text) or an image. It is
    in one unit (`unit`), and under double entry in a second one (`second_unit`) that a
    different participant answers. Its result is the approved answer's values."""

    order = models.ForeignKey(
        "jobs.Order", on_delete=models.CASCADE, related_name="items", verbose_name=_("order")
    )
    workshop = models.ForeignKey(
        "workshop.Workshop", on_delete=models.CASCADE, related_name="+", verbose_name=_("workshop")
    )
    number = models.PositiveIntegerField(_("number"))
    data = models.JSONField(_("input"), default=dict, blank=True)
    image = models.ImageField(_("image"), upload_to=item_image_path, blank=True, max_length=200)
    source = models.ForeignKey(
        ItemImport,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="items",
        verbose_name=_("imported from"),
    )
    unit = models.ForeignKey(
        "jobs.WorkUnit",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="items",
        verbose_name=_("unit"),
    )
    second_unit = models.ForeignKey(
        "jobs.WorkUnit",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="second_items",
        verbose_name=_("unit of the second entry"),
    )
    result = models.JSONField(_("result"), null=True, blank=True)
    result_form = models.ForeignKey(
        AnswerForm,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("result's form version"),
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    delivery = models.ForeignKey(
        "jobs.Delivery",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="items",
        verbose_name=_("delivered in"),
    )

    objects = ItemQuerySet.as_manager()

    class Meta:
        verbose_name = _("item")
        verbose_name_plural = _("items")
        ordering = ["order", "number"]
        indexes = [
            models.Index(fields=["unit", "number"], name="item_by_unit"),
            # The items a split has not yet put into units (jobs/items.py assign_items; 0012).
            models.Index(
                fields=["order", "number"],
                name="item_not_in_unit",
                condition=Q(unit__isnull=True),
            ),
            models.Index(
                fields=["second_unit", "number"],
                name="item_by_second_unit",
                condition=Q(second_unit__isnull=False),
            ),
            # Results "since a date", a page at a time.
            models.Index(
                fields=["order", "approved_at", "id"],
                name="item_approved_by_time",
                condition=Q(approved_at__isnull=False),
            ),
        ]
        constraints = [
            models.UniqueConstraint(fields=["order", "number"], name="item_number_unique_in_order"),
            models.CheckConstraint(
                condition=Q(approved_at__isnull=True) | Q(result__isnull=False),
                name="item_approved_has_result",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.order} / {self.number}"


class AnswerQuerySet(models.QuerySet):
    def visible_to(self, user) -> "AnswerQuerySet":
        """Staff of the workshop, and the participant who gave the answer. Companies see
        results (Item.result), never a person's answer."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(
            Q(item__workshop__in=_staff_workshops(user))
            | Q(participant__in=Participant.objects.filter(user=user))
        )


class Answer(models.Model):
    """A participant's answer to one item, given in one unit: a draft as it is typed, answered
    when saved with 「保存して次へ」 (that first save logs one item of progress), then checked.
    A retried save is recognised by its client-made UUID and counts once."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        ANSWERED = "answered", _("Answered")
        APPROVED = "approved", _("Approved")
        DISAGREED = "disagreed", _("Differs from the other entry")
        SENT_BACK = "sent_back", _("Asked to fix")
        REJECTED = "rejected", _("Not accepted")

    item = models.ForeignKey(
        Item, on_delete=models.CASCADE, related_name="answers", verbose_name=_("item")
    )
    unit = models.ForeignKey(
        "jobs.WorkUnit", on_delete=models.CASCADE, related_name="answers", verbose_name=_("unit")
    )
    participant = models.ForeignKey(
        Participant, on_delete=models.PROTECT, related_name="answers", verbose_name=_("participant")
    )
    form = models.ForeignKey(
        AnswerForm,
        on_delete=models.PROTECT,
        related_name="answers",
        verbose_name=_("form version"),
    )
    values = models.JSONField(_("values"), default=dict, blank=True)
    cant_read = models.BooleanField(_("could not be read"), default=False)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    client_uuid = models.UUIDField(_("last save's id made by the phone"), null=True, blank=True)
    client_saved_at = models.DateTimeField(_("saved on the phone at"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated at"), default=timezone.now)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("checked by"),
    )
    checked_at = models.DateTimeField(_("checked at"), null=True, blank=True)
    check_note = models.TextField(_("what to change"), blank=True)

    objects = AnswerQuerySet.as_manager()

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        ordering = ["item", "pk"]
        indexes = [
            models.Index(fields=["unit", "status"], name="answer_by_unit"),
        ]
        constraints = [
            # Double entry means two different people: one answer per person per item.
            models.UniqueConstraint(
                fields=["item", "participant"], name="answer_one_per_person_per_item"
            ),
            models.UniqueConstraint(fields=["item", "unit"], name="answer_one_per_unit_per_item"),
            models.UniqueConstraint(fields=["client_uuid"], name="answer_client_uuid_unique"),
            models.CheckConstraint(
                condition=Q(
                    status__in=[
                        "draft",
                        "answered",
                        "approved",
                        "disagreed",
                        "sent_back",
                        "rejected",
                    ]
                ),
                name="answer_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(answered_at__isnull=False),
                name="answer_answered_has_time",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.item} ({self.participant})"


class SpotSampleQuerySet(models.QuerySet):
    def visible_to(self, user) -> "SpotSampleQuerySet":
        if not user.is_authenticated:
            return self.none()
        return self.filter(unit__workshop__in=_staff_workshops(user))


class SpotSample(models.Model):
    """The items drawn for a spot check of one hand-in of a unit (jobs/checking.py): drawn
    once, with a seed made of the unit and its hand-in, and kept, so that the page shows the
    same items however often it is opened."""

    unit = models.ForeignKey(
        "jobs.WorkUnit",
        on_delete=models.CASCADE,
        related_name="spot_samples",
        verbose_name=_("unit"),
    )
    handed_in = models.ForeignKey(
        "jobs.UnitEvent",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("hand-in"),
    )
    items = models.JSONField(_("items drawn"), default=list)
    drawn_at = models.DateTimeField(_("drawn at"), default=timezone.now)

    objects = SpotSampleQuerySet.as_manager()

    class Meta:
        verbose_name = _("spot check sample")
        verbose_name_plural = _("spot check samples")
        ordering = ["unit", "-drawn_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["handed_in"], name="spot_sample_once_per_hand_in"),
        ]

    def __str__(self) -> str:
        return f"{self.unit}: {self.items}"
