"""The demo's digital work with real items (issue 9), built through jobs/items.py's own rules:
ひだまり's 「商品データ入力（秋の新商品）」, 200 product rows from two CSV files (the second one
saved by Excel in Shift_JIS/CP932, as companies often send them), with its answer form and split
into units of 10; and 「レシート・値札の読み取り」, a ZIP of 30 receipts and labels drawn with
Pillow, split into units of 5. About half of the products are answered by the demo's
participants through jobs/answering.py: some units checked and approved (so their 工賃 shows), some
handed in and waiting for staff, some still in hand with a draft."""

import csv
import datetime
import io
import random
import unicodedata
import uuid
import zipfile
from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image, ImageDraw, ImageFont

from companies.models import Company
from jobs import answering, checking, items, work
from jobs.digital_models import Item, ItemImport
from jobs.models import Order, OrderEvent, WorkUnit
from participants.models import Participant
from workshop.models import Workshop

SEED = 9
FONT = Path(__file__).resolve().parent / "fonts" / "ipaexg.ttf"
PRODUCTS_TITLE = "商品データ入力（秋の新商品）"
RECEIPTS_TITLE = "レシート・値札の読み取り"
PRODUCT_COLUMNS = ["商品コード", "メーカー", "商品名（カードの写し）", "規格", "参考価格"]
PRODUCT_FORM = [
    {"key": "name", "type": "short_text", "label": "商品名", "required": True, "max_length": 60,
     "help": "カードに書かれたとおりに。略さずに入力します。", "cant_read": True},
    {"key": "price", "type": "number", "label": "価格（税込）", "required": True, "min": "0",
     "max": "100000", "help": "数字だけ。円やカンマは入れません。", "cant_read": True},
    {"key": "category", "type": "choice", "label": "分類", "required": True,
     "choices": ["食品", "飲料", "日用品", "化粧品", "その他"]},
    {"key": "jan", "type": "short_text", "label": "JANコード", "pattern": "[0-9]{13}",
     "help": "バーコードの下の13桁。なければ空欄で。"},
    {"key": "limited", "type": "yes_no", "label": "期間限定の表示がある"},
    {"key": "note", "type": "long_text", "label": "気づいたこと", "max_length": 200},
]  # fmt: skip
RECEIPT_FORM = [
    {"key": "day", "type": "date", "label": "日付", "required": True, "cant_read": True,
     "help": "2026-10-31 の形で。"},
    {"key": "shop", "type": "short_text", "label": "店名", "required": True, "max_length": 40,
     "cant_read": True},
    {"key": "total", "type": "number", "label": "合計金額（税込）", "required": True, "min": "0",
     "cant_read": True},
    {"key": "kind", "type": "choices", "label": "写っているもの",
     "choices": ["レシート", "値札", "手書き"]},
]  # fmt: skip
MAKERS = [
    "みどり食品",
    "さくら飲料",
    "やまびこ製菓",
    "はるかぜ日用品",
    "こだま化粧品",
    "あおば乳業",
]
NAMES = [
    ("りんごとにんじんのジュース", "1000ml"), ("北海道バターせんべい", "12枚入"),
    ("だし香る 白だし", "500ml"), ("国産ひのき 台所洗剤", "詰替 380ml"),
    ("しっとり保湿ハンドクリーム", "50g"), ("いちじくジャム", "140g"),
    ("焙じ茶ラテの素", "8本入"), ("やわらかタオル ふきん", "3枚組"),
    ("栗きんとん風 スイートポテト", "6個入"), ("玄米フレーク", "240g"),
    ("ゆず胡椒ドレッシング", "200ml"), ("さつまいもチップス", "70g"),
]  # fmt: skip
SHOPS = ["まちかどマート 駅前店", "青空ストア", "ひだまり商店", "さかのうえ青果", "みなと薬局"]


def _product_rows(rng: random.Random, first: int, count: int) -> list[list[str]]:
    rows = []
    for number in range(first, first + count):
        name, size = rng.choice(NAMES)
        # The cards are handwritten: now and then a full-width digit or a kana variant.
        card = name if rng.random() > 0.2 else name.replace("ジュース", "ｼﾞｭｰｽ")
        price = rng.choice([198, 258, 298, 348, 398, 480, 598, 780, 1280])
        rows.append([f"M{number:05d}", rng.choice(MAKERS), card, size, f"{price:,}"])
    return rows


def _csv_upload(rows: list[list[str]], *, encoding: str, name: str) -> SimpleUploadedFile:
    out = io.StringIO(newline="")
    writer = csv.writer(out)
    writer.writerow(PRODUCT_COLUMNS)
    writer.writerows(rows)
    return SimpleUploadedFile(name, out.getvalue().encode(encoding), content_type="text/csv")


def _picture(rng: random.Random, number: int) -> bytes:
    """A receipt or a price label, drawn as a phone would photograph it: slightly off-white,
    tilted a little."""
    font = ImageFont.truetype(str(FONT), 22)
    small = ImageFont.truetype(str(FONT), 16)
    if number % 3:
        picture = Image.new("RGB", (360, 520), (250, 248, 240))
        draw = ImageDraw.Draw(picture)
        shop = rng.choice(SHOPS)
        day = datetime.date(2026, 10, 1) + datetime.timedelta(days=rng.randrange(60))
        draw.text((20, 20), shop, font=font, fill=(20, 20, 20))
        draw.text((20, 56), f"{day:%Y年%m月%d日} {rng.randrange(9, 20)}:{rng.randrange(60):02d}",
                  font=small, fill=(40, 40, 40))  # fmt: skip
        total, y = 0, 100
        for _ in range(rng.randrange(2, 7)):
            name, _size = rng.choice(NAMES)
            price = rng.choice([98, 128, 198, 258, 398, 598])
            total += price
            draw.text((20, y), name[:12], font=small, fill=(30, 30, 30))
            draw.text((270, y), f"¥{price:,}", font=small, fill=(30, 30, 30))
            y += 30
        draw.line((20, y + 6, 340, y + 6), fill=(90, 90, 90), width=2)
        draw.text((20, y + 16), "合計", font=font, fill=(0, 0, 0))
        draw.text((230, y + 16), f"¥{total:,}", font=font, fill=(0, 0, 0))
    else:
        picture = Image.new("RGB", (420, 260), (255, 236, 120))
        draw = ImageDraw.Draw(picture)
        name, size = rng.choice(NAMES)
        draw.rectangle((8, 8, 412, 252), outline=(200, 40, 40), width=4)
        draw.text((24, 24), name, font=font, fill=(0, 0, 0))
        draw.text((24, 64), size, font=small, fill=(0, 0, 0))
        large = ImageFont.truetype(str(FONT), 56)
        price = rng.choice([158, 298, 498])
        draw.text((24, 120), f"{price:,}円", font=large, fill=(200, 20, 20))
        draw.text((24, 210), f"4901{rng.randrange(10**9):09d}", font=small, fill=(0, 0, 0))
    tilted = picture.rotate(rng.uniform(-4, 4), expand=True, fillcolor=(120, 120, 120))
    out = io.BytesIO()
    tilted.save(out, "JPEG", quality=85)
    return out.getvalue()


def _zip_upload(rng: random.Random) -> SimpleUploadedFile:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for number in range(1, 31):
            archive.writestr(f"receipt_{number:02d}.jpg", _picture(rng, number))
    return SimpleUploadedFile("receipts.zip", out.getvalue(), content_type="application/zip")


def _accepted_order(workshop, company, by, staff, title: str, **fields) -> Order:
    today = timezone.localdate()
    order, created = Order.objects.get_or_create(
        workshop=workshop,
        company=company,
        title=title,
        defaults={
            "kind": Order.Kind.DIGITAL,
            "unit_label": "件",
            "delivery_method": Order.DeliveryMethod.DIGITAL,
            "desired_delivery_date": today + datetime.timedelta(days=21),
            "payment_date": today + datetime.timedelta(days=60),
            "status": Order.Status.ACCEPTED,
            "created_by": by,
            **fields,
        },
    )
    if created:
        OrderEvent.objects.bulk_create(
            [
                OrderEvent(order=order, actor=by, from_status="", to_status="submitted"),
                OrderEvent(order=order, actor=staff, from_status="submitted", to_status="accepted"),
            ]
        )
    return order


def _import(order: Order, by, upload, **options) -> None:
    record = items.start_import(order=order, by=by, upload=upload, **options)
    if record.status not in (ItemImport.Status.DONE, ItemImport.Status.REFUSED):
        items.import_items(import_id=record.pk)  # a queued task: read it now, for the demo


def _split(order: Order, by, size: int, instructions: str) -> None:
    order.refresh_from_db()
    sizes = work.plan_split(order=order, size=size)
    work.split_order(
        order=order, by=by, sizes=sizes, instructions=instructions, estimated_minutes=size * 2
    )


def seed_demo_digital(workshop: Workshop, company: Company, *, member, staff) -> None:
    """Idempotent: an order that already has items is left as it is."""
    rng = random.Random(SEED)
    products = _accepted_order(
        workshop, company, member, staff, PRODUCTS_TITLE, quantity=200, unit_price_yen=30,
        total_price_yen=6000, minutes_per_item=2,
        description="新商品の手書きカードを写した表から、商品名・価格・分類・JANコードを入力します。",
        instructions="カードのとおりに入力します。読めないときは「読めない」を選んで先へ進んでください。",
    )  # fmt: skip
    if not Item.objects.filter(order=products).exists():
        _import(products, member, _csv_upload(_product_rows(rng, 1, 150), encoding="utf-8-sig",
                                                name="新商品リスト_10月.csv"),
                shown_columns=["メーカー", "商品名（カードの写し）", "規格"])  # fmt: skip
        _import(products, member, _csv_upload(_product_rows(rng, 151, 50), encoding="cp932",
                                                name="新商品リスト_追加分(Excel).csv"))  # fmt: skip
        items.define_form(order=products, by=staff, fields=PRODUCT_FORM)
        _split(products, staff, 10, products.instructions)
        _answer_half(products, workshop, staff)
    receipts = _accepted_order(
        workshop, company, member, staff, RECEIPTS_TITLE, quantity=30, unit_price_yen=40,
        total_price_yen=1200, minutes_per_item=3,
        description="レシートと値札の写真から、日付・店名・合計金額を読み取ります。",
        instructions="写真を指で広げて読めます。かすれて読めないところは「読めない」を選びます。",
    )  # fmt: skip
    if not Item.objects.filter(order=receipts).exists():
        _import(receipts, member, _zip_upload(rng))
        items.define_form(order=receipts, by=staff, fields=RECEIPT_FORM)
        items.set_checking(order=receipts, by=staff, checking="spot", spot_check_size=2)
        _split(receipts, staff, 5, receipts.instructions)


def _product_answer(item: Item) -> dict:
    """What a careful participant types for a product card."""
    name = unicodedata.normalize("NFKC", item.data.get("商品名（カードの写し）", ""))
    price = item.data.get("参考価格", "").replace(",", "")
    category = "日用品" if any(w in name for w in ("洗剤", "タオル")) else "食品"
    if "ハンドクリーム" in name:
        category = "化粧品"
    if any(w in name for w in ("ジュース", "ラテ", "茶")):
        category = "飲料"
    return {"name": name, "price": price, "category": category, "limited": False}


def _answer_half(order: Order, workshop: Workshop, staff) -> None:
    """Half of the product units are worked on: the first four answered, handed in and
    approved; the next three handed in and waiting; three more in hand, half answered, with
    a draft on the next item. Each through the rules a phone and a staff member would use."""
    people = list(
        Participant.objects.filter(workshop=workshop, status=Participant.Status.ACTIVE).order_by(
            "pk"
        )
    )
    # そら keeps the one unit of the demo's story; the others take one when they have room
    # (an approved unit no longer counts as held).
    people = [person for person in people if person.nickname != "そら"]
    units = list(WorkUnit.objects.filter(order=order).order_by("number")[:10])
    for position, unit in enumerate(units):
        holder = None
        for person in people[position % len(people) :] + people[: position % len(people)]:
            if WorkUnit.objects.held_by(person).count() >= workshop.hold_limit:
                continue
            try:
                work.claim_unit(unit_id=unit.pk, participant=person)
            except work.WorkError:
                continue
            holder = person
            break
        if holder is None:
            break
        unit.refresh_from_db()
        unit_items = list(unit.items.order_by("number"))
        answered = unit_items if position < 7 else unit_items[: len(unit_items) // 2]
        for item in answered:
            answering.save_answer(
                participant=holder,
                unit=unit,
                item=item,
                values=_product_answer(item),
                final=True,
                client_uuid=uuid.uuid4(),
            )
        if position >= 7:
            if len(answered) < len(unit_items):
                draft = _product_answer(unit_items[len(answered)])
                answering.save_answer(
                    participant=holder,
                    unit=unit,
                    item=unit_items[len(answered)],
                    values={"name": draft["name"]},
                    client_uuid=uuid.uuid4(),
                )
            continue
        work.finish_unit(unit=unit, participant=holder)
        if position < 4:
            unit.refresh_from_db()
            checking.approve_all(unit=unit, by=staff)
