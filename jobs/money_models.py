"""The money side of the pipeline's data: what review credited to whom (Credit), the documents
to companies (order confirmations 注文請書, invoices 請求書 and return invoices 返還インボイス, with
their lines and payments), their gapless numbers, production costs for the month's books, and a
workshop's money settings. The figures are computed in jobs/money.py; the rules that write these
rows are in jobs/review.py (credits), jobs/invoicing.py, jobs/confirmations.py, jobs/books.py."""

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from companies.models import CompanyMembership
from workshop.models import StaffMembership

# Half-width katakana (JIS X 0201), digits, upper-case letters and the few signs the bank
# transfer format (全銀) accepts in names.
HALF_WIDTH_KANA = r"^[ｦ-ﾟ0-9A-Z ().,\-/｢｣]+$"
validate_half_width_kana = RegexValidator(
    HALF_WIDTH_KANA,
    _("Use half-width katakana (ｶﾀｶﾅ), digits and capital letters, as the bank prints it."),
    code="half_width_kana",
)


def _staff_workshops(user):
    return StaffMembership.objects.filter(user=user).values("workshop")


def _member_companies(user):
    return CompanyMembership.objects.filter(user=user).values("company")


class CreditQuerySet(models.QuerySet):
    def visible_to(self, user) -> "CreditQuerySet":
        """Staff of the workshop, and the participant credited (never anyone else's)."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(Q(workshop__in=_staff_workshops(user)) | Q(participant__user=user))


class Credit(models.Model):
    """What staff approved in review (検品), credited to the person whose logs it was: the one
    thing 工賃 counts. Written once, when a unit is approved in whole or in part (see
    jobs/review.py and jobs.money.credits_for_approval), and never changed: a later refusal by
    the company does not take it back."""

    unit = models.ForeignKey(
        "jobs.WorkUnit", on_delete=models.PROTECT, related_name="credits", verbose_name=_("unit")
    )
    # Copied from the unit, so that a statement sums a month without joins.
    order = models.ForeignKey(
        "jobs.Order", on_delete=models.PROTECT, related_name="credits", verbose_name=_("order")
    )
    workshop = models.ForeignKey(
        "workshop.Workshop",
        on_delete=models.PROTECT,
        related_name="credits",
        verbose_name=_("workshop"),
    )
    participant = models.ForeignKey(
        "participants.Participant",
        on_delete=models.PROTECT,
        related_name="credits",
        verbose_name=_("participant"),
    )
    quantity = models.PositiveIntegerField(_("approved quantity credited"))
    minutes = models.PositiveIntegerField(_("minutes credited"), default=0)
    approved_at = models.DateTimeField(_("approved at"))

    objects = CreditQuerySet.as_manager()

    class Meta:
        verbose_name = _("credit")
        verbose_name_plural = _("credits")
        ordering = ["approved_at", "pk"]
        indexes = [
            models.Index(fields=["participant", "approved_at"], name="credit_participant_at"),
            models.Index(fields=["workshop", "approved_at"], name="credit_workshop_at"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["unit", "participant"], name="credit_once_per_unit"),
            models.CheckConstraint(
                condition=Q(quantity__gt=0) | Q(minutes__gt=0), name="credit_credits_something"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.unit}: {self.quantity} to {self.participant}"


class MoneySettingsQuerySet(models.QuerySet):
    def visible_to(self, user) -> "MoneySettingsQuerySet":
        if not user.is_authenticated:
            return self.none()
        return self.filter(workshop__in=_staff_workshops(user))


class AccountType(models.TextChoices):
    """The account types of the bank transfer format (全銀): 1 普通, 2 当座, 4 貯蓄."""

    ORDINARY = "1", _("Ordinary (普通)")
    CURRENT = "2", _("Current (当座)")
    SAVINGS = "4", _("Savings (貯蓄)")


digits = RegexValidator(r"^\d+$", _("Use digits only."), code="digits")


class MoneySettings(models.Model):
    """A workshop's money settings: when its fiscal year starts (documents are numbered per
    fiscal year), the day 工賃 are paid, and the account they are paid from, which the bank
    transfer file (全銀) names in its header. One row per workshop, made with the defaults the
    first time it is needed (jobs.money.settings_for)."""

    workshop = models.OneToOneField(
        "workshop.Workshop",
        on_delete=models.CASCADE,
        related_name="money_settings",
        verbose_name=_("workshop"),
    )
    fiscal_year_start_month = models.PositiveSmallIntegerField(
        _("first month of the fiscal year"),
        default=4,
        validators=[MinValueValidator(1), MaxValueValidator(12)],
        help_text=_("April (4) for most workshops in Japan."),
    )
    wage_payday = models.PositiveSmallIntegerField(
        _("day of the next month 工賃 are paid"),
        default=10,
        validators=[MinValueValidator(1), MaxValueValidator(28)],
    )
    # The paying account, for the header record of the 全銀 transfer file.
    consignor_code = models.CharField(
        _("consignor code (委託者コード)"),
        max_length=10,
        blank=True,
        validators=[digits],
        help_text=_("The 10 digits your bank gave you for transfers."),
    )
    consignor_name_kana = models.CharField(
        _("consignor name in half-width kana"),
        max_length=40,
        blank=True,
        validators=[validate_half_width_kana],
    )
    bank_code = models.CharField(_("bank code"), max_length=4, blank=True, validators=[digits])
    bank_name_kana = models.CharField(
        _("bank name in half-width kana"),
        max_length=15,
        blank=True,
        validators=[validate_half_width_kana],
    )
    branch_code = models.CharField(_("branch code"), max_length=3, blank=True, validators=[digits])
    branch_name_kana = models.CharField(
        _("branch name in half-width kana"),
        max_length=15,
        blank=True,
        validators=[validate_half_width_kana],
    )
    account_type = models.CharField(
        _("account type"), max_length=1, choices=AccountType.choices, default=AccountType.ORDINARY
    )
    account_number = models.CharField(
        _("account number"), max_length=7, blank=True, validators=[digits]
    )

    objects = MoneySettingsQuerySet.as_manager()

    class Meta:
        verbose_name = _("money settings")
        verbose_name_plural = _("money settings")
        constraints = [
            models.CheckConstraint(
                condition=Q(fiscal_year_start_month__gte=1, fiscal_year_start_month__lte=12),
                name="money_settings_fiscal_month_valid",
            ),
            models.CheckConstraint(
                condition=Q(wage_payday__gte=1, wage_payday__lte=28),
                name="money_settings_payday_valid",
            ),
        ]

    def __str__(self) -> str:
        return str(self.workshop)

    @property
    def can_make_transfer_file(self) -> bool:
        return all(
            [
                len(self.consignor_code) == 10,
                self.consignor_name_kana,
                len(self.bank_code) == 4,
                len(self.branch_code) == 3,
                len(self.account_number) == 7,
            ]
        )


class DocumentKind(models.TextChoices):
    """Kinds of numbered document; each has its own gapless sequence per workshop and fiscal
    year. The prefix is printed in the number (INV-2026-000123)."""

    INVOICE = "invoice", _("Invoice")
    RETURN_INVOICE = "return_invoice", _("Return invoice")
    WAGE_STATEMENT = "wage_statement", _("Wage statement")
    ORDER_CONFIRMATION = "order_confirmation", _("Order confirmation")


DOCUMENT_PREFIX = {
    DocumentKind.INVOICE: "INV",
    DocumentKind.RETURN_INVOICE: "RET",
    DocumentKind.WAGE_STATEMENT: "PAY",
    DocumentKind.ORDER_CONFIRMATION: "CNF",
}


class DocumentCounter(models.Model):
    """The last number given to a kind of document in a workshop's fiscal year. Issuing locks
    this row and raises it in the issuing transaction, so numbers have no gaps and no twins."""

    workshop = models.ForeignKey(
        "workshop.Workshop",
        on_delete=models.CASCADE,
        related_name="document_counters",
        verbose_name=_("workshop"),
    )
    kind = models.CharField(max_length=20, choices=DocumentKind.choices, verbose_name=_("kind"))
    fiscal_year = models.PositiveSmallIntegerField(verbose_name=_("fiscal year"))
    last = models.PositiveIntegerField(default=0, verbose_name=_("last"))

    class Meta:
        verbose_name = _("document counter")
        verbose_name_plural = _("document counters")
        constraints = [
            models.UniqueConstraint(
                fields=["workshop", "kind", "fiscal_year"], name="document_counter_unique"
            ),
            models.CheckConstraint(
                condition=Q(kind__in=DocumentKind.values), name="document_counter_kind_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.workshop_id} {self.kind} {self.fiscal_year}: {self.last}"


class DocumentEventQuerySet(models.QuerySet):
    def visible_to(self, user) -> "DocumentEventQuerySet":
        if not user.is_authenticated:
            return self.none()
        return self.filter(workshop__in=_staff_workshops(user))

    # Append-only, like the audit log: nothing may rewrite what happened to a document.
    def update(self, **kwargs):
        raise PermissionError("Document events cannot be changed.")

    def delete(self):
        raise PermissionError("Document events cannot be deleted.")


class DocumentEvent(models.Model):
    """One row per step of a money document (a statement or invoice made, checked, issued,
    paid, corrected; a cost entered or removed): who, when, from, to, note."""

    workshop = models.ForeignKey(
        "workshop.Workshop",
        on_delete=models.PROTECT,
        related_name="document_events",
        verbose_name=_("workshop"),
    )
    document_type = models.CharField(max_length=30, verbose_name=_("document type"))
    document_id = models.BigIntegerField(verbose_name=_("document id"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("actor"),
    )
    at = models.DateTimeField(default=timezone.now, verbose_name=_("at"))
    from_status = models.CharField(max_length=20, blank=True, verbose_name=_("from status"))
    to_status = models.CharField(max_length=20, verbose_name=_("to status"))
    note = models.TextField(blank=True, verbose_name=_("note"))

    objects = DocumentEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("document event")
        verbose_name_plural = _("document events")
        ordering = ["at", "pk"]
        indexes = [
            models.Index(fields=["document_type", "document_id"], name="document_event_document")
        ]

    def __str__(self) -> str:
        return f"{self.document_type} {self.document_id}: {self.from_status} → {self.to_status}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionError("Document events cannot be changed.")
        super().save(*args, **kwargs)


class OrderConfirmationQuerySet(models.QuerySet):
    def visible_to(self, user) -> "OrderConfirmationQuerySet":
        """The order's company members and the workshop's staff."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(
            Q(company__in=_member_companies(user)) | Q(workshop__in=_staff_workshops(user))
        )


class OrderConfirmation(models.Model):
    """注文請書: the workshop's written acceptance of an order, issued when it accepts. It keeps
    the terms as they were accepted (the law asks for the work, the price, the delivery date
    and the payment date), so it never changes even if the order's row does."""

    order = models.OneToOneField(
        "jobs.Order", on_delete=models.PROTECT, related_name="confirmation", verbose_name=_("order")
    )
    workshop = models.ForeignKey(
        "workshop.Workshop", on_delete=models.PROTECT, related_name="+", verbose_name=_("workshop")
    )
    company = models.ForeignKey(
        "companies.Company", on_delete=models.PROTECT, related_name="+", verbose_name=_("company")
    )
    number = models.CharField(_("number"), max_length=20)
    fiscal_year = models.PositiveSmallIntegerField(verbose_name=_("fiscal year"))
    issued_on = models.DateField(_("issued on"))
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("issued by"),
    )
    issued_at = models.DateTimeField(default=timezone.now, verbose_name=_("issued at"))
    ordered_on = models.DateField(_("ordered on"))
    title = models.CharField(_("title"), max_length=120)
    description = models.TextField(_("what the work is"), blank=True)
    quantity = models.PositiveIntegerField(_("quantity"))
    unit_label = models.CharField(_("counted in"), max_length=10)
    unit_price_yen = models.PositiveIntegerField(_("unit price (yen)"), null=True, blank=True)
    total_price_yen = models.PositiveIntegerField(_("total price (yen)"))
    tax_rate = models.PositiveSmallIntegerField(_("consumption tax rate (%)"), default=10)
    delivery_date = models.DateField(_("delivery date"))
    delivery_method = models.CharField(_("delivery method"), max_length=10)
    payment_date = models.DateField(_("payment date"))

    objects = OrderConfirmationQuerySet.as_manager()

    class Meta:
        verbose_name = _("order confirmation")
        verbose_name_plural = _("order confirmations")
        ordering = ["-issued_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["workshop", "number"], name="order_confirmation_number_unique"
            ),
        ]

    def __str__(self) -> str:
        return self.number


class InvoiceQuerySet(models.QuerySet):
    def visible_to(self, user) -> "InvoiceQuerySet":
        """The workshop's staff see all its invoices; a company's members see only the ones
        issued to their company (drafts are still the workshop's own)."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(
            Q(workshop__in=_staff_workshops(user))
            | Q(company__in=_member_companies(user), status=Invoice.Status.ISSUED)
        )

    def issued(self) -> "InvoiceQuerySet":
        return self.filter(status=Invoice.Status.ISSUED)


class InvoiceKind(models.TextChoices):
    INVOICE = "invoice", _("Invoice")
    RETURN = "return", _("Return invoice")


class DocumentStatus(models.TextChoices):
    """A statement's or invoice's way to being issued. Once issued it never changes."""

    DRAFT = "draft", _("Draft")
    CHECKED = "checked", _("Checked")
    ISSUED = "issued", _("Issued")


class Invoice(models.Model):
    """A qualified invoice (適格請求書) to a company, for one order or a month of orders, or a
    return invoice (返還インボイス) that corrects an issued one. The lines and the totals per
    tax rate are fixed when it is issued; nothing about it changes after that, and payments
    are recorded beside it (InvoicePayment)."""

    Kind = InvoiceKind
    Status = DocumentStatus

    workshop = models.ForeignKey(
        "workshop.Workshop",
        on_delete=models.PROTECT,
        related_name="invoices",
        verbose_name=_("workshop"),
    )
    company = models.ForeignKey(
        "companies.Company",
        on_delete=models.PROTECT,
        related_name="invoices",
        verbose_name=_("company"),
    )
    kind = models.CharField(
        _("kind"), max_length=10, choices=InvoiceKind.choices, default=InvoiceKind.INVOICE
    )
    original = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="returns",
        verbose_name=_("corrects"),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=DocumentStatus.choices, default=DocumentStatus.DRAFT
    )
    number = models.CharField(_("number"), max_length=20, blank=True)
    fiscal_year = models.PositiveSmallIntegerField(
        null=True, blank=True, verbose_name=_("fiscal year")
    )
    period_start = models.DateField(_("transactions from"))
    period_end = models.DateField(_("transactions until"))
    issued_on = models.DateField(_("issued on"), null=True, blank=True)
    due_date = models.DateField(_("payment due"))
    reason = models.TextField(_("reason"), blank=True)
    subtotal_yen = models.BigIntegerField(_("amount before tax"), default=0)
    tax_yen = models.BigIntegerField(_("consumption tax"), default=0)
    total_yen = models.BigIntegerField(_("total including tax"), default=0)
    # The amount and tax per rate, as jobs.money.tax_by_rate computed them when the lines last
    # changed: [{"rate": 10, "amount": 5000, "tax": 500}, …]; fixed when issued.
    tax_summary = models.JSONField(default=list, verbose_name=_("tax summary"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(default=timezone.now, verbose_name=_("created at"))
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("checked by"),
    )
    checked_at = models.DateTimeField(null=True, blank=True, verbose_name=_("checked at"))
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("issued by"),
    )
    issued_at = models.DateTimeField(null=True, blank=True, verbose_name=_("issued at"))

    objects = InvoiceQuerySet.as_manager()

    class Meta:
        verbose_name = _("invoice")
        verbose_name_plural = _("invoices")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["workshop", "status", "due_date"], name="invoice_workshop_due"),
            models.Index(fields=["company", "status"], name="invoice_company_status"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=InvoiceKind.values), name="invoice_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(status__in=DocumentStatus.values), name="invoice_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(kind="invoice", original__isnull=True)
                | Q(kind="return", original__isnull=False),
                name="invoice_return_has_original",
            ),
            models.CheckConstraint(
                condition=~Q(status="issued")
                | (Q(issued_on__isnull=False, fiscal_year__isnull=False) & ~Q(number="")),
                name="invoice_issued_has_number",
            ),
            models.UniqueConstraint(
                fields=["workshop", "number"],
                condition=~Q(number=""),
                name="invoice_number_unique",
            ),
            models.CheckConstraint(
                condition=Q(period_start__lte=models.F("period_end")),
                name="invoice_period_in_order",
            ),
        ]

    def __str__(self) -> str:
        return self.number or f"draft {self.pk}"

    @property
    def is_return(self) -> bool:
        return self.kind == InvoiceKind.RETURN

    @property
    def is_issued(self) -> bool:
        return self.status == DocumentStatus.ISSUED


class InvoiceLine(models.Model):
    """One line of an invoice: an order (or part of one, or something else staff add, such as
    shipping) with its amount before tax and the tax rate it falls under. Reduced-rate (8%)
    lines are marked on the document, as the qualified-invoice rules ask."""

    invoice = models.ForeignKey(
        Invoice, on_delete=models.CASCADE, related_name="lines", verbose_name=_("invoice")
    )
    position = models.PositiveSmallIntegerField(default=0, verbose_name=_("position"))
    order = models.ForeignKey(
        "jobs.Order",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="invoice_lines",
        verbose_name=_("order"),
    )
    description = models.CharField(_("what was done"), max_length=200)
    delivered_on = models.DateField(_("date of the transaction"), null=True, blank=True)
    quantity = models.PositiveIntegerField(_("quantity"), null=True, blank=True)
    unit_label = models.CharField(_("counted in"), max_length=10, blank=True)
    unit_price_yen = models.PositiveIntegerField(_("unit price (yen)"), null=True, blank=True)
    amount_yen = models.PositiveBigIntegerField(_("amount before tax (yen)"))
    tax_rate = models.PositiveSmallIntegerField(_("tax rate (%)"), default=10)

    class Meta:
        verbose_name = _("invoice line")
        verbose_name_plural = _("invoice lines")
        ordering = ["invoice", "position", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(tax_rate__in=[10, 8]), name="invoice_line_tax_rate_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.description

    @property
    def is_reduced_rate(self) -> bool:
        return self.tax_rate == 8


class InvoicePaymentQuerySet(models.QuerySet):
    def visible_to(self, user) -> "InvoicePaymentQuerySet":
        return self.filter(invoice__in=Invoice.objects.visible_to(user))


class InvoicePayment(models.Model):
    """Staff recorded that the company paid an issued invoice. Kept beside the invoice, so the
    issued document itself is never written to again."""

    invoice = models.OneToOneField(
        Invoice, on_delete=models.PROTECT, related_name="payment", verbose_name=_("invoice")
    )
    paid_on = models.DateField(_("paid on"))
    amount_yen = models.BigIntegerField(_("amount paid (yen)"))
    note = models.CharField(_("note"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    recorded_at = models.DateTimeField(default=timezone.now, verbose_name=_("recorded at"))

    objects = InvoicePaymentQuerySet.as_manager()

    class Meta:
        verbose_name = _("invoice payment")
        verbose_name_plural = _("invoice payments")

    def __str__(self) -> str:
        return f"{self.invoice}: {self.amount_yen}"


class ProductionCostQuerySet(models.QuerySet):
    def visible_to(self, user) -> "ProductionCostQuerySet":
        if not user.is_authenticated:
            return self.none()
        return self.filter(workshop__in=_staff_workshops(user))


class CostCategory(models.TextChoices):
    MATERIALS = "materials", _("Materials")
    DELIVERY = "delivery", _("Delivery and shipping")
    TOOLS = "tools", _("Tools and consumables")
    OTHER = "other", _("Other")


def receipt_path(instance: "ProductionCost", filename: str) -> str:
    # The stored name never comes from the uploader: only the detected extension is kept.
    return f"receipts/{instance.workshop_id}/{uuid.uuid4().hex}.{instance.receipt_extension}"


class ProductionCost(models.Model):
    """A cost of production activity (materials, delivery, …) entered by staff for the month's
    books, with the receipt attached (checked by its content, jobs/attachments.py)."""

    Category = CostCategory

    workshop = models.ForeignKey(
        "workshop.Workshop",
        on_delete=models.PROTECT,
        related_name="production_costs",
        verbose_name=_("workshop"),
    )
    spent_on = models.DateField(_("date"))
    category = models.CharField(_("kind"), max_length=10, choices=CostCategory.choices)
    description = models.CharField(_("what it was"), max_length=200)
    amount_yen = models.PositiveIntegerField(_("amount paid (yen)"))
    order = models.ForeignKey(
        "jobs.Order",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("for the order"),
    )
    receipt = models.FileField(
        upload_to=receipt_path, max_length=200, blank=True, verbose_name=_("receipt")
    )
    receipt_name = models.CharField(_("receipt file"), max_length=200, blank=True)
    receipt_content_type = models.CharField(
        max_length=50, blank=True, verbose_name=_("receipt content type")
    )
    receipt_extension = models.CharField(
        max_length=10, blank=True, verbose_name=_("receipt extension")
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("entered by"),
    )
    entered_at = models.DateTimeField(default=timezone.now, verbose_name=_("entered at"))

    objects = ProductionCostQuerySet.as_manager()

    class Meta:
        verbose_name = _("production cost")
        verbose_name_plural = _("production costs")
        ordering = ["spent_on", "pk"]
        indexes = [models.Index(fields=["workshop", "spent_on"], name="cost_workshop_day")]
        constraints = [
            models.CheckConstraint(
                condition=Q(category__in=CostCategory.values), name="cost_category_valid"
            ),
            models.CheckConstraint(condition=Q(amount_yen__gte=1), name="cost_amount_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.spent_on} {self.description}"
