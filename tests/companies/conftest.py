"""Helpers for the company portal's tests: a signed-in member of company A, the form as a
browser would post it, files of each kind, and pulling one field's markup out of a page."""

import datetime
import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from PIL import Image

from jobs.models import Order
from tests import factories


@pytest.fixture
def member_client(client, member_a):
    client.force_login(member_a)
    return client


def order_post(workshop=None, **overrides) -> dict:
    """What the new-order form sends when everything is filled in well, for delivery three weeks
    from today (read when called)."""
    in_three_weeks = timezone.localdate() + datetime.timedelta(days=21)
    data = {
        "title": "DM封入 4月号",
        "kind": "hands_on",
        "description": "案内状を封筒に入れて封をする作業です。",
        "instructions": "1. 三つ折り 2. 封入 3. 封をする",
        "quantity": "1000",
        "unit_label": "通",
        "unit_price_yen": "12",
        "total_price_yen": "",
        "desired_delivery_date": in_three_weeks.isoformat(),
        "payment_date": "",
        "delivery_method": "pickup",
        "notes": "午前中に引き取りに伺います。",
    }
    if workshop is not None:
        data["workshop"] = str(workshop.pk)
    data.update(overrides)
    return data


def png_upload(name="sample.png") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (24, 16), "tan").save(buffer, "PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def pdf_upload(name="spec.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(
        name, b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n", "application/pdf"
    )


def exe_upload(name="spec.pdf") -> SimpleUploadedFile:
    """A Windows executable dressed up as a PDF."""
    body = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 200
    return SimpleUploadedFile(name, body, content_type="application/pdf")


def field_html(html: str, name: str) -> str:
    """The `.field` block of the page that holds the input called `name`."""
    for block in html.split('<div class="field">')[1:]:
        if re.search(rf'name="{re.escape(name)}"', block.split('<div class="field">')[0]):
            return block
    raise AssertionError(f"no field {name!r} on the page")


def queries_for(client, url: str) -> int:
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200
    return len(context.captured_queries)


@pytest.fixture
def submitted_a(workshop_a, company_a, member_a):
    return factories.OrderFactory(
        workshop=workshop_a,
        company=company_a,
        title="チラシ折り",
        status=Order.Status.SUBMITTED,
        created_by=member_a,
    )
