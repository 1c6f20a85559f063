"""工賃 data: the monthly wage statement (工賃明細) with its lines and deductions, the background
run that drafts a month for everyone, and the bank account 工賃 are paid to. Figures come from
jobs/money.py; the rules that write these rows are in participants/wages.py."""

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jobs.money_models import AccountType, DocumentStatus, digits, validate_half_width_kana
from workshop.models import StaffMembership


def _staff_workshops(user):
    return StaffMembership.objects.filter(user=user).values("workshop")


class BankAccountQuerySet(models.QuerySet):
    def visible_to(self, user) -> "BankAccountQuerySet":
        """Only the staff of the participant's workshop. Not even the participant reads it back
        in full: it is shown masked everywhere (BankAccount.masked_number)."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(participant__workshop__in=_staff_workshops(user))


class BankAccount(models.Model):
    """The account a participant's 工賃 are paid to, entered by staff from the bankbook, for the
    bank transfer file (全銀). Private: read only by the participant's own workshop's staff,
    shown masked, and every export that holds it in full is written to the audit log."""

    participant = models.OneToOneField(
        "participants.Participant",
        on_delete=models.CASCADE,
        related_name="bank_account",
        verbose_name=_("participant"),
    )
    bank_code = models.CharField(
        _("bank code"),
        max_length=4,
        validators=[RegexValidator(r"^\d{4}$", _("Four digits."), code="bank_code")],
    )
    bank_name_kana = models.CharField(
        _("bank name in half-width kana"),
        max_length=15,
        blank=True,
        validators=[validate_half_width_kana],
    )
    branch_code = models.CharField(
        _("branch code"),
        max_length=3,
        validators=[RegexValidator(r"^\d{3}$", _("Three digits."), code="branch_code")],
    )
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
        _("account number"),
        max_length=7,
        validators=[digits, RegexValidator(r"^\d{7}$", _("Seven digits."), code="account")],
    )
    holder_kana = models.CharField(
        _("account holder in half-width kana"),
        max_length=30,
        validators=[validate_half_width_kana],
        help_text=_("As printed in the bankbook, e.g. ﾔﾏﾀﾞ ﾊﾅｺ"),
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("updated by"),
    )
    updated_at = models.DateTimeField(default=timezone.now, verbose_name=_("updated at"))

    objects = BankAccountQuerySet.as_manager()

    class Meta:
        verbose_name = _("bank account")
        verbose_name_plural = _("bank accounts")
        constraints = [
            models.CheckConstraint(
                condition=Q(account_type__in=AccountType.values), name="bank_account_type_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.participant}: {self.masked_number}"

    @property
    def masked_number(self) -> str:
        """The last three digits only: enough for staff to recognise the account."""
        return "****" + self.account_number[-3:]


class WageStatementQuerySet(models.QuerySet):
    def visible_to(self, user) -> "WageStatementQuerySet":
        """Staff of the workshop see all its statements; a participant sees only their own,
        and only once issued (a draft's figures may still change)."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(
            Q(workshop__in=_staff_workshops(user))
            | Q(participant__user=user, status=DocumentStatus.ISSUED)
        )

    def issued(self) -> "WageStatementQuerySet":
        return self.filter(status=DocumentStatus.ISSUED)


class StatementKind(models.TextChoices):
    REGULAR = "regular", _("Monthly statement")
    ADJUSTMENT = "adjustment", _("Adjustment statement")


class WageStatement(models.Model):
    """工賃明細: what a participant is paid for a month, line by line (approved quantity × the
    order's unit price × the workshop's share, or credited minutes × the hourly rate, each
    rounded down to the yen once), with the month's days and hours, deductions with their
    reasons, and the total. draft → checked → issued; an issued statement never changes, and a
    correction is an adjustment statement that references it and states the difference."""

    Kind = StatementKind
    Status = DocumentStatus

    workshop = models.ForeignKey(
        "workshop.Workshop",
        on_delete=models.PROTECT,
        related_name="wage_statements",
        verbose_name=_("workshop"),
    )
    participant = models.ForeignKey(
        "participants.Participant",
        on_delete=models.PROTECT,
        related_name="wage_statements",
        verbose_name=_("participant"),
    )
    month = models.DateField(_("month"), help_text=_("The first day of the month."))
    kind = models.CharField(
        _("kind"), max_length=10, choices=StatementKind.choices, default=StatementKind.REGULAR
    )
    adjusts = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="adjustments",
        verbose_name=_("adjusts"),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=DocumentStatus.choices, default=DocumentStatus.DRAFT
    )
    number = models.CharField(_("number"), max_length=20, blank=True)
    fiscal_year = models.PositiveSmallIntegerField(
        null=True, blank=True, verbose_name=_("fiscal year")
    )
    # How pay was computed, as set when the statement was drafted.
    pay_mode = models.CharField(_("how 工賃 is paid"), max_length=10)
    wage_share_percent = models.PositiveSmallIntegerField(
        default=0, verbose_name=_("wage share percent")
    )
    hourly_wage_yen = models.PositiveIntegerField(default=0, verbose_name=_("hourly wage yen"))
    days_worked = models.PositiveSmallIntegerField(_("days worked"), default=0)
    minutes_worked = models.PositiveIntegerField(_("minutes worked"), default=0)
    gross_yen = models.BigIntegerField(_("工賃 before deductions"), default=0)
    deductions_yen = models.BigIntegerField(_("deductions"), default=0)
    total_yen = models.BigIntegerField(_("total"), default=0)
    pay_date = models.DateField(_("paid on"))
    reason = models.TextField(_("reason for the adjustment"), blank=True)
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

    objects = WageStatementQuerySet.as_manager()

    class Meta:
        verbose_name = _("wage statement")
        verbose_name_plural = _("wage statements")
        ordering = ["-month", "participant", "pk"]
        indexes = [
            models.Index(fields=["workshop", "month", "status"], name="statement_workshop_month"),
            models.Index(fields=["participant", "month"], name="statement_participant_month"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["participant", "month"],
                condition=Q(kind="regular"),
                name="one_regular_statement_per_month",
            ),
            models.CheckConstraint(
                condition=Q(kind="regular", adjusts__isnull=True)
                | Q(kind="adjustment", adjusts__isnull=False),
                name="statement_adjustment_has_original",
            ),
            models.CheckConstraint(
                condition=Q(status__in=DocumentStatus.values), name="statement_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(kind__in=StatementKind.values), name="statement_kind_valid"
            ),
            models.CheckConstraint(
                condition=~Q(status="issued") | (Q(fiscal_year__isnull=False) & ~Q(number="")),
                name="statement_issued_has_number",
            ),
            models.UniqueConstraint(
                fields=["workshop", "number"],
                condition=~Q(number=""),
                name="statement_number_unique",
            ),
        ]

    def __str__(self) -> str:
        return self.number or f"draft {self.pk}"

    @property
    def is_issued(self) -> bool:
        return self.status == DocumentStatus.ISSUED

    @property
    def is_adjustment(self) -> bool:
        return self.kind == StatementKind.ADJUSTMENT


class WageStatementLine(models.Model):
    """One line of a statement: an order's credited quantity at its price per item and the
    share, or its credited minutes at the hourly rate, or (on an adjustment) a difference.
    The price per item is kept as a fraction (price_yen / price_per) so that an order priced
    as a whole (¥100,000 for 3,000 items) is not rounded before the line is."""

    statement = models.ForeignKey(
        WageStatement, on_delete=models.CASCADE, related_name="lines", verbose_name=_("statement")
    )
    position = models.PositiveSmallIntegerField(default=0, verbose_name=_("position"))
    order = models.ForeignKey(
        "jobs.Order",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("order"),
    )
    description = models.CharField(_("work"), max_length=200)
    unit_label = models.CharField(max_length=10, blank=True, verbose_name=_("unit label"))
    quantity = models.IntegerField(_("quantity"), default=0)
    minutes = models.IntegerField(_("minutes"), default=0)
    price_yen = models.PositiveBigIntegerField(default=0, verbose_name=_("price yen"))
    price_per = models.PositiveIntegerField(default=1, verbose_name=_("price per"))
    amount_yen = models.BigIntegerField(_("amount (yen)"))

    class Meta:
        verbose_name = _("wage statement line")
        verbose_name_plural = _("wage statement lines")
        ordering = ["statement", "position", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(price_per__gte=1), name="statement_line_per_valid"),
        ]

    def __str__(self) -> str:
        return self.description


class WageDeduction(models.Model):
    """Something taken off a statement's total (a lunch fee, say), entered by staff with the
    reason the participant reads."""

    statement = models.ForeignKey(
        WageStatement,
        on_delete=models.CASCADE,
        related_name="deductions",
        verbose_name=_("statement"),
    )
    amount_yen = models.PositiveIntegerField(_("amount (yen)"))
    reason = models.CharField(_("reason"), max_length=200)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("entered by"),
    )
    entered_at = models.DateTimeField(default=timezone.now, verbose_name=_("entered at"))

    class Meta:
        verbose_name = _("deduction")
        verbose_name_plural = _("deductions")
        ordering = ["statement", "entered_at", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(amount_yen__gte=1), name="deduction_positive"),
            models.CheckConstraint(condition=~Q(reason=""), name="deduction_has_reason"),
        ]

    def __str__(self) -> str:
        return f"{self.amount_yen}: {self.reason}"


class WageRunQuerySet(models.QuerySet):
    def visible_to(self, user) -> "WageRunQuerySet":
        if not user.is_authenticated:
            return self.none()
        return self.filter(workshop__in=_staff_workshops(user))

    def unfinished(self) -> "WageRunQuerySet":
        return self.filter(status__in=[WageRun.Status.QUEUED, WageRun.Status.RUNNING])


class WageRun(models.Model):
    """Drafting a month's statements for every participant of a workshop, done by a background
    task person by person, with a progress bar like a large split's."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting to start")
        RUNNING = "running", _("Drafting")
        DONE = "done", _("Done")
        FAILED = "failed", _("Stopped")

    workshop = models.ForeignKey(
        "workshop.Workshop", on_delete=models.CASCADE, related_name="+", verbose_name=_("workshop")
    )
    month = models.DateField(verbose_name=_("month"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(default=timezone.now, verbose_name=_("created at"))
    participant_ids = models.JSONField(default=list, verbose_name=_("participant ids"))
    total = models.PositiveIntegerField(verbose_name=_("total"))
    done_count = models.PositiveIntegerField(default=0, verbose_name=_("done count"))
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.QUEUED, verbose_name=_("status")
    )
    error = models.TextField(blank=True, verbose_name=_("error"))
    finished_at = models.DateTimeField(null=True, blank=True, verbose_name=_("finished at"))

    objects = WageRunQuerySet.as_manager()

    class Meta:
        verbose_name = _("statement run")
        verbose_name_plural = _("statement runs")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["queued", "running", "done", "failed"]),
                name="wage_run_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(done_count__lte=models.F("total")), name="wage_run_done_at_most_total"
            ),
            models.UniqueConstraint(
                fields=["workshop", "month"],
                condition=Q(status__in=["queued", "running"]),
                name="one_unfinished_wage_run_per_month",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.workshop_id} {self.month:%Y-%m}: {self.done_count}/{self.total}"

    @property
    def percent(self) -> int:
        return 100 * self.done_count // self.total if self.total else 100

    @property
    def finished(self) -> bool:
        return self.status in {self.Status.DONE, self.Status.FAILED}
