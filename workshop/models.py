"""The tenants: people (User), workshops and the staff who work in them."""

import datetime

from django.contrib.auth.models import AbstractUser
from django.contrib.auth.models import UserManager as DjangoUserManager
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

validate_invoice_registration_number = RegexValidator(
    r"^T\d{13}$",
    _("Enter the qualified-invoice registration number as T followed by 13 digits."),
    code="invoice_registration_number",
)


class UserQuerySet(models.QuerySet):
    def visible_to(self, user) -> "UserQuerySet":
        """People someone works with: themself, colleagues and participants of the workshops
        where they are staff, the members of the companies those workshops work for, and the
        other members of their own companies. A participant sees only themself, and companies
        never see participants."""
        if not user.is_authenticated:
            return self.none()
        from companies.models import CompanyMembership, Partnership
        from participants.models import Participant

        staffed = StaffMembership.objects.filter(user=user).values("workshop")
        own_companies = CompanyMembership.objects.filter(user=user).values("company")
        partner_companies = Partnership.objects.filter(workshop__in=staffed).values("company")
        return self.filter(
            Q(pk=user.pk)
            | Q(pk__in=StaffMembership.objects.filter(workshop__in=staffed).values("user"))
            | Q(pk__in=Participant.objects.filter(workshop__in=staffed).values("user"))
            | Q(
                pk__in=CompanyMembership.objects.filter(
                    Q(company__in=own_companies) | Q(company__in=partner_companies)
                ).values("user")
            )
        )


class UserManager(DjangoUserManager.from_queryset(UserQuerySet)):
    def get(self, *args, **kwargs):
        """`User.objects.get(pk=<int>)`, which is how Django's authentication backends read the
        signed-in person on every request, from a statement compiled once (jobs/prepared.py):
        building it again each time was a tenth of a take through the phone's view
        (docs/performance.md). The same row, the same DoesNotExist; any other lookup as usual."""
        pk = kwargs.get("pk")
        if args or len(kwargs) != 1 or type(pk) is not int or self._db is not None:
            return super().get(*args, **kwargs)
        from jobs.prepared import by_pk_later

        user = by_pk_later(self.model, pk)()
        if user is None:
            raise self.model.DoesNotExist(
                f"{self.model._meta.object_name} matching query does not exist."
            )
        return user


class User(AbstractUser):
    """A person who signs in. Roles come from memberships, never from flags on the user:
    one person can be staff in two workshops and order for a company at the same time."""

    # Participants may have no e-mail address at all, so e-mail is optional but unique when given.
    email = models.EmailField(_("e-mail address"), blank=True)
    display_name = models.CharField(_("name shown to others"), max_length=60, blank=True)
    email_notifications = models.BooleanField(
        _("send me e-mail about orders and messages"),
        default=True,
        help_text=_("Sign-in codes, invitations and password links are always sent."),
    )

    objects = UserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.UniqueConstraint(
                Lower("email"), condition=~Q(email=""), name="user_email_unique_ci"
            ),
        ]

    def __str__(self) -> str:
        return self.display_name or self.email or self.username


class WorkshopQuerySet(models.QuerySet):
    def visible_to(self, user) -> "WorkshopQuerySet":
        """Workshops a person may see: where they are staff or a participant, and those their
        company orders from."""
        if not user.is_authenticated:
            return self.none()
        from companies.models import Partnership
        from participants.models import Participant

        return self.filter(
            Q(pk__in=StaffMembership.objects.filter(user=user).values("workshop"))
            | Q(pk__in=Participant.objects.filter(user=user).values("workshop"))
            | Q(
                pk__in=Partnership.objects.filter(company__memberships__user=user).values(
                    "workshop"
                )
            )
        )

    def staffed_by(self, user) -> "WorkshopQuerySet":
        if not user.is_authenticated:
            return self.none()
        return self.filter(pk__in=StaffMembership.objects.filter(user=user).values("workshop"))

    def managed_by(self, user) -> "WorkshopQuerySet":
        if not user.is_authenticated:
            return self.none()
        return self.filter(
            pk__in=StaffMembership.objects.filter(
                user=user, role=StaffMembership.Role.MANAGER
            ).values("workshop")
        )


class Workshop(models.Model):
    """A workshop (事業所): takes orders, splits them into units, pays 工賃."""

    class PayMode(models.TextChoices):
        PIECE_RATE = "piece", _("Piece rate (per approved item)")
        HOURLY = "hourly", _("Hourly (per logged hour)")

    name = models.CharField(_("name"), max_length=100)
    slug = models.SlugField(_("short name for addresses"), max_length=50, unique=True)
    operator = models.CharField(
        _("operated by"),
        max_length=100,
        blank=True,
        help_text=_("e.g. the city's social-welfare council"),
    )
    address = models.CharField(_("address"), max_length=200, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    invoice_registration_number = models.CharField(
        _("qualified-invoice registration number"),
        max_length=14,
        blank=True,
        validators=[validate_invoice_registration_number],
        help_text=_("T followed by 13 digits, as printed on invoices."),
    )
    claim_timeout_hours = models.PositiveSmallIntegerField(
        _("hours a taken unit is kept without progress"), default=48
    )
    hold_limit = models.PositiveSmallIntegerField(
        _("units a participant may hold at once"), default=3
    )
    pay_mode = models.CharField(
        _("how 工賃 is paid"), max_length=10, choices=PayMode.choices, default=PayMode.PIECE_RATE
    )
    wage_share_percent = models.PositiveSmallIntegerField(
        _("share of order revenue paid as 工賃 (%)"), default=70
    )
    hourly_wage_yen = models.PositiveIntegerField(
        _("hourly 工賃 (yen)"), default=0, help_text=_("Used when 工賃 is paid per logged hour.")
    )
    hourly_floor_yen = models.PositiveIntegerField(
        _("lowest acceptable hourly equivalent (yen)"),
        default=300,
        help_text=_("Orders whose hourly equivalent for participants is below this are flagged."),
    )
    goal_review_months = models.PositiveSmallIntegerField(
        _("months between reviews of support goals"), default=6
    )
    retention_years = models.PositiveSmallIntegerField(
        _("years support records are kept after support ends"), default=5
    )
    # After this time a participant who started and has not finished is shown, gently, for a
    # call on today's contacts (docs/homework.md).
    closes_at = models.TimeField(_("closing time"), default=datetime.time(17, 0))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = WorkshopQuerySet.as_manager()

    class Meta:
        verbose_name = _("workshop")
        verbose_name_plural = _("workshops")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(claim_timeout_hours__gte=1), name="workshop_claim_timeout_positive"
            ),
            models.CheckConstraint(
                condition=Q(hold_limit__gte=1), name="workshop_hold_limit_positive"
            ),
            models.CheckConstraint(
                condition=Q(wage_share_percent__gte=0, wage_share_percent__lte=100),
                name="workshop_wage_share_is_a_percentage",
            ),
            models.CheckConstraint(
                condition=Q(pay_mode__in=["piece", "hourly"]), name="workshop_pay_mode_valid"
            ),
            models.CheckConstraint(
                condition=Q(invoice_registration_number="")
                | Q(invoice_registration_number__startswith="T"),
                name="workshop_invoice_number_starts_with_t",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class StaffMembershipQuerySet(models.QuerySet):
    def visible_to(self, user) -> "StaffMembershipQuerySet":
        """Staff see who works in their workshops (themselves included)."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(
            workshop__in=StaffMembership.objects.filter(user=user).values("workshop")
        )


class StaffMembership(models.Model):
    """Makes a user staff (支援員) or manager (管理者) of one workshop."""

    class Role(models.TextChoices):
        STAFF = "staff", _("Staff")
        MANAGER = "manager", _("Manager")

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="staff_memberships", verbose_name=_("user")
    )
    workshop = models.ForeignKey(
        Workshop,
        on_delete=models.CASCADE,
        related_name="staff_memberships",
        verbose_name=_("workshop"),
    )
    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.STAFF)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = StaffMembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("staff membership")
        verbose_name_plural = _("staff memberships")
        constraints = [
            models.UniqueConstraint(fields=["user", "workshop"], name="staff_membership_unique"),
            models.CheckConstraint(
                condition=Q(role__in=["staff", "manager"]), name="staff_membership_role_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} @ {self.workshop} ({self.get_role_display()})"

    @property
    def is_manager(self) -> bool:
        return self.role == self.Role.MANAGER


class AuditLogQuerySet(models.QuerySet):
    def visible_to(self, user) -> "AuditLogQuerySet":
        """Only managers read the audit log, and only their own workshop's."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(workshop__in=Workshop.objects.managed_by(user))

    # The log is append-only: nothing may rewrite or remove what it says happened.
    def update(self, **kwargs):
        raise PermissionError("The audit log cannot be changed.")

    def delete(self):
        raise PermissionError("The audit log cannot be deleted.")


class AuditLog(models.Model):
    """Who read or wrote which sensitive record (要配慮個人情報), and when. It names records by
    type and id and never holds their content, so it can outlive them."""

    class Action(models.TextChoices):
        READ = "read", _("Read")
        CREATE = "create", _("Created")
        UPDATE = "update", _("Corrected")
        DELETE = "delete", _("Deleted")
        EXPORT = "export", _("Exported")
        PURGE = "purge", _("Purged")

    at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        User,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("who"),
    )
    # Kept as text too, so the row still says who it was after the account is gone.
    actor_label = models.CharField(_("who (name kept)"), max_length=150, blank=True)
    workshop = models.ForeignKey(
        Workshop, on_delete=models.PROTECT, related_name="audit_logs", verbose_name=_("workshop")
    )
    action = models.CharField(_("what"), max_length=10, choices=Action.choices)
    record_type = models.CharField(_("record"), max_length=40)
    record_id = models.BigIntegerField(_("record number"), null=True, blank=True)
    # A plain id, not a foreign key: the log stays when the participant's records are purged.
    participant_id = models.BigIntegerField(
        _("participant number"), null=True, blank=True, db_index=True
    )
    summary = models.CharField(_("details"), max_length=200, blank=True)

    objects = AuditLogQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit log entry")
        verbose_name_plural = _("audit log")
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["workshop", "at"], name="audit_workshop_at")]
        constraints = [
            models.CheckConstraint(
                condition=Q(action__in=["read", "create", "update", "delete", "export", "purge"]),
                name="audit_action_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_label} {self.action} {self.record_type}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionError("The audit log cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("The audit log cannot be deleted.")
