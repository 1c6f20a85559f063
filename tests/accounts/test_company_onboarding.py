"""Companies ask for an account; a manager of the workshop approves or declines."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from companies.models import AccountRequest, Company, CompanyMembership, Partnership
from companies.onboarding import (
    OnboardingError,
    approve_account_request,
    reject_account_request,
    request_account,
)
from tests import factories
from tests.i18n import in_japanese, ja
from workshop.models import StaffMembership, User


@pytest.fixture
def account_request(workshop_a, manager_a):
    return request_account(
        workshop=workshop_a,
        company_name="港町ロジスティクス",
        contact_name="山田 花子",
        email="Hanako@Minato-Logi.example",
        phone="03-0000-0000",
        message="毎月 2,000 通の封入をお願いしたいです。",
    )


def request_form(workshop, **overrides):
    data = {
        "company_name": "港町ロジスティクス",
        "contact_name": "山田 花子",
        "email": "hanako@minato-logi.example",
        "phone": "03-0000-0000",
        "address": "",
        "workshop": workshop.pk,
        "message": "",
    }
    return data | overrides


def test_anyone_can_ask_for_a_company_account_and_the_managers_hear_of_it(
    client, workshop_a, workshop_b, manager_a, staff_a, manager_b
):
    html = client.get(reverse("companies:request_account")).content.decode()
    assert workshop_a.name in html and workshop_b.name in html

    response = client.post(reverse("companies:submit_account_request"), request_form(workshop_a))

    assert response.url == reverse("companies:request_sent")
    account_request = AccountRequest.objects.get()
    assert account_request.status == AccountRequest.Status.PENDING
    assert account_request.workshop == workshop_a
    [message] = mail.outbox
    assert message.to == ["manager-a@example.com"]  # not plain staff, not other workshops
    assert "港町ロジスティクス" in message.body
    assert reverse("console:account_requests", args=[workshop_a.slug]) in message.body


def test_a_request_with_missing_fields_keeps_what_was_typed(client, workshop_a):
    response = client.post(
        reverse("companies:submit_account_request"), request_form(workshop_a, email="")
    )

    assert response.status_code == 400
    assert "港町ロジスティクス" in response.content.decode()
    assert not AccountRequest.objects.exists()


def test_approving_creates_the_company_its_admin_and_the_partnership(
    account_request, manager_a, workshop_a
):
    mail.outbox.clear()

    company = approve_account_request(account_request=account_request, decided_by=manager_a)

    assert company.name == "港町ロジスティクス"
    assert company.slug == "company"  # a Japanese name has no ASCII slug
    user = User.objects.get(email="hanako@minato-logi.example")
    assert not user.has_usable_password()
    assert CompanyMembership.objects.get(user=user, company=company).is_admin
    assert Partnership.objects.filter(company=company, workshop=workshop_a).exists()
    account_request.refresh_from_db()
    assert account_request.status == AccountRequest.Status.APPROVED
    assert account_request.decided_by == manager_a
    assert account_request.company == company
    [message] = mail.outbox
    assert message.to == ["hanako@minato-logi.example"]
    assert "/accounts/password/reset/key/" in message.body


def test_the_approved_contact_sets_a_password_and_lands_on_the_company_portal(
    client, account_request, manager_a
):
    mail.outbox.clear()
    company = approve_account_request(account_request=account_request, decided_by=manager_a)
    link = re.search(r"https?://[^/\s]+(/accounts/password/reset/key/\S+)", mail.outbox[0].body)

    response = client.get(link.group(1))
    client.post(response.url, {"password1": "harbour-lights-7", "password2": "harbour-lights-7"})
    client.logout()
    response = client.post(
        reverse("account_login"),
        {"login": "hanako@minato-logi.example", "password": "harbour-lights-7"},
    )

    assert client.get(response.url).url == reverse("portal:home", args=[company.slug])


def test_approving_reuses_an_existing_account_with_that_email(account_request, manager_a):
    existing = factories.UserFactory(email="hanako@minato-logi.example")

    company = approve_account_request(account_request=account_request, decided_by=manager_a)

    assert company.memberships.get().user == existing
    assert User.objects.filter(email__iexact="hanako@minato-logi.example").count() == 1


def test_company_slugs_stay_unique(workshop_a, manager_a):
    factories.CompanyFactory(slug="harbour-co")
    account_request = request_account(
        workshop=workshop_a, company_name="Harbour Co", contact_name="A", email="a@harbour.example"
    )

    company = approve_account_request(account_request=account_request, decided_by=manager_a)

    assert company.slug == "harbour-co-2"


def test_declining_records_the_note_and_tells_the_company(account_request, manager_a):
    mail.outbox.clear()

    reject_account_request(
        account_request=account_request, decided_by=manager_a, note="今期は受け入れ枠がありません。"
    )

    account_request.refresh_from_db()
    assert account_request.status == AccountRequest.Status.REJECTED
    assert account_request.decision_note == "今期は受け入れ枠がありません。"
    assert account_request.decided_at is not None
    assert not Company.objects.exists()
    [message] = mail.outbox
    assert "今期は受け入れ枠がありません。" in message.body


def test_a_decided_request_cannot_be_decided_again(account_request, manager_a):
    approve_account_request(account_request=account_request, decided_by=manager_a)

    with pytest.raises(OnboardingError) as error:
        approve_account_request(account_request=account_request, decided_by=manager_a)
    assert error.value.code == "not_pending"
    with pytest.raises(OnboardingError):
        reject_account_request(account_request=account_request, decided_by=manager_a, note="")
    assert Company.objects.count() == 1


def test_managers_see_pending_requests_first(client, account_request, manager_a, workshop_a):
    decided = request_account(
        workshop=workshop_a, company_name="先の会社", contact_name="B", email="b@example.com"
    )
    reject_account_request(account_request=decided, decided_by=manager_a, note="")
    newest = request_account(
        workshop=workshop_a, company_name="新しい会社", contact_name="C", email="c@example.com"
    )
    client.force_login(manager_a)

    html = client.get(reverse("console:account_requests", args=[workshop_a.slug])).content.decode()

    assert html.index("新しい会社") < html.index("港町ロジスティクス") < html.index("先の会社")
    assert newest.pk


def test_a_manager_approves_and_declines_on_the_page(
    client, account_request, manager_a, workshop_a
):
    other = request_account(
        workshop=workshop_a, company_name="別の会社", contact_name="B", email="b@example.com"
    )
    client.force_login(manager_a)

    client.post(
        reverse("console:approve_account_request", args=[workshop_a.slug, account_request.pk])
    )
    client.post(
        reverse("console:reject_account_request", args=[workshop_a.slug, other.pk]),
        {"note": "ごめんなさい"},
    )

    account_request.refresh_from_db()
    other.refresh_from_db()
    assert account_request.status == AccountRequest.Status.APPROVED
    assert other.status == AccountRequest.Status.REJECTED
    assert other.decision_note == "ごめんなさい"


def test_deciding_twice_on_the_page_says_so_calmly(client, account_request, manager_a, workshop_a):
    client.force_login(manager_a)
    url = reverse("console:approve_account_request", args=[workshop_a.slug, account_request.pk])
    client.post(url)

    response = client.post(url, follow=True)

    decided = ja(
        "This request has already been decided (%(status)s).",
        status=in_japanese(AccountRequest.Status.APPROVED.label),
    )
    assert decided in response.content.decode()
    assert Company.objects.count() == 1


@pytest.mark.parametrize("persona", ["staff_a", "manager_b", "member_a"])
def test_only_managers_of_the_workshop_reach_its_requests(
    client, request, account_request, workshop_a, persona
):
    client.force_login(request.getfixturevalue(persona))

    assert (
        client.get(reverse("console:account_requests", args=[workshop_a.slug])).status_code == 404
    )
    approve = reverse("console:approve_account_request", args=[workshop_a.slug, account_request.pk])
    assert client.post(approve).status_code == 404
    account_request.refresh_from_db()
    assert account_request.status == AccountRequest.Status.PENDING


def test_a_manager_of_b_cannot_reach_a_request_of_a_through_their_own_workshop(
    client, account_request, manager_b, workshop_b
):
    client.force_login(manager_b)

    approve = reverse("console:approve_account_request", args=[workshop_b.slug, account_request.pk])

    assert client.post(approve).status_code == 404


def test_staff_memberships_of_a_manager_are_untouched(account_request, manager_a, workshop_a):
    approve_account_request(account_request=account_request, decided_by=manager_a)

    assert StaffMembership.objects.get(user=manager_a).workshop == workshop_a
