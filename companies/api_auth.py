"""Who is calling the API: a company's system with a token (`Authorization: Bearer eng_…`), or
a signed-in member in the browser (session, with CSRF on writes). Also the permission that the
caller belongs to a company, and the rate limits per token and per person."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions, permissions, throttling
from rest_framework.request import Request
from rest_framework.settings import api_settings

from companies.models import ApiToken, Company
from companies.tokens import authenticate_token

KEYWORDS = ("bearer", "token")


class ApiTokenAuthentication(authentication.BaseAuthentication):
    """`Authorization: Bearer <token>` (or `Token <token>`). request.user is the administrator
    who made the token (so events and messages name a person), request.auth the token, whose
    company scopes every query. A token whose maker is no longer an administrator is refused."""

    def authenticate(self, request: Request) -> tuple | None:
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].decode(errors="replace").lower() not in KEYWORDS:
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(
                _("Send the token as: Authorization: Bearer <token>."), code="invalid_token"
            )
        try:
            raw = header[1].decode()
        except UnicodeDecodeError:
            raw = ""
        token = authenticate_token(raw)
        if token is None:
            raise exceptions.AuthenticationFailed(
                _("This token is not valid, or it was revoked."), code="invalid_token"
            )
        return token.created_by, token

    def authenticate_header(self, request: Request) -> str:
        return 'Bearer realm="api"'


class SessionAuthentication(authentication.SessionAuthentication):
    """The browser's session, as in the portal. A write without the CSRF token is refused with
    its own code, so that it is not mistaken for a missing permission."""

    def enforce_csrf(self, request: Request) -> None:
        try:
            super().enforce_csrf(request)
        except exceptions.PermissionDenied as refused:
            raise exceptions.PermissionDenied(str(refused.detail), code="csrf_failed") from None


class IsCompanyClient(permissions.BasePermission):
    """A token, or a signed-in person who is a member of at least one company."""

    message = _("This API is for companies: sign in as a company member or send a token.")
    code = "permission_denied"

    def has_permission(self, request: Request, view) -> bool:
        if isinstance(request.auth, ApiToken):
            return True
        user = request.user
        return bool(user and user.is_authenticated) and (Company.objects.of_member(user).exists())


class _SettingsRateThrottle(throttling.SimpleRateThrottle):
    """Reads its rate when asked, not at import, so that a changed setting takes effect."""

    def get_rate(self) -> str | None:
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)


class ApiTokenRateThrottle(_SettingsRateThrottle):
    """Requests per token (API_TOKEN_RATE), counted in the cache (Redis in production), so
    every app server sees the same count."""

    scope = "api_token"

    def get_cache_key(self, request: Request, view) -> str | None:
        if not isinstance(request.auth, ApiToken):
            return None
        return self.cache_format % {"scope": self.scope, "ident": request.auth.pk}


class ApiUserRateThrottle(_SettingsRateThrottle):
    """Requests per signed-in person without a token, and per address for anyone else."""

    scope = "api_user"

    def get_cache_key(self, request: Request, view) -> str | None:
        if isinstance(request.auth, ApiToken):
            return None
        if request.user and request.user.is_authenticated:
            ident = f"user-{request.user.pk}"
        else:
            ident = f"ip-{self.get_ident(request)}"
        return self.cache_format % {"scope": self.scope, "ident": ident}


class ApiTokenScheme(OpenApiAuthenticationExtension):
    target_class = "companies.api_auth.ApiTokenAuthentication"
    name = "tokenAuth"

    def get_security_definition(self, auto_schema) -> dict:
        return {
            "type": "http",
            "scheme": "bearer",
            "bearerFormat": "eng_<prefix>_<secret>",
            "description": (
                "A company's API token, made by a company administrator in the portal "
                "(/c/<company>/api-tokens/). `Authorization: Token <token>` is accepted too."
            ),
        }


class SessionScheme(OpenApiAuthenticationExtension):
    target_class = "companies.api_auth.SessionAuthentication"
    name = "cookieAuth"

    def get_security_definition(self, auto_schema) -> dict:
        from django.conf import settings

        return {"type": "apiKey", "in": "cookie", "name": settings.SESSION_COOKIE_NAME}
