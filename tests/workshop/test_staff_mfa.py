"""In production, staff must have a second sign-in factor before the staff areas open."""

import pytest
from allauth.mfa.models import Authenticator

from tests.i18n import ja


@pytest.fixture(autouse=True)
def required(settings):
    settings.STAFF_MFA_REQUIRED = True


def test_staff_without_a_second_factor_are_sent_to_set_one_up(client, staff_a, workshop_a):
    client.force_login(staff_a)

    response = client.get(f"/w/{workshop_a.slug}/")

    assert response.status_code == 302
    assert response.url == "/accounts/2fa/"


def test_the_staff_api_answers_403_with_a_code(client, staff_a):
    client.force_login(staff_a)

    response = client.get("/api/v1/staff/workshops/")

    assert response.status_code == 403
    assert response.json()["code"] == "mfa_required"


def test_staff_with_a_second_factor_get_in(client, staff_a, workshop_a):
    Authenticator.objects.create(user=staff_a, type=Authenticator.Type.TOTP, data={})
    client.force_login(staff_a)

    assert client.get(f"/w/{workshop_a.slug}/").status_code == 200


def test_participants_and_companies_are_not_asked(client, participant_a, member_a, company_a):
    client.force_login(participant_a.user)
    assert client.get("/today/").status_code == 200
    client.force_login(member_a)
    assert client.get(f"/c/{company_a.slug}/").status_code == 200


def test_the_page_that_sets_it_up_opens_and_says_why(client, staff_a, workshop_a):
    client.force_login(staff_a)

    response = client.get(f"/w/{workshop_a.slug}/", follow=True)

    assert response.status_code == 200
    assert (
        ja(
            "Staff pages hold very private records. Please set up a second sign-in step "
            "(an authenticator app or a passkey) first."
        )
        in response.content.decode()
    )
