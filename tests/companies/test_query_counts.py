"""The order page needs the same number of queries however many units, logs, events, messages
and files the order has."""

from jobs import orders
from jobs.models import OrderMessage
from tests import factories
from tests.companies.conftest import png_upload, queries_for


def grow(order, *, member, staff, participant, n: int) -> None:
    units = factories.WorkUnitFactory.create_batch(n, order=order)
    for unit in units:
        factories.ProgressLogFactory(unit=unit, participant=participant, quantity=1)
    for number in range(n):
        orders.post_message(
            order=order, by=member, side=OrderMessage.Side.COMPANY, body=f"連絡{number}"
        )
        orders.post_message(
            order=order, by=staff, side=OrderMessage.Side.WORKSHOP, body=f"返信{number}"
        )
        orders.attach_file(order=order, by=member, upload=png_upload(f"見本{number}.png"))


def test_the_order_page_needs_no_more_queries_for_a_bigger_order(
    member_client, member_a, staff_a, participant_a, order_a, django_assert_max_num_queries
):
    page = f"/c/okanoue-print/orders/{order_a.pk}/"
    grow(order_a, member=member_a, staff=staff_a, participant=participant_a, n=2)
    few = queries_for(member_client, page)
    grow(order_a, member=member_a, staff=staff_a, participant=participant_a, n=20)

    with django_assert_max_num_queries(few):
        member_client.get(page)
    assert queries_for(member_client, page) == few
