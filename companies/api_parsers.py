"""JSON bodies for every API, parsed with a depth limit: a body nested deeper than
workshop.limits.MAX_JSON_DEPTH (or so deep that Python's parser gives up) is a 400
`parse_error`, not a RecursionError. Nothing Engawa reads is nested more than a few levels."""

import json

from django.utils.translation import gettext_lazy as _
from rest_framework import parsers
from rest_framework.exceptions import ParseError

from workshop.limits import MAX_JSON_DEPTH


def nesting_depth(raw: bytes) -> int:
    """The deepest nesting of [ and { in a JSON text, counted without recursion (strings,
    with their escapes, are skipped)."""
    depth = deepest = 0
    in_string = escaped = False
    for byte in raw:
        if in_string:
            if escaped:
                escaped = False
            elif byte == 0x5C:  # backslash
                escaped = True
            elif byte == 0x22:  # quote
                in_string = False
        elif byte == 0x22:
            in_string = True
        elif byte in (0x5B, 0x7B):  # [ {
            depth += 1
            deepest = max(deepest, depth)
        elif byte in (0x5D, 0x7D):  # ] }
            depth -= 1
    return deepest


class JSONParser(parsers.JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        raw = stream.read() if stream is not None else b""
        if nesting_depth(raw) > MAX_JSON_DEPTH:
            raise ParseError(
                _("The JSON is nested too deeply (at most %(depth)s levels).")
                % {"depth": MAX_JSON_DEPTH}
            )
        try:
            return json.loads(
                raw.decode(), parse_constant=_refuse_constant, parse_float=_finite_float
            )
        except (ValueError, RecursionError) as error:
            raise ParseError(_("The JSON could not be read.")) from error


def _refuse_constant(name: str):
    raise ValueError(f"{name} is not JSON")


def _finite_float(text: str) -> float:
    """1e400 would be read as infinity, which no field can hold (int() of it overflows)."""
    number = float(text)
    if number in (float("inf"), float("-inf")):
        raise ValueError(f"{text} is too large")
    return number
