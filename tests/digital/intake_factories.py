"""Test data for digital orders made through intake's own rules (jobs/items.py)."""

import csv
import io
import zipfile

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from jobs import items
from jobs.models import Order
from tests import factories

PRODUCT_COLUMNS = ["商品コード", "商品名", "価格"]
PRODUCT_FORM = [
    {"key": "name", "type": "short_text", "label": "商品名", "required": True},
    {"key": "price", "type": "number", "label": "価格", "min": "0", "cant_read": True},
]


def digital_order(workshop, company, **fields) -> Order:
    fields.setdefault("kind", Order.Kind.DIGITAL)
    fields.setdefault("title", "商品データ入力")
    fields.setdefault("unit_label", "件")
    return factories.OrderFactory(workshop=workshop, company=company, **fields)


def product_rows(count: int) -> list[list[str]]:
    return [
        [f"A{n:06d}", f"りんごジュース {n}本入り", str(100 + n % 900)] for n in range(1, count + 1)
    ]


def csv_bytes(rows, *, header=PRODUCT_COLUMNS, encoding="utf-8", bom=False) -> bytes:
    out = io.StringIO(newline="")
    writer = csv.writer(out)
    if header is not None:
        writer.writerow(header)
    writer.writerows(rows)
    data = out.getvalue().encode(encoding)
    return (b"\xef\xbb\xbf" + data) if bom else data


def upload(data: bytes, name: str = "items.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


def png_bytes(color=(200, 30, 30), size=(40, 30)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, color).save(out, "PNG")
    return out.getvalue()


def zip_bytes(entries: dict[str, bytes], *, compression=zipfile.ZIP_DEFLATED) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=compression) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return out.getvalue()


def import_csv(order: Order, by, rows, **options):
    return items.start_import(order=order, by=by, upload=upload(csv_bytes(rows, **options)))


def order_with_items(workshop, company, by, count: int, **fields) -> Order:
    order = digital_order(workshop, company, **fields)
    record = import_csv(order, by, product_rows(count))
    assert record.status == "done", record.message
    order.refresh_from_db()
    return order
