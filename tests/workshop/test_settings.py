"""Settings from the environment: the readers refuse bad values naming the variable, the
production settings pass `check --deploy`, and SQLite as configured takes concurrent writers."""

import os
import runpy
import secrets
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

from workshop import settings as project_settings
from workshop.settings import BASE_DIR, database_from_url, env_bool, env_int

SETTINGS_FILE = project_settings.__file__


def load_settings(monkeypatch, **environ: str) -> dict:
    """Run workshop/settings.py afresh with exactly these variables (plus PATH)."""
    for name in list(os.environ):
        if name not in {"PATH", "HOME"}:
            monkeypatch.delenv(name)
    for name, value in environ.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(SETTINGS_FILE)


def production_environ(tmp_path: Path) -> dict[str, str]:
    return {
        "PATH": os.environ["PATH"],
        "HOME": os.environ.get("HOME", "/root"),
        "DJANGO_SETTINGS_MODULE": "workshop.settings",
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(64),
        "ALLOWED_HOSTS": "engawa.example.org",
        "CSRF_TRUSTED_ORIGINS": "https://engawa.example.org",
        "SITE_URL": "https://engawa.example.org",
        "DATABASE_URL": f"sqlite:///{tmp_path}/engawa.sqlite3",
        "TASKS_BACKEND": "database",
        "STATIC_ROOT": str(tmp_path / "static"),
        "MEDIA_ROOT": str(tmp_path / "media"),
        "DEFAULT_FROM_EMAIL": "Engawa <noreply@engawa.example.org>",
        "EMAIL_HOST": "smtp.engawa.example.org",
        "EMAIL_HOST_USER": "engawa",
        "EMAIL_HOST_PASSWORD": "secret",
    }


# --- DATABASE_URL ---------------------------------------------------------------------------------


def test_a_relative_sqlite_path_is_under_the_project():
    database = database_from_url("sqlite:///data/engawa.sqlite3")

    assert database["ENGINE"] == "django.db.backends.sqlite3"
    assert database["NAME"] == str(BASE_DIR / "data/engawa.sqlite3")


def test_an_absolute_sqlite_path_is_kept():
    assert database_from_url("sqlite:////var/lib/engawa/db.sqlite3")["NAME"] == (
        "/var/lib/engawa/db.sqlite3"
    )


def test_an_in_memory_sqlite_database_stays_in_memory():
    assert database_from_url("sqlite:///:memory:")["NAME"] == ":memory:"


def test_an_empty_sqlite_url_means_the_embedded_default():
    assert database_from_url("sqlite://")["NAME"] == str(BASE_DIR / "engawa.sqlite3")


def test_sqlite_takes_the_write_lock_when_a_transaction_begins():
    options = database_from_url("sqlite:///x.sqlite3")["OPTIONS"]

    assert options["transaction_mode"] == "IMMEDIATE"
    assert "journal_mode=WAL" in options["init_command"]


def test_a_postgres_url_gives_user_password_host_port_and_options(monkeypatch):
    monkeypatch.setenv("DATABASE_CONN_MAX_AGE", "120")
    database = database_from_url(
        "postgres://engawa:p%40ss%2Fword@db.internal:6543/engawa_prod"
        "?sslmode=require&application_name=engawa"
    )

    assert database == {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": "engawa_prod",
        "USER": "engawa",
        "PASSWORD": "p@ss/word",
        "HOST": "db.internal",
        "PORT": "6543",
        "CONN_MAX_AGE": 120,
        "CONN_HEALTH_CHECKS": True,
        "OPTIONS": {"sslmode": "require", "application_name": "engawa"},
    }


@pytest.mark.parametrize("scheme", ["postgres", "postgresql", "pgsql"])
def test_every_postgres_spelling_is_understood(scheme):
    database = database_from_url(f"{scheme}://postgres@127.0.0.1/engawa")

    assert database["ENGINE"] == "django.db.backends.postgresql"
    assert (database["USER"], database["PASSWORD"], database["PORT"]) == ("postgres", "", "")


@pytest.mark.parametrize(
    "url", ["mysql://root@localhost/engawa", "engawa.sqlite3", "postgres://db.internal/"]
)
def test_a_bad_database_url_is_refused_naming_the_variable(url):
    with pytest.raises(ImproperlyConfigured, match="DATABASE_URL"):
        database_from_url(url)


# --- the readers -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [("1", True), ("true", True), ("Yes", True), ("on", True), ("0", False), ("off", False)],
)
def test_env_bool_reads_the_usual_spellings(monkeypatch, value, expected):
    monkeypatch.setenv("ENGAWA_TEST_FLAG", value)

    assert env_bool("ENGAWA_TEST_FLAG", not expected) is expected


@pytest.mark.parametrize("value", ["maybe", "2", "enabled"])
def test_env_bool_refuses_anything_else_naming_the_variable(monkeypatch, value):
    monkeypatch.setenv("ENGAWA_TEST_FLAG", value)

    with pytest.raises(ImproperlyConfigured, match="ENGAWA_TEST_FLAG"):
        env_bool("ENGAWA_TEST_FLAG", False)


def test_env_int_reads_a_whole_number_and_falls_back_when_unset(monkeypatch):
    monkeypatch.delenv("ENGAWA_TEST_NUMBER", raising=False)
    assert env_int("ENGAWA_TEST_NUMBER", 7) == 7
    monkeypatch.setenv("ENGAWA_TEST_NUMBER", " 42 ")
    assert env_int("ENGAWA_TEST_NUMBER", 7) == 42


@pytest.mark.parametrize("value", ["forty", "4.5", "1e3"])
def test_env_int_refuses_anything_else_naming_the_variable(monkeypatch, value):
    monkeypatch.setenv("ENGAWA_TEST_NUMBER", value)

    with pytest.raises(ImproperlyConfigured, match="ENGAWA_TEST_NUMBER"):
        env_int("ENGAWA_TEST_NUMBER", 0)


# --- the settings module as a whole ------------------------------------------------------------


def test_secret_key_is_required_when_debug_is_off(monkeypatch):
    with pytest.raises(ImproperlyConfigured, match="SECRET_KEY"):
        load_settings(monkeypatch, DEBUG="0")


def test_debug_runs_with_a_development_key_and_local_hosts(monkeypatch):
    loaded = load_settings(monkeypatch, DEBUG="1")

    assert loaded["SECRET_KEY"].startswith("dev-only")
    assert loaded["ALLOWED_HOSTS"] == ["127.0.0.1", "localhost"]
    assert loaded["SECURE_SSL_REDIRECT"] is False


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("DEBUG", "sometimes"),
        ("SESSION_COOKIE_AGE", "a long time"),
        ("SECURE_HSTS_SECONDS", "one year"),
        ("TASKS_BACKEND", "celery"),
        ("DATABASE_URL", "mysql://localhost/engawa"),
    ],
)
def test_a_bad_value_stops_the_site_naming_the_variable(monkeypatch, name, value):
    with pytest.raises(ImproperlyConfigured, match=name):
        load_settings(monkeypatch, SECRET_KEY="x" * 50, **{name: value})


def test_production_settings_pass_the_deploy_check(tmp_path):
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=BASE_DIR,
        env=production_environ(tmp_path),
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout, result.stdout + result.stderr


def test_the_deploy_check_catches_production_without_a_mail_server(tmp_path):
    # Invitations and password links would only be printed to the console and never arrive.
    environ = {k: v for k, v in production_environ(tmp_path).items() if not k.startswith("EMAIL_")}
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=BASE_DIR,
        env=environ,
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert result.returncode != 0
    assert "mail.E001" in result.stdout + result.stderr


def test_production_settings_refuse_to_start_without_a_secret_key(tmp_path):
    environ = production_environ(tmp_path)
    del environ["SECRET_KEY"]
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=BASE_DIR,
        env=environ,
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert result.returncode != 0
    assert "Set the environment variable SECRET_KEY." in result.stderr


# --- SQLite under concurrent writers ----------------------------------------------------------

CONCURRENT_WRITERS = textwrap.dedent(
    """
    import sys, threading, time
    import django
    from django.conf import settings
    from workshop.settings import database_from_url

    path, mode = sys.argv[1], sys.argv[2]
    database = database_from_url(f"sqlite:///{path}")
    if mode == "deferred":
        del database["OPTIONS"]["transaction_mode"]
    settings.configure(DATABASES={"default": database}, USE_TZ=True)
    django.setup()
    from django.db import connection, transaction

    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE IF NOT EXISTS tally (n INTEGER NOT NULL)")
    connection.close()

    THREADS, ROUNDS = 8, 20
    errors = []
    start = threading.Barrier(THREADS)

    def writer():
        start.wait()
        try:
            for _ in range(ROUNDS):
                try:
                    # Read, hold the transaction a moment, then write: the pattern that fails
                    # with "database is locked" when the write lock is taken late.
                    with transaction.atomic(), connection.cursor() as cursor:
                        cursor.execute("SELECT count(*) FROM tally")
                        (seen,) = cursor.fetchone()
                        time.sleep(0.002)
                        cursor.execute("INSERT INTO tally (n) VALUES (%s)", [seen + 1])
                except Exception as error:
                    errors.append(repr(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=writer) for _ in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*), count(DISTINCT n), max(n) FROM tally")
        print(*cursor.fetchone(), len(errors))
    for error in errors[:3]:
        print(error)
    """
)


def run_writers(tmp_path: Path, mode: str) -> list[str]:
    result = subprocess.run(
        [sys.executable, "-c", CONCURRENT_WRITERS, str(tmp_path / f"{mode}.sqlite3"), mode],
        cwd=BASE_DIR,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.split("\n")


def test_concurrent_writers_on_sqlite_never_see_database_is_locked(tmp_path):
    rows, distinct, highest, errors = run_writers(tmp_path, "immediate")[0].split()

    assert errors == "0"
    # Every transaction saw the one before it: writes were serialised, none lost.
    assert rows == distinct == highest == str(8 * 20)


def test_the_concurrency_check_would_notice_late_locking(tmp_path):
    """Without IMMEDIATE, the same workload does hit "database is locked": so the test above
    really exercises contention."""
    output = run_writers(tmp_path, "deferred")

    assert int(output[0].split()[3]) > 0
    assert "database is locked" in "\n".join(output[1:])


def test_the_content_security_policy_is_enforced_in_production_and_reports_in_development(
    monkeypatch,
):
    production = load_settings(monkeypatch, SECRET_KEY="x" * 50)
    development = load_settings(monkeypatch, DEBUG="1")

    assert production["SECURE_CSP"]["script-src"] == [CSP.SELF, CSP.NONCE]
    assert "SECURE_CSP_REPORT_ONLY" not in production
    # Django's own debug pages inline scripts and styles: in development the policy reports.
    assert development["SECURE_CSP_REPORT_ONLY"] == production["SECURE_CSP"]
    assert "SECURE_CSP" not in development


@pytest.mark.parametrize(
    ("name", "value"),
    [("STAFF_SESSION_IDLE_MINUTES", "0"), ("STAFF_SESSION_MAX_HOURS", "-1")],
)
def test_staff_session_limits_must_be_positive(monkeypatch, name, value):
    with pytest.raises(ImproperlyConfigured, match=name):
        load_settings(monkeypatch, DEBUG="1", **{name: value})
