"""Every API error is JSON of one shape: {"code": "...", "detail": "...", "errors": {field: [..]}}.
The domain errors of the rules (jobs/orders.py, jobs/attachments.py) get their HTTP status here,
so the views only call the rules."""

import math

from django.core.exceptions import RequestDataTooBig
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from rest_framework import exceptions, status
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from jobs.attachments import AttachmentRefused
from jobs.orders import OrderError, OrderInvalid

# The HTTP status of every rule's refusal code, for every API (company, staff, participant):
# one table, so a code answers the same status wherever it comes from. A refusal of what was
# sent is a 400 (any code not listed); a state that does not allow it now is a 409; a person
# who may never do it is a 403; too big is a 413. docs/api.md lists them.
REFUSAL_STATUS = {
    # the object or the person is in a state that does not allow it now
    "wrong_state": status.HTTP_409_CONFLICT,
    "idempotency_conflict": status.HTTP_409_CONFLICT,
    "retry": status.HTTP_409_CONFLICT,
    "split_running": status.HTTP_409_CONFLICT,
    "not_submitted": status.HTTP_409_CONFLICT,
    "digital_unit": status.HTTP_409_CONFLICT,
    "not_disagreed": status.HTTP_409_CONFLICT,
    "not_held": status.HTTP_409_CONFLICT,
    "taken": status.HTTP_409_CONFLICT,
    "not_available": status.HTTP_409_CONFLICT,
    "already_suggested": status.HTTP_409_CONFLICT,
    "not_active": status.HTTP_409_CONFLICT,
    "hold_limit": status.HTTP_409_CONFLICT,
    "not_holder": status.HTTP_409_CONFLICT,
    "too_many": status.HTTP_409_CONFLICT,
    "answer_items": status.HTTP_409_CONFLICT,
    "uuid_reused": status.HTTP_409_CONFLICT,
    "run_running": status.HTTP_409_CONFLICT,
    "already_paid": status.HTTP_409_CONFLICT,
    "not_invoiceable": status.HTTP_409_CONFLICT,
    "registration_number_missing": status.HTTP_409_CONFLICT,
    "wrong_kind": status.HTTP_409_CONFLICT,
    "confirmed": status.HTTP_409_CONFLICT,
    "consent_required": status.HTTP_409_CONFLICT,
    "answer_locked": status.HTTP_409_CONFLICT,
    "no_form": status.HTTP_409_CONFLICT,
    "import_running": status.HTTP_409_CONFLICT,
    "checking_locked": status.HTTP_409_CONFLICT,
    "items_missing": status.HTTP_409_CONFLICT,
    # never allowed to this person
    "forbidden": status.HTTP_403_FORBIDDEN,
    # too big
    "too_large": status.HTTP_413_REQUEST_ENTITY_TOO_LARGE,
    "photo_too_large": status.HTTP_413_REQUEST_ENTITY_TOO_LARGE,
}
# Kept under its old name for the callers that import it.
DOMAIN_STATUS = REFUSAL_STATUS


def status_of(code: str) -> int:
    """The HTTP status of a rule's refusal code (400 unless REFUSAL_STATUS says otherwise)."""
    return REFUSAL_STATUS.get(code, status.HTTP_400_BAD_REQUEST)


class RuleRefused(exceptions.APIException):
    """A rule said no: the rule's code and message, with the status of REFUSAL_STATUS."""

    def __init__(self, message: str, code: str):
        self.status_code = status_of(code)
        super().__init__(detail=message, code=code)


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
    response = _error_response(exc, context)
    request = context.get("request")
    if response is not None and request is not None:
        # Errors are JSON whatever was asked for (?format=pdf on a PDF's address included).
        request.accepted_renderer = JSONRenderer()
        request.accepted_media_type = JSONRenderer.media_type
    return response


def _error_response(exc: Exception, context: dict) -> Response | None:
    if isinstance(exc, OrderInvalid):
        return Response(error_body("invalid", _("Please check the fields."), exc.errors), 400)
    if isinstance(exc, OrderError):
        code = exc.code
        return Response(error_body(code, exc.message), status_of(code))
    if isinstance(exc, AttachmentRefused):
        errors = {} if exc.code == "too_large" else {"file": [exc.message]}
        return Response(error_body(exc.code, exc.message, errors), status_of(exc.code))
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
