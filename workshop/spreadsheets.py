"""CSV for people who open it in a spreadsheet in Japan: UTF-8 with a byte-order mark (so Excel
reads Japanese text as such), and text that a spreadsheet would run as a formula made inert
with a leading apostrophe. Every CSV the site hands out is written here."""

import csv
import io
from collections.abc import Iterable
from decimal import Decimal

from django.http import HttpResponse, StreamingHttpResponse

BOM = "\ufeff"
FORMULA_STARTS = frozenset({"=", "+", "-", "@", "\t", "\r"})
CONTENT_TYPE = "text/csv; charset=utf-8"


def safe_cell(value):
    """Numbers stay numbers; text that starts like a formula gets an apostrophe."""
    if value is None:
        return ""
    if isinstance(value, int | float | Decimal):
        return value
    text = str(value)
    return "'" + text if text[:1] in FORMULA_STARTS else text


def csv_text(rows: Iterable[Iterable]) -> str:
    """The whole file as text, byte-order mark first."""
    out = io.StringIO()
    out.write(BOM)
    writer = csv.writer(out)
    for row in rows:
        writer.writerow([safe_cell(value) for value in row])
    return out.getvalue()


def csv_download(filename: str, rows: Iterable[Iterable]) -> HttpResponse:
    response = HttpResponse(csv_text(rows), content_type=CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


class _Echo:
    def write(self, value: str) -> str:
        return value


def streaming_csv_download(filename: str, rows: Iterable[Iterable]) -> StreamingHttpResponse:
    """For long lists: rows are written as they are read, never all held in memory."""
    writer = csv.writer(_Echo())

    def lines():
        yield BOM
        for row in rows:
            yield writer.writerow([safe_cell(value) for value in row])

    response = StreamingHttpResponse(lines(), content_type=CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
