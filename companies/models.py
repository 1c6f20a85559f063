"""Companies that order work, their members, which workshops they order from, and requests
for a company account."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from workshop.models import StaffMembership, Workshop, validate_invoice_registration_number


class CompanyQuerySet(models.QuerySet):
    def visible_to(self, user) -> "CompanyQuerySet":
        """A company is seen by its own members and by staff of the workshops it orders from."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(
            Q(pk__in=CompanyMembership.objects.filter(user=user).values("company"))
            | Q(
                pk__in=Partnership.objects.filter(
                    workshop__in=StaffMembership.objects.filter(user=user).values("workshop")
                ).values("company")
            )
        )

    def of_member(self, user) -> "CompanyQuerySet":
        if not user.is_authenticated:
            return self.none()
        return self.filter(pk__in=CompanyMembership.objects.filter(user=user).values("company"))


class Company(models.Model):
    """A company (企業) that sends outsourced work to one or more workshops."""

    name = models.CharField(_("company name"), max_length=120)
    slug = models.SlugField(_("short name for addresses"), max_length=50, unique=True)
    address = models.CharField(_("address"), max_length=200, blank=True)
    contact_name = models.CharField(_("contact person"), max_length=60, blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    invoice_registration_number = models.CharField(
        _("qualified-invoice registration number"),
        max_length=14,
        blank=True,
        validators=[validate_invoice_registration_number],
    )
    workshops = models.ManyToManyField(
        Workshop, through="Partnership", related_name="companies", verbose_name=_("workshops")
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = CompanyQuerySet.as_manager()

    class Meta:
        verbose_name = _("company")
        verbose_name_plural = _("companies")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(invoice_registration_number="")
                | Q(invoice_registration_number__startswith="T"),
                name="company_invoice_number_starts_with_t",
            ),
        ]

    def __str__(self) -> str:
        return self.name


def _companies_of_staff(user):
    """Companies that order from a workshop where the user is staff."""
    return Partnership.objects.filter(
        workshop__in=StaffMembership.objects.filter(user=user).values("workshop")
    ).values("company")


class CompanyMembershipQuerySet(models.QuerySet):
    def visible_to(self, user) -> "CompanyMembershipQuerySet":
        """Members see who else belongs to their companies; workshop staff see the members of
        the companies that order from them."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(
            Q(company__in=CompanyMembership.objects.filter(user=user).values("company"))
            | Q(company__in=_companies_of_staff(user))
        )


class CompanyMembership(models.Model):
    class Role(models.TextChoices):
        MEMBER = "member", _("Member")
        ADMIN = "admin", _("Administrator")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="company_memberships"
    )
    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.MEMBER)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = CompanyMembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("company membership")
        verbose_name_plural = _("company memberships")
        constraints = [
            models.UniqueConstraint(fields=["user", "company"], name="company_membership_unique"),
            models.CheckConstraint(
                condition=Q(role__in=["member", "admin"]), name="company_membership_role_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} @ {self.company} ({self.get_role_display()})"

    @property
    def is_admin(self) -> bool:
        return self.role == self.Role.ADMIN


class PartnershipQuerySet(models.QuerySet):
    def visible_to(self, user) -> "PartnershipQuerySet":
        """Both sides see a partnership: the workshop's staff and the company's members."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(
            Q(workshop__in=StaffMembership.objects.filter(user=user).values("workshop"))
            | Q(company__in=CompanyMembership.objects.filter(user=user).values("company"))
        )


class Partnership(models.Model):
    """A company orders from a workshop. Orders can only go along a partnership."""

    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="partnerships")
    workshop = models.ForeignKey(Workshop, on_delete=models.CASCADE, related_name="partnerships")
    since = models.DateField(_("since"), auto_now_add=True)

    objects = PartnershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("partnership")
        verbose_name_plural = _("partnerships")
        constraints = [
            models.UniqueConstraint(fields=["company", "workshop"], name="partnership_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.company} → {self.workshop}"


class AccountRequestQuerySet(models.QuerySet):
    def visible_to(self, user) -> "AccountRequestQuerySet":
        """Only managers of the workshop asked decide on a company's request."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(workshop__in=Workshop.objects.managed_by(user))


class AccountRequest(models.Model):
    """A company asks for an account with a workshop; a manager of that workshop decides."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for a decision")
        APPROVED = "approved", pgettext_lazy("account request", "Approved")
        REJECTED = "rejected", _("Not approved")

    workshop = models.ForeignKey(
        Workshop,
        on_delete=models.CASCADE,
        related_name="account_requests",
        verbose_name=_("workshop"),
    )
    company_name = models.CharField(_("company name"), max_length=120)
    contact_name = models.CharField(_("your name"), max_length=60)
    email = models.EmailField(_("e-mail address"))
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    address = models.CharField(_("address"), max_length=200, blank=True)
    message = models.TextField(_("what work you would like to send"), blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(_("note"), blank=True)
    company = models.ForeignKey(
        Company, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = AccountRequestQuerySet.as_manager()

    class Meta:
        verbose_name = _("company account request")
        verbose_name_plural = _("company account requests")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["pending", "approved", "rejected"]),
                name="account_request_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(status="pending") | Q(decided_at__isnull=False),
                name="account_request_decided_has_time",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.company_name} → {self.workshop}"


class ApiTokenQuerySet(models.QuerySet):
    def visible_to(self, user) -> "ApiTokenQuerySet":
        """A company's tokens are managed by its admins only."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(
            company__in=CompanyMembership.objects.filter(
                user=user, role=CompanyMembership.Role.ADMIN
            ).values("company")
        )

    def active(self) -> "ApiTokenQuerySet":
        return self.filter(revoked_at__isnull=True)


class ApiToken(models.Model):
    """A key with which a company's own system calls the API. The secret is shown once when it
    is made; only its SHA-256 is stored, with a short prefix to tell tokens apart."""

    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=60, help_text=_("e.g. the system that uses it"))
    prefix = models.CharField(max_length=16, unique=True)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"
