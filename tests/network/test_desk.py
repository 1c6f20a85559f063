"""The joint order desk (共同受注窓口): a company sends an order to the network, the coordinator
routes it to one workshop or splits it into shares that add up to the order, each workshop
accepts (a normal order of its own) or declines (back to the desk); the company follows one
order with combined progress; expected dates come from a known history; nobody outside sees it."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from companies.models import Partnership
from jobs.models import Order, OrderEvent
from jobs.money_models import Credit, OrderConfirmation
from network import capacity, desk
from network.models import (
    Coordinator,
    JointOrder,
    JointOrderEvent,
    Network,
    NetworkMembership,
    Share,
)
from tests import factories
from tests.i18n import ja
from workshop.models import AuditLog

MONDAY = datetime.date(2026, 12, 7)


def terms(**changes) -> dict:
    delivery = timezone.localdate() + datetime.timedelta(days=30)
    return {
        "title": "DM封入 共同受注",
        "kind": Order.Kind.HANDS_ON,
        "quantity": 10_000,
        "unit_label": "通",
        "total_price_yen": 100_001,
        "desired_delivery_date": delivery,
    } | changes


@pytest.fixture
def joint_order(network, company_a, member_a):
    return desk.send_to_network(company=company_a, network=network, by=member_a, terms=terms())


@pytest.fixture
def company_c(workshop_c):
    """A company of そよかぜ, a workshop outside the network."""
    company = factories.CompanyFactory(name="そよかぜ商会", slug="soyokaze-shokai")
    factories.PartnershipFactory(company=company, workshop=workshop_c)
    return company


@pytest.fixture
def member_c(company_c):
    return factories.CompanyMembershipFactory(
        company=company_c, user__email="member-c@example.com"
    ).user


def split(joint_order, coordinator, *parts):
    return desk.route(
        joint_order=joint_order,
        by=coordinator,
        parts=[desk.Part(workshop, quantity) for workshop, quantity in parts],
    )


# --- sending and routing -----------------------------------------------------------------------


def test_a_company_sends_an_order_to_the_network(joint_order, network, member_a):
    assert joint_order.status == JointOrder.Status.AT_DESK
    assert joint_order.network == network
    assert joint_order.payment_date is not None  # fixed on sending, as for any order
    assert desk.unrouted(joint_order) == (10_000, 100_001)
    assert JointOrderEvent.objects.get(joint_order=joint_order).what == "sent"


def test_a_company_outside_the_network_cannot_send_to_it(network, company_c, member_c):
    with pytest.raises(desk.order_rules.OrderInvalid) as refused:
        desk.send_to_network(company=company_c, network=network, by=member_c, terms=terms())
    assert "network" in refused.value.errors


def test_routing_to_one_workshop_makes_a_normal_order_when_accepted(
    joint_order, coordinator, workshop_a, staff_a, company_a, member_a
):
    [share] = split(joint_order, coordinator, (workshop_a, 10_000))
    joint_order.refresh_from_db()
    assert joint_order.status == JointOrder.Status.ROUTED
    assert (share.quantity, share.price_yen) == (10_000, 100_001)

    order = desk.accept_share(share=share, by=staff_a, minutes_per_item=2)

    assert order.workshop == workshop_a and order.company == company_a
    assert order.status == Order.Status.ACCEPTED
    assert (order.quantity, order.total_price_yen) == (10_000, 100_001)
    assert order.title == f"DM封入 共同受注（{joint_order.number}）"
    assert order.created_by == member_a
    assert order.minutes_per_item == 2
    assert list(order.events.values_list("to_status", flat=True)) == [
        "draft",
        "submitted",
        "accepted",
    ]
    # The order confirmation (注文請書), as for any accepted order.
    assert OrderConfirmation.objects.filter(order=order).exists()
    joint_order.refresh_from_db()
    assert joint_order.status == JointOrder.Status.TAKEN_ON
    share.refresh_from_db()
    assert share.order == order and share.decided_by == staff_a
    assert (
        AuditLog.objects.filter(
            workshop=workshop_a, record_type="joint_order_share", record_id=share.pk
        ).count()
        == 2
    )  # routed, accepted


def test_accepting_a_share_makes_the_company_and_the_workshop_partners(
    joint_order, coordinator, workshop_b, staff_b, company_a
):
    assert not Partnership.objects.filter(company=company_a, workshop=workshop_b).exists()
    [share] = split(joint_order, coordinator, (workshop_b, 10_000))
    order = desk.accept_share(share=share, by=staff_b)
    assert order.workshop == workshop_b
    assert Partnership.objects.filter(company=company_a, workshop=workshop_b).exists()


def test_splitting_gives_shares_that_add_up_to_the_order(
    joint_order, coordinator, workshop_a, workshop_b
):
    shares = split(joint_order, coordinator, (workshop_a, 6_001), (workshop_b, 3_999))
    assert sum(s.quantity for s in shares) == joint_order.quantity
    assert sum(s.price_yen for s in shares) == joint_order.total_price_yen
    # 100,001 × 6,001 / 10,000 = 60,010.6… and × 3,999 / 10,000 = 39,990.3…: the yen left
    # over goes to the larger remainder.
    assert [s.price_yen for s in shares] == [60_011, 39_990]
    assert desk.unrouted(joint_order) == (0, 0)


@pytest.mark.parametrize(
    ("parts", "code"),
    [
        ([("a", 6_000), ("b", 3_999)], "wrong_total"),
        ([("a", 6_000), ("b", 4_001)], "wrong_total"),
        ([("a", 5_000), ("a", 5_000)], "same_workshop"),
        ([("c", 10_000)], "not_in_network"),
        ([], "wrong_total"),
    ],
)
def test_routing_refuses_shares_that_do_not_add_up(
    joint_order, coordinator, workshop_a, workshop_b, workshop_c, parts, code
):
    workshops = {"a": workshop_a, "b": workshop_b, "c": workshop_c}
    with pytest.raises(desk.DeskError) as refused:
        split(joint_order, coordinator, *[(workshops[key], q) for key, q in parts])
    assert refused.value.code == code
    assert not joint_order.shares.exists()


def test_routing_twice_is_refused(joint_order, coordinator, workshop_a):
    split(joint_order, coordinator, (workshop_a, 10_000))
    with pytest.raises(desk.DeskError) as refused:
        split(joint_order, coordinator, (workshop_a, 10_000))
    assert refused.value.code == "wrong_state"


def test_a_share_of_less_than_a_yen_is_refused(
    network, company_a, member_a, coordinator, workshop_a, workshop_b
):
    tiny = desk.send_to_network(
        company=company_a, network=network, by=member_a, terms=terms(total_price_yen=1, quantity=2)
    )
    with pytest.raises(desk.DeskError) as refused:
        split(tiny, coordinator, (workshop_a, 1), (workshop_b, 1))
    assert refused.value.code == "share_too_small"


@settings(suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(
    total=st.integers(min_value=0, max_value=10**9),
    quantities=st.lists(st.integers(min_value=1, max_value=10**7), min_size=1, max_size=8),
)
def test_money_is_split_exactly_in_proportion(total, quantities):
    prices = desk.split_money(total, quantities)
    whole = sum(quantities)
    assert sum(prices) == total
    for price, quantity in zip(prices, quantities, strict=True):
        # Each share is its exact part rounded down, or one yen more.
        assert total * quantity // whole <= price <= total * quantity // whole + 1


@settings(suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(
    unit=st.integers(min_value=1, max_value=1_000),
    quantities=st.lists(st.integers(min_value=1, max_value=10**5), min_size=1, max_size=8),
)
def test_with_a_unit_price_every_share_is_unit_price_times_its_quantity(unit, quantities):
    prices = desk.split_money(unit * sum(quantities), quantities)
    assert prices == [unit * q for q in quantities]


# --- declining --------------------------------------------------------------------------------


def test_a_declined_share_goes_back_to_the_desk(
    joint_order, coordinator, workshop_a, workshop_b, staff_a, staff_b
):
    share_a, share_b = split(joint_order, coordinator, (workshop_a, 6_000), (workshop_b, 4_000))
    desk.accept_share(share=share_a, by=staff_a)

    desk.decline_share(share=share_b, by=staff_b, reason="今月は手が足りません")

    joint_order.refresh_from_db()
    share_b.refresh_from_db()
    assert joint_order.status == JointOrder.Status.AT_DESK
    assert share_b.status == Share.Status.DECLINED and share_b.order is None
    assert desk.unrouted(joint_order) == (4_000, share_b.price_yen)
    event = JointOrderEvent.objects.get(joint_order=joint_order, what="declined")
    assert (event.share, event.note) == (share_b, "今月は手が足りません")
    # The coordinator routes it again; everything still adds up to the order.
    [again] = split(joint_order, coordinator, (workshop_a, 4_000))
    live = joint_order.shares.live()
    assert sum(s.quantity for s in live) == 10_000
    assert sum(s.price_yen for s in live) == 100_001
    assert again.price_yen == share_b.price_yen


def test_declining_needs_a_reason_and_an_answered_share_is_not_answered_again(
    joint_order, coordinator, workshop_a, staff_a
):
    [share] = split(joint_order, coordinator, (workshop_a, 10_000))
    with pytest.raises(desk.DeskError) as refused:
        desk.decline_share(share=share, by=staff_a, reason="  ")
    assert refused.value.code == "reason_required"
    desk.accept_share(share=share, by=staff_a)
    with pytest.raises(desk.DeskError) as refused:
        desk.decline_share(share=share, by=staff_a, reason="やっぱり無理")
    assert refused.value.code == "wrong_state"
    with pytest.raises(desk.DeskError):
        desk.accept_share(share=share, by=staff_a)
    assert Order.objects.filter(network_share=share).count() == 1


# --- what the company sees --------------------------------------------------------------------


def accepted_both(joint_order, coordinator, workshop_a, workshop_b, staff_a, staff_b):
    share_a, share_b = split(joint_order, coordinator, (workshop_a, 6_000), (workshop_b, 4_000))
    return desk.accept_share(share=share_a, by=staff_a), desk.accept_share(
        share=share_b, by=staff_b
    )


def test_combined_progress_adds_up_the_shares_orders_counters(
    joint_order, coordinator, workshop_a, workshop_b, staff_a, staff_b
):
    order_a, order_b = accepted_both(
        joint_order, coordinator, workshop_a, workshop_b, staff_a, staff_b
    )
    Order.objects.filter(pk=order_a.pk).update(
        units_total=60, units_approved=30, items_in_units=6_000, items_approved=3_000
    )
    Order.objects.filter(pk=order_b.pk).update(
        units_total=40, units_approved=10, items_in_units=4_000, items_approved=1_000
    )
    combined = desk.combined_progress(joint_order)
    assert combined.taken_on == 10_000
    assert (combined.units_total, combined.units_approved) == (100, 40)
    assert combined.items_approved == 4_000
    assert combined.percent == 40


def test_the_company_sees_one_order_with_combined_progress_and_each_workshops_order(
    client, joint_order, coordinator, workshop_a, workshop_b, staff_a, staff_b, member_a, company_a
):
    order_a, order_b = accepted_both(
        joint_order, coordinator, workshop_a, workshop_b, staff_a, staff_b
    )
    Order.objects.filter(pk=order_a.pk).update(items_approved=2_500)
    client.force_login(member_a)
    page = client.get(reverse("joint_orders:detail", args=[company_a.slug, joint_order.pk]))
    body = page.content.decode()
    assert page.status_code == 200
    assert ja("Progress") in body
    assert "2,500" in body and "25%" in body
    for order in (order_a, order_b):
        assert reverse("portal:order", args=[company_a.slug, order.pk]) in body
        assert order.workshop.name in body


def test_the_company_page_names_no_workshop_before_it_accepts(
    client, joint_order, coordinator, workshop_b, member_a, company_a
):
    split(joint_order, coordinator, (workshop_b, 10_000))
    client.force_login(member_a)
    body = client.get(
        reverse("joint_orders:detail", args=[company_a.slug, joint_order.pk])
    ).content.decode()
    assert workshop_b.name not in body
    assert ja("Waiting for a workshop's answer") in body


def test_the_company_sends_through_the_portal_form(client, network, company_a, member_a):
    client.force_login(member_a)
    form = reverse("joint_orders:new", args=[company_a.slug])
    assert client.get(form).status_code == 200
    data = terms() | {"network": network.pk, "delivery_method": "pickup"}
    answer = client.post(form, data)
    joint_order = JointOrder.objects.get(company=company_a)
    assert answer.status_code == 302
    assert answer["Location"] == reverse(
        "joint_orders:detail", args=[company_a.slug, joint_order.pk]
    )
    assert joint_order.created_by == member_a


def test_the_portal_form_says_what_to_fix(client, network, company_a, member_a):
    client.force_login(member_a)
    data = terms(quantity="") | {"network": network.pk, "delivery_method": "pickup"}
    answer = client.post(reverse("joint_orders:new", args=[company_a.slug]), data)
    assert answer.status_code == 400
    assert not JointOrder.objects.exists()


# --- expected delivery dates ------------------------------------------------------------------


def history(workshop, *, approved: int, waiting: int, kind=Order.Kind.HANDS_ON, people=1):
    """An open order of `kind` at `workshop` with `approved` items approved (credited on a day
    inside the window) and `waiting` still to do."""
    order = factories.OrderFactory(
        workshop=workshop,
        kind=kind,
        quantity=approved + waiting,
        items_approved=approved,
        status=Order.Status.IN_PROGRESS,
    )
    at = timezone.make_aware(datetime.datetime(2026, 11, 20, 14))
    for _n in range(people):
        person = factories.ParticipantFactory(workshop=workshop)
        unit = factories.WorkUnitFactory(order=order, quantity=approved // people)
        Credit.objects.create(
            unit=unit,
            order=order,
            workshop=workshop,
            participant=person,
            quantity=approved // people,
            minutes=60,
            approved_at=at,
        )
    return order


def test_the_estimate_comes_from_the_pace_and_what_is_waiting(network, workshop_a):
    # 200 approved over 4 weeks of 5 working days: 10 a day. 100 are waiting, so 100 more
    # take (100 + 100) / 10 = 20 working days from Monday 7 December 2026.
    history(workshop_a, approved=200, waiting=100)
    pace = capacity.paces([workshop_a], Order.Kind.HANDS_ON, MONDAY)[workshop_a.pk]
    assert (pace.approved, pace.working_days, pace.waiting) == (200, 20, 100)
    estimate = capacity.estimate_for_workshop(pace, 100, MONDAY)
    assert estimate.working_days == 20
    assert estimate.date == datetime.date(2027, 1, 4)
    network_estimate = capacity.estimate_for_network(
        network, kind=Order.Kind.HANDS_ON, quantity=100, today=MONDAY
    )
    assert network_estimate.date == datetime.date(2027, 1, 4)  # workshop_b adds no pace


def test_the_network_pace_is_the_workshops_paces_added_up(network, workshop_a, workshop_b):
    history(workshop_a, approved=200, waiting=0)
    history(workshop_b, approved=200, waiting=0)
    estimate = capacity.estimate_for_network(
        network, kind=Order.Kind.HANDS_ON, quantity=400, today=MONDAY
    )
    assert estimate.working_days == 20  # 400 at 20 a day


def test_work_outside_the_window_or_of_another_kind_gives_no_estimate(network, workshop_a):
    order = history(workshop_a, approved=200, waiting=0, kind=Order.Kind.DIGITAL)
    assert not capacity.estimate_for_network(
        network, kind=Order.Kind.HANDS_ON, quantity=100, today=MONDAY
    ).known
    # 2027-01-20 is more than 4 weeks after the credit: no pace any more.
    assert not capacity.estimate_for_network(
        network, kind=Order.Kind.DIGITAL, quantity=100, today=datetime.date(2027, 1, 20)
    ).known
    assert order.credits.exists()


def test_the_estimate_of_a_routed_order_is_its_latest_share(
    joint_order, coordinator, workshop_a, workshop_b
):
    history(workshop_a, approved=200, waiting=0)
    history(workshop_b, approved=100, waiting=0)
    joint = desk.send_to_network(
        company=joint_order.company,
        network=joint_order.network,
        by=joint_order.created_by,
        terms=terms(quantity=300, total_price_yen=3_000),
    )
    split(joint, coordinator, (workshop_a, 200), (workshop_b, 100))
    estimates = capacity.share_estimates(joint, MONDAY)
    assert sorted(e.working_days for e in estimates.values()) == [20, 20]
    assert capacity.estimate_for_joint_order(joint, MONDAY).date == datetime.date(2027, 1, 4)


# --- capacity, as the coordinator sees it -----------------------------------------------------


def test_capacity_hides_small_counts_and_the_figures_of_few_people(network, workshop_a):
    history(workshop_a, approved=200, waiting=0, people=2)  # two active participants
    rows = {row.workshop: row for row in capacity.capacity(network, today=MONDAY)}
    row = rows[workshop_a]
    assert row.active_people == "<5"
    hands_on = next(kind for kind in row.kinds if kind.kind == Order.Kind.HANDS_ON)
    assert (hands_on.people, hands_on.hours, hands_on.approved, hands_on.per_day) == (
        "<5",
        "×",
        "×",
        "×",
    )


def test_capacity_shows_the_figures_of_five_people_or_more(network, workshop_a):
    history(workshop_a, approved=500, waiting=0, people=5)
    row = next(r for r in capacity.capacity(network, today=MONDAY) if r.workshop == workshop_a)
    hands_on = next(kind for kind in row.kinds if kind.kind == Order.Kind.HANDS_ON)
    assert (hands_on.people, hands_on.approved, hands_on.per_day) == ("5", "500", "25.0")


def test_the_coordinator_sees_the_desk_and_routes_from_the_page(
    client, coordinator, network, joint_order, workshop_a, workshop_b
):
    client.force_login(coordinator)
    assert (
        joint_order.title
        in client.get(reverse("network:desk", args=[network.slug])).content.decode()
    )
    page = client.get(reverse("network:desk_order", args=[network.slug, joint_order.pk]))
    body = page.content.decode()
    assert page.status_code == 200
    assert ja("What each workshop can take on") in body
    route = reverse("network:desk_route", args=[network.slug, joint_order.pk])
    wrong = client.post(route, {f"w{workshop_a.pk}": "6000", f"w{workshop_b.pk}": "3000"})
    assert wrong.status_code == 400
    assert not joint_order.shares.exists()
    answer = client.post(route, {f"w{workshop_a.pk}": "6000", f"w{workshop_b.pk}": "4000"})
    assert answer.status_code == 302
    assert sorted(joint_order.shares.values_list("quantity", flat=True)) == [4_000, 6_000]


def test_staff_accept_and_decline_from_the_share_page(
    client, joint_order, coordinator, workshop_a, workshop_b, staff_a, staff_b
):
    share_a, share_b = split(joint_order, coordinator, (workshop_a, 6_000), (workshop_b, 4_000))
    client.force_login(staff_a)
    listing = client.get(reverse("shares:list", args=[workshop_a.slug])).content.decode()
    assert joint_order.title in listing
    answer = client.post(reverse("shares:accept", args=[workshop_a.slug, share_a.pk]), {})
    share_a.refresh_from_db()
    assert answer.status_code == 302 and share_a.status == Share.Status.ACCEPTED
    client.force_login(staff_b)
    decline = reverse("shares:decline", args=[workshop_b.slug, share_b.pk])
    assert client.post(decline, {"reason": ""}).status_code == 400
    assert client.post(decline, {"reason": "人手が足りません"}).status_code == 302
    share_b.refresh_from_db()
    assert share_b.status == Share.Status.DECLINED


# --- who sees nothing -------------------------------------------------------------------------


def test_a_workshop_outside_the_network_sees_nothing_of_the_joint_order(
    client, joint_order, coordinator, workshop_a, workshop_c, staff_c
):
    [share] = split(joint_order, coordinator, (workshop_a, 10_000))
    client.force_login(staff_c)
    listing = client.get(reverse("shares:list", args=[workshop_c.slug]))
    assert listing.status_code == 200 and joint_order.title not in listing.content.decode()
    for name in ("shares:share", "shares:accept", "shares:decline"):
        for slug in (workshop_c.slug, workshop_a.slug):
            url = reverse(name, args=[slug, share.pk])
            assert client.get(url).status_code in (404, 405)
            assert client.post(url, {"reason": "x"}).status_code in (404, 405)
    share.refresh_from_db()
    assert share.status == Share.Status.SENT


def test_another_workshop_of_the_network_gets_404_on_a_share_not_its_own(
    client, joint_order, coordinator, workshop_a, workshop_b, staff_b
):
    [share] = split(joint_order, coordinator, (workshop_a, 10_000))
    client.force_login(staff_b)
    assert client.get(reverse("shares:share", args=[workshop_b.slug, share.pk])).status_code == 404
    assert (
        client.post(reverse("shares:accept", args=[workshop_b.slug, share.pk])).status_code == 404
    )


def test_another_company_gets_404_on_the_joint_order(
    client, joint_order, company_b, member_b, company_c, member_c
):
    for user, company in ((member_b, company_b), (member_c, company_c)):
        client.force_login(user)
        page = reverse("joint_orders:detail", args=[company.slug, joint_order.pk])
        assert client.get(page).status_code == 404
        listing = client.get(reverse("joint_orders:list", args=[company.slug])).content.decode()
        assert joint_order.title not in listing
        api = reverse("network_api:joint-order", args=[joint_order.pk])
        assert client.get(api).status_code == 404


def test_staff_and_other_coordinators_get_404_on_the_desk(
    client, joint_order, network, staff_a, workshop_c
):
    other = Network.objects.create(name="別のネットワーク", slug="betsu")
    NetworkMembership.objects.create(network=other, workshop=workshop_c)
    other_coordinator = factories.UserFactory()
    Coordinator.objects.create(network=other, user=other_coordinator)
    for user in (staff_a, other_coordinator):
        client.force_login(user)
        for name, args in (
            ("network:desk", [network.slug]),
            ("network:desk_order", [network.slug, joint_order.pk]),
            ("network:desk_route", [network.slug, joint_order.pk]),
        ):
            assert client.get(reverse(name, args=args)).status_code in (404, 405)
            assert client.post(reverse(name, args=args)).status_code in (404, 405)
        client.force_login(other_coordinator)
        assert (
            client.get(reverse("network:desk_order", args=["betsu", joint_order.pk])).status_code
            == 404
        )


def test_a_coordinator_gets_404_on_the_shares_and_the_orders_they_became(
    client, joint_order, coordinator, workshop_a, staff_a, company_a
):
    [share] = split(joint_order, coordinator, (workshop_a, 10_000))
    order = desk.accept_share(share=share, by=staff_a)
    client.force_login(coordinator)
    for url in (
        reverse("shares:list", args=[workshop_a.slug]),
        reverse("shares:share", args=[workshop_a.slug, share.pk]),
        reverse("console_orders:order", args=[workshop_a.slug, order.pk]),
        reverse("portal:order", args=[company_a.slug, order.pk]),
        reverse("joint_orders:detail", args=[company_a.slug, joint_order.pk]),
        reverse("network_api:joint-order", args=[joint_order.pk]),
    ):
        assert client.get(url).status_code in (403, 404), url


# --- the API ----------------------------------------------------------------------------------


def test_the_api_sends_to_the_network_and_shows_combined_progress(
    client, network, member_a, coordinator, workshop_a, staff_a
):
    client.force_login(member_a)
    body = terms() | {"desired_delivery_date": terms()["desired_delivery_date"].isoformat()}
    answer = client.post(reverse("network_api:joint-orders"), body, content_type="application/json")
    assert answer.status_code == 201, answer.content
    created = answer.json()
    assert created["network"] == network.slug and created["status"] == "at_desk"
    assert created["progress"]["at_desk"] == 10_000
    joint_order = JointOrder.objects.get(pk=created["id"])
    [share] = split(joint_order, coordinator, (workshop_a, 10_000))
    order = desk.accept_share(share=share, by=staff_a)
    Order.objects.filter(pk=order.pk).update(items_approved=1_000)
    detail = client.get(reverse("network_api:joint-order", args=[joint_order.pk])).json()
    assert detail["status"] == "taken_on"
    assert detail["progress"]["items_approved"] == 1_000
    assert detail["progress"]["percent"] == 10
    assert detail["shares"] == [
        {
            "workshop": workshop_a.slug,
            "order": order.pk,
            "quantity": 10_000,
            "price_yen": 100_001,
            "order_status": "accepted",
            "items_approved": 1_000,
        }
    ]
    listed = client.get(reverse("network_api:joint-orders")).json()
    assert [row["id"] for row in listed["results"]] == [joint_order.pk]


def test_the_api_refuses_a_network_the_company_does_not_order_from(client, network, member_c):
    client.force_login(member_c)
    body = terms() | {"desired_delivery_date": terms()["desired_delivery_date"].isoformat()}
    answer = client.post(
        reverse("network_api:joint-orders"),
        body | {"network": network.slug},
        content_type="application/json",
    )
    assert answer.status_code == 400
    assert answer.json()["code"] == "invalid" and "network" in answer.json()["errors"]
    assert not JointOrder.objects.exists()
    assert OrderEvent.objects.count() == 0
