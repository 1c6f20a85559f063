"""Serializer fields every API's input uses where DRF's own would take more than the schema
says: a boolean is a JSON true or false (or, in a form-encoded body, the words "true" and
"false", as the phone's queue sends them), and a moment is an RFC 3339 date-time with its
offset, within what PostgreSQL can hold. DRF's BooleanField would read "yes", "on" or 1, and
its DateTimeField "2026-12-07 08:00" with no offset, all of which the schema calls invalid; the
API fuzzing (tests/fuzz) found both, and tests/fuzz/test_hostile_inputs.py keeps every input
serializer on these fields."""

import datetime
import re

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers
from rest_framework.utils import html

from workshop import limits

RFC3339 = re.compile(
    r"^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])T([01]\d|2[0-3]):[0-5]\d:([0-5]\d|60)"
    r"(\.\d+)?(Z|[+-]([01]\d|2[0-3]):[0-5]\d)$",
    re.IGNORECASE,
)


class StrictBooleanField(serializers.BooleanField):
    default_error_messages = {"invalid": _("Must be true or false.")}

    def to_internal_value(self, data):
        if isinstance(data, bool):
            return data
        if isinstance(data, str) and data in ("true", "false"):
            return data == "true"
        self.fail("invalid")


class MomentField(serializers.DateTimeField):
    """An RFC 3339 date-time with an offset within ±15:59, read as UTC."""

    default_error_messages = {
        "invalid": _(
            "Must be an RFC 3339 date-time with its offset, e.g. 2026-12-07T09:00:00+09:00."
        )
    }

    def get_value(self, dictionary):
        if html.is_html_input(dictionary) and dictionary.get(self.field_name) == "":
            return ""  # DRF would read a form's "" as null before validation
        return super().get_value(dictionary)

    def validate_empty_values(self, data):
        # A form-encoded body's "" would otherwise read as null: the schema says it is neither.
        if data == "":
            self.fail("invalid")
        return super().validate_empty_values(data)

    def to_internal_value(self, value):
        if not isinstance(value, str) or not RFC3339.match(value):
            self.fail("invalid")
        try:
            moment = datetime.datetime.fromisoformat(value.upper().replace("Z", "+00:00"))
            if abs(moment.utcoffset()) > limits.MAX_UTC_OFFSET:
                self.fail("invalid")
            return moment.astimezone(datetime.UTC)
        except (ValueError, OverflowError):
            self.fail("invalid")
