"""API tokens of a company: making one (the secret is shown once, only its SHA-256 is kept),
revoking it, and finding the token behind a secret that a company's system sends."""

import datetime
import hashlib
import secrets

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from companies.models import ApiToken, Company, CompanyMembership
from workshop.models import User
from workshop.roles import is_company_admin
from workshop.rules import RuleError

TOKEN_SCHEME = "eng"
# Writing last_used_at on every call would make each API request a write; once a minute is
# enough to tell a token in use from a forgotten one.
LAST_USED_RESOLUTION = datetime.timedelta(minutes=1)

# The demo's token for 丘の上印刷 (okanoue-print): public on purpose, so that the curl examples
# in docs/api.md run as written against `make run`. seed_demo is for demo databases only.
DEMO_COMPANY_SLUG = "okanoue-print"
DEMO_TOKEN_PREFIX = "demo"
DEMO_TOKEN = "eng_demo_okanoue-print-engawa-demo-2026"


class TokenError(RuleError):
    """A token rule was broken; `code` is machine-readable."""


def hash_secret(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def create_token(*, company: Company, by: User, name: str) -> tuple[ApiToken, str]:
    """Make a token for the company's own system. Returns the token and its secret, which is
    never stored and cannot be shown again."""
    name = name.strip()
    if not name:
        raise TokenError(_("Please give the token a name."), code="name_required")
    if not is_company_admin(by, company):
        raise TokenError(
            _("Only the company's administrators manage API tokens."), code="forbidden"
        )
    with transaction.atomic():
        while True:
            prefix = secrets.token_hex(4)
            if not ApiToken.objects.filter(prefix=prefix).exists():
                break
        raw = f"{TOKEN_SCHEME}_{prefix}_{secrets.token_urlsafe(32)}"
        token = ApiToken.objects.create(
            company=company,
            name=name[:60],
            prefix=prefix,
            token_hash=hash_secret(raw),
            created_by=by,
        )
    return token, raw


def revoke_token(*, token: ApiToken, by: User) -> ApiToken:
    """Stop a token working at once. Revoking twice is harmless: the first time is kept."""
    if not is_company_admin(by, token.company):
        raise TokenError(
            _("Only the company's administrators manage API tokens."), code="forbidden"
        )
    with transaction.atomic():
        ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(
            revoked_at=timezone.now()
        )
    token.refresh_from_db()
    return token


def authenticate_token(raw: str) -> ApiToken | None:
    """The live token behind a secret, or None. The token acts as the administrator who made
    it, so it stops working when that person is no longer an administrator of the company."""
    if not raw.startswith(f"{TOKEN_SCHEME}_") or len(raw) > 200:
        return None
    token = (
        ApiToken.objects.active()
        .select_related("company", "created_by")
        .filter(token_hash=hash_secret(raw))
        .first()
    )
    if token is None or token.created_by is None or not token.created_by.is_active:
        return None
    if not is_company_admin(token.created_by, token.company):
        return None
    now = timezone.now()
    if token.last_used_at is None or token.last_used_at < now - LAST_USED_RESOLUTION:
        # Conditional, so that many requests at once write it once.
        ApiToken.objects.filter(pk=token.pk, last_used_at=token.last_used_at).update(
            last_used_at=now
        )
        token.last_used_at = now
    return token


def seed_demo_token() -> str:
    """Make (once) the demo company's token with its fixed, documented secret, and return the
    secret. The token belongs to the company's first administrator."""
    company = Company.objects.get(slug=DEMO_COMPANY_SLUG)
    admin = (
        CompanyMembership.objects.filter(company=company, role=CompanyMembership.Role.ADMIN)
        .select_related("user")
        .order_by("pk")
        .first()
    )
    if admin is None:
        raise TokenError(
            "The demo company has no administrator yet; run seed_demo.", code="no_admin"
        )
    ApiToken.objects.update_or_create(
        prefix=DEMO_TOKEN_PREFIX,
        defaults={
            "company": company,
            "name": "Demo (docs/api.md)",
            "token_hash": hash_secret(DEMO_TOKEN),
            "created_by": admin.user,
            "revoked_at": None,
        },
    )
    return DEMO_TOKEN
