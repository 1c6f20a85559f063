"""Digital work ready to answer, made directly with the models (until intake's import lands):
an order with its current answer form, units holding CSV-row or image items, and a unit taken
by a participant through the real rule."""

import io
import uuid

from django.core.files.base import ContentFile
from PIL import Image, ImageDraw

from jobs import work
from jobs.answer_forms import check_fields
from jobs.models import AnswerForm, DigitalWork, Item, Order, WorkUnit
from tests import factories

PRODUCT_FIELDS = [
    {"key": "name", "type": "short_text", "label": "商品名", "required": True, "cant_read": True},
    {
        "key": "price",
        "type": "number",
        "label": "価格（円）",
        "help": "税込の金額",
        "required": True,
        "min": "0",
        "max": "1000000",
    },
    {"key": "category", "type": "choice", "label": "分類", "choices": ["食品", "日用品", "衣料"]},
    {"key": "in_stock", "type": "yes_no", "label": "在庫あり"},
    {"key": "note", "type": "long_text", "label": "メモ", "max_length": 200},
]
PRODUCT_ROWS = [
    {"品番": "A-1001", "商品名": "国産 緑茶ティーバッグ 50袋", "価格": "598円", "分類": "食品"},
    {"品番": "A-1002", "商品名": "やわらかタオル 2枚組", "価格": "1,280円", "分類": "日用品"},
    {"品番": "A-1003", "商品名": "綿のくつした 3足", "価格": "980円", "分類": "衣料"},
    {"品番": "A-1004", "商品名": "手づくり味噌 500g", "価格": "860円", "分類": "食品"},
]
SHOWN = ["品番", "商品名", "価格"]


def make_digital_order(*, workshop, company=None, fields=None, title="商品データ入力") -> Order:
    order = factories.OrderFactory(
        workshop=workshop,
        kind=Order.Kind.DIGITAL,
        title=title,
        unit_label="件",
        instructions="画像または表の内容を見て、フォームに入力してください。",
        **({"company": company} if company else {}),
    )
    AnswerForm.objects.create(order=order, version=1, fields=check_fields(fields or PRODUCT_FIELDS))
    DigitalWork.objects.create(order=order, columns=list(PRODUCT_ROWS[0]), shown_columns=SHOWN)
    return order


def label_image(text: str = "ラベル") -> ContentFile:
    picture = Image.new("RGB", (600, 400), (250, 248, 240))
    draw = ImageDraw.Draw(picture)
    draw.rectangle((20, 20, 580, 380), outline=(60, 60, 60), width=4)
    draw.text((50, 50), "GREEN TEA 50 BAGS", fill=(20, 20, 20), font_size=40)
    draw.text((50, 130), "A-1001", fill=(20, 20, 20), font_size=36)
    draw.text((50, 200), "598 YEN", fill=(150, 30, 30), font_size=56)
    for x in range(50, 550, 9):
        draw.rectangle((x, 300, x + (x % 4) + 2, 360), fill=(0, 0, 0))
    buffer = io.BytesIO()
    picture.save(buffer, "JPEG")
    return ContentFile(buffer.getvalue(), name="label.jpg")


def make_digital_unit(order: Order, *, rows=None, images: int = 0, number=None) -> WorkUnit:
    """A unit of the order holding one item per row (or `images` image items)."""
    rows = list(rows if rows is not None else PRODUCT_ROWS) if not images else []
    size = images or len(rows)
    unit = factories.WorkUnitFactory(
        order=order,
        quantity=size,
        estimated_minutes=5 * size,
        **({"number": number} if number else {}),
    )
    start = Item.objects.filter(order=order).count() + 1
    for offset in range(size):
        item = Item(order=order, workshop=order.workshop, number=start + offset, unit=unit)
        if images:
            item.image.save("label.jpg", label_image(), save=False)
        else:
            item.data = rows[offset]
        item.save()
    return unit


def take(unit: WorkUnit, participant) -> WorkUnit:
    return work.claim_unit(unit_id=unit.pk, participant=participant)


def new_uuid() -> uuid.UUID:
    return uuid.uuid4()


def items(unit: WorkUnit) -> list[Item]:
    return list(Item.objects.filter(unit=unit).order_by("number"))
