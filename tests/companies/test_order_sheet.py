"""The order sheet (発注書): what the law asks an order to state, ready to print."""

import datetime

from django.utils import timezone

from jobs import orders
from jobs.models import Order
from tests import factories


def test_it_states_the_parties_terms_price_with_tax_and_dates(
    member_client, member_a, workshop_a, company_a
):
    workshop_a.operator = "坂ノ上市社会福祉協議会"
    workshop_a.phone = "0120-000-000"
    workshop_a.save()
    company_a.address = "坂ノ上市港町4-5-6"
    company_a.invoice_registration_number = "T9876543210987"
    company_a.save()
    delivery = timezone.localdate() + datetime.timedelta(days=20)
    order = orders.create_order(
        company=company_a,
        workshop=workshop_a,
        by=member_a,
        terms={
            "title": "DM封入 4月号",
            "description": "案内状の三つ折りと封入",
            "quantity": 1234,
            "unit_label": "通",
            "unit_price_yen": 15,
            "desired_delivery_date": delivery,
            "delivery_method": Order.DeliveryMethod.DROPOFF,
            "notes": "午前中の納品を希望します。",
        },
        submit=True,
    )

    html = member_client.get(f"/c/okanoue-print/orders/{order.pk}/order-sheet/").content.decode()

    for expected in [
        "発注書",
        "ひだまり作業所 御中",
        "坂ノ上市社会福祉協議会",
        "坂ノ上市本町1-2-3",
        "T1234567890123",
        "丘の上印刷",
        "坂ノ上市港町4-5-6",
        "T9876543210987",
        f"発注番号 {order.number}",
        timezone.localdate().strftime("%Y年%-m月%-d日"),
        "案内状の三つ折りと封入",
        "1,234 通",
        "15円",
        "18,510円",  # 1,234 × 15
        "消費税（10%）",
        "1,851円",
        "20,361円",
        delivery.strftime("%Y年%-m月%-d日"),
        "事業所がお届け",
        order.payment_date.strftime("%Y年%-m月%-d日"),
        "午前中の納品を希望します。",
    ]:
        assert expected in html, expected


def test_a_draft_sheet_says_it_is_not_sent(member_client, workshop_a, company_a):
    draft = factories.OrderFactory(
        workshop=workshop_a, company=company_a, status=Order.Status.DRAFT, payment_date=None
    )

    html = member_client.get(f"/c/okanoue-print/orders/{draft.pk}/order-sheet/").content.decode()

    assert "下書き（未送付）" in html
    assert "（発注を送ったときに確定します）" in html
