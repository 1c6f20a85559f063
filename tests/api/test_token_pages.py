"""The portal's API token pages (/c/<company>/api-tokens/): admins make, see and revoke
tokens; the secret is shown once; plain members and other companies get 404."""

import pytest

from companies.models import ApiToken
from companies.tokens import authenticate_token, create_token
from tests.i18n import ja, ja_around, ja_html

URL = "/c/okanoue-print/api-tokens/"


@pytest.fixture
def admin_client(client, company_admin_a):
    client.force_login(company_admin_a)
    return client


def test_an_admin_makes_a_token_and_sees_its_secret_once(admin_client):
    response = admin_client.post(URL + "new/", {"name": "受注システム"})
    token = ApiToken.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"{URL}{token.pk}/created/"

    shown = admin_client.get(response["Location"])
    secret = shown.context["secret"]
    html = shown.content.decode()
    assert secret.startswith(f"eng_{token.prefix}_")
    assert f'value="{secret}"' in html
    assert (
        ja(
            "This token is shown only now. We keep only a fingerprint of it, so nobody can show "
            "it to you again. If it is lost, make a new one and revoke this one."
        )
        in html
    )
    assert "no-store" in shown["Cache-Control"]
    assert authenticate_token(secret) == token

    again = admin_client.get(response["Location"]).content.decode()
    assert secret not in again
    assert ja("This token was already shown") in again
    assert secret not in admin_client.get(URL).content.decode()


def test_the_list_shows_name_prefix_use_and_state(admin_client, company_a, company_admin_a):
    live, _ = create_token(company=company_a, by=company_admin_a, name="受注システム")
    old, _ = create_token(company=company_a, by=company_admin_a, name="テスト環境")
    ApiToken.objects.filter(pk=old.pk).update(revoked_at=old.created_at)
    html = admin_client.get(URL).content.decode()
    assert "受注システム" in html and "テスト環境" in html
    assert f"eng_{live.prefix}_…" in html
    assert ja("Not used yet") in html
    assert all(piece in html for piece in ja_around("Revoked on %(date)s", "date"))
    assert html.count("/revoke") == 0  # revoking starts from a confirmation page
    assert f'href="{URL}{live.pk}/"' in html
    assert f'href="{URL}{old.pk}/"' not in html


def test_a_name_is_needed_and_the_form_says_so(admin_client):
    response = admin_client.post(URL + "new/", {"name": ""})
    assert response.status_code == 400
    assert ja("This field is required.") in response.content.decode()
    assert not ApiToken.objects.exists()


def test_revoking_asks_first_then_stops_the_token(admin_client, company_a, company_admin_a):
    token, secret = create_token(company=company_a, by=company_admin_a, name="受注システム")
    confirm = admin_client.get(f"{URL}{token.pk}/").content.decode()
    assert (
        ja(
            "Any system that uses this token will stop working at once, and the token cannot "
            "be turned back on. Make a new token first if the system should keep working."
        )
        in confirm
    )
    assert authenticate_token(secret) == token  # asking is not revoking

    response = admin_client.post(f"{URL}{token.pk}/revoke/", follow=True)
    assert (
        ja_html("The token “%(name)s” was revoked. It no longer works.", name="受注システム")
        in response.content.decode()
    )
    assert authenticate_token(secret) is None
    assert admin_client.get(f"{URL}{token.pk}/revoke/").status_code == 405


def test_a_plain_member_gets_404(client, member_a, company_a, company_admin_a):
    token, _ = create_token(company=company_a, by=company_admin_a, name="x")
    client.force_login(member_a)
    assert client.get(URL).status_code == 404
    assert client.post(URL + "new/", {"name": "y"}).status_code == 404
    assert client.get(f"{URL}{token.pk}/").status_code == 404
    assert client.post(f"{URL}{token.pk}/revoke/").status_code == 404
    assert ApiToken.objects.get().revoked_at is None


def test_another_companys_admin_gets_404(client, company_a, company_admin_a, company_admin_b):
    token, _ = create_token(company=company_a, by=company_admin_a, name="x")
    client.force_login(company_admin_b)
    assert client.get(URL).status_code == 404
    assert client.post(f"{URL}{token.pk}/revoke/").status_code == 404
    # nor through their own company's address
    assert client.get(f"/c/machikado/api-tokens/{token.pk}/").status_code == 404
    assert client.post(f"/c/machikado/api-tokens/{token.pk}/revoke/").status_code == 404
    assert ApiToken.objects.get().revoked_at is None


def test_it_asks_to_sign_in_first(client, company_a):
    response = client.get(URL)
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]
