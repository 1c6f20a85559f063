"""Message catalogs: Babel compiles them as Django reads them, what msgfmt would refuse is
refused, Japanese stays complete, and the pages come out in the language asked for."""

import gettext
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.utils import translation

from tests import factories
from workshop.catalogs import (
    CatalogError,
    compile_all,
    compile_catalog,
    find_catalogs,
    mo_bytes,
    read_catalog,
)

SAMPLE_PO = r"""# Translations for a test.
msgid ""
msgstr ""
"Project-Id-Version: engawa-test\n"
"Content-Type: text/plain; charset=UTF-8\n"
"Plural-Forms: nplurals=1; plural=0;\n"

#: templates/participants/today.html:4
#, python-format
msgid "Hello, %(name)s"
msgstr "こんにちは、%(name)sさん"

msgctxt "verb"
msgid "Order"
msgstr "発注する"

msgid "Order"
msgstr "発注"

#, fuzzy
msgid "Take a break"
msgstr "休む（まだ確認中）"

msgid "Not translated yet"
msgstr ""

#, python-format
msgid "%(counter)s unit"
msgid_plural "%(counter)s units"
msgstr[0] "%(counter)s件の作業"

msgctxt "files"
msgid "one file"
msgid_plural "%(count)s files"
msgstr[0] "%(count)s個の"
"ファイル"

msgid ""
"Two lines\n"
"with \"quotes\", a \\ backslash and a\ttab"
msgstr ""
"二行\n"
"「引用」と \\ と\tタブ"

#~ msgid "Old message"
#~ msgstr "古いメッセージ"
"""


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def compiled(tmp_path: Path, text: str = SAMPLE_PO) -> gettext.GNUTranslations:
    po = write(tmp_path / "django.po", text)
    compile_catalog(po)
    with po.with_suffix(".mo").open("rb") as file:
        return gettext.GNUTranslations(file)


def test_it_round_trips_through_python_gettext(tmp_path):
    catalog = compiled(tmp_path)

    assert catalog.gettext("Hello, %(name)s") % {"name": "そら"} == "こんにちは、そらさん"
    assert catalog.gettext("Order") == "発注"
    assert catalog.pgettext("verb", "Order") == "発注する"
    assert catalog.ngettext("%(counter)s unit", "%(counter)s units", 5) == "%(counter)s件の作業"
    assert catalog.npgettext("files", "one file", "%(count)s files", 2) == "%(count)s個のファイル"
    assert (
        catalog.gettext('Two lines\nwith "quotes", a \\ backslash and a\ttab')
        == "二行\n「引用」と \\ と\tタブ"
    )
    assert catalog.info()["plural-forms"] == "nplurals=1; plural=0;"


def test_it_leaves_out_fuzzy_untranslated_and_obsolete_entries(tmp_path):
    catalog = compiled(tmp_path)

    assert catalog.gettext("Take a break") == "Take a break"
    assert catalog.gettext("Not translated yet") == "Not translated yet"
    assert catalog.gettext("Old message") == "Old message"


def test_it_keeps_a_fuzzy_header_as_msgfmt_does(tmp_path):
    catalog = compiled(tmp_path, SAMPLE_PO.replace("# Translations for a test.\n", "#, fuzzy\n"))

    assert catalog.info()["project-id-version"] == "engawa-test"
    assert catalog.gettext("Order") == "発注"


@pytest.mark.parametrize(
    ("text", "complaint"),
    [
        (
            '#, python-format\nmsgid "Hello, %(name)s"\nmsgstr "こんにちは、%(nickname)sさん"\n',
            "nickname",
        ),
        ('msgid "%(n)s items"\nmsgstr "%(n)d件"\n', "not compatible"),
        ('msgid "%s and %s"\nmsgstr "%s"\n', "unbalanced"),
        # A union merge of two branches that both added the same message makes this.
        ('msgid "Order"\nmsgstr "発注"\n\nmsgid "Order"\nmsgstr "注文"\n', "duplicate"),
        (
            'msgctxt "verb"\nmsgid "Order"\nmsgstr "a"\n\n'
            'msgctxt "verb"\nmsgid "Order"\nmsgstr "b"\n',
            "duplicate",
        ),
        ('msgid "Order"\n', "missing msgstr"),
        ('msgid "Order"\nmsgstrr "発注"\n', "misformatted keyword"),
        ('msgid "a"\nmsgid_plural "as"\nmsgstr[0] "x"\nmsgstr[1] "y"\n', "num_plurals"),
    ],
)
def test_it_refuses_what_msgfmt_refuses_naming_file_and_line(tmp_path, text, complaint):
    header = 'msgid ""\nmsgstr "Plural-Forms: nplurals=1; plural=0;\\n"\n\n'
    po = write(tmp_path / "django.po", header + text)

    with pytest.raises(CatalogError, match=re.escape(complaint)) as error:
        compile_catalog(po)
    assert re.search(rf"{re.escape(str(po))}:[4-9]: ", str(error.value)), error.value
    assert not po.with_suffix(".mo").exists()


def test_it_rewrites_a_catalog_only_when_it_changed(tmp_path):
    po = write(tmp_path / "django.po", SAMPLE_PO)

    assert compile_catalog(po) is True
    assert compile_catalog(po) is False
    write(po, SAMPLE_PO.replace("発注する", "注文する"))
    assert compile_catalog(po) is True


def test_it_finds_the_project_catalogs_but_not_hidden_folders(tmp_path):
    top = write(tmp_path / "locale/ja/LC_MESSAGES/django.po", SAMPLE_PO)
    app = write(tmp_path / "jobs/locale/ja/LC_MESSAGES/django.po", SAMPLE_PO)
    write(tmp_path / ".venv/locale/ja/LC_MESSAGES/django.po", SAMPLE_PO)
    write(tmp_path / "jobs/locale/ja/LC_MESSAGES/notes.txt", "not a catalog")

    assert find_catalogs(tmp_path) == [app, top]
    assert [changed for _, changed in compile_all(tmp_path)] == [True, True]
    assert app.with_suffix(".mo").exists()
    assert not (tmp_path / ".venv/locale/ja/LC_MESSAGES/django.mo").exists()


def test_the_command_compiles_every_project_catalog():
    call_command("compilecatalogs", verbosity=0)

    for po in find_catalogs():
        assert po.with_suffix(".mo").read_bytes() == mo_bytes(read_catalog(po))


# --- the project's own catalogs ---------------------------------------------------------------


def japanese_catalogs() -> list[tuple[Path, list]]:
    """(path, live messages without the header) of every Japanese catalog of the project."""
    found = []
    for po in find_catalogs():
        if po.parent.parent.name == "ja":
            found.append((po, [m for m in read_catalog(po) if m.id]))
    return found


def forms(message) -> tuple[str, ...]:
    return message.string if isinstance(message.string, tuple) else (message.string,)


def singular(message) -> str:
    return message.id[0] if message.pluralizable else message.id


def test_japanese_catalogs_exist_for_the_project():
    assert japanese_catalogs(), "Japanese is the default language: add locale/ja catalogs."


def test_every_japanese_entry_is_translated_and_none_is_fuzzy():
    problems = []
    for path, messages in japanese_catalogs():
        for message in messages:
            where = f"{path}:{message.lineno}: {singular(message)[:60]!r}"
            if message.fuzzy:
                problems.append(f"{where} is fuzzy")
            if not all(forms(message)):
                problems.append(f"{where} has no Japanese")

    assert not problems, "Japanese must stay complete:\n" + "\n".join(problems)


def test_no_english_string_has_two_different_japanese_translations():
    # Django merges every catalog into one: where two catalogs disagree, one silently wins for
    # both uses. Strings that mean different things need a context (pgettext) instead.
    seen: dict[tuple, tuple[Path, object]] = {}
    conflicts = []
    for path, messages in japanese_catalogs():
        for message in messages:
            key = (message.context, message.id)
            if key in seen and seen[key][1] != message.string:
                conflicts.append(f"{singular(message)[:60]!r}: {seen[key][0]} vs {path}")
            seen.setdefault(key, (path, message.string))

    assert not conflicts, "Translated twice, differently:\n" + "\n".join(conflicts)


def test_django_serves_every_japanese_entry_in_japanese_and_the_source_in_english():
    english_keys = {
        (message.context, message.id)
        for po in find_catalogs()
        if po.parent.parent.name == "en"
        for message in read_catalog(po)
        if message.id
    }
    untranslated_in_ja, translated_in_en = [], []
    for path, messages in japanese_catalogs():
        for message in messages:
            msgid, context = singular(message), message.context
            if message.pluralizable:

                def look_up(message=message, context=context):
                    if context is None:
                        return translation.ngettext(*message.id, 1)
                    return translation.npgettext(context, *message.id, 1)
            else:

                def look_up(msgid=msgid, context=context):
                    if context is None:
                        return translation.gettext(msgid)
                    return translation.pgettext(context, msgid)

            with translation.override("ja"):
                if look_up() == msgid and forms(message)[0] != msgid:
                    untranslated_in_ja.append(f"{path}:{message.lineno}: {msgid!r}")
            with translation.override("en"):
                key = (context, message.id)
                if look_up() != msgid and key not in english_keys:
                    translated_in_en.append(f"{path}:{message.lineno}: {msgid!r}")

    assert not untranslated_in_ja, "Not served in Japanese (is the .mo compiled?):\n" + "\n".join(
        untranslated_in_ja
    )
    assert not translated_in_en, "Not served as written in English:\n" + "\n".join(translated_in_en)


def page_in(client, language: str) -> str:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = client.get("/today/")
    assert response.status_code == 200
    return response.content.decode()


def greeting(html: str) -> str:
    match = re.search(r"<h1[^>]*>(.*?)</h1>", html, re.S)
    assert match, "the page has no <h1>"
    return re.sub(r"<[^>]+>", "", match.group(1)).strip()


def test_the_participant_page_greets_in_japanese_by_default_and_in_english_on_request(db, client):
    participant = factories.ParticipantFactory(nickname="そら")
    client.force_login(participant.user)

    default = client.get("/today/").content.decode()
    japanese = page_in(client, "ja")
    english = page_in(client, "en")

    assert '<html lang="ja">' in default
    assert greeting(default) == greeting(japanese)
    assert "そら" in greeting(japanese)
    assert not re.search(r"[A-Za-z]", greeting(japanese)), greeting(japanese)
    assert '<html lang="en">' in english
    assert greeting(english) == "Hello, そら"
