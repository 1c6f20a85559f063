"""The token rules: the secret is shown once and stored only as a hash; revoking is final;
the demo token is fixed and made once."""

import hashlib

import pytest

from companies import tokens
from companies.models import ApiToken


def test_it_makes_a_token_whose_secret_is_stored_only_as_a_hash(company_a, company_admin_a):
    token, secret = tokens.create_token(company=company_a, by=company_admin_a, name="受注システム")
    assert secret.startswith(f"eng_{token.prefix}_")
    assert len(secret) > 40
    stored = ApiToken.objects.get(pk=token.pk)
    assert stored.token_hash == hashlib.sha256(secret.encode()).hexdigest()
    assert secret not in {str(getattr(stored, f.attname)) for f in ApiToken._meta.fields}
    assert tokens.authenticate_token(secret) == token


def test_two_tokens_never_share_a_secret_or_prefix(company_a, company_admin_a):
    made = [
        tokens.create_token(company=company_a, by=company_admin_a, name=f"t{n}") for n in range(5)
    ]
    assert len({secret for _, secret in made}) == 5
    assert len({token.prefix for token, _ in made}) == 5


def test_only_an_admin_makes_or_revokes_tokens(company_a, member_a, company_admin_a):
    with pytest.raises(tokens.TokenError) as refused:
        tokens.create_token(company=company_a, by=member_a, name="x")
    assert refused.value.code == "forbidden"
    token, _ = tokens.create_token(company=company_a, by=company_admin_a, name="x")
    with pytest.raises(tokens.TokenError):
        tokens.revoke_token(token=token, by=member_a)
    assert ApiToken.objects.get(pk=token.pk).revoked_at is None


def test_a_token_needs_a_name(company_a, company_admin_a):
    with pytest.raises(tokens.TokenError) as refused:
        tokens.create_token(company=company_a, by=company_admin_a, name="  ")
    assert refused.value.code == "name_required"


def test_revoking_is_final_and_keeps_the_first_time(company_a, company_admin_a):
    token, secret = tokens.create_token(company=company_a, by=company_admin_a, name="x")
    first = tokens.revoke_token(token=token, by=company_admin_a).revoked_at
    assert tokens.revoke_token(token=token, by=company_admin_a).revoked_at == first
    assert tokens.authenticate_token(secret) is None


def test_it_refuses_what_is_not_a_token(db):
    assert tokens.authenticate_token("") is None
    assert tokens.authenticate_token("Bearer") is None
    assert tokens.authenticate_token("eng_" + "x" * 500) is None


def test_the_demo_token_is_made_once_with_its_documented_secret(company_a, company_admin_a):
    secret = tokens.seed_demo_token()
    assert secret == tokens.DEMO_TOKEN == "eng_demo_okanoue-print-engawa-demo-2026"
    assert tokens.seed_demo_token() == secret
    token = ApiToken.objects.get()
    assert (token.company, token.created_by, token.prefix) == (company_a, company_admin_a, "demo")
    assert tokens.authenticate_token(secret) == token
