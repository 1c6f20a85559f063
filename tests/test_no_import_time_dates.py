"""No test module reads the clock when it is imported. The site's day is Japan's and begins at
15:00 UTC: a `TODAY = timezone.localdate()` at module level keeps the day of the import while the
rules read the day afresh, so a run that crosses midnight in Japan failed tests (docs/testing.md).
Tests read the day when they run: the `today` fixture (tests/conftest.py) or a call inside the
test or helper."""

import ast
import pathlib

import pytest

TESTS = pathlib.Path(__file__).resolve().parent

# timezone.localdate(), timezone.now(), timezone.localtime(), date.today(), datetime.now() and
# datetime.utcnow() all read the clock.
CLOCK_CALLS = {"localdate", "localtime", "now", "today", "utcnow"}


def _called_name(call: ast.Call) -> str | None:
    if isinstance(call.func, ast.Attribute):
        return call.func.attr
    if isinstance(call.func, ast.Name):
        return call.func.id
    return None


def _evaluated_at_import(node: ast.AST):
    """Every node Python evaluates when the module is imported: module and class bodies,
    decorators (so `@pytest.mark.parametrize` arguments), default values of arguments; not the
    bodies of functions and lambdas, which run when called."""
    if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
        arguments = node.args
        roots = [*arguments.defaults, *(d for d in arguments.kw_defaults if d is not None)]
        if not isinstance(node, ast.Lambda):
            roots += node.decorator_list
        for root in roots:
            yield from _evaluated_at_import(root)
        return
    yield node
    for child in ast.iter_child_nodes(node):
        yield from _evaluated_at_import(child)


def clock_reads_at_import(source: str) -> list[tuple[int, str]]:
    """(line, call) of every read of the clock that runs when `source` is imported."""
    found = []
    for node in _evaluated_at_import(ast.parse(source)):
        if isinstance(node, ast.Call) and _called_name(node) in CLOCK_CALLS:
            found.append((node.lineno, ast.unparse(node)))
    return found


@pytest.mark.parametrize(
    "source",
    [
        "TODAY = timezone.localdate()",
        "A_MONTH_AGO: datetime.date = timezone.localdate() - datetime.timedelta(days=30)",
        "NOW = timezone.now()",
        "DAY = datetime.date.today()",
        "AT = datetime.datetime.now(datetime.UTC)",
        "class Dates:\n    today = date.today()",
        "def helper(on=timezone.localdate()):\n    return on",
        "@pytest.mark.parametrize('day', [timezone.localdate()])\ndef test_x(day):\n    pass",
        "if True:\n    TODAY = localdate()",
    ],
)
def test_the_check_finds_a_clock_read_at_import(source):
    assert clock_reads_at_import(source)


@pytest.mark.parametrize(
    "source",
    [
        "def test_x(today):\n    assert timezone.localdate() == today",
        "def helper():\n    return datetime.date.today()",
        "FIXED = datetime.date(2026, 11, 20)",
        "NINE = datetime.time(9, 0)",
        "created_at = factory.LazyFunction(timezone.now)",
        "record = lambda: timezone.now()",
        "class Factory:\n    def make(self):\n        return timezone.now()",
    ],
)
def test_the_check_leaves_reads_when_the_test_runs_alone(source):
    assert clock_reads_at_import(source) == []


def test_no_test_module_reads_the_clock_at_import():
    files = sorted(TESTS.rglob("*.py"))
    assert len(files) > 100  # the whole tree, not an empty glob
    found = [
        f"{path.relative_to(TESTS.parent)}:{line}: {call}"
        for path in files
        for line, call in clock_reads_at_import(path.read_text(encoding="utf-8"))
    ]
    assert found == [], (
        "Read the day when the test runs (the `today` fixture, or a call inside the function), "
        "not at import:\n" + "\n".join(found)
    )
