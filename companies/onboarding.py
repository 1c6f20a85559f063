"""Companies come in by asking: a public form creates an account request, a manager of the
workshop asked approves it (which creates the company, its first administrator and the
partnership) or declines it. Both answers reach the company by e-mail."""

from allauth.account.forms import default_token_generator
from allauth.account.utils import user_pk_to_url_str
from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from companies.models import AccountRequest, Company, CompanyMembership, Partnership
from workshop.accounts import create_account
from workshop.mail import enqueue_templated_email
from workshop.models import StaffMembership, User, Workshop
from workshop.rules import RuleError


class OnboardingError(RuleError):
    """A rule about account requests was not met; `code` says which (not_pending)."""


@transaction.atomic
def request_account(
    *,
    workshop: Workshop,
    company_name: str,
    contact_name: str,
    email: str,
    phone: str = "",
    address: str = "",
    message: str = "",
) -> AccountRequest:
    """Record a company's request and tell the workshop's managers."""
    account_request = AccountRequest.objects.create(
        workshop=workshop,
        company_name=company_name.strip(),
        contact_name=contact_name.strip(),
        email=email.strip().lower(),
        phone=phone.strip(),
        address=address.strip(),
        message=message.strip(),
    )
    managers = User.objects.filter(
        staff_memberships__workshop=workshop,
        staff_memberships__role=StaffMembership.Role.MANAGER,
    ).exclude(email="")
    enqueue_templated_email(
        template_prefix="companies/email/account_request_received",
        to=sorted(managers.values_list("email", flat=True)),
        context={
            "account_request": account_request,
            "workshop": workshop,
            "url": settings.SITE_URL + reverse("console:account_requests", args=[workshop.slug]),
        },
    )
    return account_request


def _lock_pending(account_request: AccountRequest) -> AccountRequest:
    locked = AccountRequest.objects.select_for_update().get(pk=account_request.pk)
    if locked.status != AccountRequest.Status.PENDING:
        raise OnboardingError(
            _("This request has already been decided (%(status)s).")
            % {"status": locked.get_status_display()},
            code="not_pending",
        )
    return locked


def unique_company_slug(name: str) -> str:
    """A short address for the company's portal. Japanese names slugify to nothing, so those
    become company, company-2, …"""
    base = slugify(name)[:40].strip("-") or "company"
    slug, n = base, 1
    while Company.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


def set_password_url(user: User) -> str:
    """allauth's own password-reset link (valid for PASSWORD_RESET_TIMEOUT, three days by
    default): the new contact sets a password with it, and it stops working once they have.
    If it expires, "Forgot your password?" on the login page sends a fresh one."""
    key = f"{user_pk_to_url_str(user)}-{default_token_generator.make_token(user)}"
    path = reverse("account_reset_password_from_key", kwargs={"uidb36": "UID", "key": "KEY"})
    return settings.SITE_URL + path.replace("UID-KEY", key)


@transaction.atomic
def approve_account_request(*, account_request: AccountRequest, decided_by: User) -> Company:
    """Create the company, make the contact its administrator (a new account unless one with
    that e-mail exists), open the partnership with the workshop, and send the contact a link
    to set their password."""
    locked = _lock_pending(account_request)
    company = Company.objects.create(
        name=locked.company_name,
        slug=unique_company_slug(locked.company_name),
        address=locked.address,
        contact_name=locked.contact_name,
        contact_email=locked.email,
        phone=locked.phone,
    )
    user = User.objects.filter(email__iexact=locked.email).first()
    if user is None:
        user = create_account(kind="company", email=locked.email, display_name=locked.contact_name)
    CompanyMembership.objects.create(user=user, company=company, role=CompanyMembership.Role.ADMIN)
    Partnership.objects.get_or_create(company=company, workshop=locked.workshop)
    locked.status = AccountRequest.Status.APPROVED
    locked.decided_by = decided_by
    locked.decided_at = timezone.now()
    locked.company = company
    locked.save(update_fields=["status", "decided_by", "decided_at", "company"])
    enqueue_templated_email(
        template_prefix="companies/email/account_request_approved",
        to=[locked.email],
        context={
            "account_request": locked,
            "company": company,
            "workshop": locked.workshop,
            "set_password_url": None if user.has_usable_password() else set_password_url(user),
            "login_url": settings.SITE_URL + reverse("account_login"),
        },
    )
    account_request.refresh_from_db()
    return company


@transaction.atomic
def reject_account_request(*, account_request: AccountRequest, decided_by: User, note: str) -> None:
    """Decline the request. The note is sent to the company with a polite message."""
    locked = _lock_pending(account_request)
    locked.status = AccountRequest.Status.REJECTED
    locked.decided_by = decided_by
    locked.decided_at = timezone.now()
    locked.decision_note = note.strip()
    locked.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
    enqueue_templated_email(
        template_prefix="companies/email/account_request_rejected",
        to=[locked.email],
        context={"account_request": locked, "workshop": locked.workshop},
    )
    account_request.refresh_from_db()
