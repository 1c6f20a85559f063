"""Hostile inputs as properties, over every form and every serializer of the project, found by
walking its modules (a new form or serializer is covered without being listed here).

Each field that people or clients fill in gets extreme and malformed values for its kind (huge
and negative numbers, NaN, dates near year 1 and 9999, offsets beyond ±15:59, megabytes of text,
text of zero-width or direction-changing characters, NUL). The answer must be a ValidationError
with a message, or a cleaned value inside the documented bounds (workshop/limits.py): never
another exception, never a number the database cannot hold, a date outside 2000–2100 or text
longer than a limit. The API views themselves are fuzzed in test_api_fuzz.py."""

import datetime
import decimal
import importlib
import inspect
import pkgutil

import pytest
from django import forms
from django.core.exceptions import ValidationError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rest_framework import serializers
from rest_framework.exceptions import ValidationError as ApiValidationError

from workshop import limits

pytestmark = pytest.mark.django_db

APPS = ("companies", "jobs", "network", "participants", "workshop")
# The largest integer the database columns hold (PostgreSQL integer).
DB_INT = 2**31 - 1
# Text longer than this is refused whatever the field (the largest limit in workshop/limits.py).
LONGEST_TEXT = max(limits.DESCRIPTION_LENGTH, limits.MESSAGE_LENGTH)


def project_modules():
    for app in APPS:
        package = importlib.import_module(app)
        for info in pkgutil.walk_packages(package.__path__, prefix=f"{app}."):
            if ".migrations" in info.name or ".management" in info.name:
                continue
            yield importlib.import_module(info.name)


def project_classes(base: type) -> list[type]:
    found = {}
    for module in project_modules():
        for _name, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, base) and cls.__module__.startswith(APPS):
                found[f"{cls.__module__}.{cls.__qualname__}"] = cls
    return [found[key] for key in sorted(found)]


FORMS = [cls for cls in project_classes(forms.BaseForm) if getattr(cls, "base_fields", None)]
SERIALIZERS = project_classes(serializers.BaseSerializer)


def serializer_fields(cls: type) -> dict:
    """The fields a client fills in. Serializers named …Out, and the …Line parts nested in
    them, only present (the project's convention); any other serializer is read as input."""
    if cls.__name__.endswith(("Out", "Line")):
        return {}
    try:
        instance = cls()
    except TypeError:
        return {}
    if isinstance(instance, serializers.ListSerializer):
        return {}
    return {name: f for name, f in instance.fields.items() if not f.read_only}


def form_fields(cls: type) -> dict:
    """The fields of a form; a choice of rows whose queryset the form sets per request (None on
    the class) is left to the form's own tests."""
    return {
        name: f
        for name, f in cls.base_fields.items()
        if not (isinstance(f, forms.ModelChoiceField) and f.queryset is None)
    }


FORM_FIELDS = [
    pytest.param(cls, name, id=f"{cls.__module__}.{cls.__qualname__}.{name}")
    for cls in FORMS
    for name in form_fields(cls)
]
SERIALIZER_FIELDS = [
    pytest.param(cls, name, id=f"{cls.__module__}.{cls.__qualname__}.{name}")
    for cls in SERIALIZERS
    for name in serializer_fields(cls)
]

# --- hostile values -----------------------------------------------------------------------------

huge_ints = (
    st.sampled_from([2**31, 2**63, -(2**31) - 1, 10**30, -1, 0, DB_INT, 10**4300 // 10**4290])
    | st.integers()
)
NUMBER_TEXTS = ["NaN", "nan", "Infinity", "-Infinity", "1e308", "-1e308", "1e-400", "0x10"]
number_texts = st.sampled_from([*NUMBER_TEXTS, "１２３", "9" * 5000]) | huge_ints.map(str)
date_texts = st.sampled_from(
    [
        "9999-12-31",
        "9999-12-30",
        "0001-01-01",
        "1899-12-31",
        "2101-01-01",
        "2026-02-30",
        "2026-13-01",
        "10000-01-01",
        "",
        "2026-4-1",
    ]
) | st.dates().map(datetime.date.isoformat)
datetime_texts = st.sampled_from(
    [
        "2026-04-01T09:30:00+23:59",
        "2026-04-01T09:30:00-23:59",
        "2026-04-01T09:30:00+16:00",
        "9999-12-31T23:59:59-15:00",
        "0001-01-01T00:00:00+15:00",
        "2026-04-01T25:00:00",
    ]
) | st.datetimes(timezones=st.timezones()).map(datetime.datetime.isoformat)
texts = st.sampled_from(
    [
        "x" * 1_000_000,
        "あ" * (LONGEST_TEXT + 1),
        "\u200b\u200c\u200d\ufeff",
        "\u202eabc",
        "a\u2066b\u2069",
        "\x00",
        "\ud800",
        "   ",
    ]
) | st.text(max_size=50)
# What a form can get: text from a query string or a posted form.
form_values = st.one_of(number_texts, date_texts, datetime_texts, texts, st.none())
# What a serializer can get: any JSON value (the parser refuses NaN and infinities).
json_values = st.one_of(
    form_values,
    huge_ints,
    st.booleans(),
    st.floats(allow_nan=False, allow_infinity=False),
    st.lists(st.integers(), max_size=3),
    st.dictionaries(st.text(max_size=3), st.integers(), max_size=2),
)


def hostile_values(field) -> st.SearchStrategy:
    if isinstance(field, forms.Field):
        return form_values
    return json_values


# --- what a cleaned value may be ----------------------------------------------------------------


def is_free_text(field) -> bool:
    plain = (forms.CharField, serializers.CharField)
    coded = (forms.SlugField, forms.EmailField, forms.URLField, forms.UUIDField, forms.RegexField)
    coded += (serializers.SlugField, serializers.EmailField, serializers.RegexField)
    coded += (serializers.UUIDField, serializers.URLField)
    return isinstance(field, plain) and not isinstance(field, coded)


def is_chosen_date(cls: type, field) -> bool:
    """A date a person chooses and a rule keeps (not a filter's bound, which may be any day)."""
    dates = (forms.DateField, serializers.DateField)
    return isinstance(field, dates) and "Filter" not in cls.__name__


def check_declared_bounds(cls: type, name: str, field) -> None:
    where = f"{cls.__qualname__}.{name}"
    if is_free_text(field) and not getattr(field, "choices", None):
        limit = getattr(field, "max_length", None)
        assert limit is not None and limit <= LONGEST_TEXT, (
            f"{where}: free text needs a max_length from workshop/limits.py"
        )
    if is_chosen_date(cls, field):
        assert limits.validate_date in field.validators, (
            f"{where}: a date needs validators=[limits.validate_date]"
        )
    # DRF's own read "yes", 1 or a moment without its offset, which the schema calls invalid.
    if type(field) is serializers.BooleanField:
        raise AssertionError(
            f"{where}: an input boolean is companies.api_fields.StrictBooleanField"
        )
    if type(field) is serializers.DateTimeField:
        raise AssertionError(f"{where}: an input moment is api_fields.MomentField")


def check_cleaned(field, value) -> None:
    """A value a field let through must be one the rest of Engawa can hold."""
    if isinstance(value, bool) or value is None:
        return
    if isinstance(value, int | float | decimal.Decimal):
        # A field may declare a larger bound for a wider column (money in bigint); none is
        # unbounded.
        top = getattr(field, "max_value", None) or DB_INT
        assert abs(value) <= max(top, DB_INT), f"{value!r} is beyond what the database holds"
    elif isinstance(value, datetime.datetime):
        if value.utcoffset() is not None:
            assert abs(value.utcoffset()) <= limits.MAX_UTC_OFFSET, value
    elif isinstance(value, datetime.date):
        if limits.validate_date in field.validators:
            assert limits.EARLIEST_DATE <= value <= limits.LATEST_DATE, value
    elif isinstance(value, str):
        assert len(value) <= LONGEST_TEXT, f"text of {len(value):,} characters was let through"
        assert "\x00" not in value, "NUL was let through"


# --- the properties -----------------------------------------------------------------------------

RUNS = settings(
    max_examples=10,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def test_the_walk_finds_the_forms_and_serializers():
    """The walk is not empty: the order form, the API's order and the staff proposal are in."""
    names = {f"{c.__module__}.{c.__qualname__}" for c in FORMS + SERIALIZERS}
    assert "companies.forms.OrderForm" in names
    assert "companies.serializers.OrderIn" in names
    assert "workshop.staff_serializers.ProposeIn" in names
    assert len(FORM_FIELDS) > 100 and len(SERIALIZER_FIELDS) > 50


@pytest.mark.parametrize(("cls", "name"), FORM_FIELDS)
def test_a_form_field_answers_hostile_values_with_a_message(cls, name):
    field = cls.base_fields[name]
    check_declared_bounds(cls, name, field)

    @RUNS
    @given(value=hostile_values(field))
    def answers(value):
        try:
            cleaned = field.clean(value)
        except ValidationError as refused:
            assert refused.messages and all(str(m) for m in refused.messages)
            return
        check_cleaned(field, cleaned)

    answers()


@pytest.mark.parametrize(("cls", "name"), SERIALIZER_FIELDS)
def test_a_serializer_field_answers_hostile_values_with_a_message(cls, name):
    field = serializer_fields(cls)[name]
    check_declared_bounds(cls, name, field)

    @RUNS
    @given(value=hostile_values(field))
    def answers(value):
        try:
            cleaned = field.run_validation(value)
        except ApiValidationError as refused:
            assert refused.detail
            return
        except serializers.SkipField:
            return
        check_cleaned(field, cleaned)

    answers()
