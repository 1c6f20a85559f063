"""Japanese is complete by construction: every string the code marks for translation, found as
`makemessages` finds it (no GNU gettext needed), has Japanese that Django serves; every model,
field and choice the admin shows has a Japanese name; and no test compares against an English
sentence, which would let a missing translation pass unseen."""

import ast
import html
import re
from pathlib import Path

from django.apps import apps
from django.utils import translation

from tests.i18n import BASE_DIR, extract_messages, has_japanese, japanese_catalog

TESTS = BASE_DIR / "tests"
JAPANESE = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uff00-\uffef]")
# Names that are the same in Japanese: the admin shows these as they are.
SAME_IN_JAPANESE = {"ID", "URL", "API", "CSV", "UUID"}


def test_it_extracts_python_and_every_kind_of_template_tag():
    messages = {(m.context, m.msgid): m for m in extract_messages()}

    # Python: gettext_lazy as _, pgettext_lazy with a context, ngettext with a plural.
    assert (None, "Piece rate (per approved item)") in messages
    # Templates: {% translate %}, {% translate … context %}, {% blocktranslate count … %}.
    assert (None, "Take today at your own pace.") in messages
    assert ("check-in", "Reply") in messages
    plural = messages[None, "%(count)s check-in today"]
    assert plural.plural == "%(count)s check-ins today"
    assert plural.where.startswith("templates/workshop/console_home.html:")
    assert len(messages) > 1000


def test_every_translatable_string_has_japanese():
    catalog = japanese_catalog()
    missing = sorted(
        f"{m.where}: {m.msgid!r}" + (f" (context {m.context!r})" if m.context else "")
        for m in extract_messages()
        if not has_japanese(m, catalog)
    )

    assert not missing, (
        f"{len(missing)} strings have no Japanese. Add each to the owning app's "
        "locale/ja/LC_MESSAGES/django.po (at the end of the file):\n" + "\n".join(missing)
    )


def admin_names() -> list[tuple[str, str]]:
    """(where, Japanese) for every name the admin can show for the project's models: the app,
    each model (singular and plural), each field and each choice."""
    names = []
    with translation.override("ja"):
        for app in ("workshop", "companies", "jobs", "participants", "network"):
            config = apps.get_app_config(app)
            names.append((app, str(config.verbose_name)))
            for model in config.get_models():
                meta = model._meta
                names.append((meta.label, str(meta.verbose_name)))
                names.append((f"{meta.label} (plural)", str(meta.verbose_name_plural)))
                for field in meta.get_fields():
                    if field.auto_created and not field.concrete:
                        continue  # reverse relations are named by the other side
                    names.append((f"{meta.label}.{field.name}", str(field.verbose_name)))
                    for value, label in field.flatchoices or ():
                        if value not in ("", None):
                            names.append((f"{meta.label}.{field.name}={value}", str(label)))
    return names


def test_every_model_field_and_choice_has_a_japanese_name_for_the_admin():
    english = [
        f"{where}: {name!r}"
        for where, name in admin_names()
        if not JAPANESE.search(name) and name not in SAME_IN_JAPANESE
    ]

    assert not english, (
        "The admin would show these in English. Give each a verbose_name (or choice label) "
        "with gettext_lazy and add the Japanese:\n" + "\n".join(english)
    )


# --- no test compares against an English sentence -------------------------------------------


def english_sentences() -> set[str]:
    """The project's translatable strings that read as English text (two words or more)."""
    return {
        text
        for m in extract_messages()
        for text in (m.msgid, m.plural)
        if text and re.search(r"[A-Za-z]{2,}\W+[A-Za-z]{2,}", text)
    }


# Calls whose string arguments are message ids, not expected text: `ja("…")` is the way.
LOOKUPS = {
    "ja",
    "ja_html",
    "ja_plural",
    "ja_around",
    "en",
    "msgid",
    "gettext",
    "pgettext",
    "ngettext",
    "npgettext",
    "_",
}


def _literals_in_asserts(tree: ast.AST):
    """Every string constant inside an assert statement, a pytest.raises(match=…) or a
    parametrize, except the message ids handed to a translation lookup."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Assert):
            looked_up = {
                id(arg)
                for call in ast.walk(node.test)
                if isinstance(call, ast.Call)
                and getattr(call.func, "id", getattr(call.func, "attr", None)) in LOOKUPS
                for arg in call.args
            }
            for inner in ast.walk(node.test):
                if (
                    isinstance(inner, ast.Constant)
                    and isinstance(inner.value, str)
                    and id(inner) not in looked_up
                ):
                    yield inner
        elif isinstance(node, ast.Call) and getattr(node.func, "attr", "") == "raises":
            for keyword in node.keywords:
                if keyword.arg == "match" and isinstance(keyword.value, ast.Constant):
                    yield keyword.value
        elif isinstance(node, ast.Call) and getattr(node.func, "attr", "") == "parametrize":
            # Expected texts handed to a test as parameters (not the ids), asserted there; a
            # message id to look up is marked msgid("…").
            looked_up = {
                id(arg)
                for call in ast.walk(node)
                if isinstance(call, ast.Call) and getattr(call.func, "id", None) in LOOKUPS
                for arg in call.args
            }
            for argument in node.args:
                for inner in ast.walk(argument):
                    if (
                        isinstance(inner, ast.Constant)
                        and isinstance(inner.value, str)
                        and id(inner) not in looked_up
                    ):
                        yield inner


def _is_part_of_a_sentence(literal: str, sentences: set[str]) -> bool:
    # Each run of English in the literal is compared (a file name or Japanese around it does
    # not hide it), and fragments of placeholder sentences count too ("Recorded so far: 10" of
    # "Recorded so far: %(done)s"): the words between the placeholders are compared.
    for run in re.findall(r"[ -~]+", html.unescape(literal)):
        words = run.strip(" .,:;!?")
        if len(words) < 8 or not re.search(r"[A-Za-z]{2,} [A-Za-z]{2,}", words):
            continue
        for sentence in sentences:
            for piece in re.split(r"%\(\w+\)[sd]|%[sd]|\{\w*\}", sentence):
                piece = piece.strip(" .,:;!?\n")
                if len(piece) >= 8 and (words in piece or (piece in words and " " in piece)):
                    return True
    return False


def test_no_test_asserts_an_english_sentence_of_the_ui():
    sentences = english_sentences()
    offenders = []
    for path in sorted(TESTS.rglob("test_*.py")):
        if "node_modules" in path.parts or path == Path(__file__):
            continue  # this file names message ids on purpose
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for literal in _literals_in_asserts(tree):
            if _is_part_of_a_sentence(literal.value, sentences):
                where = f"{Path(path).relative_to(BASE_DIR)}:{literal.lineno}"
                offenders.append(f"{where}: {literal.value[:70]!r}")

    assert not offenders, (
        "These tests compare against English text of the UI. Compare against the rule's code, "
        "or against tests.i18n.ja(...) (which also fails when the Japanese is missing):\n"
        + "\n".join(offenders)
    )
