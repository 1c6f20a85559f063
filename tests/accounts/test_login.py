import re

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import translation

from tests import factories
from tests.factories import PASSWORD
from tests.i18n import ja
from workshop.models import User


def login_code_from(message) -> str:
    return re.search(r"^\s*([A-Z0-9]{4}-?[A-Z0-9]{4})\s*$", message.body, re.MULTILINE).group(1)


def test_the_login_page_is_japanese_by_default(client, settings, db):
    settings.LANGUAGE_CODE = "ja"
    translation.activate("ja")

    html = client.get(reverse("account_login")).content.decode()

    assert '<html lang="ja">' in html
    assert "ログイン" in html


def test_the_login_page_offers_a_code_a_password_reset_and_a_company_account(client, db):
    html = client.get(reverse("account_login")).content.decode()

    assert reverse("account_request_login_code") in html
    assert reverse("account_reset_password") in html
    assert reverse("companies:request_account") in html
    assert ja("Ask for a company account") in html
    assert "Engawa" in html  # inside our own base.html, not allauth's bare page
    assert reverse("account_signup") not in html


def test_nobody_can_sign_up_on_their_own(client, db):
    response = client.post(
        reverse("account_signup"),
        {"email": "new@example.com", "password1": PASSWORD, "password2": PASSWORD},
    )

    assert ja("There is no sign-up page") in response.content.decode()
    assert reverse("companies:request_account") in response.content.decode()
    assert not User.objects.filter(email="new@example.com").exists()


def test_staff_log_in_with_a_password_and_land_on_their_console(client, staff_a, workshop_a):
    response = client.post(
        reverse("account_login"), {"login": "staff-a@example.com", "password": PASSWORD}
    )

    assert response.status_code == 302
    response = client.get(response.url)
    assert response.url == reverse("console:home", args=[workshop_a.slug])


def test_a_wrong_password_keeps_the_email_and_says_so(client, staff_a):
    response = client.post(
        reverse("account_login"), {"login": "staff-a@example.com", "password": "nope"}
    )

    assert response.status_code == 200
    html = response.content.decode()
    assert 'value="staff-a@example.com"' in html
    assert "errorlist" in html


def test_it_logs_in_with_a_code_sent_by_email(client, participant_a):
    response = client.post(reverse("account_request_login_code"), {"email": "sora@example.com"})
    assert response.status_code == 302
    assert response.url == reverse("account_confirm_login_code")

    [message] = mail.outbox
    assert message.to == ["sora@example.com"]
    code = login_code_from(message)

    response = client.post(reverse("account_confirm_login_code"), {"code": code})
    assert response.status_code == 302
    response = client.get(response.url)
    assert response.url == reverse("participants:today")
    assert client.get(reverse("participants:today")).status_code == 200


def test_a_wrong_code_does_not_log_in(client, participant_a):
    client.post(reverse("account_request_login_code"), {"email": "sora@example.com"})

    response = client.post(reverse("account_confirm_login_code"), {"code": "WRONG1"})

    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_logout_is_a_post_and_a_get_only_asks(client, staff_a):
    client.force_login(staff_a)

    client.get(reverse("account_logout"))
    assert "_auth_user_id" in client.session

    response = client.post(reverse("account_logout"))
    assert response.status_code == 302
    assert response.url == reverse("account_login")
    assert "_auth_user_id" not in client.session


def test_the_header_links_to_a_sign_out_page_that_asks_first(client, participant_a):
    client.force_login(participant_a.user)

    html = client.get(reverse("participants:today")).content.decode()
    assert f'href="{reverse("account_logout")}"' in html

    page = client.get(reverse("account_logout")).content.decode()
    assert f'method="post" action="{reverse("account_logout")}"' in page
    assert "_auth_user_id" in client.session


def test_a_participant_without_email_or_password_is_warned_before_signing_out(client, workshop_a):
    user = factories.UserFactory(email="", password="")
    user.set_unusable_password()
    user.save()
    factories.ParticipantFactory(workshop=workshop_a, user=user, nickname="こはく")
    client.force_login(user)

    page = client.get(reverse("account_logout")).content.decode()

    assert (
        ja(
            "You signed in with a link from the staff. After signing out, you will need a new "
            "link from them to come back on this phone."
        )
        in page
    )


def test_signing_in_shows_no_message_naming_the_account(client, staff_a):
    response = client.post(
        reverse("account_login"),
        {"login": "staff-a@example.com", "password": factories.PASSWORD},
        follow=True,
    )
    assert response.redirect_chain
    assert "staff-a@example.com" not in response.content.decode()


def test_a_forgotten_password_can_be_reset_by_email(client, staff_a):
    response = client.post(reverse("account_reset_password"), {"email": "STAFF-A@example.com"})
    assert response.status_code == 302
    [message] = mail.outbox
    link = re.search(r"https?://[^/\s]+(/accounts/password/reset/key/\S+)", message.body).group(1)

    response = client.get(link)  # allauth moves the key into the session and redirects
    response = client.post(
        response.url, {"password1": "a-new-calm-password", "password2": "a-new-calm-password"}
    )
    assert response.status_code == 302

    staff_a.refresh_from_db()
    assert staff_a.check_password("a-new-calm-password")


@pytest.mark.parametrize("language, text", [("en", "Log in"), ("ja", "ログイン")])
def test_the_language_switch_changes_the_language(client, db, language, text):
    response = client.post(
        reverse("set_language"), {"language": language, "next": reverse("account_login")}
    )
    assert response.status_code == 302

    html = client.get(response.url).content.decode()

    assert f'<html lang="{language}">' in html
    assert f"<h1>{text}</h1>" in html
