"""Translations for the tests: what `makemessages` would extract from the project, whether
Django has Japanese for it, and `ja()`, the way a test says which text a page must show.

Tests never compare against English sentences: an English assertion passes just as well when
the Japanese is missing, which is how two dozen untranslated strings once reached people."""

import io
from dataclasses import dataclass
from pathlib import Path

from babel.messages.extract import DEFAULT_KEYWORDS, extract
from django.conf import settings
from django.utils import translation
from django.utils.html import escape
from django.utils.translation import trans_real
from django.utils.translation.template import templatize

BASE_DIR = Path(settings.BASE_DIR)
# The apps whose Python code holds translatable strings; templates live in templates/.
APPS = ("workshop", "companies", "jobs", "participants", "network")
# Django's makemessages keywords (xgettext's Python defaults plus Django's lazy and context
# forms), in Babel's notation: argument positions, "c" marking the context.
KEYWORDS = {
    **DEFAULT_KEYWORDS,
    "gettext_noop": None,
    "gettext_lazy": None,
    "ngettext_lazy": (1, 2),
    "pgettext": ((1, "c"), 2),
    "pgettext_lazy": ((1, "c"), 2),
    "npgettext": ((1, "c"), 2, 3),
    "npgettext_lazy": ((1, "c"), 2, 3),
}


@dataclass(frozen=True)
class Message:
    """One translatable string as written in the code."""

    where: str
    msgid: str
    plural: str | None = None
    context: str | None = None


def _messages(where: Path, fileobj) -> list[Message]:
    found = []
    for lineno, message, _comments, context in extract("python", fileobj, keywords=KEYWORDS):
        if isinstance(message, tuple):
            msgid, plural = message[0], message[1]
        else:
            msgid, plural = message, None
        if msgid:  # gettext("") is the catalog header, not a message
            found.append(Message(f"{where}:{lineno}", msgid, plural, context))
    return found


def python_files() -> list[Path]:
    return sorted(
        path
        for app in APPS
        for path in (BASE_DIR / app).rglob("*.py")
        if "migrations" not in path.parts
    )


def template_files() -> list[Path]:
    return sorted(
        path
        for path in (BASE_DIR / "templates").rglob("*")
        if path.suffix in {".html", ".txt"}  # makemessages' default extensions
    )


def extract_messages() -> list[Message]:
    """Every translatable string of the project's Python and templates, found as
    `makemessages` finds them: Python read with Django's keywords, templates turned into
    Python by Django's own `templatize` ({% translate %}, {% blocktranslate %} with plurals,
    contexts and `trimmed`, `_()` in tags)."""
    found: list[Message] = []
    for path in python_files():
        with path.open("rb") as file:
            found += _messages(path.relative_to(BASE_DIR), file)
    for path in template_files():
        code = templatize(path.read_text(encoding="utf-8"), origin=str(path))
        # templatize keeps the template's indentation, which Python's tokenizer would read as
        # blocks; the strings and line numbers are all that matter.
        code = "\n".join(line.lstrip() for line in code.split("\n"))
        found += _messages(path.relative_to(BASE_DIR), io.BytesIO(code.encode()))
    return found


def japanese_catalog() -> dict:
    """The catalog Django serves in Japanese: the project's, the apps', allauth's, DRF's and
    Django's own, merged as Django merges them. Fuzzy and empty entries are not in it."""
    return trans_real.translation("ja")._catalog


def has_japanese(message: Message, catalog: dict | None = None) -> bool:
    catalog = japanese_catalog() if catalog is None else catalog
    key = message.msgid if message.context is None else f"{message.context}\x04{message.msgid}"
    if message.plural is not None:
        return (key, 0) in catalog
    return key in catalog


def msgid(text: str) -> str:
    """Marks a message id handed to a test as a parameter, to be looked up there with ja()."""
    return text


def ja(msgid: str, context: str | None = None, /, **params) -> str:
    """The Japanese a page shows for `msgid`, with `params` filled in as the code fills them.
    Fails, naming the string, when Django has no Japanese for it."""
    message = Message("a test", msgid, None, context)
    assert has_japanese(message), f"No Japanese for {msgid!r}: add it to the app's catalog."
    with translation.override("ja"):
        if context is None:
            text = translation.gettext(msgid)
        else:
            text = translation.pgettext(context, msgid)
    return text % params if params else text


def ja_plural(singular: str, plural: str, count: int, context: str | None = None, /, **params):
    """`ja()` for a string with plural forms."""
    message = Message("a test", singular, plural, context)
    assert has_japanese(message), f"No Japanese for {singular!r}: add it to the app's catalog."
    with translation.override("ja"):
        if context is None:
            text = translation.ngettext(singular, plural, count)
        else:
            text = translation.npgettext(context, singular, plural, count)
    return text % params if params else text


def ja_html(msgid: str, context: str | None = None, /, **params) -> str:
    """`ja()` as a template writes it into HTML (quotes and ampersands escaped)."""
    return escape(ja(msgid, context, **params))


def in_japanese(value) -> str:
    """A lazy text (a choice label, a model's name) as a Japanese page shows it."""
    with translation.override("ja"):
        return str(value)


def yen(amount: str | int) -> str:
    """An amount as the `yen` filter writes it in Japanese ("2,150円")."""
    return ja("¥%(amount)s", amount=amount)


def ja_around(msgid: str, varying: str, /, **params) -> list[str]:
    """The fixed pieces of `ja(msgid)` around the placeholder `varying` (a date or a time a
    test cannot know), so a test can check each piece is on the page."""
    pieces = [piece for piece in ja(msgid, **params, **{varying: "\0"}).split("\0") if piece]
    assert pieces, f"{msgid!r} is only its placeholder {varying!r}"
    return pieces


def en(msgid: str, /, **params) -> str:
    """What an English page shows for `msgid`: for the tests that check English is served."""
    with translation.override("en"):
        text = translation.gettext(msgid)
    return text % params if params else text
