"""Engawa's one settings module. Every value that differs between machines comes from the
environment through the small readers below, which refuse bad values with a message naming
the variable."""

import os
from pathlib import Path
from urllib.parse import parse_qsl, unquote, urlsplit

from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent.parent


def env_str(name: str, default: str | None = None) -> str:
    value = os.environ.get(name)
    if value is None or value == "":
        if default is None:
            raise ImproperlyConfigured(f"Set the environment variable {name}.")
        return default
    return value


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name, "").strip().lower()
    if value == "":
        return default
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}.")


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    if value == "":
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}.") from None


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name, "").strip()
    if value == "":
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


def database_from_url(url: str) -> dict:
    """Turn DATABASE_URL (sqlite:///path or postgres://user:pass@host:port/name) into a
    DATABASES entry."""
    parts = urlsplit(url)
    options = dict(parse_qsl(parts.query))
    if parts.scheme == "sqlite":
        path = unquote(parts.path)
        # sqlite:///relative.db has path "/relative.db"; sqlite:////abs.db has "//abs.db".
        name = path[1:] if path.startswith("//") else path.lstrip("/")
        if name and not name.startswith("/") and name != ":memory:":
            name = str(BASE_DIR / name)
        return {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": name or str(BASE_DIR / "engawa.sqlite3"),
            # IMMEDIATE transactions take the write lock at BEGIN, so two writers queue on the
            # busy timeout instead of failing with "database is locked" half-way through.
            "OPTIONS": {
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": (
                    "PRAGMA journal_mode=WAL;"
                    "PRAGMA synchronous=NORMAL;"
                    "PRAGMA foreign_keys=ON;"
                    "PRAGMA busy_timeout=20000;"
                ),
            },
        }
    if parts.scheme in {"postgres", "postgresql", "pgsql"}:
        if not parts.path.strip("/"):
            raise ImproperlyConfigured(
                "DATABASE_URL must name a database, e.g. postgres://…/engawa."
            )
        return {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": unquote(parts.path.lstrip("/")),
            "USER": unquote(parts.username or ""),
            "PASSWORD": unquote(parts.password or ""),
            "HOST": parts.hostname or "",
            "PORT": str(parts.port or ""),
            "CONN_MAX_AGE": env_int("DATABASE_CONN_MAX_AGE", 60),
            "CONN_HEALTH_CHECKS": True,
            "OPTIONS": options,
        }
    raise ImproperlyConfigured(
        f"DATABASE_URL must start with sqlite:// or postgres://, not {parts.scheme!r}."
    )


DEBUG = env_bool("DEBUG", False)

if DEBUG:
    SECRET_KEY = env_str("SECRET_KEY", "dev-only-insecure-key-never-use-in-production-0123456789")
else:
    SECRET_KEY = env_str("SECRET_KEY")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "workshop",
    "companies",
    "jobs",
    "participants",
    "network",
    "workshop.apps.EngawaAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "django_tasks_db",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "workshop.security_headers.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "workshop.session_limits.StaffSessionLimitMiddleware",
    "workshop.staff_mfa.StaffSecondFactorMiddleware",
]

ROOT_URLCONF = "workshop.urls"
WSGI_APPLICATION = "workshop.wsgi.application"
AUTH_USER_MODEL = "workshop.User"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "workshop.roles.roles_context",
            ],
        },
    },
]

DATABASES = {"default": database_from_url(env_str("DATABASE_URL", "sqlite:///engawa.sqlite3"))}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Sessions live in the database (or Redis via the cache, when REDIS_URL is set), so any app
# server behind a load balancer can serve any request.
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    }
    SESSION_ENGINE = "workshop.sessions.cached_db"
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    SESSION_ENGINE = "workshop.sessions"
# Participants stay signed in on their own phone for a long time: signing in again is a hurdle.
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 60 * 60 * 24 * 90)
# Staff sessions end sooner: after this long without activity, and after a working day at most
# (workshop/session_limits.py). Staff screens hold support records and shared computers.
STAFF_SESSION_IDLE_SECONDS = 60 * env_int("STAFF_SESSION_IDLE_MINUTES", 60)
STAFF_SESSION_MAX_SECONDS = 60 * 60 * env_int("STAFF_SESSION_MAX_HOURS", 12)
if STAFF_SESSION_IDLE_SECONDS <= 0 or STAFF_SESSION_MAX_SECONDS <= 0:
    raise ImproperlyConfigured(
        "STAFF_SESSION_IDLE_MINUTES and STAFF_SESSION_MAX_HOURS must be at least 1."
    )

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]

# --- accounts (django-allauth) -------------------------------------------------------------
ACCOUNT_ADAPTER = "workshop.accounts.AccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = "username"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_LOGIN_BY_CODE_ENABLED = True
ACCOUNT_LOGOUT_ON_GET = False
ACCOUNT_SESSION_REMEMBER = True
ACCOUNT_PASSWORD_RESET_BY_CODE_ENABLED = False
# allauth's own rate limits, counted in the cache, are the login lockout: failed logins per IP
# and per account (a wrong second factor counts as a failed login too), code requests and
# password resets per e-mail address. "invitation_link" is Engawa's own, for the one-time
# links staff hand to participants (participants/invite_views.py), through allauth's counter.
ACCOUNT_RATE_LIMITS = {
    "login": "30/m/ip",
    "login_failed": "10/m/ip,5/300s/key",
    "request_login_code": "20/m/ip,3/m/key,10/h/key",
    "reset_password": "20/m/ip,5/m/key",
    "reset_password_from_key": "20/m/ip",
    "change_password": "5/m/user",
    "reauthenticate": "10/m/user",
    "invitation_link": "20/m/ip,100/h/ip",
}
# A code sent by e-mail stops working after this many wrong tries.
ACCOUNT_LOGIN_BY_CODE_MAX_ATTEMPTS = 3
# Behind a reverse proxy every request comes from the proxy: count rate limits per client by
# trusting this many X-Forwarded-For hops (1 for one nginx or Caddy in front).
ALLAUTH_TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
ACCOUNT_LOGOUT_REDIRECT_URL = "account_login"
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes", "webauthn"]
# Staff and managers must set up a second factor before the staff areas open (see
# workshop/staff_mfa.py). Off in development so the demo logins work at once.
STAFF_MFA_REQUIRED = env_bool("STAFF_MFA_REQUIRED", not DEBUG)
MFA_PASSKEY_LOGIN_ENABLED = True

# --- e-mail -----------------------------------------------------------------------------------
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Engawa <noreply@engawa.localhost>")
SERVER_EMAIL = env_str("SERVER_EMAIL", DEFAULT_FROM_EMAIL)

# Web Push reminders (docs/homework.md). The private key is the raw P-256 key, base64url; the
# public key is what browsers subscribe with. Without them, a key pair is derived from
# SECRET_KEY (fine for development; set real keys in production so that rotating SECRET_KEY
# does not invalidate every device's subscription).
VAPID_PRIVATE_KEY = env_str("VAPID_PRIVATE_KEY", "")
VAPID_PUBLIC_KEY = env_str("VAPID_PUBLIC_KEY", "")
VAPID_SUBJECT = env_str("VAPID_SUBJECT", "mailto:noreply@engawa.localhost")
# Django 6.1's MAILERS replaces EMAIL_BACKEND and the EMAIL_* settings; the environment
# variables keep their familiar names.
_email_host = os.environ.get("EMAIL_HOST", "")
if _email_host:
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": _email_host,
                "port": env_int("EMAIL_PORT", 587),
                "username": os.environ.get("EMAIL_HOST_USER", ""),
                "password": os.environ.get("EMAIL_HOST_PASSWORD", ""),
                "use_tls": env_bool("EMAIL_USE_TLS", True),
                "timeout": env_int("EMAIL_TIMEOUT", 20),
            },
        }
    }
else:
    MAILERS = {
        "default": {
            "BACKEND": env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
        }
    }

# --- background tasks (Django's tasks framework) ----------------------------------------------
TASKS_BACKEND = env_str("TASKS_BACKEND", "immediate")
if TASKS_BACKEND == "immediate":
    TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
elif TASKS_BACKEND == "database":
    TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
else:
    raise ImproperlyConfigured(
        f"TASKS_BACKEND must be immediate or database, not {TASKS_BACKEND!r}."
    )

# --- language and time ------------------------------------------------------------------------
LANGUAGE_CODE = "ja"
LANGUAGES = [("ja", "日本語"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Tokyo"
USE_I18N = True
USE_TZ = True

# --- files --------------------------------------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# --- API ----------------------------------------------------------------------------------------
# Requests a minute (or /s, /hour, /day) per API token; signed-in people without a token get
# API_SESSION_RATE. Counted in the cache, so set REDIS_URL when there are several app servers.
API_TOKEN_RATE = env_str("API_TOKEN_RATE", "120/min")
API_SESSION_RATE = env_str("API_SESSION_RATE", "300/min")
for _name, _rate in (("API_TOKEN_RATE", API_TOKEN_RATE), ("API_SESSION_RATE", API_SESSION_RATE)):
    _count, _, _period = _rate.partition("/")
    if not _count.isdigit() or _period[:1] not in {"s", "m", "h", "d"}:
        raise ImproperlyConfigured(f"{_name} must look like 120/min, not {_rate!r}.")
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "companies.api_auth.ApiTokenAuthentication",
        "companies.api_auth.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_THROTTLE_CLASSES": [
        "companies.api_auth.ApiTokenRateThrottle",
        "companies.api_auth.ApiUserRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {"api_token": API_TOKEN_RATE, "api_user": API_SESSION_RATE},
    "EXCEPTION_HANDLER": "companies.api_errors.api_exception_handler",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    # Dates and times as ISO 8601 with the offset, e.g. 2026-04-01T09:30:00+09:00.
    "DATETIME_FORMAT": "iso-8601",
    # OPTIONS without asking views for a serializer_class (workshop/api_schema.py).
    "DEFAULT_METADATA_CLASS": "workshop.api_schema.ApiMetadata",
    # JSON with a depth limit (400, not a RecursionError); forms and files as DRF's own.
    "DEFAULT_PARSER_CLASSES": [
        "companies.api_parsers.JSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Engawa API",
    "DESCRIPTION": (
        "Orders, files, messages and progress for companies' own systems. Authenticate with a "
        "company API token (`Authorization: Bearer eng_…`, made by a company administrator in "
        'the portal). Every error is JSON: `{"code", "detail", "errors"}`. '
        "See docs/api.md for examples."
    ),
    "VERSION": "1",
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    # Choice sets that share a field name ("kind", "status") get names of their own.
    # Answers every operation can get (401, 403, 404, 413, 429, …), documented in one place.
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "workshop.api_schema.document_generic_errors",
    ],
    "ENUM_NAME_OVERRIDES": {
        "OrderStatusEnum": "jobs.models.OrderStatus",
        "OrderKindEnum": "jobs.models.OrderKind",
        "DeliveryMethodEnum": "jobs.models.DeliveryMethod",
        "CheckInKindEnum": "participants.attendance_models.Attendance.Kind",
        "InvoiceKindEnum": "jobs.money_models.InvoiceKind",
        "DocumentStatusEnum": "jobs.money_models.DocumentStatus",
        "StatementKindEnum": "participants.wage_models.StatementKind",
        "WageRunStatusEnum": "participants.wage_models.WageRun.Status",
        "KeptRecordKindEnum": "participants.unsent_models.UnsentRecord.Kind",
        "JointOrderStatusEnum": "network.models.JointOrder.Status",
    },
}

# --- security (`manage.py check --deploy` is clean with DEBUG off) -------------------------------
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Content-Security-Policy (Django's own): scripts and styles only from this site or carrying the
# page's nonce; no inline event handlers or style attributes, no plugins, no framing, forms post
# only here. htmx is told not to inject styles or evaluate code (templates/base.html).
# The QR code of the TOTP set-up is a data: URI.
_CONTENT_SECURITY_POLICY = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF, CSP.NONCE],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "manifest-src": [CSP.SELF],
    "worker-src": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "object-src": [CSP.NONE],
}
if DEBUG:
    # Django's debug pages inline their styles and scripts without a nonce: in development the
    # policy only reports (violations still show in the browser's console).
    SECURE_CSP_REPORT_ONLY = _CONTENT_SECURITY_POLICY
else:
    SECURE_CSP = _CONTENT_SECURITY_POLICY
# A refused form gets Engawa's calm page (JSON under /api/), not Django's bare one.
CSRF_FAILURE_VIEW = "workshop.error_views.csrf_failure"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
}
