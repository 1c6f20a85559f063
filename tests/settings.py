"""Fast settings for the test suite: the real settings with cheap hashing, in-memory files,
local mail and immediate tasks. DATABASE_URL still chooses SQLite or PostgreSQL."""

import os

os.environ.setdefault("SECRET_KEY", "tests-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz")
os.environ.setdefault("TASKS_BACKEND", "immediate")

from workshop.catalogs import compile_all
from workshop.settings import *  # noqa: F403
from workshop.settings import DATABASES, STORAGES

# `make test` compiles the catalogs too; doing it here means a bare `pytest` after editing a .po
# never runs against a stale .mo. Unchanged files are not rewritten, so this costs milliseconds.
compile_all()

# On SQLite the test database is a file, not Django's shared-cache in-memory default: threads
# in the concurrency tests then queue on the busy timeout exactly as in production, instead of
# failing at once with "database table is locked". One file per process, so runs side by side
# do not collide.
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    import tempfile

    # `make mutate` names one file and reuses it (--reuse-db): each mutant's run then starts
    # without building the database again.
    DATABASES["default"]["TEST"] = {
        "NAME": os.environ.get("ENGAWA_TEST_DB_FILE")
        or os.path.join(tempfile.gettempdir(), f"engawa-test-{os.getpid()}.sqlite3")
    }

# The second-factor rule for staff has its own tests (tests/workshop/test_staff_mfa.py); the rest
# of the suite signs staff in with passwords only.
STAFF_MFA_REQUIRED = False

ALLOWED_HOSTS = ["*"]
SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
STORAGES = {
    **STORAGES,
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Login rate limits are tested on purpose in their own tests; the rest of the suite signs in a lot.
ACCOUNT_RATE_LIMITS = False
# No collectstatic before tests: WhiteNoise looks up files as they are asked for, instead of
# warning at start-up that STATIC_ROOT does not exist.
WHITENOISE_AUTOREFRESH = True
