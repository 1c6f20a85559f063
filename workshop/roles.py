"""Who may do what: small predicates over memberships, and the list of roles a person can
switch between. Every view asks these (or a model's `visible_to`) before touching tenant data."""

from dataclasses import dataclass

from django.http import HttpRequest
from django.urls import reverse
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _

from companies.models import Company, CompanyMembership
from network.models import Network
from participants.models import Participant
from workshop.models import StaffMembership, Workshop


@dataclass(frozen=True)
class Role:
    """One hat a person can wear: staff of a workshop, member of a company, or participant."""

    kind: str  # "staff", "company", "participant" or "coordinator"
    key: str  # stable across requests, kept in the session as the last role used
    label: str
    url: str


def is_staff_of(user, workshop: Workshop) -> bool:
    return (
        user.is_authenticated
        and StaffMembership.objects.filter(user=user, workshop=workshop).exists()
    )


def is_manager_of(user, workshop: Workshop) -> bool:
    return (
        user.is_authenticated
        and StaffMembership.objects.filter(
            user=user, workshop=workshop, role=StaffMembership.Role.MANAGER
        ).exists()
    )


def is_member_of(user, company: Company) -> bool:
    return (
        user.is_authenticated
        and CompanyMembership.objects.filter(user=user, company=company).exists()
    )


def is_company_admin(user, company: Company) -> bool:
    return (
        user.is_authenticated
        and CompanyMembership.objects.filter(
            user=user, company=company, role=CompanyMembership.Role.ADMIN
        ).exists()
    )


def roles_of(user) -> list[Role]:
    """Every role the person holds, staff roles first, in a stable order."""
    if not user.is_authenticated:
        return []
    roles = []
    for membership in (
        StaffMembership.objects.filter(user=user)
        .select_related("workshop")
        .order_by("workshop__name")
    ):
        workshop = membership.workshop
        roles.append(
            Role(
                kind="staff",
                key=f"staff:{workshop.slug}",
                label=_("%(workshop)s (%(role)s)")
                % {"workshop": workshop.name, "role": membership.get_role_display()},
                url=reverse("console:home", args=[workshop.slug]),
            )
        )
    for membership in (
        CompanyMembership.objects.filter(user=user)
        .select_related("company")
        .order_by("company__name")
    ):
        company = membership.company
        roles.append(
            Role(
                kind="company",
                key=f"company:{company.slug}",
                label=company.name,
                url=reverse("portal:home", args=[company.slug]),
            )
        )
    for participant in (
        Participant.objects.filter(user=user)
        .exclude(status=Participant.Status.ENDED)
        .select_related("workshop")
        .order_by("workshop__name")
    ):
        roles.append(
            Role(
                kind="participant",
                key=f"participant:{participant.pk}",
                label=_("My work at %(workshop)s") % {"workshop": participant.workshop.name},
                url=reverse("participants:today"),
            )
        )
    for network in Network.objects.coordinated_by(user).order_by("name"):
        roles.append(
            Role(
                kind="coordinator",
                key=f"coordinator:{network.slug}",
                label=_("Coordinator of %(network)s") % {"network": network.name},
                url=reverse("network:home", args=[network.slug]),
            )
        )
    return roles


def remember_role(request: HttpRequest, key: str) -> None:
    """Called by each role's home, so that the next sign-in lands where the person was."""
    if request.session.get("role") != key:
        request.session["role"] = key


def roles_context(request: HttpRequest) -> dict:
    """Template context: the roles for the switcher in the header, computed only if shown."""
    return {"user_roles": SimpleLazyObject(lambda: roles_of(request.user))}
