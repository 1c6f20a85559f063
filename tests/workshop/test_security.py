"""Hardened settings: a Content-Security-Policy with nonces that every template obeys, a
Permissions-Policy, staff sign-ins that end (participants keep theirs), and allauth's rate
limits on sign-in, sign-in codes and invitation links, answered with a calm 429."""

import re
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.core import mail
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import PASSWORD
from tests.i18n import ja
from workshop.session_limits import SESSION_KEY

TEMPLATES = Path(settings.BASE_DIR) / "templates"

# --- Content-Security-Policy ------------------------------------------------------------------


def policy_of(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    return {
        name: values
        for name, *values in (part.split() for part in header.split(";") if part.strip())
    }


@pytest.mark.parametrize(
    ("persona", "path"),
    [
        ("participant_a", "/today/"),
        ("staff_a", "/w/hidamari/"),
        ("member_a", "/c/okanoue-print/"),
        (None, "/accounts/login/"),
    ],
)
def test_every_script_and_style_on_a_page_is_the_sites_own_or_carries_its_nonce(
    request, client, persona, path, workshop_a, company_a
):
    if persona:
        user = request.getfixturevalue(persona)
        client.force_login(getattr(user, "user", user))

    response = client.get(path)

    policy = policy_of(response)
    # A page with no inline script or style (the participant's, with no htmx) has no nonce.
    nonces = [v[len("'nonce-") : -1] for v in policy["script-src"] if v.startswith("'nonce-")]
    nonce = nonces[0] if nonces else None
    allowed = ["'self'"] + [f"'nonce-{n}'" for n in nonces]
    assert len(nonces) <= 1
    assert policy["script-src"] == allowed
    assert policy["style-src"] == allowed
    assert policy["object-src"] == ["'none'"] and policy["frame-ancestors"] == ["'none'"]
    html = response.content.decode()
    for tag in re.findall(r"<script\b[^>]*>", html):
        assert 'src="/static/' in tag or 'type="application/json"' in tag, tag
    for tag in re.findall(r"<style\b[^>]*>", html):
        assert f'nonce="{nonce}"' in tag, tag
    assert '"includeIndicatorStyles": false' in html  # htmx would inject a <style> otherwise


def test_each_response_has_its_own_nonce(client, staff_a):
    client.force_login(staff_a)

    first, second = (policy_of(client.get("/w/hidamari/"))["script-src"][1] for _ in range(2))

    assert first != second


def without_comments(template: str) -> str:
    """The template without its comments, line numbers kept."""

    def blank(match: re.Match) -> str:
        return "\n" * match.group(0).count("\n")

    template = re.sub(r"\{%\s*comment\s*%\}.*?\{%\s*endcomment\s*%\}", blank, template, flags=re.S)
    return re.sub(r"\{#.*?#\}", blank, template)


def template_sources() -> list[Path]:
    return sorted(p for p in TEMPLATES.rglob("*.html"))


@pytest.mark.parametrize(
    ("what", "pattern"),
    [
        ("an inline event handler", r"<[^>]+\son[a-z]+\s*="),
        ("a style attribute", r"<[^>]+\sstyle\s*="),
        ("a javascript: address", r"""(href|src|action)\s*=\s*["']?\s*javascript:"""),
        ("an inline script without the nonce", r"<script(?![^>]*\b(src|nonce)=)(?![^>]*json)"),
        ("a <style> without the nonce", r"<style(?![^>]*\bnonce=\"\{\{ csp_nonce \}\}\")"),
    ],
)
def test_no_template_has_what_the_policy_refuses(what, pattern):
    # The policy is checked in a browser too (tests/e2e/test_csp.py); this finds the kind in
    # every template, including pages no test opens yet.
    offenders = [
        f"{path.relative_to(TEMPLATES)}:{text[: match.start()].count(chr(10)) + 1}"
        for path in template_sources()
        for text in [without_comments(path.read_text(encoding="utf-8"))]
        for match in re.finditer(pattern, text, re.IGNORECASE)
    ]

    assert not offenders, f"{what} (refused by the Content-Security-Policy):\n" + "\n".join(
        offenders
    )


def test_browser_features_engawa_never_uses_are_switched_off(client, db):
    header = client.get("/accounts/login/")["Permissions-Policy"]

    for feature in ("camera=()", "microphone=()", "geolocation=()", "payment=()", "usb=()"):
        assert feature in header
    assert "publickey-credentials-get=(self)" in header  # passkeys keep working


# --- staff sign-ins end; participants keep theirs ---------------------------------------------


def age_session(client, **seconds_ago) -> None:
    """Move the session's marks into the past, as if that much time had passed."""
    session = client.session
    now = time.time()
    session[SESSION_KEY] = {key: now - ago for key, ago in seconds_ago.items()}
    session.save()


def test_a_staff_sign_in_lasts_an_hour_without_activity_not_ninety_days(client, staff_a):
    response = client.post(
        reverse("account_login"), {"login": "staff-a@example.com", "password": PASSWORD}
    )

    assert response.status_code == 302
    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert 0 < int(cookie["max-age"]) <= settings.STAFF_SESSION_IDLE_SECONDS


def test_a_participant_stays_signed_in_for_the_long_time(client, participant_a):
    response = client.post(
        reverse("account_login"), {"login": "sora@example.com", "password": PASSWORD}
    )

    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert int(cookie["max-age"]) == settings.SESSION_COOKIE_AGE
    assert SESSION_KEY not in client.session


def test_staff_idle_for_too_long_are_signed_out_kindly(client, staff_a, workshop_a):
    client.force_login(staff_a)
    idle = settings.STAFF_SESSION_IDLE_SECONDS
    age_session(client, since=idle + 60, seen=idle + 60)

    response = client.get(f"/w/{workshop_a.slug}/", follow=True)

    assert response.redirect_chain[0][0].startswith(reverse("account_login"))
    assert "_auth_user_id" not in client.session
    signed_out = ja(
        "To keep people's records safe, staff sign-ins end after a while. Please sign in again."
    )
    assert signed_out in response.content.decode().replace("&#x27;", "'")


def test_staff_active_all_along_are_still_signed_out_after_a_working_day(
    client, staff_a, workshop_a
):
    client.force_login(staff_a)
    age_session(client, since=settings.STAFF_SESSION_MAX_SECONDS + 60, seen=10)

    response = client.get(f"/w/{workshop_a.slug}/")

    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_activity_keeps_a_staff_sign_in_going(client, staff_a, workshop_a):
    client.force_login(staff_a)
    idle = settings.STAFF_SESSION_IDLE_SECONDS
    age_session(client, since=idle, seen=idle - 60)  # a minute before it would end

    assert client.get(f"/w/{workshop_a.slug}/").status_code == 200
    assert client.session[SESSION_KEY]["seen"] > time.time() - 60
    assert client.get(f"/w/{workshop_a.slug}/").status_code == 200


def test_a_staff_page_writes_no_session_for_the_limit(client, staff_a, workshop_a):
    client.force_login(staff_a)
    client.get(f"/w/{workshop_a.slug}/")

    with CaptureQueriesContext(connection) as queries:
        client.get(f"/w/{workshop_a.slug}/")

    writes = [
        q["sql"]
        for q in queries.captured_queries
        if "django_session" in q["sql"] and not q["sql"].lstrip().upper().startswith("SELECT")
    ]
    assert not writes


# --- rate limits --------------------------------------------------------------------------------


@pytest.fixture
def rate_limits(settings):
    from django.core.cache import cache

    cache.clear()
    settings.ACCOUNT_RATE_LIMITS = {
        "login_failed": "10/m/ip,3/300s/key",
        "request_login_code": "20/m/ip,2/m/key",
        "invitation_link": "5/m/ip",
    }
    yield
    cache.clear()


def test_repeated_wrong_passwords_lock_the_account_for_a_while(client, staff_a, rate_limits):
    wrong = {"login": "staff-a@example.com", "password": "guess"}
    for _ in range(3):
        client.post(reverse("account_login"), wrong)

    right = client.post(
        reverse("account_login"), {"login": "staff-a@example.com", "password": PASSWORD}
    )

    assert right.status_code == 200  # even the right password waits
    assert "_auth_user_id" not in client.session


def test_sign_in_codes_are_not_sent_without_limit(participant_a, rate_limits):
    for _ in range(4):  # from four browsers: the limit is per address asked for
        Client().post(reverse("account_request_login_code"), {"email": "sora@example.com"})

    assert len(mail.outbox) == 2


def test_invitation_links_are_rate_limited_with_a_calm_page(client, db, rate_limits):
    answers = [client.get(f"/invite/guessed-token-{n}/").status_code for n in range(6)]

    assert answers == [404] * 5 + [429]
    page = client.get("/invite/another-guess/")
    assert page.status_code == 429
    assert ja("Please wait a little") in page.content.decode()


def test_rate_limits_count_per_client_behind_the_proxy(rate_limits, settings, db):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    first, second = Client(), Client()
    for _ in range(5):
        first.get("/invite/guess/", HTTP_X_FORWARDED_FOR="203.0.113.1")

    assert first.get("/invite/guess/", HTTP_X_FORWARDED_FOR="203.0.113.1").status_code == 429
    assert second.get("/invite/guess/", HTTP_X_FORWARDED_FOR="203.0.113.2").status_code == 404
