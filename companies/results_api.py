"""The results of a digital order in the companies' API (v1): the approved items a page at a
time with a `since` cursor of (approved_at, id), so that a client that keeps the last cursor
reads every result exactly once, and the whole results (or those since a moment) as CSV or
JSON Lines, streamed. Another company's order, and an order that is not digital, is a 404."""

from django.http import Http404, StreamingHttpResponse
from django.utils.http import urlencode
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response

from companies.api import COMMON, CompanyApiView, errors, get_order_for
from companies.api_fields import MomentField
from jobs import results
from jobs.models import Order
from workshop import limits

PAGE_SIZE = 100
MAX_PAGE_SIZE = 1000


class ResultsQuery(serializers.Serializer):
    since = MomentField(
        required=False,
        help_text="Only items approved after this moment (with `since_id`: after this item).",
    )
    since_id = serializers.IntegerField(
        required=False,
        min_value=0,
        max_value=limits.MAX_ID,
        help_text="With `since`: the id of the last item read at that moment.",
    )
    page_size = serializers.IntegerField(
        required=False, min_value=1, max_value=MAX_PAGE_SIZE, help_text="Items per page (100)."
    )


class ExportQuery(serializers.Serializer):
    since = MomentField(required=False, help_text="Only items approved at or after this moment.")


class ResultOut(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.IntegerField(help_text="The item's number in the order, from 1.")
    input = serializers.DictField(help_text="The item's input: column → text.")
    result = serializers.DictField(help_text="The approved answer: field key → value.")
    form_version = serializers.IntegerField(allow_null=True)
    approved_at = serializers.DateTimeField()


class ResultPageOut(serializers.Serializer):
    results = ResultOut(many=True)
    next = serializers.CharField(allow_null=True, help_text="The next page's URL, or null.")
    next_since = serializers.DateTimeField(
        allow_null=True, help_text="The cursor after this page: pass as `since` (keep it)."
    )
    next_since_id = serializers.IntegerField(allow_null=True, help_text="Pass as `since_id`.")


class CsvRenderer(BaseRenderer):
    """Lets a client ask for `Accept: text/csv`; the view returns the file itself."""

    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None) -> bytes:
        return JSONRenderer().render(data)


class JsonLinesRenderer(CsvRenderer):
    media_type = "application/x-ndjson"
    format = "jsonl"


def parse_query(serializer_class: type[serializers.Serializer], request: Request) -> dict:
    serializer = serializer_class(data=request.query_params)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


def get_digital_order_for(request: Request, pk: int) -> Order:
    order = get_order_for(request, pk)
    if order.kind != Order.Kind.DIGITAL:
        raise Http404
    return order


@extend_schema(tags=["results"])
class ResultList(CompanyApiView):
    @extend_schema(
        summary="A digital order's approved results, a page at a time",
        description=(
            "Oldest approval first. Keep `next_since` and `next_since_id` of the last page and "
            "pass them as `since` and `since_id` later to read only what was approved since: "
            "every result comes exactly once. Only answers the workshop approved are given."
        ),
        parameters=[ResultsQuery],
        responses={200: ResultPageOut, **errors(400, 404, *COMMON)},
    )
    def get(self, request: Request, pk: int) -> Response:
        order = get_digital_order_for(request, pk)
        query = parse_query(ResultsQuery, request)
        size = query.get("page_size", PAGE_SIZE)
        items = results.approved_items(order)
        if "since" in query:
            items = results.after_cursor(
                items, since=query["since"], since_id=query.get("since_id", 0)
            )
        rows = list(
            items.values_list(
                "number", "data", "result", "result_form__version", "approved_at", "pk"
            )[: size + 1]
        )
        page, more = rows[:size], len(rows) > size
        last = page[-1] if page else None
        cursor = {"since": last[4].isoformat(), "since_id": last[5]} if last else {}
        following = None
        if more:
            following = request.build_absolute_uri(
                f"{request.path}?{urlencode({**cursor, 'page_size': size})}"
            )
        body = {
            "results": [results.json_row(*row) for row in page],
            "next": following,
            "next_since": cursor.get("since") or query.get("since"),
            "next_since_id": cursor.get("since_id", query.get("since_id")),
        }
        return Response(ResultPageOut(body).data)


@extend_schema(tags=["results"])
class ResultCsv(CompanyApiView):
    renderer_classes = [JSONRenderer, CsvRenderer]

    @extend_schema(
        summary="A digital order's approved results as CSV (UTF-8 with BOM), streamed",
        description=(
            "No., every input column, then one column per answer field (its label). Cells "
            "that a spreadsheet would run as a formula start with an apostrophe."
        ),
        parameters=[ExportQuery],
        responses={(200, "text/csv"): OpenApiTypes.STR, **errors(400, 404, *COMMON)},
    )
    def get(self, request: Request, pk: int) -> StreamingHttpResponse:
        order = get_digital_order_for(request, pk)
        return results.csv_download(order, since=parse_query(ExportQuery, request).get("since"))


@extend_schema(tags=["results"])
class ResultJsonLines(CompanyApiView):
    renderer_classes = [JSONRenderer, JsonLinesRenderer]

    @extend_schema(
        summary="A digital order's approved results as JSON Lines, streamed",
        description="One result per line, as in the paged list.",
        parameters=[ExportQuery],
        responses={(200, "application/x-ndjson"): OpenApiTypes.STR, **errors(400, 404, *COMMON)},
    )
    def get(self, request: Request, pk: int) -> StreamingHttpResponse:
        order = get_digital_order_for(request, pk)
        return results.jsonl_download(order, since=parse_query(ExportQuery, request).get("since"))
