"""Digital orders, units and answers for the checking tests, made directly with the models until
the intake and answering code lands: items numbered 1..n, units holding them by number ranges
(a second set under double entry), and answers saved as the answering contract says (status
answered, one ProgressLog of quantity 1 per answered item, with the save's client UUID)."""

import uuid

from django.utils import timezone

from jobs import work
from jobs.answer_forms import check_fields
from jobs.models import Answer, AnswerForm, DigitalWork, Item, Order, ProgressLog, WorkUnit
from tests import factories

FIELDS = [
    {"key": "name", "type": "short_text", "label": "商品名", "required": True, "cant_read": True},
    {"key": "price", "type": "number", "label": "価格", "min": "0"},
    {"key": "color", "type": "choice", "label": "色", "choices": ["赤", "青", "白"]},
]
COLUMNS = ["品番", "説明"]


def digital_order(
    workshop,
    company,
    *,
    items: int = 6,
    checking: str = DigitalWork.Checking.EVERY,
    spot_check_size: int = 3,
    rows: list[dict] | None = None,
    fields: list[dict] | None = None,
    **order_fields,
) -> Order:
    """An accepted digital order with its DigitalWork, answer form v1 and `items` items."""
    rows = rows or [
        {"品番": f"A-{n:03d}", "説明": f"木のスプーン {n} 号(日本製)"} for n in range(1, items + 1)
    ]
    order = factories.OrderFactory(
        workshop=workshop,
        company=company,
        kind=Order.Kind.DIGITAL,
        title="商品データ入力",
        quantity=len(rows),
        unit_label="件",
        unit_price_yen=30,
        total_price_yen=30 * len(rows),
        status=Order.Status.IN_PROGRESS,
        **order_fields,
    )
    DigitalWork.objects.create(
        order=order,
        columns=list(rows[0]),
        shown_columns=list(rows[0]),
        checking=checking,
        spot_check_size=spot_check_size,
        items_total=len(rows),
    )
    AnswerForm.objects.create(order=order, version=1, fields=check_fields(fields or FIELDS))
    Item.objects.bulk_create(
        Item(order=order, workshop=workshop, number=n, data=row)
        for n, row in enumerate(rows, start=1)
    )
    return order


def split(order: Order, *, size: int) -> list[WorkUnit]:
    """Units of `size` items by number; under double entry, a second set of the same sizes."""
    total = order.items.count()
    double = order.digital.checking == DigitalWork.Checking.DOUBLE
    units = []
    for field in ("unit", "second_unit") if double else ("unit",):
        for start in range(1, total + 1, size):
            end = min(start + size - 1, total)
            unit = factories.WorkUnitFactory(order=order, quantity=end - start + 1)
            order.items.filter(number__range=(start, end)).update(**{field: unit})
            units.append(unit)
    return units


def answer(unit, participant, item, values: dict, *, cant_read: bool = False) -> Answer:
    """An answered answer and its one ProgressLog, as jobs/answering.py will write them."""
    save = uuid.uuid4()
    now = timezone.now()
    ProgressLog.objects.create(
        unit=unit, participant=participant, client_uuid=save, quantity=1, minutes=0
    )
    return Answer.objects.create(
        item=item,
        unit=unit,
        participant=participant,
        form=AnswerForm.objects.get(order_id=item.order_id, status=AnswerForm.Status.CURRENT),
        values=values,
        cant_read=cant_read,
        status=Answer.Status.ANSWERED,
        client_uuid=save,
        client_saved_at=now,
        answered_at=now,
    )


def default_values(item: Item) -> dict:
    return {"name": f"スプーン{item.number}", "price": str(100 * item.number), "color": "白"}


def unit_items(unit: WorkUnit):
    return Item.objects.filter(unit=unit) | Item.objects.filter(second_unit=unit)


def take_and_answer(unit, participant, values=default_values, *, hand_in=True) -> list[Answer]:
    """The participant takes the unit, answers each of its items (values(item) -> dict) and,
    with `hand_in`, hands it in through the real rule (which runs the checking hook)."""
    work.claim_unit(unit_id=unit.pk, participant=participant)
    answers = [
        answer(unit, participant, item, values(item))
        for item in unit_items(unit).order_by("number")
    ]
    if hand_in:
        work.finish_unit(unit=unit, participant=participant)
    unit.refresh_from_db()
    return answers


def participant(workshop, nickname: str):
    return factories.ParticipantFactory(workshop=workshop, nickname=nickname)
