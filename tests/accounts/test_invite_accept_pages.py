"""The participant's side of an invitation link (/invite/<token>/)."""

import datetime

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from participants.models import Invitation
from participants.views import get_participant_for
from tests.i18n import ja, ja_html

NEW_LINK = "That is all right. Please ask the workshop's staff for a new link. Nothing is lost."


def test_the_link_opens_a_kind_welcome(client, invite):
    _, token = invite(nickname="はな")

    response = client.get(reverse("participants:invite", args=[token]))

    assert response.status_code == 200
    html = response.content.decode()
    assert ja("Welcome") in html and "はな" in html
    assert reverse("participants:invite_accept_on_this_phone", args=[token]) in html
    assert reverse("participants:invite_accept_with_email", args=[token]) in html


def test_starting_on_this_phone_logs_in_for_a_long_time_and_lands_on_today(client, invite):
    participant, token = invite()

    response = client.post(reverse("participants:invite_accept_on_this_phone", args=[token]))

    assert response.url == reverse("participants:today")
    assert client.get(response.url).status_code == 200
    assert client.session.get_expiry_age() > settings.SESSION_COOKIE_AGE
    assert response.cookies[settings.SESSION_COOKIE_NAME]["max-age"] > 300 * 24 * 3600
    participant.refresh_from_db()
    assert get_participant_for(participant.user) == participant


def test_starting_with_email_and_password_logs_in_and_lands_on_today(client, invite):
    _, token = invite()

    response = client.post(
        reverse("participants:invite_accept_with_email", args=[token]),
        {"email": "hana@example.com", "password": "calm-river-42"},
    )

    assert response.url == reverse("participants:today")
    client.logout()
    response = client.post(
        reverse("account_login"), {"login": "hana@example.com", "password": "calm-river-42"}
    )
    assert client.get(response.url).url == reverse("participants:today")


def test_a_form_error_keeps_what_was_typed(client, invite, staff_a):
    _, token = invite()

    response = client.post(
        reverse("participants:invite_accept_with_email", args=[token]),
        {"email": "staff-a@example.com", "password": "calm-river-42"},
    )

    assert response.status_code == 200
    html = response.content.decode()
    assert ja("This e-mail address is already in use. Leave it empty, or ask staff.") in html
    assert 'value="staff-a@example.com"' in html
    assert 'value="calm-river-42"' in html
    assert "_auth_user_id" not in client.session


def test_a_used_link_shows_a_calm_page(client, invite):
    _, token = invite()
    client.post(reverse("participants:invite_accept_on_this_phone", args=[token]))
    client.logout()

    response = client.get(reverse("participants:invite", args=[token]))

    assert response.status_code == 410
    html = response.content.decode()
    assert ja("This link has already been used.") in html
    assert ja_html(NEW_LINK) in html


def test_an_expired_link_shows_a_calm_page_and_cannot_be_used(client, invite):
    participant, token = invite()
    Invitation.objects.filter(participant=participant).update(
        expires_at=timezone.now() - datetime.timedelta(minutes=1)
    )

    assert client.get(reverse("participants:invite", args=[token])).status_code == 410
    response = client.post(reverse("participants:invite_accept_on_this_phone", args=[token]))

    assert response.status_code == 410
    assert ja("This link has expired.") in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_an_unknown_link_shows_a_calm_page(client, db):
    response = client.get(reverse("participants:invite", args=["no-such-token"]))

    assert response.status_code == 404
    assert ja_html(NEW_LINK) in response.content.decode()
