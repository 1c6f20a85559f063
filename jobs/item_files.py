"""Reading the files of digital work's items (jobs/items.py imports them): a CSV in UTF-8 (with
or without BOM) or Shift_JIS/CP932, or a ZIP of images. Each reader either checks the whole file
(`check_only`: the header, how many rows, the encoding) or yields the items' rows one at a time,
so memory does not grow with the file. A file that cannot be read raises ImportRefused with one
message naming the row and the column at fault."""

import codecs
import csv
import io
import posixpath
import struct
import zipfile
import zlib
from collections.abc import Iterator

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils.translation import gettext as _

from jobs.digital_models import DigitalWork, ItemImport
from jobs.photos import MAX_PHOTO_BYTES, PhotoRefused, clean_photo
from workshop.rules import RuleError

# Limits of one file (docs/security.md lists them).
MAX_IMPORT_ROWS = 100_000  # data rows of one CSV
MAX_COLUMNS = 50
COLUMN_NAME_LENGTH = 100
CELL_LENGTH = 2000
MAX_ZIP_ENTRIES = 1000
MAX_ZIP_TOTAL_BYTES = 500 * 1024 * 1024  # all entries, uncompressed
MAX_ZIP_RATIO = 100  # an entry that grows more than 100-fold is a bomb, not a picture
IMAGE_EXTENSIONS = {".jpg", ".jpeg", ".png", ".gif", ".webp", ".bmp", ".tif", ".tiff"}
IMAGE_COLUMN = "file"
# What a damaged, encrypted or exotic archive raises when opened or unpacked.
UNREADABLE_ZIP = (
    zipfile.BadZipFile,
    zipfile.LargeZipFile,
    OSError,
    EOFError,
    ValueError,
    RuntimeError,  # an encrypted entry
    NotImplementedError,  # a compression method Python does not have
    struct.error,
    zlib.error,
)


class ImportRefused(RuleError):
    """A file that cannot be imported: the message names the row and the column at fault."""

    def __init__(self, message: str, code: str, *, row: int | None = None, column: str = ""):
        super().__init__(message, code=code)
        self.row = row
        self.column = column


# --- CSV ---------------------------------------------------------------------------------------


def _open(record: ItemImport):
    return default_storage.open(record.file.name, "rb")


def _detect_encoding(record: ItemImport) -> str:
    """utf-8-sig (with BOM), utf-8, or cp932: the first that decodes the whole file. When none
    does, the refusal names the row where the decoding that got further stopped."""
    with _open(record) as raw:
        head = raw.read(3)
    candidates = ["utf-8-sig"] if head == codecs.BOM_UTF8 else ["utf-8", "cp932"]
    furthest = (0, 0)
    for encoding in candidates:
        decoder = codecs.getincrementaldecoder(encoding)()
        row, position, chunk = 1, 0, b""
        try:
            with _open(record) as raw:
                while chunk := raw.read(64 * 1024):
                    row += decoder.decode(chunk).count("\n")
                    position += len(chunk)
                decoder.decode(b"", final=True)
            return encoding
        except UnicodeDecodeError as error:
            failed_row = row + chunk[: max(0, error.start)].count(b"\n")
            if (position + max(0, error.start), failed_row) > furthest:
                furthest = (position + max(0, error.start), failed_row)
    raise ImportRefused(
        _("Row %(row)s: the file is neither UTF-8 nor Shift_JIS. Please save it as CSV (UTF-8).")
        % {"row": furthest[1]},
        "import_encoding",
        row=furthest[1],
    )


def _column_name(header: list[str] | None, index: int) -> str:
    if header and index < len(header) and header[index]:
        return header[index]
    return _("column %(number)s") % {"number": index + 1}


def _refuse_at(code: str, problem: str, *, row: int, column: str = "") -> ImportRefused:
    if column:
        message = _("Row %(row)s, %(column)s: %(problem)s") % {
            "row": row,
            "column": column,
            "problem": problem,
        }
    else:
        message = _("Row %(row)s: %(problem)s") % {"row": row, "problem": problem}
    return ImportRefused(message, code, row=row, column=column)


def read_csv(record: ItemImport, *, check_only: bool):
    """check_only: (header, data rows, encoding) after checking every row; otherwise an
    iterator of {column: text}, one per data row."""
    encoding = record.encoding or _detect_encoding(record)
    if check_only:
        return _check_csv(record, encoding)
    return _csv_rows(record, encoding)


def _csv_reader(raw, encoding: str) -> Iterator[list[str]]:
    text = io.TextIOWrapper(raw, encoding=encoding, newline="")
    return csv.reader(text, strict=True)


def _check_csv(record: ItemImport, encoding: str) -> tuple[list[str], int, str]:
    existing = DigitalWork.objects.filter(order_id=record.order_id).values_list(
        "columns", flat=True
    )
    existing = existing.first() or []
    header: list[str] | None = None
    count = 0
    with _open(record) as raw:
        rows = _csv_reader(raw, encoding)
        line = 0
        while True:
            line += 1
            try:
                row = next(rows)
            except StopIteration:
                break
            except csv.Error:
                raise _refuse_at(
                    "import_csv_broken",
                    _("this row cannot be read as CSV (a quote is not closed?)."),
                    row=line,
                ) from None
            if header is None:
                header = _check_header(row, existing)
                continue
            if not any(cell.strip() for cell in row):
                continue  # blank lines are skipped
            count += 1
            if count > MAX_IMPORT_ROWS:
                raise _refuse_at(
                    "import_too_many_rows",
                    _("a file can have at most %(count)s rows of items; please split it.")
                    % {"count": f"{MAX_IMPORT_ROWS:,}"},
                    row=line,
                )
            if len(row) != len(header):
                at = min(len(row), len(header))
                raise _refuse_at(
                    "import_column_count",
                    _("this row has %(got)s columns, the header %(want)s.")
                    % {"got": len(row), "want": len(header)},
                    row=line,
                    column=_column_name(header, at),
                )
            for index, cell in enumerate(row):
                if len(cell) > CELL_LENGTH:
                    raise _refuse_at(
                        "import_cell_too_long",
                        _("a cell can hold at most %(count)s characters.")
                        % {"count": f"{CELL_LENGTH:,}"},
                        row=line,
                        column=_column_name(header, index),
                    )
    if header is None:
        raise _refuse_at("import_empty", _("the file is empty."), row=1)
    if count == 0:
        raise _refuse_at("import_no_rows", _("there are no items below the header."), row=2)
    return header, count, encoding


def _check_header(row: list[str], existing: list[str]) -> list[str]:
    header = [cell.strip() for cell in row]
    if not any(header):
        raise _refuse_at("import_empty", _("the first row must name the columns."), row=1)
    if len(header) > MAX_COLUMNS:
        raise _refuse_at(
            "import_too_many_columns",
            _("a file can have at most %(count)s columns.") % {"count": MAX_COLUMNS},
            row=1,
            column=_column_name(None, MAX_COLUMNS),
        )
    seen = set()
    for index, name in enumerate(header):
        if not name:
            raise _refuse_at(
                "import_header_missing",
                _("the first row must name every column; this one has no name."),
                row=1,
                column=_column_name(None, index),
            )
        if len(name) > COLUMN_NAME_LENGTH:
            raise _refuse_at(
                "import_header_missing",
                _("a column's name can have at most %(count)s characters.")
                % {"count": COLUMN_NAME_LENGTH},
                row=1,
                column=_column_name(None, index),
            )
        if name in seen:
            raise _refuse_at(
                "import_header_repeated",
                _("this column's name is used twice."),
                row=1,
                column=name,
            )
        seen.add(name)
    if existing and header != existing:
        index = next(
            (i for i, name in enumerate(header) if i >= len(existing) or existing[i] != name),
            len(header),
        )
        raise _refuse_at(
            "import_columns_differ",
            _("the columns must be the same as in the items already imported (%(columns)s).")
            % {"columns": ", ".join(existing[:10])},
            row=1,
            column=_column_name(header, index),
        )
    return header


def _csv_rows(record: ItemImport, encoding: str) -> Iterator[dict]:
    with _open(record) as raw:
        rows = _csv_reader(raw, encoding)
        header = [cell.strip() for cell in next(rows)]
        for row in rows:
            if any(cell.strip() for cell in row):
                yield dict(zip(header, row, strict=True))


# --- ZIP of images -------------------------------------------------------------------------------


# What an operating system adds to a ZIP by itself: a Mac's resource forks (__MACOSX/, ._name)
# and Finder settings, Windows' thumbnail caches. Skipped without a word: the company did not
# put them there, and refusing a ZIP for them would refuse most ZIPs made on a Mac.
SYSTEM_FILES = {".DS_Store", "Thumbs.db", "desktop.ini"}


def _is_system_file(name: str) -> bool:
    base = posixpath.basename(name)
    return name.startswith("__MACOSX/") or base.startswith("._") or base in SYSTEM_FILES


def _in_one_folder(names: list[str]) -> bool:
    """Every entry directly inside the same single folder: the ZIP a computer makes of a folder
    of pictures ("写真/a.jpg", "写真/b.jpg"). Accepted as if the pictures were at the top."""
    folders = {name.split("/", 1)[0] for name in names}
    return len(folders) == 1 and all(name.count("/") == 1 for name in names)


def shown_name(info: zipfile.ZipInfo) -> str:
    """An accepted entry's name without the one folder it may be in."""
    return posixpath.basename(info.filename)


def _zip_entries(record: ItemImport, archive: zipfile.ZipFile) -> list[zipfile.ZipInfo]:
    """The archive's image entries, in name order, checked from the central directory: at the
    top or all in one folder (no other folders or paths), no more than MAX_ZIP_ENTRIES, sizes
    and ratios that are pictures'. Files the computer added by itself are left out."""
    infos = [
        info
        for info in archive.infolist()
        if not info.is_dir() and not _is_system_file(info.filename)
    ]
    if len(infos) > MAX_ZIP_ENTRIES:
        raise _refuse_at(
            "import_zip_too_many",
            _("a ZIP can hold at most %(count)s images; please split it.")
            % {"count": f"{MAX_ZIP_ENTRIES:,}"},
            row=MAX_ZIP_ENTRIES + 1,
        )
    if not infos:
        raise _refuse_at("import_empty", _("the ZIP holds no images."), row=1)
    infos.sort(key=lambda info: info.filename)
    one_folder = _in_one_folder([info.filename for info in infos])
    total = 0
    for position, info in enumerate(infos, start=1):
        name = info.filename
        if (
            ("/" in name.strip("/") and not one_folder)
            or "\\" in name
            or name.startswith("/")
            or ".." in name.split("/")
            or posixpath.isabs(name)
            or ":" in name
        ):
            raise _refuse_at(
                "import_zip_path",
                _(
                    "images must be at the top of the ZIP or all in one folder, "
                    "not in folders within folders."
                ),
                row=position,
                column=name,
            )
        if posixpath.splitext(name.lower())[1] not in IMAGE_EXTENSIONS:
            raise _refuse_at(
                "import_zip_not_image",
                _("only images (JPEG, PNG, GIF, WebP) can be in the ZIP."),
                row=position,
                column=name,
            )
        total += info.file_size
        if (
            info.file_size > MAX_PHOTO_BYTES
            or total > MAX_ZIP_TOTAL_BYTES
            or info.file_size > MAX_ZIP_RATIO * max(info.compress_size, 1)
        ):
            raise _refuse_at(
                "import_zip_bomb",
                _("this entry unpacks to far more than a picture; the ZIP was not opened."),
                row=position,
                column=name,
            )
    return infos


def _read_entry(archive: zipfile.ZipFile, info: zipfile.ZipInfo, position: int) -> bytes:
    # The sizes in the directory may lie: never read more than a picture can be.
    with archive.open(info) as entry:
        data = entry.read(MAX_PHOTO_BYTES + 1)
    if len(data) > MAX_PHOTO_BYTES:
        raise _refuse_at(
            "import_zip_bomb",
            _("this entry unpacks to far more than a picture; the ZIP was not opened."),
            row=position,
            column=info.filename,
        )
    return data


def read_zip(record: ItemImport, *, check_only: bool):
    if check_only:
        return _check_zip(record)
    return _zip_images(record)


def _archive(record: ItemImport, raw) -> zipfile.ZipFile:
    try:
        return zipfile.ZipFile(raw)
    except UNREADABLE_ZIP:
        raise _refuse_at("import_zip_broken", _("the ZIP file cannot be opened."), row=1) from None


def _check_zip(record: ItemImport) -> tuple[list[str], int, str]:
    existing = DigitalWork.objects.filter(order_id=record.order_id).values_list(
        "columns", flat=True
    )
    if (existing.first() or [IMAGE_COLUMN]) != [IMAGE_COLUMN]:
        raise _refuse_at(
            "import_columns_differ",
            _("this order's items are rows of a CSV; images cannot be added to them."),
            row=1,
        )
    with _open(record) as raw, _archive(record, raw) as archive:
        infos = _zip_entries(record, archive)
        for position, info in enumerate(infos, start=1):
            try:
                clean_photo(_read_entry(archive, info, position))
            except PhotoRefused as refused:
                raise _refuse_at(
                    "import_zip_not_image", refused.message, row=position, column=info.filename
                ) from None
            except UNREADABLE_ZIP:
                raise _refuse_at(
                    "import_zip_broken",
                    _("this entry cannot be unpacked."),
                    row=position,
                    column=info.filename,
                ) from None
    return [IMAGE_COLUMN], len(infos), ""


def _zip_images(record: ItemImport) -> Iterator[ContentFile]:
    """Each image re-encoded (jobs/photos.py: no metadata, downscaled), one at a time."""
    with _open(record) as raw, _archive(record, raw) as archive:
        for position, info in enumerate(_zip_entries(record, archive), start=1):
            picture = clean_photo(_read_entry(archive, info, position))
            picture.original_name = shown_name(info)[:200]
            yield picture
