"""The admin: only superusers and workshop managers get in, and a manager sees and picks only
the rows of the workshops they manage."""

import pytest
from django.urls import reverse

from tests import factories
from workshop.models import StaffMembership

MODELS = [
    "workshop_workshop",
    "workshop_staffmembership",
    "workshop_user",
    "companies_company",
    "companies_companymembership",
    "companies_partnership",
    "companies_accountrequest",
    "jobs_order",
    "jobs_orderevent",
    "jobs_workunit",
    "jobs_progresslog",
    "participants_participant",
    "participants_invitation",
]

# Rows that are only ever made by the app's own flows (with their event rows and hashes).
MADE_ELSEWHERE = {
    "jobs_orderevent",
    "jobs_progresslog",
    "companies_accountrequest",
    "participants_invitation",
}


def listed(client, model: str) -> set:
    response = client.get(reverse(f"admin:{model}_changelist"))
    assert response.status_code == 200
    return {obj.pk for obj in response.context["cl"].result_list}


def test_it_lets_a_manager_in(client, manager_a):
    client.force_login(manager_a)
    response = client.get(reverse("admin:index"))
    assert response.status_code == 200
    assert "jobs" in {app["app_label"] for app in response.context["app_list"]}


@pytest.mark.parametrize("persona", ["staff_a", "member_a", "company_admin_a"])
def test_it_keeps_everyone_but_managers_out(client, request, persona, tenant_a):
    client.force_login(request.getfixturevalue(persona))
    response = client.get(reverse("admin:jobs_order_changelist"))
    assert response.status_code == 302
    assert client.get(response.url).status_code == 403
    assert client.get(reverse("admin:index")).status_code == 302


def test_it_keeps_a_participant_out(client, participant_a):
    client.force_login(participant_a.user)
    response = client.get(reverse("admin:index"), follow=True)
    assert response.status_code == 403


def test_it_sends_a_visitor_to_the_normal_login_page(client, db):
    response = client.get(reverse("admin:index"), follow=True)
    assert response.redirect_chain[-1][0].startswith(reverse("account_login"))
    assert "next=/admin/" in response.redirect_chain[-1][0]


def test_it_has_no_password_form_of_its_own(client, manager_a):
    response = client.post(
        reverse("admin:login"), {"username": manager_a.username, "password": "x"}
    )
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize("model", MODELS)
def test_a_manager_sees_only_rows_of_their_workshop(client, manager_a, tenant_a, tenant_b, model):
    client.force_login(manager_a)
    seen = listed(client, model)
    assert {obj.pk for obj in tenant_a.by_model()[model]} <= seen
    assert not {obj.pk for obj in tenant_b.by_model()[model]} & seen


@pytest.mark.parametrize("model", MODELS)
def test_a_manager_cannot_open_another_workshops_rows(client, manager_a, tenant_a, tenant_b, model):
    client.force_login(manager_a)
    for obj in tenant_b.by_model()[model]:
        response = client.get(reverse(f"admin:{model}_change", args=[obj.pk]))
        assert response.status_code in (302, 404)
        if response.status_code == 302:
            assert response.url == reverse("admin:index")
    for obj in tenant_a.by_model()[model]:
        assert client.get(reverse(f"admin:{model}_change", args=[obj.pk])).status_code == 200


@pytest.mark.parametrize("model", MODELS)
def test_a_superuser_sees_every_tenant(client, superuser, tenant_a, tenant_b, model):
    client.force_login(superuser)
    seen = listed(client, model)
    for tenant in (tenant_a, tenant_b):
        assert {obj.pk for obj in tenant.by_model()[model]} <= seen


def test_a_manager_does_not_see_company_drafts(client, manager_a, tenant_a):
    client.force_login(manager_a)
    assert tenant_a.draft.pk not in listed(client, "jobs_order")


def test_being_staff_elsewhere_opens_nothing_more(client, manager_a, tenant_a, tenant_b):
    """A manager of A who is plain staff of B still sees only A here: the console is the place
    for B's work, and staff do not edit through the admin."""
    factories.StaffMembershipFactory(user=manager_a, workshop=tenant_b.workshop)
    client.force_login(manager_a)
    assert listed(client, "jobs_order") == {tenant_a.order.pk}
    assert listed(client, "workshop_workshop") == {tenant_a.workshop.pk}


def test_foreign_key_choices_are_scoped(client, manager_a, tenant_a, tenant_b):
    client.force_login(manager_a)
    response = client.get(reverse("admin:workshop_staffmembership_add"))
    form = response.context["adminform"].form
    assert list(form.fields["workshop"].queryset) == [tenant_a.workshop]
    assert tenant_b.staff_membership.user not in form.fields["user"].queryset


def test_a_manager_cannot_add_staff_to_another_workshop(client, manager_a, tenant_a, tenant_b):
    client.force_login(manager_a)
    newcomer = tenant_a.company_membership.user
    response = client.post(
        reverse("admin:workshop_staffmembership_add"),
        {"user": newcomer.pk, "workshop": tenant_b.workshop.pk, "role": "manager"},
    )
    assert response.status_code == 200  # the form comes back with an error
    assert not StaffMembership.objects.filter(user=newcomer).exists()


def test_a_manager_changes_their_workshops_settings(client, manager_a, tenant_a):
    client.force_login(manager_a)
    workshop = tenant_a.workshop
    response = client.post(
        reverse("admin:workshop_workshop_change", args=[workshop.pk]),
        {
            "name": workshop.name,
            "operator": "坂ノ上市社会福祉協議会",
            "address": workshop.address,
            "phone": "",
            "invoice_registration_number": workshop.invoice_registration_number,
            "claim_timeout_hours": 24,
            "hold_limit": 2,
            "pay_mode": "piece",
            "wage_share_percent": 70,
            "hourly_wage_yen": 0,
            "hourly_floor_yen": 300,
            "goal_review_months": 3,
            "retention_years": 5,
            "staff_memberships-TOTAL_FORMS": 1,
            "staff_memberships-INITIAL_FORMS": 1,
            "staff_memberships-0-id": tenant_a.staff_membership.pk,
            "staff_memberships-0-workshop": workshop.pk,
            "staff_memberships-0-user": tenant_a.staff_membership.user.pk,
            "staff_memberships-0-role": "manager",
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    workshop.refresh_from_db()
    assert (workshop.claim_timeout_hours, workshop.hold_limit, workshop.goal_review_months) == (
        24,
        2,
        3,
    )


def test_pipeline_states_are_read_only(client, manager_a, tenant_a):
    client.force_login(manager_a)
    response = client.get(reverse("admin:jobs_order_change", args=[tenant_a.order.pk]))
    assert "status" not in response.context["adminform"].form.fields
    response = client.get(reverse("admin:jobs_workunit_change", args=[tenant_a.held_unit.pk]))
    form_fields = response.context["adminform"].form.fields
    assert not {"status", "holder", "expires_at"} & set(form_fields)


def test_logs_and_events_are_never_edited(client, manager_a, superuser, tenant_a):
    for user in (manager_a, superuser):
        client.force_login(user)
        response = client.post(
            reverse("admin:jobs_progresslog_delete", args=[tenant_a.log.pk]), {"post": "yes"}
        )
        assert response.status_code == 403
    assert type(tenant_a.log).objects.filter(pk=tenant_a.log.pk).exists()


def test_a_manager_cannot_change_accounts_shared_with_other_tenants(client, manager_a, tenant_a):
    client.force_login(manager_a)
    member = tenant_a.company_membership.user
    response = client.post(
        reverse("admin:auth_user_password_change", args=[member.pk]),
        {"password1": "taken-over-123", "password2": "taken-over-123"},
    )
    assert response.status_code == 403
    response = client.post(
        reverse("admin:companies_company_change", args=[tenant_a.company.pk]),
        {"name": "乗っ取り", "slug": tenant_a.company.slug},
    )
    assert response.status_code == 403
    tenant_a.company.refresh_from_db()
    assert tenant_a.company.name != "乗っ取り"


@pytest.mark.parametrize("model", MODELS)
def test_a_superuser_opens_every_page(client, superuser, tenant_a, model):
    client.force_login(superuser)
    obj = tenant_a.by_model()[model][0]
    assert client.get(reverse(f"admin:{model}_change", args=[obj.pk])).status_code == 200
    add = client.get(reverse(f"admin:{model}_add"))
    assert add.status_code == (403 if model in MADE_ELSEWHERE else 200)
