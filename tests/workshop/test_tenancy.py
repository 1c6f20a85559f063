"""What each persona can see through every model's `visible_to`, and that another tenant's
pages answer 404. Tenant A is ひだまり and 丘の上印刷; tenant B is みなと and まちかど."""

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import URLPattern, get_resolver, reverse
from django.utils import timezone

from companies.models import (
    AccountRequest,
    Company,
    CompanyMembership,
    Partnership,
)
from jobs.models import Order, OrderEvent, ProgressLog, WorkUnit
from participants.models import Invitation, Participant
from tests import factories
from workshop.models import StaffMembership, User, Workshop


def visible(model, user) -> set:
    return set(model.objects.visible_to(user).values_list("pk", flat=True))


def pks(*objects) -> set:
    return {obj.pk for obj in objects}


# --- staff ----------------------------------------------------------------------------------


def test_staff_see_their_workshops_orders_but_not_drafts(staff_a, tenant_a, tenant_b):
    assert visible(Order, staff_a) == pks(tenant_a.order)
    assert visible(OrderEvent, staff_a) == pks(tenant_a.event)


def test_staff_see_every_unit_and_log_of_their_workshop_only(staff_a, tenant_a, tenant_b):
    assert visible(WorkUnit, staff_a) == pks(tenant_a.open_unit, tenant_a.held_unit)
    assert visible(ProgressLog, staff_a) == pks(tenant_a.log)


def test_staff_see_their_workshop_its_people_and_its_companies(staff_a, tenant_a, tenant_b):
    assert visible(Workshop, staff_a) == pks(tenant_a.workshop)
    assert visible(Participant, staff_a) == pks(tenant_a.participant)
    assert visible(Invitation, staff_a) == pks(tenant_a.invitation)
    assert visible(Company, staff_a) == pks(tenant_a.company)
    assert visible(Partnership, staff_a) == pks(tenant_a.partnership)
    assert visible(CompanyMembership, staff_a) == pks(tenant_a.company_membership)
    assert tenant_a.staff_membership.pk in visible(StaffMembership, staff_a)
    assert not visible(StaffMembership, staff_a) & pks(tenant_b.staff_membership)


def test_staff_see_the_people_they_work_with_and_no_one_else(staff_a, tenant_a, tenant_b):
    seen = visible(User, staff_a)
    assert (
        pks(
            staff_a,
            tenant_a.staff_membership.user,
            tenant_a.participant.user,
            tenant_a.company_membership.user,
        )
        <= seen
    )
    assert not seen & pks(
        tenant_b.staff_membership.user,
        tenant_b.participant.user,
        tenant_b.company_membership.user,
    )


def test_only_managers_see_account_requests(staff_a, manager_a, tenant_a, tenant_b):
    assert visible(AccountRequest, staff_a) == set()
    assert visible(AccountRequest, manager_a) == pks(tenant_a.account_request)


# --- company members ------------------------------------------------------------------------


def test_members_see_all_their_companys_orders_including_drafts(member_a, tenant_a, tenant_b):
    assert visible(Order, member_a) == pks(tenant_a.order, tenant_a.draft)
    assert visible(OrderEvent, member_a) == pks(tenant_a.event)


def test_members_see_their_company_and_the_workshops_it_orders_from(member_a, tenant_a, tenant_b):
    assert visible(Company, member_a) == pks(tenant_a.company)
    assert visible(CompanyMembership, member_a) == pks(tenant_a.company_membership)
    assert visible(Partnership, member_a) == pks(tenant_a.partnership)
    assert visible(Workshop, member_a) == pks(tenant_a.workshop)


def test_companies_never_see_participants_units_or_logs(member_a, company_admin_a, tenant_a):
    for user in (member_a, company_admin_a):
        assert visible(Participant, user) == set()
        assert visible(WorkUnit, user) == set()
        assert visible(ProgressLog, user) == set()
        assert visible(Invitation, user) == set()
        assert visible(StaffMembership, user) == set()
        assert tenant_a.participant.user.pk not in visible(User, user)


def test_an_order_to_two_workshops_is_seen_by_each_only_for_its_own(
    staff_a, staff_b, member_b, tenant_a, tenant_b
):
    """まちかど orders from both workshops: A's staff see the order sent to A, not the one
    sent to B, while まちかど's member sees both."""
    factories.PartnershipFactory(company=tenant_b.company, workshop=tenant_a.workshop)
    to_a = factories.OrderFactory(workshop=tenant_a.workshop, company=tenant_b.company)
    assert to_a.pk in visible(Order, staff_a)
    assert tenant_b.order.pk not in visible(Order, staff_a)
    assert visible(Order, member_b) == pks(tenant_b.order, tenant_b.draft, to_a)
    assert to_a.pk not in visible(Order, staff_b)


# --- participants -----------------------------------------------------------------------------


def test_a_participant_sees_open_units_of_their_workshop_and_their_own(
    participant_a, tenant_a, tenant_b
):
    user = participant_a.user
    other = factories.ParticipantFactory(workshop=tenant_a.workshop, nickname="はる")
    theirs = factories.WorkUnitFactory(
        order=tenant_a.order,
        number=3,
        status=WorkUnit.Status.SUBMITTED,
        holder=other,
    )
    seen = visible(WorkUnit, user)
    assert seen == pks(tenant_a.open_unit, tenant_a.held_unit)
    assert theirs.pk not in seen


def test_a_participant_sees_a_unit_whose_claim_by_someone_else_has_expired(participant_a, tenant_a):
    other = factories.ParticipantFactory(workshop=tenant_a.workshop, nickname="はる")
    now = timezone.now()
    still_held = factories.WorkUnitFactory(
        order=tenant_a.order,
        number=4,
        status=WorkUnit.Status.CLAIMED,
        holder=other,
        claimed_at=now,
        expires_at=now + datetime.timedelta(hours=1),
    )
    expired = factories.WorkUnitFactory(
        order=tenant_a.order,
        number=5,
        status=WorkUnit.Status.CLAIMED,
        holder=other,
        claimed_at=now - datetime.timedelta(days=3),
        expires_at=now - datetime.timedelta(hours=1),
    )
    seen = visible(WorkUnit, participant_a.user)
    assert expired.pk in seen
    assert still_held.pk not in seen


def test_a_participant_sees_only_themself(participant_a, tenant_a, tenant_b):
    user = participant_a.user
    factories.ParticipantFactory(workshop=tenant_a.workshop, nickname="はる")
    assert visible(Participant, user) == pks(participant_a)
    assert visible(User, user) == pks(user)
    assert visible(ProgressLog, user) == pks(tenant_a.log)
    assert visible(Order, user) == set()
    assert visible(Company, user) == set()
    assert visible(Invitation, user) == set()
    assert visible(StaffMembership, user) == set()
    assert visible(Workshop, user) == pks(tenant_a.workshop)


def test_a_participant_does_not_see_another_participants_logs(participant_a, tenant_a):
    other = factories.ParticipantFactory(workshop=tenant_a.workshop, nickname="はる")
    theirs = factories.ProgressLogFactory(unit=tenant_a.open_unit, participant=other)
    assert theirs.pk not in visible(ProgressLog, participant_a.user)


# --- nobody ---------------------------------------------------------------------------------

SCOPED_MODELS = [
    Workshop,
    StaffMembership,
    User,
    Company,
    CompanyMembership,
    Partnership,
    AccountRequest,
    Order,
    OrderEvent,
    WorkUnit,
    ProgressLog,
    Participant,
    Invitation,
]


@pytest.mark.parametrize("model", SCOPED_MODELS, ids=lambda model: model.__name__)
def test_an_anonymous_visitor_sees_nothing(model, tenant_a):
    assert visible(model, AnonymousUser()) == set()


@pytest.mark.parametrize("model", SCOPED_MODELS, ids=lambda model: model.__name__)
def test_someone_with_no_role_sees_nothing_but_themself(model, tenant_a, tenant_b):
    stranger = factories.UserFactory()
    assert visible(model, stranger) == (pks(stranger) if model is User else set())


# --- pages ----------------------------------------------------------------------------------


def pages_of(namespace: str, **kwargs) -> list[str]:
    """Every page of a namespace that needs only the tenant's slug, so that pages added later
    are covered too."""
    resolver = get_resolver()
    urls = []
    for pattern in resolver.namespace_dict[namespace][1].url_patterns:
        if not isinstance(pattern, URLPattern):
            continue
        if set(pattern.pattern.regex.groupindex) == set():
            urls.append(reverse(f"{namespace}:{pattern.name}", kwargs=kwargs))
    return urls


def test_another_workshops_console_answers_404(client, staff_a, manager_a, tenant_b):
    urls = pages_of("console", workshop_slug=tenant_b.workshop.slug)
    assert urls
    for user in (staff_a, manager_a):
        client.force_login(user)
        for url in urls:
            assert client.get(url).status_code in (404, 405), url


def test_another_companys_portal_answers_404(client, member_a, company_admin_a, tenant_b):
    urls = pages_of("portal", company_slug=tenant_b.company.slug)
    assert urls
    for user in (member_a, company_admin_a):
        client.force_login(user)
        for url in urls:
            assert client.get(url).status_code in (404, 405), url


def test_a_workshops_console_is_not_a_companys(client, member_a, tenant_a):
    client.force_login(member_a)
    assert client.get(reverse("console:home", args=[tenant_a.workshop.slug])).status_code == 404


def test_a_companys_portal_is_not_a_workshops(client, staff_a, tenant_a):
    client.force_login(staff_a)
    assert client.get(reverse("portal:home", args=[tenant_a.company.slug])).status_code == 404


def test_a_participant_has_no_console_and_no_portal(client, participant_a, tenant_a):
    client.force_login(participant_a.user)
    assert client.get(reverse("console:home", args=[tenant_a.workshop.slug])).status_code == 404
    assert client.get(reverse("portal:home", args=[tenant_a.company.slug])).status_code == 404


def test_another_tenants_admin_pages_do_not_open(client, manager_a, tenant_b):
    client.force_login(manager_a)
    for model, objects in tenant_b.by_model().items():
        for obj in objects:
            response = client.get(reverse(f"admin:{model}_change", args=[obj.pk]))
            assert response.status_code in (302, 404), model
            assert obj._meta.model_name not in (response.headers.get("Location") or "")


def test_anonymous_visitors_are_sent_to_the_login_page(client, tenant_a):
    urls = [
        reverse("home"),
        reverse("participants:today"),
        *pages_of("console", workshop_slug=tenant_a.workshop.slug),
        *pages_of("portal", company_slug=tenant_a.company.slug),
    ]
    login = reverse("account_login")
    for url in urls:
        response = client.get(url)
        if response.status_code == 405:
            continue
        assert response.status_code == 302, url
        assert response.url.startswith(login), url
