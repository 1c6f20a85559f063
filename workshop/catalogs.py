"""Message catalogs without GNU gettext: reads the project's .po files and writes the .mo files
Django loads, in pure Python, with msgfmt's rules (fuzzy and untranslated entries are left out,
the header is kept, format placeholders are checked). `manage.py compilecatalogs` runs it."""

import os
import re
import struct
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent

MO_MAGIC = 0x950412DE
CONTEXT_SEPARATOR = b"\x04"

_KEYWORD = re.compile(rb"^(msgctxt|msgid_plural|msgid|msgstr(?:\[(\d+)\])?)\s+(\".*)$")
_ESCAPE = re.compile(rb"\\(x[0-9a-fA-F]{1,2}|[0-7]{1,3}|.)")
_SIMPLE_ESCAPES = {
    b"n": b"\n",
    b"t": b"\t",
    b"r": b"\r",
    b"a": b"\a",
    b"b": b"\b",
    b"f": b"\f",
    b"v": b"\v",
    b"\\": b"\\",
    b'"': b'"',
    b"'": b"'",
    b"?": b"?",
}
_PYTHON_FORMAT = re.compile(
    r"%(?:\((?P<name>[^)]*)\))?[#0\- +]*(?:\*|\d+)?(?:\.(?:\*|\d+))?[hlL]?"
    r"(?P<conversion>[diouxXeEfFgGcrsa%])"
)
_BRACE_FORMAT = re.compile(r"(?<!\{)\{(?P<name>[^{}!:]*)(?:![rsa])?(?::[^{}]*)?\}(?!\})")


class CatalogError(Exception):
    """A .po file that msgfmt would refuse too; the message names the file and the line."""


@dataclass
class Entry:
    """One message of a .po file, with its strings as raw bytes in the file's charset."""

    line: int
    msgctxt: bytes | None = None
    msgid: bytes | None = None
    msgid_plural: bytes | None = None
    msgstr: dict[int, bytes] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)
    obsolete: bool = False

    @property
    def is_header(self) -> bool:
        return self.msgid == b"" and self.msgctxt is None

    @property
    def is_fuzzy(self) -> bool:
        return "fuzzy" in self.flags

    @property
    def forms(self) -> list[bytes]:
        return [self.msgstr[i] for i in sorted(self.msgstr)]

    @property
    def is_translated(self) -> bool:
        """msgfmt's rule: translated when the first form is filled in. (The catalog tests ask
        more of Japanese: every form filled in.)"""
        return bool(self.msgstr.get(0))

    def key(self) -> bytes:
        key = self.msgid or b""
        if self.msgctxt is not None:
            key = self.msgctxt + CONTEXT_SEPARATOR + key
        if self.msgid_plural is not None:
            key += b"\0" + self.msgid_plural
        return key


@dataclass
class Catalog:
    path: Path
    charset: str
    entries: list[Entry]

    @property
    def header(self) -> Entry | None:
        return next((e for e in self.entries if e.is_header and not e.obsolete), None)

    @property
    def messages(self) -> list[Entry]:
        """The live messages, header excluded; obsolete (#~) entries are history, not messages."""
        return [e for e in self.entries if not e.obsolete and not e.is_header]

    def text(self, value: bytes) -> str:
        return value.decode(self.charset)


def unescape(literal: bytes, where: str) -> bytes:
    """The bytes of one C-style string literal, quotes included."""
    if len(literal) < 2 or not literal.startswith(b'"') or not literal.endswith(b'"'):
        raise CatalogError(f"{where}: expected a string in double quotes.")
    body = literal[1:-1]
    if re.search(rb'(?<!\\)(?:\\\\)*"', body):
        raise CatalogError(f"{where}: unescaped double quote inside a string.")
    if body.endswith(b"\\") and not body.endswith(b"\\\\"):
        raise CatalogError(f"{where}: string ends with a lone backslash.")

    def replace(match: re.Match) -> bytes:
        code = match.group(1)
        if code[:1] == b"x":
            return bytes([int(code[1:], 16)])
        if code[:1].isdigit():
            return bytes([int(code, 8) & 0xFF])
        if code in _SIMPLE_ESCAPES:
            return _SIMPLE_ESCAPES[code]
        raise CatalogError(f"{where}: invalid escape \\{code.decode(errors='replace')}.")

    return _ESCAPE.sub(replace, body)


def parse_po(path: Path) -> Catalog:
    """Read a .po file. Raises CatalogError for anything msgfmt would refuse."""
    path = Path(path)
    raw = path.read_bytes()
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    entries: list[Entry] = []
    entry: Entry | None = None
    section: str | None = None  # the keyword a continuation line belongs to

    def finish() -> None:
        nonlocal entry, section
        if entry is not None and entry.msgid is not None:
            if not entry.msgstr:
                raise CatalogError(f"{path}:{entry.line}: msgid without msgstr.")
            entries.append(entry)
        elif entry is not None and (entry.msgctxt is not None or entry.msgstr):
            raise CatalogError(f"{path}:{entry.line}: entry without msgid.")
        entry, section = None, None

    for number, raw_line in enumerate(raw.splitlines(), start=1):
        where = f"{path}:{number}"
        line = raw_line.strip()
        obsolete = False
        if line.startswith(b"#~"):
            if line.startswith(b"#~|"):
                continue  # previous msgid of an obsolete entry
            obsolete = True
            line = line[2:].strip()
        elif line.startswith(b"#"):
            if entry is not None and entry.msgstr:
                finish()
            if line.startswith(b"#,"):
                if entry is None:
                    entry = Entry(line=number)
                entry.flags.update(
                    flag.strip().decode("ascii", "replace") for flag in line[2:].split(b",")
                )
            continue
        if not line:
            if entry is not None and entry.msgstr:
                finish()
            continue

        if line.startswith(b'"'):
            if entry is None or section is None:
                raise CatalogError(f"{where}: string continuation without a keyword before it.")
            value = unescape(line, where)
            if section == "msgctxt":
                entry.msgctxt += value
            elif section == "msgid":
                entry.msgid += value
            elif section == "msgid_plural":
                entry.msgid_plural += value
            else:
                index = int(section.split(":")[1])
                entry.msgstr[index] += value
            continue

        match = _KEYWORD.match(line)
        if match is None:
            raise CatalogError(f"{where}: cannot read {line[:40]!r}.")
        keyword, index, literal = match.group(1), match.group(2), match.group(3)
        value = unescape(literal, where)
        if keyword in (b"msgctxt", b"msgid"):
            if entry is not None and (entry.msgid is not None or entry.msgstr):
                finish()
            if entry is None:
                entry = Entry(line=number)
            if keyword == b"msgctxt":
                if entry.msgctxt is not None:
                    raise CatalogError(f"{where}: second msgctxt in one entry.")
                entry.msgctxt, section = value, "msgctxt"
            else:
                entry.msgid, section = value, "msgid"
        elif entry is None or entry.msgid is None:
            raise CatalogError(f"{where}: {keyword.decode()} before msgid.")
        elif keyword == b"msgid_plural":
            if entry.msgstr or entry.msgid_plural is not None:
                raise CatalogError(f"{where}: msgid_plural out of place.")
            entry.msgid_plural, section = value, "msgid_plural"
        else:
            position = int(index) if index is not None else None
            if (position is None) != (entry.msgid_plural is None):
                raise CatalogError(
                    f"{where}: use msgstr[N] exactly when the entry has msgid_plural."
                )
            position = position or 0
            if position in entry.msgstr:
                raise CatalogError(f"{where}: msgstr[{position}] given twice.")
            entry.msgstr[position], section = value, f"msgstr:{position}"
        entry.obsolete = entry.obsolete or obsolete
    finish()

    catalog = Catalog(path=path, charset="utf-8", entries=entries)
    header = catalog.header
    if header is not None:
        charset = _header_field(header.msgstr.get(0, b""), b"Content-Type")
        match = re.search(rb"charset=([A-Za-z0-9_.:-]+)", charset or b"")
        if match and match.group(1).upper() != b"CHARSET":
            catalog.charset = match.group(1).decode("ascii").lower()
    try:
        raw.decode(catalog.charset)
    except (LookupError, UnicodeDecodeError) as error:
        raise CatalogError(f"{path}: not valid {catalog.charset}: {error}") from None
    _check(catalog)
    return catalog


def _header_field(header: bytes, name: bytes) -> bytes | None:
    for line in header.split(b"\n"):
        key, _, value = line.partition(b":")
        if key.strip().lower() == name.lower():
            return value.strip()
    return None


def nplurals(catalog: Catalog) -> int | None:
    header = catalog.header
    if header is None:
        return None
    plural_forms = _header_field(header.msgstr.get(0, b""), b"Plural-Forms") or b""
    match = re.search(rb"nplurals\s*=\s*(\d+)", plural_forms)
    return int(match.group(1)) if match else None


def _placeholders(pattern: re.Pattern, text: str) -> tuple[set[str], int]:
    names, unnamed = set(), 0
    for match in pattern.finditer(text):
        if match.groupdict().get("conversion") == "%":
            continue
        name = match.group("name")
        if name:
            names.add(name)
        else:
            unnamed += 1
    return names, unnamed


def _check(catalog: Catalog) -> None:
    """What `msgfmt --check` refuses: duplicates, wrong plural counts, and translations whose
    placeholders the code would not fill (a KeyError at render time)."""
    seen: dict[bytes, int] = {}
    expected_forms = nplurals(catalog)
    for entry in catalog.entries:
        if entry.obsolete:
            continue
        where = f"{catalog.path}:{entry.line}"
        key = (entry.msgctxt or b"") + CONTEXT_SEPARATOR + (entry.msgid or b"")
        if key in seen:
            raise CatalogError(f"{where}: duplicate of the entry at line {seen[key]}.")
        seen[key] = entry.line
        if entry.msgid_plural is not None:
            if sorted(entry.msgstr) != list(range(len(entry.msgstr))):
                raise CatalogError(f"{where}: plural forms must be numbered 0, 1, …")
            if (
                expected_forms is not None
                and entry.is_translated
                and len(entry.msgstr) != expected_forms
            ):
                raise CatalogError(
                    f"{where}: {len(entry.msgstr)} plural forms, but the header's "
                    f"Plural-Forms says nplurals={expected_forms}."
                )
        if not entry.is_translated or entry.is_fuzzy:
            continue
        for flag, pattern in (
            ("python-format", _PYTHON_FORMAT),
            ("python-brace-format", _BRACE_FORMAT),
        ):
            if flag not in entry.flags:
                continue
            source = (
                catalog.text(entry.msgid or b"") + "\n" + catalog.text(entry.msgid_plural or b"")
            )
            names, unnamed = _placeholders(pattern, source)
            for form in entry.forms:
                form_names, form_unnamed = _placeholders(pattern, catalog.text(form))
                unknown = form_names - names
                if unknown:
                    raise CatalogError(
                        f"{where}: the translation uses {', '.join(sorted(unknown))}, "
                        "which the source text does not have."
                    )
                if not names and entry.msgid_plural is None and form_unnamed != unnamed:
                    raise CatalogError(
                        f"{where}: the translation has {form_unnamed} placeholders, "
                        f"the source text {unnamed}."
                    )


def mo_bytes(catalog: Catalog) -> bytes:
    """The .mo image of a catalog: the header and every translated, non-fuzzy message, sorted
    by key, with no hash table (as `msgfmt --no-hash`; GNU and Python readers don't need one)."""
    messages: dict[bytes, bytes] = {}
    for entry in catalog.entries:
        if entry.obsolete or not entry.is_translated:
            continue
        if entry.is_fuzzy and not entry.is_header:
            continue
        messages[entry.key()] = b"\0".join(entry.forms)
    keys = sorted(messages)
    count = len(keys)
    originals_at = 7 * 4
    translations_at = originals_at + count * 8
    strings_at = translations_at + count * 8
    originals, translations, table = [], [], bytearray()
    for key in keys:
        originals.append((len(key), strings_at + len(table)))
        table += key + b"\0"
    for key in keys:
        value = messages[key]
        translations.append((len(value), strings_at + len(table)))
        table += value + b"\0"
    # Hash table: size 0, placed where msgfmt --no-hash places it (after the two tables).
    out = bytearray(
        struct.pack("<7I", MO_MAGIC, 0, count, originals_at, translations_at, 0, strings_at)
    )
    for length, offset in originals + translations:
        out += struct.pack("<2I", length, offset)
    return bytes(out + table)


def compile_catalog(po_path: Path, mo_path: Path | None = None) -> bool:
    """Write the .mo beside the .po. Returns whether the file changed; an unchanged file is left
    untouched so the development server does not reload for nothing."""
    po_path = Path(po_path)
    mo_path = Path(mo_path) if mo_path else po_path.with_suffix(".mo")
    data = mo_bytes(parse_po(po_path))
    if mo_path.exists() and mo_path.read_bytes() == data:
        return False
    # Write then rename, so a server reading the catalog never sees half a file.
    handle, temporary = tempfile.mkstemp(dir=mo_path.parent, prefix=".", suffix=".mo.tmp")
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(data)
        os.chmod(temporary, 0o644)
        os.replace(temporary, mo_path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return True


def find_catalogs(base_dir: Path = BASE_DIR) -> list[Path]:
    """Every .po of the project: locale/ at the top and <app>/locale/, never .venv's."""
    base_dir = Path(base_dir)
    found = set(base_dir.glob("locale/*/LC_MESSAGES/*.po"))
    found.update(base_dir.glob("*/locale/*/LC_MESSAGES/*.po"))
    return sorted(p for p in found if not p.relative_to(base_dir).parts[0].startswith("."))


def compile_all(base_dir: Path = BASE_DIR) -> list[tuple[Path, bool]]:
    """Compile every catalog of the project; returns (path, changed) for each."""
    return [(po, compile_catalog(po)) for po in find_catalogs(base_dir)]
