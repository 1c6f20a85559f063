"""The pages people see when something goes wrong, with DEBUG off: calm, in the person's
language, with a way back (a form body too large to read is a 413 that says going back keeps
what was typed). Under /api/ the same errors are JSON of the API's one shape
({"code", "detail", "errors"}), including addresses that match no route.

The pages are rendered without the request's context processors, so they show even when the
database is what failed (the header's role switcher would query it)."""

from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils.translation import gettext_lazy
from rest_framework import exceptions

from companies.api_errors import PayloadTooLarge, error_body

API_PREFIX = "/api/"

# The API says what DRF says for the same status, so a client sees one wording for a 404
# whether a route or an object was missing.
API_DETAIL = {
    "not_found": exceptions.NotFound.default_detail,
    "bad_request": exceptions.ParseError.default_detail,
    "permission_denied": exceptions.PermissionDenied.default_detail,
    "csrf_failed": exceptions.PermissionDenied.default_detail,
    "server_error": exceptions.APIException.default_detail,
    "too_many_requests": exceptions.Throttled.default_detail,
    "too_large": PayloadTooLarge.default_detail,
}

# kind: (HTTP status, API code, title, what happened, what to do)
ERRORS = {
    "not_found": (
        404,
        "not_found",
        gettext_lazy("This page is not here"),
        gettext_lazy("The address may be old, or the page may have moved."),
        gettext_lazy("Nothing you did is lost. The start page has everything that is yours."),
    ),
    "bad_request": (
        400,
        "bad_request",
        gettext_lazy("This request could not be read"),
        gettext_lazy("Something in what the browser sent did not look right."),
        gettext_lazy("Please go back and try once more."),
    ),
    "permission_denied": (
        403,
        "permission_denied",
        gettext_lazy("This page is not open to you"),
        gettext_lazy("Your account cannot open this page."),
        gettext_lazy("If you think it should, please ask your workshop's staff."),
    ),
    "csrf_failed": (
        403,
        "csrf_failed",
        gettext_lazy("This form was open for too long"),
        gettext_lazy(
            "For your safety, a form works only for a while, and only with cookies allowed."
        ),
        gettext_lazy("Please go back, reload the page and send it again."),
    ),
    # More than DATA_UPLOAD_MAX_MEMORY_SIZE in a form's fields (Django's RequestDataTooBig,
    # which would be a 400). Going back in the browser keeps what was typed in the form.
    "too_large": (
        413,
        "too_large",
        gettext_lazy("What you sent is too large"),
        gettext_lazy(
            "It was more than Engawa can take at once: a very long text, or very many or very "
            "large files."
        ),
        gettext_lazy(
            "Please go back with your browser's back button: what you typed is still in the "
            "form. Make the text shorter, or send fewer or smaller files, and send it again."
        ),
    ),
    "too_many_requests": (
        429,
        "throttled",
        gettext_lazy("Please wait a little"),
        gettext_lazy(
            "There were many tries in a short time, so we are pausing for a moment to keep "
            "accounts safe."
        ),
        gettext_lazy("Please wait a few minutes and try again."),
    ),
    "server_error": (
        500,
        "server_error",
        gettext_lazy("Something went wrong on our side"),
        gettext_lazy("It was not your fault, and nothing was half-saved."),
        gettext_lazy("Please try again in a little while. If it keeps happening, tell staff."),
    ),
}


def error_response(request: HttpRequest, kind: str) -> HttpResponse:
    status, code, title, happened, to_do = ERRORS[kind]
    if request.path.startswith(API_PREFIX):
        return JsonResponse(error_body(code, API_DETAIL[kind]), status=status)
    html = render_to_string(
        "errors/page.html",
        {"title": title, "happened": happened, "to_do": to_do, "status": status},
    )
    return HttpResponse(html, status=status)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return error_response(request, "not_found")


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if isinstance(exception, RequestDataTooBig):
        return error_response(request, "too_large")
    return error_response(request, "bad_request")


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return error_response(request, "permission_denied")


def too_many_requests(request: HttpRequest) -> HttpResponse:
    """allauth's rate limits (sign-in, codes, invitation links) answer with this."""
    return error_response(request, "too_many_requests")


def server_error(request: HttpRequest) -> HttpResponse:
    return error_response(request, "server_error")


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """CSRF_FAILURE_VIEW: the reason is for developers (Django logs it), never for people."""
    return error_response(request, "csrf_failed")
