"""Companies that order work, their members, which workshops they order from, and requests
for a company account."""

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from workshop.models import StaffMembership, Workshop, validate_invoice_registration_number


class CompanyQuerySet(models.QuerySet):
    def visible_to(self, user) -> "CompanyQuerySet":
        """A company is seen by its own members and by staff of the workshops it orders from
        (or that a network's coordinator routed a share of its joint order to)."""
        if not user.is_authenticated:
            return self.none()
        from network.models import Share

        staffed = StaffMembership.objects.filter(user=user).values("workshop")
        return self.filter(
            Q(pk__in=CompanyMembership.objects.filter(user=user).values("company"))
            | Q(pk__in=Partnership.objects.filter(workshop__in=staffed).values("company"))
            # A share of a joint order routed to the workshop names the company that sent it.
            | Q(pk__in=Share.objects.filter(workshop__in=staffed).values("joint_order__company"))
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
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

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
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="company_memberships",
        verbose_name=_("user"),
    )
    company = models.ForeignKey(
        Company, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("company")
    )
    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.MEMBER)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

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

    company = models.ForeignKey(
        Company, on_delete=models.CASCADE, related_name="partnerships", verbose_name=_("company")
    )
    workshop = models.ForeignKey(
        Workshop, on_delete=models.CASCADE, related_name="partnerships", verbose_name=_("workshop")
    )
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
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
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
    decision_note = models.TextField(_("note"), blank=True)
    company = models.ForeignKey(
        Company,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("company"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

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

    company = models.ForeignKey(
        Company, on_delete=models.CASCADE, related_name="api_tokens", verbose_name=_("company")
    )
    name = models.CharField(_("name"), max_length=60, help_text=_("e.g. the system that uses it"))
    prefix = models.CharField(_("first characters"), max_length=16, unique=True)
    token_hash = models.CharField(_("token hash"), max_length=64, unique=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"


# --- Openings (職場体験・求人) ------------------------------------------------------------------


class OpeningKind(models.TextChoices):
    TRIAL = "trial", _("Workplace trial")  # 職場体験
    JOB = "job", pgettext_lazy("opening kind", "Job")  # 求人


class Remote(models.TextChoices):
    NO = "no", pgettext_lazy("remote work", "On site")
    PARTLY = "partly", pgettext_lazy("remote work", "Partly remote")
    FULLY = "fully", pgettext_lazy("remote work", "Fully remote")


class OpeningStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("opening", "Open")
    CLOSED = "closed", pgettext_lazy("opening", "Closed")


class OpeningQuerySet(models.QuerySet):
    def visible_to(self, user) -> "OpeningQuerySet":
        """A company's members see the openings of their company; a workshop's staff see the
        openings offered through their workshop, whoever posted them."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(
            Q(company__in=CompanyMembership.objects.filter(user=user).values("company"))
            | Q(workshop__in=StaffMembership.objects.filter(user=user).values("workshop"))
        )


class Opening(models.Model):
    """A workplace trial (職場体験) or a job (求人), offered through one workshop. A company posts
    it in its portal, or staff post it for a company they work with; for an employer that has no
    account here, staff give the employer's name instead of a company."""

    Kind = OpeningKind
    Remote = Remote
    Status = OpeningStatus

    workshop = models.ForeignKey(
        Workshop, on_delete=models.CASCADE, related_name="openings", verbose_name=_("workshop")
    )
    company = models.ForeignKey(
        Company,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="openings",
        verbose_name=_("company"),
    )
    employer_name = models.CharField(
        _("employer"),
        max_length=120,
        blank=True,
        help_text=_("Only for an employer that has no account here."),
    )
    kind = models.CharField(_("kind"), max_length=10, choices=OpeningKind.choices)
    title = models.CharField(_("title"), max_length=120)
    description = models.TextField(_("what the work is"), blank=True)
    work_kinds = models.JSONField(_("kinds of work"), default=list, blank=True)
    hours = models.CharField(
        _("days and hours"), max_length=120, blank=True, help_text=_("e.g. 3 days a week, 10–14")
    )
    hours_per_week = models.PositiveSmallIntegerField(
        _("hours a week"), null=True, blank=True, validators=[MaxValueValidator(60)]
    )
    place = models.CharField(_("place"), max_length=200, blank=True)
    remote = models.CharField(
        _("remote work"), max_length=10, choices=Remote.choices, default=Remote.NO
    )
    support = models.TextField(
        _("support available"),
        blank=True,
        help_text=_("e.g. a job coach visits in the first weeks"),
    )
    starts_on = models.DateField(_("starts on"), null=True, blank=True)
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=OpeningStatus.choices, default=OpeningStatus.OPEN
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    objects = OpeningQuerySet.as_manager()

    class Meta:
        verbose_name = _("opening")
        verbose_name_plural = _("openings")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["workshop", "status"], name="opening_workshop_status")]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=OpeningKind.values), name="opening_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(remote__in=Remote.values), name="opening_remote_valid"
            ),
            models.CheckConstraint(
                condition=Q(status__in=OpeningStatus.values), name="opening_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(company__isnull=False) | ~Q(employer_name=""),
                name="opening_names_an_employer",
            ),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True)
                | Q(starts_on__isnull=True)
                | Q(ends_on__gte=models.F("starts_on")),
                name="opening_ends_after_start",
            ),
            models.CheckConstraint(
                condition=Q(hours_per_week__isnull=True) | Q(hours_per_week__lte=60),
                name="opening_hours_at_most_60",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def employer(self) -> str:
        return self.company.name if self.company_id else self.employer_name


class ProposalStatus(models.TextChoices):
    PROPOSED = "proposed", _("Suggested to the participant")
    PARTICIPANT_AGREED = "participant_agreed", _("Participant agreed")
    PARTICIPANT_DECLINED = "participant_declined", _("Participant said no")
    SENT_TO_COMPANY = "sent_to_company", _("Sent to the company")
    TRIAL_HELD = "trial_held", _("Trial held")
    HIRED = "hired", _("Hired")
    DECLINED = "declined", pgettext_lazy("opening proposal", "Did not go ahead")
    WITHDRAWN = "withdrawn", pgettext_lazy("opening proposal", "Withdrawn")


# Once a proposal has been sent, the company reads it, but only what the participant agreed to.
PROPOSAL_SEEN_BY_COMPANY = [
    ProposalStatus.SENT_TO_COMPANY,
    ProposalStatus.TRIAL_HELD,
    ProposalStatus.HIRED,
    ProposalStatus.DECLINED,
]


class OpeningProposalQuerySet(models.QuerySet):
    def seen_by_company(self, company: Company) -> "OpeningProposalQuerySet":
        """What a company's portal lists, even for someone who is also the workshop's staff."""
        return self.filter(opening__company=company, status__in=PROPOSAL_SEEN_BY_COMPANY)

    def visible_to(self, user) -> "OpeningProposalQuerySet":
        """Staff see every proposal of their workshop's participants. A company sees a proposal
        only after it was sent to it, and never one that was withdrawn."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(
            Q(
                participant__workshop__in=StaffMembership.objects.filter(user=user).values(
                    "workshop"
                )
            )
            | Q(
                opening__company__in=CompanyMembership.objects.filter(user=user).values("company"),
                status__in=PROPOSAL_SEEN_BY_COMPANY,
            )
        )


class OpeningProposal(models.Model):
    """Staff suggest an opening to a participant. What the company may read is a snapshot made
    with the participant (`shared_*`), never the participant's record itself."""

    Status = ProposalStatus

    opening = models.ForeignKey(
        Opening, on_delete=models.CASCADE, related_name="proposals", verbose_name=_("opening")
    )
    participant = models.ForeignKey(
        "participants.Participant",
        on_delete=models.CASCADE,
        related_name="opening_proposals",
        verbose_name=_("participant"),
    )
    status = models.CharField(
        _("status"), max_length=25, choices=ProposalStatus.choices, default=ProposalStatus.PROPOSED
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("proposed by"),
    )
    proposed_at = models.DateTimeField(_("proposed at"), default=timezone.now)
    # What the participant agreed to share with the company, as agreed; empty until then.
    shared_name = models.CharField(_("name the company may see"), max_length=60, blank=True)
    shared_work_kinds = models.JSONField(_("kinds of work done"), default=list, blank=True)
    shared_hours_per_week = models.PositiveSmallIntegerField(
        _("hours a week wished"), null=True, blank=True, validators=[MaxValueValidator(60)]
    )
    shared_introduction = models.TextField(_("self-introduction"), blank=True)
    agreed_at = models.DateTimeField(_("agreed at"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    objects = OpeningProposalQuerySet.as_manager()

    class Meta:
        verbose_name = _("opening proposal")
        verbose_name_plural = _("opening proposals")
        ordering = ["-proposed_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=ProposalStatus.values), name="proposal_status_valid"
            ),
            models.CheckConstraint(
                condition=~Q(status__in=PROPOSAL_SEEN_BY_COMPANY) | Q(sent_at__isnull=False),
                name="proposal_sent_has_time",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["participant_agreed", *PROPOSAL_SEEN_BY_COMPANY])
                | ~Q(shared_name=""),
                name="proposal_agreed_has_shared_name",
            ),
            models.UniqueConstraint(
                fields=["opening", "participant"],
                condition=~Q(status__in=["participant_declined", "declined", "withdrawn"]),
                name="one_live_proposal_per_opening_and_participant",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.opening} → {self.participant}"

    @property
    def is_live(self) -> bool:
        """Still going somewhere: it can be taken further or withdrawn."""
        return self.status in (
            ProposalStatus.PROPOSED,
            ProposalStatus.PARTICIPANT_AGREED,
            ProposalStatus.SENT_TO_COMPANY,
            ProposalStatus.TRIAL_HELD,
        )


class OpeningProposalEvent(models.Model):
    """One row per step of a proposal: who, when, from, to, note."""

    proposal = models.ForeignKey(
        OpeningProposal, on_delete=models.CASCADE, related_name="events", verbose_name=_("proposal")
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
        _("from status"), max_length=25, choices=ProposalStatus.choices, blank=True
    )
    to_status = models.CharField(_("to status"), max_length=25, choices=ProposalStatus.choices)
    # Which side recorded it, so the company's view can show only its own and the sending.
    by_company = models.BooleanField(_("by the company"), default=False)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("opening proposal event")
        verbose_name_plural = _("opening proposal events")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.proposal}: {self.from_status or '—'} → {self.to_status}"
