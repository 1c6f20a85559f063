"""Message catalogs without GNU gettext: Babel (`babel.messages`) reads the project's .po files
and writes the .mo files Django loads. `manage.py compilecatalogs` runs it; `make install` and
the test settings call it, so a fresh machine needs no msgfmt.

Babel does the reading and writing; this module adds what msgfmt would refuse and Babel lets
through: a duplicate entry (Babel keeps the last one silently, and a union merge of two branches
can make one) and translations whose placeholders the code would not fill."""

import io
import os
import tempfile
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import PoFileError, PoFileParser

BASE_DIR = Path(__file__).resolve().parent.parent


class CatalogError(Exception):
    """A .po file that msgfmt would refuse too; the message names the file and the line."""


class _Parser(PoFileParser):
    """Babel's parser, refusing a second entry for the same (context, msgid)."""

    def __init__(self, catalog: Catalog, path: Path) -> None:
        super().__init__(catalog, ignore_obsolete=True, abort_invalid=True)
        self.path = path
        self.seen: dict[tuple[str | None, str], int] = {}

    def _add_message(self) -> None:
        if not self.obsolete and self.messages:
            msgid = self.messages[0].denormalize()
            context = self.context.denormalize() if self.context else None
            line = self.offset + 1
            if (context, msgid) in self.seen:
                raise CatalogError(
                    f"{self.path}:{line}: duplicate of the entry at line "
                    f"{self.seen[context, msgid]} ({msgid[:40]!r})."
                )
            self.seen[context, msgid] = line
        super()._add_message()


def read_catalog(po_path: Path) -> Catalog:
    """A .po file as a Babel catalog. Raises CatalogError, naming the file and line, for
    anything msgfmt would refuse: bad syntax, duplicates, wrong placeholders."""
    po_path = Path(po_path)
    catalog = Catalog()
    parser = _Parser(catalog, po_path)
    try:
        with po_path.open("rb") as file:
            parser.parse(file)
    except PoFileError as error:
        # Babel counts lines from 0 and appends " on <line>" to its message.
        reason = str(error).rsplit(" on ", 1)[0]
        raise CatalogError(f"{po_path}:{error.lineno + 1}: {reason}.") from None
    except UnicodeDecodeError as error:
        raise CatalogError(f"{po_path}: not valid {catalog.charset}: {error}") from None
    for message, errors in catalog.check():
        if message.fuzzy:
            continue  # left out of the .mo anyway
        raise CatalogError(
            f"{po_path}:{message.lineno}: {'; '.join(str(e) for e in errors)} "
            f"({str(message.id)[:40]!r})."
        )
    return catalog


def mo_bytes(catalog: Catalog) -> bytes:
    """The .mo image: the header and every translated, non-fuzzy message."""
    buffer = io.BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    return buffer.getvalue()


def compile_catalog(po_path: Path, mo_path: Path | None = None) -> bool:
    """Write the .mo beside the .po. Returns whether the file changed; an unchanged file is left
    untouched so the development server does not reload for nothing."""
    po_path = Path(po_path)
    mo_path = Path(mo_path) if mo_path else po_path.with_suffix(".mo")
    data = mo_bytes(read_catalog(po_path))
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
