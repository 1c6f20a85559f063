"""After login each person lands on the home of their role; with several roles, on the one
used last, or on a chooser."""

import pytest
from django.urls import reverse

from tests import factories
from tests.factories import PASSWORD


def log_in(client, email):
    response = client.post(reverse("account_login"), {"login": email, "password": PASSWORD})
    assert response.status_code == 302, response.content
    return client.get(response.url)


@pytest.mark.parametrize(
    "persona, email, expected",
    [
        ("staff_a", "staff-a@example.com", ("console:home", ["hidamari"])),
        ("member_a", "member-a@example.com", ("portal:home", ["okanoue-print"])),
        ("participant_a", "sora@example.com", ("participants:today", [])),
    ],
)
def test_each_role_lands_on_its_own_home(client, request, persona, email, expected):
    request.getfixturevalue(persona)

    response = log_in(client, email)

    name, args = expected
    assert response.url == reverse(name, args=args)


@pytest.fixture
def staff_who_also_orders(staff_a, company_b):
    factories.CompanyMembershipFactory(user=staff_a, company=company_b)
    return staff_a


def test_a_person_with_two_roles_chooses_then_lands_where_they_were(
    client, staff_who_also_orders, company_b, workshop_a
):
    response = log_in(client, "staff-a@example.com")
    assert response.status_code == 200
    html = response.content.decode()
    assert reverse("console:home", args=[workshop_a.slug]) in html
    assert reverse("portal:home", args=[company_b.slug]) in html

    client.get(reverse("portal:home", args=[company_b.slug]))
    client.post(reverse("account_logout"))

    response = log_in(client, "staff-a@example.com")
    assert response.url == reverse("portal:home", args=[company_b.slug])


def test_the_role_switcher_lists_both_roles(client, staff_who_also_orders, company_b, workshop_a):
    client.force_login(staff_who_also_orders)

    html = client.get(reverse("console:home", args=[workshop_a.slug])).content.decode()

    assert "role-switch" in html
    assert f'href="{reverse("portal:home", args=[company_b.slug])}"' in html
    assert f'href="{reverse("console:home", args=[workshop_a.slug])}"' in html


def test_a_person_with_one_role_sees_no_switcher(client, staff_a, workshop_a):
    client.force_login(staff_a)

    html = client.get(reverse("console:home", args=[workshop_a.slug])).content.decode()

    assert "role-switch" not in html
