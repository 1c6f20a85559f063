"""Answer forms of digital work: what a field spec may say, and how an answer is checked
against the fields of one form version. Pure functions over plain data, shared by the staff
editor, the company's proposal, the phone's saves, double-entry comparison and staff corrections.

A form's `fields` is a list of specs (dicts):

    {"key": "price", "type": "number", "label": "価格", "help": "税込", "required": true,
     "min": "0", "max": "1000000", "cant_read": true}

- `key`: a-z, 0-9 and _, unique in the form; the export's column name.
- `type`: one of FieldType.
- `label` (required), `help`: what the participant reads.
- `required`: an empty answer is refused (unless "I can't read this" is chosen).
- `min_length`, `max_length` (texts; max at most LONG_TEXT_LENGTH), `min`, `max` (numbers, as
  decimal strings or integers), `pattern` (short text: a regular expression the whole value must
  match; kept simple, see PATTERN_RULES), `choices` (a list of texts, for choice and choices).
- `cant_read`: offer 「読めない」, an answer that needs no value.

Values are kept as JSON: texts and dates ("2026-12-07") as strings, numbers as decimal strings
(never float), yes/no as true/false, several choices as a list in the form's order."""

import datetime
import re
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from workshop.limits import is_invisible
from workshop.rules import RuleError


class FieldType:
    SHORT_TEXT = "short_text"
    LONG_TEXT = "long_text"
    NUMBER = "number"
    CHOICE = "choice"
    CHOICES = "choices"
    YES_NO = "yes_no"
    DATE = "date"

    ALL = (SHORT_TEXT, LONG_TEXT, NUMBER, CHOICE, CHOICES, YES_NO, DATE)
    LABELS = {
        SHORT_TEXT: gettext_lazy("Short text"),
        LONG_TEXT: gettext_lazy("Long text"),
        NUMBER: gettext_lazy("Number"),
        CHOICE: gettext_lazy("One of several choices"),
        CHOICES: gettext_lazy("Several choices"),
        YES_NO: gettext_lazy("Yes or no"),
        DATE: gettext_lazy("Date"),
    }


MAX_FIELDS = 30
KEY_PATTERN = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
SHORT_TEXT_LENGTH = 200
LONG_TEXT_LENGTH = 2000
MAX_CHOICES = 50
CHOICE_LENGTH = 100
LABEL_LENGTH = 100
HELP_LENGTH = 500
PATTERN_LENGTH = 100
NUMBER_LIMIT = Decimal("1e12")  # numbers are between -10^12 and 10^12
NUMBER_PLACES = 6  # at most six digits after the point
# A pattern may not repeat a group ("(ab)+"), use back references or look-arounds: those are
# what makes a regular expression take exponential time on a crafted value.
PATTERN_RULES = re.compile(r"\)\s*[*+?{]|\\[1-9]|\(\?[=!<]")

FULL_WIDTH_NUMBER = str.maketrans("０１２３４５６７８９．－，", "0123456789.-,")
SPEC_KEYS = {
    "key",
    "type",
    "label",
    "help",
    "required",
    "min_length",
    "max_length",
    "min",
    "max",
    "pattern",
    "choices",
    "cant_read",
}


class FormSpecError(RuleError):
    """A form definition that cannot be used; `field` says which field (its position, from 1)."""

    def __init__(self, message: str, code: str, field: int | None = None):
        super().__init__(message, code=code)
        self.field = field


def _number(value) -> Decimal | None:
    if isinstance(value, bool) or value is None or value == "":
        return None
    if isinstance(value, float):
        raise InvalidOperation  # never a float: 0.1 is not what was meant
    number = Decimal(str(value).strip())
    if not number.is_finite():
        raise InvalidOperation
    return number


def check_fields(fields) -> list[dict]:
    """The cleaned field specs of a form, or FormSpecError naming the first field at fault."""
    if not isinstance(fields, list) or not fields:
        raise FormSpecError(_("A form needs at least one field."), "form_empty")
    if len(fields) > MAX_FIELDS:
        raise FormSpecError(
            _("A form can have at most %(count)s fields.") % {"count": MAX_FIELDS},
            "form_too_many_fields",
        )
    cleaned, keys = [], set()
    for position, spec in enumerate(fields, start=1):
        spec = _check_field(spec, position)
        if spec["key"] in keys:
            raise FormSpecError(
                _("Field %(position)s: the name %(key)s is used twice.")
                % {"position": position, "key": spec["key"]},
                "form_key_repeated",
                position,
            )
        keys.add(spec["key"])
        cleaned.append(spec)
    return cleaned


def _check_field(spec, position: int) -> dict:
    def refuse(message: str, code: str):
        raise FormSpecError(
            _("Field %(position)s: %(problem)s") % {"position": position, "problem": message},
            code,
            position,
        )

    if not isinstance(spec, dict) or set(spec) - SPEC_KEYS:
        refuse(_("it has settings a form field cannot have."), "form_field_invalid")
    key = spec.get("key")
    if not isinstance(key, str) or not KEY_PATTERN.match(key):
        refuse(
            _("its name must start with a letter and use only a-z, 0-9 and _ (up to 40)."),
            "form_key_invalid",
        )
    kind = spec.get("type")
    if kind not in FieldType.ALL:
        refuse(_("choose what kind of answer it takes."), "form_type_invalid")
    label = spec.get("label")
    if not isinstance(label, str) or not label.strip() or is_invisible(label):
        refuse(_("it needs a label people can read."), "form_label_missing")
    help_text = spec.get("help", "")
    if not isinstance(help_text, str) or len(help_text) > HELP_LENGTH or len(label) > LABEL_LENGTH:
        refuse(_("its label or help is too long."), "form_text_too_long")
    for flag in ("required", "cant_read"):
        if not isinstance(spec.get(flag, False), bool):
            refuse(_("required and “I can't read this” are yes or no."), "form_flag_invalid")
    out = {
        "key": key,
        "type": kind,
        "label": label.strip(),
        "help": help_text.strip(),
        "required": spec.get("required", False),
        "cant_read": spec.get("cant_read", False),
    }
    if kind in (FieldType.SHORT_TEXT, FieldType.LONG_TEXT):
        ceiling = SHORT_TEXT_LENGTH if kind == FieldType.SHORT_TEXT else LONG_TEXT_LENGTH
        low, high = spec.get("min_length", 0), spec.get("max_length", ceiling)
        if (
            not isinstance(low, int)
            or not isinstance(high, int)
            or isinstance(low, bool)
            or isinstance(high, bool)
            or not 0 <= low <= high <= ceiling
        ):
            refuse(
                _("its lengths must be between 0 and %(ceiling)s, the least first.")
                % {"ceiling": ceiling},
                "form_length_invalid",
            )
        out["min_length"], out["max_length"] = low, high
        pattern = spec.get("pattern", "")
        if pattern:
            if kind != FieldType.SHORT_TEXT or not isinstance(pattern, str):
                refuse(_("only a short text can have a pattern."), "form_pattern_invalid")
            if len(pattern) > PATTERN_LENGTH or PATTERN_RULES.search(pattern):
                refuse(
                    _("its pattern is too long or too complex (no repeated groups)."),
                    "form_pattern_invalid",
                )
            try:
                re.compile(pattern)
            except re.error:
                refuse(_("its pattern is not a valid regular expression."), "form_pattern_invalid")
            out["pattern"] = pattern
    elif kind == FieldType.NUMBER:
        try:
            low, high = _number(spec.get("min")), _number(spec.get("max"))
        except (InvalidOperation, ValueError, TypeError):
            refuse(_("its smallest and largest values must be numbers."), "form_range_invalid")
        for bound in (low, high):
            if bound is not None and abs(bound) > NUMBER_LIMIT:
                refuse(_("its smallest and largest values are too large."), "form_range_invalid")
        if low is not None and high is not None and low > high:
            refuse(_("its smallest value is above its largest."), "form_range_invalid")
        if low is not None:
            out["min"] = str(low)
        if high is not None:
            out["max"] = str(high)
    elif kind in (FieldType.CHOICE, FieldType.CHOICES):
        choices = spec.get("choices")
        if (
            not isinstance(choices, list)
            or not 1 <= len(choices) <= MAX_CHOICES
            or not all(
                isinstance(c, str) and c.strip() and len(c) <= CHOICE_LENGTH for c in choices
            )
            or len({c.strip() for c in choices}) != len(choices)
        ):
            refuse(
                _("it needs 1 to %(count)s different choices, each up to %(length)s characters.")
                % {"count": MAX_CHOICES, "length": CHOICE_LENGTH},
                "form_choices_invalid",
            )
        out["choices"] = [c.strip() for c in choices]
    return out


def field_problem(spec: dict, value) -> str | None:
    """Why `value` cannot be the answer to the field `spec` (a message for the participant), or
    None. Use clean_value for the stored form."""
    try:
        clean_value(spec, value)
    except AnswerError as refusal:
        return refusal.message
    return None


class AnswerError(RuleError):
    """An answer that the form does not take; `key` names the field."""

    def __init__(self, message: str, code: str, key: str = ""):
        super().__init__(message, code=code)
        self.key = key


def is_empty(value) -> bool:
    if isinstance(value, str):
        return not value.strip()
    return value is None or value == []


def clean_value(spec: dict, value):
    """The stored form of `value` for the field `spec`, or AnswerError. Empty is None."""
    key, kind = spec["key"], spec["type"]

    def refuse(message: str, code: str):
        raise AnswerError(message, code, key)

    if is_empty(value):
        return None
    if kind in (FieldType.SHORT_TEXT, FieldType.LONG_TEXT):
        if not isinstance(value, str):
            refuse(_("Please write this as text."), "answer_not_text")
        text = value.strip() if kind == FieldType.SHORT_TEXT else value.strip("\n ")
        if kind == FieldType.SHORT_TEXT and ("\n" in text or "\r" in text):
            refuse(_("Please write this on one line."), "answer_not_one_line")
        if len(text) < spec.get("min_length", 0):
            refuse(
                _("Please write at least %(count)s characters.") % {"count": spec["min_length"]},
                "answer_too_short",
            )
        if len(text) > spec.get("max_length", LONG_TEXT_LENGTH):
            refuse(
                _("Please keep this within %(count)s characters.") % {"count": spec["max_length"]},
                "answer_too_long",
            )
        if spec.get("pattern") and not re.fullmatch(spec["pattern"], text):
            refuse(_("This does not look like what is asked: see the help."), "answer_pattern")
        return text
    if kind == FieldType.NUMBER:
        if isinstance(value, str):
            # Full-width digits and signs come from Japanese keyboards: read them as half-width.
            value = value.strip().translate(FULL_WIDTH_NUMBER).replace(",", "")
        try:
            number = _number(value)
        except (InvalidOperation, ValueError, TypeError):
            number = None
        if number is None:
            refuse(_("Please write a number."), "answer_not_number")
        if abs(number) > NUMBER_LIMIT or -number.as_tuple().exponent > NUMBER_PLACES:
            refuse(_("Please write a number."), "answer_not_number")
        if "min" in spec and number < Decimal(spec["min"]):
            refuse(
                _("Please write a number of at least %(low)s.") % {"low": spec["min"]},
                "answer_below_min",
            )
        if "max" in spec and number > Decimal(spec["max"]):
            refuse(
                _("Please write a number of at most %(high)s.") % {"high": spec["max"]},
                "answer_above_max",
            )
        return _plain(number)
    if kind == FieldType.CHOICE:
        if value not in spec["choices"]:
            refuse(_("Please choose one of the choices."), "answer_not_a_choice")
        return value
    if kind == FieldType.CHOICES:
        chosen = value if isinstance(value, list) else [value]
        if not all(isinstance(c, str) and c in spec["choices"] for c in chosen):
            refuse(_("Please choose among the choices."), "answer_not_a_choice")
        return [c for c in spec["choices"] if c in chosen]
    if kind == FieldType.YES_NO:
        if isinstance(value, bool):
            return value
        if value in ("yes", "true", "on", "1"):
            return True
        if value in ("no", "false", "off", "0"):
            return False
        refuse(_("Please choose yes or no."), "answer_not_yes_no")
    if kind == FieldType.DATE:
        try:
            day = datetime.date.fromisoformat(str(value).strip())
        except ValueError:
            refuse(_("Please write a date like 2026-12-07."), "answer_not_date")
        if not datetime.date(1900, 1, 1) <= day <= datetime.date(2100, 12, 31):
            refuse(_("Please write a date like 2026-12-07."), "answer_not_date")
        return day.isoformat()
    refuse(_("This field cannot be answered."), "answer_field_unknown")


def _plain(number: Decimal) -> str:
    """A decimal's plain text without exponent or trailing zeros: 12.50 → "12.5", 1E+3 → "1000"."""
    text = format(number, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def clean_answer(fields: list[dict], values: dict, *, cant_read: bool = False, final: bool = True):
    """The stored values of an answer to a form: {key: value}, only the form's keys. With
    `final` (「保存して次へ」), a required field must have a value unless `cant_read`; a draft
    (final=False) may be incomplete but each value given must still be valid, so that what is
    kept is always what the form allows. Raises AnswerError for the first field at fault, or
    AnswerErrors (all of them) via `answer_problems`."""
    problems = answer_problems(fields, values, cant_read=cant_read, final=final)
    if problems:
        key, (message, code) = next(iter(problems.items()))
        raise AnswerError(message, code, key)
    return {spec["key"]: clean_value(spec, (values or {}).get(spec["key"])) for spec in fields}


def answer_problems(
    fields: list[dict], values: dict, *, cant_read: bool = False, final: bool = True
) -> dict[str, tuple[str, str]]:
    """Every field at fault: {key: (message, code)}, in the form's order; empty when the answer
    can be kept."""
    values = values if isinstance(values, dict) else {}
    problems = {}
    for spec in fields:
        value = values.get(spec["key"])
        try:
            cleaned = clean_value(spec, value)
        except AnswerError as refusal:
            problems[spec["key"]] = (refusal.message, refusal.code)
            continue
        if final and cleaned is None and spec.get("required") and not cant_read:
            problems[spec["key"]] = (_("Please fill this in."), "answer_required")
    if cant_read and final and not any(spec.get("cant_read") for spec in fields):
        problems["cant_read"] = (
            _("This form has no “I can't read this” answer."),
            "answer_cant_read_not_offered",
        )
    return problems


def same_answer(first: dict, second: dict, fields: list[dict]) -> bool:
    """Whether two stored answers agree (double entry): every field equal after cleaning, texts
    compared with Unicode NFKC and runs of spaces made one, so ＡＢＣ and ABC agree."""
    import unicodedata

    def norm(value):
        if isinstance(value, str):
            return " ".join(unicodedata.normalize("NFKC", value).split())
        return value

    return all(
        norm((first or {}).get(spec["key"])) == norm((second or {}).get(spec["key"]))
        for spec in fields
    )
