"""The deliveries on the staff's order page and in the company's portal, the delivery slip,
and the other tenant's 404 on every one of them."""

import pytest

from jobs import deliveries
from jobs.models import Delivery, Order, WorkUnit
from tests import factories
from tests.deliveries.conftest import TODAY, approve, deliver
from tests.i18n import in_japanese, ja, yen


def staff_url(order, action=""):
    return f"/w/{order.workshop.slug}/orders/{order.pk}/{action}"


def portal_url(order, action=""):
    return f"/c/{order.company.slug}/orders/{order.pk}/{action}"


def delivery_post(**overrides):
    data = {
        "quantity": "40",
        "delivered_on": "2026-11-20",
        "method": "dropoff",
        "note": "午前中にお届けしました",
    }
    data.update(overrides)
    return data


def test_staff_see_ordered_approved_and_delivered_quantities(client, staff_a, order):
    approve(order, 60)
    deliver(order, staff_a, 40)
    client.force_login(staff_a)

    html = client.get(staff_url(order)).content.decode()

    assert 'id="deliveries"' in html
    cells = [c.strip() for c in html.split('<td class="num">')[1:5]]
    assert [c.split("<")[0].strip() for c in cells] == ["100 枚", "60 枚", "40 枚", "60 枚"]
    ready = ja(
        "Up to %(ready)s %(unit)s can be delivered now (approved in review and not delivered yet).",
        ready=20,
        unit="枚",
    )
    assert ready in html
    assert in_japanese(Delivery.Status.PENDING_ACCEPTANCE.label) in html
    assert f"/w/hidamari/orders/{order.pk}/deliveries/1/slip/" in html


def test_staff_record_a_delivery_from_the_page(client, staff_a, order):
    approve(order, 60)
    client.force_login(staff_a)

    response = client.post(staff_url(order, "deliveries/"), delivery_post(), follow=True)

    delivery = order.deliveries.get()
    assert (delivery.quantity, delivery.method, delivery.recorded_by) == (40, "dropoff", staff_a)
    assert delivery.note == "午前中にお届けしました"
    assert response.redirect_chain[-1][0].endswith("#deliveries")
    assert (
        ja("Delivery %(number)s recorded. We let the company know.", number=1)
        in response.content.decode()
    )


def test_the_form_keeps_what_was_typed_and_shows_the_error_by_the_quantity(client, staff_a, order):
    approve(order, 30)
    client.force_login(staff_a)

    response = client.post(staff_url(order, "deliveries/"), delivery_post(quantity="35"))

    assert response.status_code == 400
    html = response.content.decode()
    assert (
        ja(
            "Only %(ready)s %(unit)s have been approved in review and not delivered yet. "
            "Please review the rest of the work first.",
            ready=30,
            unit="枚",
        )
        in html
    )
    assert 'value="35"' in html and "午前中にお届けしました" in html
    assert not Delivery.objects.exists()


def test_a_wrong_state_is_a_calm_message(client, staff_a, order):
    approve(order, 30)
    Order.objects.filter(pk=order.pk).update(status=Order.Status.DELIVERED)
    client.force_login(staff_a)

    response = client.post(staff_url(order, "deliveries/"), delivery_post(), follow=True)

    assert (
        ja(
            "Deliveries can be recorded only while the order is in progress; it is %(status)s.",
            status=in_japanese(Order.Status.DELIVERED.label),
        )
        in response.content.decode()
    )
    assert not Delivery.objects.exists()


def test_the_delivery_slip_states_both_parties_the_order_and_the_amounts(
    client, staff_a, member_a, order, workshop_a, company_a
):
    workshop_a.operator = "坂ノ上市社会福祉協議会"
    workshop_a.save()
    company_a.address = "坂ノ上市港町4-5-6"
    company_a.invoice_registration_number = "T9876543210987"
    company_a.save()
    approve(order, 60)
    deliver(order, staff_a, 43, method=Order.DeliveryMethod.SHIPPING, note="2箱でお送りします")

    for who, path in (
        (staff_a, staff_url(order, "deliveries/1/slip/")),
        (member_a, portal_url(order, "deliveries/1/slip/")),
    ):
        client.force_login(who)
        html = client.get(path).content.decode()
        assert ja("Delivery slip") in html
        assert f"{order.number}-01" in html  # the slip's own number
        assert order.number in html and "DM封入 12月号" in html
        assert "作業所" in html and "坂ノ上市社会福祉協議会" in html and "T1234567890123" in html
        assert "丘の上印刷" in html and "坂ノ上市港町4-5-6" in html and "T9876543210987" in html
        assert "43 枚" in html and "100 枚" in html
        assert yen("2,150") in html  # 43 × ¥50
        assert yen("215") in html and yen("2,365") in html  # 10% tax, and the total with it
        assert in_japanese(Order.DeliveryMethod.SHIPPING.label) in html
        assert "2箱でお送りします" in html
        assert "2026" in html and "20" in html


def test_the_company_accepts_a_delivery_from_its_portal(client, staff_a, member_a, approved_order):
    deliver(approved_order, staff_a, 100)
    client.force_login(member_a)

    page = client.get(portal_url(approved_order)).content.decode()
    assert ja("Accept this delivery (検収)") in page and ja("Refuse part of it") in page
    response = client.post(portal_url(approved_order, "deliveries/1/accept/"), follow=True)

    approved_order.refresh_from_db()
    assert approved_order.status == Order.Status.ACCEPTED_BY_COMPANY
    html = response.content.decode()
    assert ja("Thank you. Every delivery is accepted, and the order is complete.") in html
    assert ja("Accept this delivery (検収)") not in html


def test_the_company_refuses_part_with_a_reason(client, staff_a, member_a, approved_order):
    deliver(approved_order, staff_a, 100)
    client.force_login(member_a)

    response = client.post(
        portal_url(approved_order, "deliveries/1/refuse/"),
        {"quantity": "8", "reason": "のりがはみ出ています"},
        follow=True,
    )

    assert (
        ja("We told the workshop what to redo. The rest of this delivery is accepted.")
        in response.content.decode()
    )
    approved_order.refresh_from_db()
    assert approved_order.status == Order.Status.IN_PROGRESS
    redo = approved_order.units.filter(status=WorkUnit.Status.OPEN).get()
    assert redo.quantity == 8 and "のりがはみ出ています" in redo.instructions


def test_a_refusal_without_a_reason_keeps_the_form_open_with_the_quantity(
    client, staff_a, member_a, approved_order
):
    deliver(approved_order, staff_a, 100)
    client.force_login(member_a)

    response = client.post(
        portal_url(approved_order, "deliveries/1/refuse/"), {"quantity": "8", "reason": ""}
    )

    assert response.status_code == 400
    html = response.content.decode()
    assert ja("Please tell the workshop what was wrong, so they can redo it.") in html
    assert 'value="8"' in html and "<details open>" in html
    assert Delivery.objects.get().status == Delivery.Status.PENDING_ACCEPTANCE


@pytest.fixture
def order_b_delivered(workshop_b, company_b, staff_b):
    order = factories.OrderFactory(
        workshop=workshop_b, company=company_b, quantity=10, status=Order.Status.IN_PROGRESS
    )
    approve(order, 10)
    deliveries.record_delivery(
        order=order, by=staff_b, quantity=10, delivered_on=TODAY, method="pickup"
    )
    return order


def test_another_workshops_staff_get_404_everywhere(client, staff_a, order_b_delivered):
    client.force_login(staff_a)
    # Staff A asks for B's order under their own workshop and under B's.
    for slug in ("hidamari", "minato"):
        base = f"/w/{slug}/orders/{order_b_delivered.pk}/"
        assert client.get(base + "deliveries/1/slip/").status_code == 404
        assert client.post(base + "deliveries/", delivery_post(quantity="1")).status_code == 404
    assert order_b_delivered.deliveries.count() == 1


def test_another_company_gets_404_everywhere(client, member_a, order_b_delivered):
    client.force_login(member_a)
    for slug in ("okanoue-print", "machikado"):
        base = f"/c/{slug}/orders/{order_b_delivered.pk}/deliveries/1/"
        assert client.get(base + "slip/").status_code == 404
        assert client.post(base + "accept/").status_code == 404
        assert client.post(base + "refuse/", {"quantity": "1", "reason": "x"}).status_code == 404
    assert order_b_delivered.deliveries.get().status == Delivery.Status.PENDING_ACCEPTANCE


def test_a_delivery_number_that_does_not_exist_is_404(client, staff_a, member_a, approved_order):
    deliver(approved_order, staff_a, 10)
    client.force_login(staff_a)
    assert client.get(staff_url(approved_order, "deliveries/2/slip/")).status_code == 404
    client.force_login(member_a)
    assert client.post(portal_url(approved_order, "deliveries/2/accept/")).status_code == 404
