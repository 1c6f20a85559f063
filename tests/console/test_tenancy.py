"""Staff of another workshop get 404 for every page and action of this workshop's orders, and
the same for someone who is not staff at all."""

import pytest
from django.core.files.base import ContentFile

from jobs import orders
from jobs.models import Order, OrderFile
from tests.console.conftest import url


@pytest.fixture
def everything(incoming, member_a, staff_a, in_three_weeks):
    attachment = OrderFile.objects.create(
        order=incoming,
        file=ContentFile(b"%PDF-1.4", name="spec.pdf"),
        original_name="spec.pdf",
        content_type="application/pdf",
        extension="pdf",
        size=8,
        uploaded_by=member_a,
    )
    proposal = orders.propose_changes(
        order=incoming,
        by=staff_a,
        total_price_yen=21000,
        unit_price_yen=None,
        desired_delivery_date=in_three_weeks,
        payment_date=incoming.payment_date,
    )
    gets = [
        url(incoming),
        url(incoming, "hourly") + "?minutes_per_item=3",
        url(incoming, f"files/{attachment.pk}"),
    ]
    posts = [
        (url(incoming, "accept"), {"minutes_per_item": "2", "below_floor_ok": "on"}),
        (url(incoming, "propose"), {"total_price_yen": "1"}),
        (url(incoming, f"proposals/{proposal.pk}/withdraw"), {}),
        (url(incoming, "decline"), {"phrase": "busy"}),
        (url(incoming, "cancel"), {"reason": "x"}),
        (url(incoming, "messages"), {"body": "x"}),
    ]
    return gets, posts


@pytest.mark.parametrize("who", ["staff_b", "member_a", "participant_a"])
def test_others_get_404_for_every_order_page_and_action(client, everything, incoming, who, request):
    person = request.getfixturevalue(who)
    client.force_login(getattr(person, "user", person))
    gets, posts = everything

    for path in gets:
        assert client.get(path).status_code == 404, path
    for path, data in posts:
        assert client.post(path, data).status_code == 404, path
    assert client.get("/w/hidamari/orders/").status_code == 404

    incoming.refresh_from_db()
    assert incoming.status == Order.Status.SUBMITTED
    assert not incoming.messages.exists()


def test_staff_b_sees_only_their_own_workshops_orders(client, staff_b, incoming, order_b):
    client.force_login(staff_b)

    html = client.get("/w/minato/orders/?tab=accepted").content.decode()

    assert "商品データ入力" in html
    assert "DM封入 4月号" not in html
    assert client.get(f"/w/minato/orders/{incoming.pk}/").status_code == 404
