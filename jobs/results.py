"""The results of a digital order for its company (issue 9): only approved items (Item.result),
as CSV (UTF-8 with a byte-order mark, every input column and then one column per answer field,
through workshop/spreadsheets.py so that no cell runs as a formula) or JSON Lines, for the
whole order or for the items approved since a moment, streamed as they are read. The API pages
through them with a cursor of (approved_at, id), the order of the index item_approved_by_time.

How values are written in the CSV: text as it is, numbers as numbers, yes/no as TRUE/FALSE,
several choices joined with " / ", a field left empty (or an input that could not be read) as
an empty cell. JSON Lines keeps the stored values exactly (jobs/answer_forms.py)."""

import datetime
import json
from collections.abc import Iterator
from decimal import Decimal

from django.db.models import Q, QuerySet
from django.http import StreamingHttpResponse
from django.utils.translation import gettext as _

from jobs.models import AnswerForm, Item, Order
from workshop.spreadsheets import streaming_csv_download

CHUNK = 2000
CHOICES_JOIN = " / "
JSONL_TYPE = "application/x-ndjson; charset=utf-8"


def approved_items(order: Order, *, since: datetime.datetime | None = None) -> QuerySet[Item]:
    """The order's approved items, oldest approval first (then by id): the results' order."""
    items = Item.objects.filter(order=order, approved_at__isnull=False)
    if since is not None:
        items = items.filter(approved_at__gte=since)
    return items.order_by("approved_at", "pk")


def after_cursor(items: QuerySet[Item], *, since: datetime.datetime, since_id: int = 0):
    """Items strictly after the cursor (approved_at, id): each item comes exactly once however
    many share a moment."""
    return items.filter(Q(approved_at__gt=since) | Q(approved_at=since, pk__gt=since_id))


def answer_fields(order: Order) -> list[dict]:
    """The answer columns: the fields of the form versions in use, newest version first, each
    key once (a key an older version had and the newest dropped comes after)."""
    fields, seen = [], set()
    forms = AnswerForm.objects.filter(
        order=order, status__in=[AnswerForm.Status.CURRENT, AnswerForm.Status.SUPERSEDED]
    ).order_by("-version")
    for form in forms:
        for spec in form.fields:
            if spec["key"] not in seen:
                seen.add(spec["key"])
                fields.append(spec)
    return fields


def input_columns(order: Order) -> list[str]:
    digital = getattr(order, "digital", None)
    return list(digital.columns) if digital is not None else []


def header(order: Order) -> list[str]:
    """No., the input columns, then each answer field's label (with its key in brackets when
    the label is already a column's name)."""
    columns = [_("No."), *input_columns(order)]
    for spec in answer_fields(order):
        label = spec["label"]
        columns.append(f"{label} ({spec['key']})" if label in columns else label)
    return columns


def cell(value):
    """An answer value as a spreadsheet cell (see the module's docstring)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, list):
        return CHOICES_JOIN.join(str(choice) for choice in value)
    return value


def _number_cell(value):
    try:
        return Decimal(value)
    except (ArithmeticError, TypeError, ValueError):
        return value


def csv_rows(order: Order, items: QuerySet[Item]) -> Iterator[list]:
    columns = input_columns(order)
    fields = answer_fields(order)
    numbers = {spec["key"] for spec in fields if spec["type"] == "number"}
    yield header(order)
    for number, data, result in items.values_list("number", "data", "result").iterator(CHUNK):
        data, result = data or {}, result or {}
        row = [number, *(data.get(column, "") for column in columns)]
        for spec in fields:
            value = result.get(spec["key"])
            row.append(_number_cell(value) if spec["key"] in numbers and value else cell(value))
        yield row


def json_row(number: int, data: dict, result: dict, version, approved_at, pk: int) -> dict:
    return {
        "id": pk,
        "number": number,
        "input": data or {},
        "result": result or {},
        "form_version": version,
        "approved_at": approved_at.isoformat(),
    }


def json_rows(items: QuerySet[Item]) -> Iterator[dict]:
    rows = items.values_list(
        "number", "data", "result", "result_form__version", "approved_at", "pk"
    ).iterator(CHUNK)
    for row in rows:
        yield json_row(*row)


def filename(order: Order, extension: str, since: datetime.datetime | None) -> str:
    suffix = f"-since-{since:%Y%m%d}" if since else ""
    return f"results-{order.number}{suffix}.{extension}"


def csv_download(order: Order, *, since: datetime.datetime | None = None):
    return streaming_csv_download(
        filename(order, "csv", since), csv_rows(order, approved_items(order, since=since))
    )


def jsonl_download(order: Order, *, since: datetime.datetime | None = None):
    lines = (
        json.dumps(row, ensure_ascii=False) + "\n"
        for row in json_rows(approved_items(order, since=since))
    )
    response = StreamingHttpResponse(lines, content_type=JSONL_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename(order, "jsonl", since)}"'
    return response
