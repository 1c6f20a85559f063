"""Every API error is JSON of one shape: {"code": "...", "detail": "...", "errors": {field: [..]}}.
The domain errors of the rules (jobs/orders.py, jobs/attachments.py) get their HTTP status here,
so the views only call the rules."""

import math

from django.core.exceptions import RequestDataTooBig
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from jobs.attachments import AttachmentRefused
from jobs.orders import OrderError, OrderInvalid

# Status of each domain error code; any other code of a rule is a 400.
DOMAIN_STATUS = {
    "wrong_state": status.HTTP_409_CONFLICT,
    "idempotency_conflict": status.HTTP_409_CONFLICT,
    "retry": status.HTTP_409_CONFLICT,
    "forbidden": status.HTTP_403_FORBIDDEN,
    "too_large": status.HTTP_413_REQUEST_ENTITY_TOO_LARGE,
}
# Codes for DRF's own exceptions where its default code is less plain.
DRF_CODES = {
    exceptions.NotFound: "not_found",
    exceptions.MethodNotAllowed: "method_not_allowed",
    exceptions.UnsupportedMediaType: "unsupported_media_type",
    exceptions.Throttled: "throttled",
    exceptions.ParseError: "parse_error",
}


class PayloadTooLarge(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_detail = gettext_lazy("The request is too large.")
    default_code = "too_large"


def error_body(code: str, detail: str, errors: dict | None = None) -> dict:
    return {"code": code, "detail": str(detail), "errors": errors or {}}


def _field_errors(detail) -> dict[str, list[str]]:
    """DRF's nested error details, flattened to {field: [message, …]} (nested fields joined
    with dots, list items with their index)."""
    flat: dict[str, list[str]] = {}

    def walk(prefix: str, value) -> None:
        if isinstance(value, dict):
            for key, inner in value.items():
                walk(f"{prefix}.{key}" if prefix else str(key), inner)
        elif isinstance(value, list) and value and not all(isinstance(v, str) for v in value):
            for index, inner in enumerate(value):
                if isinstance(inner, (dict, list)):
                    walk(f"{prefix}.{index}", inner)
                else:
                    flat.setdefault(prefix or "non_field_errors", []).append(str(inner))
        elif isinstance(value, list):
            flat.setdefault(prefix or "non_field_errors", []).extend(str(v) for v in value)
        else:
            flat.setdefault(prefix or "non_field_errors", []).append(str(value))

    walk("", detail)
    return flat


def api_exception_handler(exc: Exception, context: dict) -> Response | None:
    if isinstance(exc, OrderInvalid):
        return Response(error_body("invalid", _("Please check the fields."), exc.errors), 400)
    if isinstance(exc, OrderError):
        code = exc.code
        return Response(error_body(code, exc.message), DOMAIN_STATUS.get(code, 400))
    if isinstance(exc, AttachmentRefused):
        errors = {} if exc.code == "too_large" else {"file": [exc.message]}
        return Response(error_body(exc.code, exc.message, errors), DOMAIN_STATUS.get(exc.code, 400))
    if isinstance(exc, RequestDataTooBig):
        exc = PayloadTooLarge()
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()

    response = drf_exception_handler(exc, context)
    if response is None:
        return None  # a real bug: Django's 500 handling takes over
    if isinstance(exc, exceptions.ValidationError):
        response.data = error_body(
            "invalid", _("Please check the fields."), _field_errors(exc.detail)
        )
        return response
    code = DRF_CODES.get(type(exc))
    if code is None:
        codes = exc.get_codes() if isinstance(exc, exceptions.APIException) else None
        code = codes if isinstance(codes, str) else "error"
    detail = exc.detail if isinstance(exc, exceptions.APIException) else str(exc)
    if isinstance(exc, exceptions.Throttled):
        detail = throttled_detail(exc.wait)
    response.data = error_body(code, detail)
    return response


def throttled_detail(wait: float | None) -> str:
    """DRF's own text is translated only in part (its Japanese lacks the second sentence), so
    a 429 would mix languages; this one is whole in each."""
    if wait is None:
        return _("Too many requests. Please wait a little and try again.")
    seconds = max(1, math.ceil(wait))
    return ngettext(
        "Too many requests. Please try again in %(seconds)s second.",
        "Too many requests. Please try again in %(seconds)s seconds.",
        seconds,
    ) % {"seconds": seconds}
