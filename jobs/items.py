"""The intake of digital work (issue 9): a digital order's answer form (staff define it, the
company may propose one), how its items are checked (every item, double entry, spot checks),
and its items: a CSV (UTF-8 with or without BOM, or Shift_JIS/CP932) or a ZIP of images, read by
a background task in two streaming passes (check everything, then insert in batches), so a
refused file creates no item and memory stays flat however many rows there are.

Splitting a digital order is the ordinary split (jobs/work.py); after its units are inserted,
`assign_items` puts the items into them by number ranges in one UPDATE, and under double entry
makes a second set of units of the same sizes for the second entry."""

import codecs
import csv
import io
import posixpath
import zipfile
from collections.abc import Iterator

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection, transaction
from django.db.models import F, Max, Min
from django.tasks import task
from django.utils import timezone
from django.utils.translation import gettext as _

from jobs import answer_forms, counters, orders
from jobs.digital_models import AnswerForm, CheckingMode, DigitalWork, Item, ItemImport
from jobs.models import Order, WorkUnit
from jobs.photos import MAX_PHOTO_BYTES, PhotoRefused, clean_photo
from workshop.rules import RuleError

# --- limits (docs/security.md lists them) -------------------------------------------------------
MAX_IMPORT_BYTES = 50 * 1024 * 1024  # one CSV or ZIP upload
MAX_IMPORT_ROWS = 100_000  # data rows of one CSV
MAX_COLUMNS = 50
COLUMN_NAME_LENGTH = 100
CELL_LENGTH = 2000
MAX_ZIP_ENTRIES = 1000
MAX_ZIP_TOTAL_BYTES = 500 * 1024 * 1024  # all entries, uncompressed
MAX_ZIP_RATIO = 100  # an entry that grows more than 100-fold is a bomb, not a picture
IMAGE_EXTENSIONS = {".jpg", ".jpeg", ".png", ".gif", ".webp", ".bmp", ".tif", ".tiff"}
BATCH = 1000  # items inserted per transaction
MAX_SPOT_CHECK = 50
# Orders whose items may still change: before delivery.
OPEN_STATUSES = {
    Order.Status.DRAFT,
    Order.Status.SUBMITTED,
    Order.Status.ACCEPTED,
    Order.Status.IN_PROGRESS,
}
IMAGE_COLUMN = "file"


class ItemError(RuleError):
    """A rule about digital work was not met; `code` is machine-readable, the message kind."""


class ImportRefused(ItemError):
    """A file that cannot be imported: the message names the row and the column at fault."""

    def __init__(self, message: str, code: str, *, row: int | None = None, column: str = ""):
        super().__init__(message, code=code)
        self.row = row
        self.column = column


def _check_digital(order: Order) -> None:
    if order.kind != Order.Kind.DIGITAL:
        raise ItemError(_("Only a digital order has items and an answer form."), code="wrong_kind")


def _check_open(order: Order) -> None:
    if order.status not in OPEN_STATUSES:
        raise ItemError(
            _("This order is %(status)s: its items and form can no longer change.")
            % {"status": order.get_status_display()},
            code="wrong_state",
        )


def digital_work(order: Order) -> DigitalWork:
    """The order's DigitalWork, made on first use."""
    work, _made = DigitalWork.objects.get_or_create(order=order)
    return work


def entries(order: Order) -> int:
    """How many times each item is answered: 2 under double entry, else 1. Units hold each
    item once per entry, so a split of n items puts entries × n items into units."""
    if order.kind != Order.Kind.DIGITAL:
        return 1
    checking = DigitalWork.objects.filter(order_id=order.pk).values_list("checking", flat=True)
    return 2 if checking.first() == CheckingMode.DOUBLE else 1


def _note(order: Order, by, note: str) -> None:
    orders.note_event(order=order, by=by, note=note, notice=None)


# --- answer forms ---------------------------------------------------------------------------------


def current_form(order: Order) -> AnswerForm | None:
    return AnswerForm.objects.filter(order=order, status=AnswerForm.Status.CURRENT).first()


def _next_version(order: Order) -> int:
    last = AnswerForm.objects.filter(order=order).aggregate(last=Max("version"))["last"]
    return (last or 0) + 1


def _lock(order: Order) -> Order:
    return Order.objects.select_for_update().get(pk=order.pk)


def define_form(*, order: Order, by, fields) -> AnswerForm:
    """Staff set the order's answer form. While no one has answered the current version it is
    changed in place; once answers exist, a new version becomes current and the answers keep
    theirs. Raises FormSpecError naming the field at fault."""
    _check_digital(order)
    cleaned = answer_forms.check_fields(fields)
    with transaction.atomic():
        locked = _lock(order)
        _check_open(locked)
        current = current_form(locked)
        if current is not None and current.fields == cleaned:
            return current
        if current is not None and not current.answers.exists():
            current.fields = cleaned
            current.created_by, current.created_at = by, timezone.now()
            current.save(update_fields=["fields", "created_by", "created_at"])
            changed = _("The answer form (version %(v)s) was changed.")
            _note(locked, by, changed % {"v": current.version})
            return current
        if current is not None:
            AnswerForm.objects.filter(pk=current.pk).update(status=AnswerForm.Status.SUPERSEDED)
        form = AnswerForm.objects.create(
            order=locked,
            version=_next_version(locked),
            fields=cleaned,
            status=AnswerForm.Status.CURRENT,
            created_by=by,
        )
        digital_work(locked)
        _note(locked, by, _("Answer form version %(v)s is in use.") % {"v": form.version})
    return form


def propose_form(*, order: Order, by, fields) -> AnswerForm:
    """The company proposes an answer form; staff accept or decline it. A newer proposal
    replaces an open older one."""
    _check_digital(order)
    cleaned = answer_forms.check_fields(fields)
    with transaction.atomic():
        locked = _lock(order)
        _check_open(locked)
        AnswerForm.objects.filter(order=locked, status=AnswerForm.Status.PROPOSED).update(
            status=AnswerForm.Status.DECLINED
        )
        form = AnswerForm.objects.create(
            order=locked,
            version=_next_version(locked),
            fields=cleaned,
            status=AnswerForm.Status.PROPOSED,
            created_by=by,
        )
        proposed = _("The company proposed an answer form (version %(v)s).")
        _note(locked, by, proposed % {"v": form.version})
    return form


def _locked_proposal(form: AnswerForm) -> tuple[Order, AnswerForm]:
    order = _lock(form.order)
    current = AnswerForm.objects.select_for_update().get(pk=form.pk)
    if current.status != AnswerForm.Status.PROPOSED:
        raise ItemError(
            _("This proposal was already decided (%(status)s).")
            % {"status": current.get_status_display()},
            code="wrong_state",
        )
    return order, current


def accept_proposal(*, form: AnswerForm, by) -> AnswerForm:
    """Staff take the company's proposal: it becomes the current version."""
    with transaction.atomic():
        order, proposal = _locked_proposal(form)
        _check_open(order)
        AnswerForm.objects.filter(order=order, status=AnswerForm.Status.CURRENT).update(
            status=AnswerForm.Status.SUPERSEDED
        )
        proposal.status = AnswerForm.Status.CURRENT
        proposal.save(update_fields=["status"])
        digital_work(order)
        in_use = _("The proposed answer form (version %(v)s) is in use.")
        _note(order, by, in_use % {"v": proposal.version})
    return proposal


def decline_proposal(*, form: AnswerForm, by, reason: str = "") -> AnswerForm:
    with transaction.atomic():
        order, proposal = _locked_proposal(form)
        proposal.status = AnswerForm.Status.DECLINED
        proposal.save(update_fields=["status"])
        note = _("The proposed answer form (version %(v)s) was not taken.")
        note = note % {"v": proposal.version}
        _note(order, by, f"{note} {reason}".strip())
    return proposal


# --- how items are checked and shown ---------------------------------------------------------


def set_checking(
    *,
    order: Order,
    by,
    checking: str | None = None,
    spot_check_size: int | None = None,
    shown_columns: list[str] | None = None,
) -> DigitalWork:
    """Choose how answers are checked and which input columns the participant sees. Double
    entry can be switched on or off only before the order is split (it decides the units)."""
    _check_digital(order)
    with transaction.atomic():
        locked = _lock(order)
        work = DigitalWork.objects.select_for_update().filter(order=locked).first() or digital_work(
            locked
        )
        changes = []
        if checking is not None and checking != work.checking:
            if checking not in CheckingMode.values:
                raise ItemError(_("Choose how the answers are checked."), code="checking_invalid")
            double = CheckingMode.DOUBLE
            if (checking == double or work.checking == double) and locked.units_total:
                raise ItemError(
                    _("Double entry can only be chosen before the order is split into units."),
                    code="checking_locked",
                )
            work.checking = checking
            changes.append("checking")
        if spot_check_size is not None and spot_check_size != work.spot_check_size:
            if not 1 <= spot_check_size <= MAX_SPOT_CHECK:
                raise ItemError(
                    _("Check between 1 and %(max)s items of each unit.") % {"max": MAX_SPOT_CHECK},
                    code="spot_check_size_invalid",
                )
            work.spot_check_size = spot_check_size
            changes.append("spot_check_size")
        if shown_columns is not None:
            shown = _shown(work.columns, shown_columns)
            if shown != work.shown_columns:
                work.shown_columns = shown
                changes.append("shown_columns")
        if changes:
            work.save(update_fields=changes)
            _note(locked, by, _("How the items are shown and checked was changed."))
    return work


def _shown(columns: list[str], wanted: list[str]) -> list[str]:
    unknown = [name for name in wanted if name not in columns]
    if unknown:
        raise ItemError(
            _("The items have no column %(column)s.") % {"column": unknown[0]},
            code="column_unknown",
        )
    return [name for name in columns if name in wanted]


# --- imports ----------------------------------------------------------------------------------


def sniff_kind(head: bytes) -> str:
    """A ZIP is known by its first bytes, whatever its name; anything else is read as CSV."""
    is_zip = head[:4] in (b"PK\x03\x04", b"PK\x05\x06")
    return ItemImport.Kind.ZIP if is_zip else ItemImport.Kind.CSV


def start_import(*, order: Order, by, upload, shown_columns: list[str] | None = None) -> ItemImport:
    """Keep an uploaded CSV or ZIP and read it in the background (run_item_import). One import
    runs at a time per order."""
    _check_digital(order)
    if upload.size > MAX_IMPORT_BYTES:
        raise ItemError(
            _("This file is larger than %(size)s MB.") % {"size": MAX_IMPORT_BYTES // 1024 // 1024},
            code="too_large",
        )
    upload.seek(0)
    kind = sniff_kind(upload.read(4))
    upload.seek(0)
    name = (getattr(upload, "name", "") or "items")[-200:]
    with transaction.atomic():
        locked = _lock(order)
        _check_open(locked)
        if ItemImport.objects.filter(
            order=locked, status__in=[ItemImport.Status.QUEUED, ItemImport.Status.RUNNING]
        ).exists():
            raise ItemError(
                _("A file of this order is still being read. Please wait until it is done."),
                code="import_running",
            )
        record = ItemImport(
            order=locked,
            kind=kind,
            original_name=name,
            uploaded_by=by,
            shown_columns=list(shown_columns or []),
        )
        record.file.save(f"items.{kind}", upload, save=False)
        record.save()
        _note(locked, by, _("A file of items was uploaded: %(name)s") % {"name": name})
        # With the database backend the task row is part of this transaction, as for a split.
        run_item_import.enqueue(import_id=record.pk)
    record.refresh_from_db()
    return record


@task()
def run_item_import(import_id: int) -> None:
    import_items(import_id=import_id)


def import_items(*, import_id: int) -> ItemImport:
    """Read an import: first check the whole file (no item is made if anything is wrong), then
    insert its items BATCH at a time, each batch its own transaction so the progress bar moves.
    Resumable: a retried task skips the rows whose items exist."""
    record = ItemImport.objects.select_related("order").get(pk=import_id)
    if record.status in (ItemImport.Status.DONE, ItemImport.Status.REFUSED):
        return record
    ItemImport.objects.filter(pk=import_id).update(status=ItemImport.Status.RUNNING)
    reader = _read_zip if record.kind == ItemImport.Kind.ZIP else _read_csv
    try:
        header, total, encoding = reader(record, check_only=True)
        ItemImport.objects.filter(pk=import_id).update(rows_total=total, encoding=encoding)
        _insert(record, header, reader)
    except ImportRefused as refused:
        ItemImport.objects.filter(pk=import_id).update(
            status=ItemImport.Status.REFUSED,
            error_code=refused.code,
            error_row=refused.row,
            error_column=refused.column[:200],
            message=refused.message,
            finished_at=timezone.now(),
        )
    _forget_upload(record)
    record.refresh_from_db()
    return record


def _forget_upload(record: ItemImport) -> None:
    """The uploaded file is not kept once read: its rows are items now, its images re-encoded
    (an image's original bytes, with their metadata, are never kept: DESIGN.md invariant 6)."""
    if record.file:
        record.file.delete(save=False)
        ItemImport.objects.filter(pk=record.pk).update(file="")


def _insert(record: ItemImport, header: list[str], reader) -> None:
    order_id = record.order_id
    done = Item.objects.filter(source=record).count()
    rows = reader(record, check_only=False)
    batch: list[Item] = []
    for index, row in enumerate(rows):
        if index < done:
            continue
        batch.append(row)
        if len(batch) >= BATCH:
            _insert_batch(record, batch)
            batch = []
    if batch:
        _insert_batch(record, batch)
    with transaction.atomic():
        order = Order.objects.select_for_update().get(pk=order_id)
        work = DigitalWork.objects.select_for_update().filter(order=order).first() or digital_work(
            order
        )
        total = Item.objects.filter(order=order).count()
        if not work.columns:
            work.columns = header
            wanted = [name for name in record.shown_columns if name in header]
            work.shown_columns = wanted or ([] if record.kind == ItemImport.Kind.ZIP else header)
        work.items_total = total
        work.save(update_fields=["columns", "shown_columns", "items_total"])
        # A digital order's quantity is its number of items.
        Order.objects.filter(pk=order_id).update(quantity=total)
        ItemImport.objects.filter(pk=record.pk).update(
            status=ItemImport.Status.DONE, finished_at=timezone.now()
        )
        _note(
            order,
            record.uploaded_by,
            _("%(count)s items were read from %(name)s.")
            % {"count": f"{record.rows_total or 0:,}", "name": record.original_name},
        )


def _insert_batch(record: ItemImport, batch: list) -> None:
    with transaction.atomic():
        order = Order.objects.select_for_update().get(pk=record.order_id)
        last = Item.objects.filter(order=order).aggregate(last=Max("number"))["last"] or 0
        items = []
        for offset, row in enumerate(batch, start=1):
            item = Item(
                order_id=order.pk,
                workshop_id=order.workshop_id,
                number=last + offset,
                source=record,
            )
            if isinstance(row, ContentFile):
                item.data = {IMAGE_COLUMN: row.original_name}
                item.image.save("item.jpg", row, save=False)
            else:
                item.data = row
            items.append(item)
        Item.objects.bulk_create(items)
        # An item and its image's FieldFile refer to each other: break that cycle, so each batch
        # is freed at once rather than whenever the cycle collector runs (memory stays flat).
        for item in items:
            item.__dict__.pop("image", None)
        ItemImport.objects.filter(pk=record.pk).update(rows_done=F("rows_done") + len(items))


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


def _read_csv(record: ItemImport, *, check_only: bool):
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


def _zip_entries(record: ItemImport, archive: zipfile.ZipFile) -> list[zipfile.ZipInfo]:
    """The archive's image entries, in name order, checked from the central directory: no
    folders or paths, no more than MAX_ZIP_ENTRIES, sizes and ratios that are pictures'."""
    infos = [info for info in archive.infolist() if not info.is_dir()]
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
    total = 0
    for position, info in enumerate(infos, start=1):
        name = info.filename
        if (
            "/" in name.strip("/")
            or "\\" in name
            or name.startswith("/")
            or ".." in name.split("/")
            or posixpath.isabs(name)
            or ":" in name
        ):
            raise _refuse_at(
                "import_zip_path",
                _("images must be at the top of the ZIP, not in folders or paths."),
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


def _read_zip(record: ItemImport, *, check_only: bool):
    if check_only:
        return _check_zip(record)
    return _zip_images(record)


def _archive(record: ItemImport, raw) -> zipfile.ZipFile:
    try:
        return zipfile.ZipFile(raw)
    except (zipfile.BadZipFile, OSError, ValueError):
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
            except (zipfile.BadZipFile, OSError, EOFError):
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
            picture.original_name = info.filename[:200]
            yield picture


# --- splitting --------------------------------------------------------------------------------


def assign_items(order: Order, *, first: int, sizes: list[int]) -> None:
    """Put the next unassigned items into the units just inserted (numbers first … first +
    len(sizes) - 1, in that order, holding `sizes` items each): Item.unit is set by number
    ranges in one UPDATE per twenty runs of equal sizes (one for an ordinary split). Under
    double entry a second set of units of the same sizes is inserted and Item.second_unit set
    in the same UPDATE. Called by jobs/work.py inside the split's transaction; refuses (and so
    rolls the split back) when the order has fewer unassigned items than the units hold."""
    if order.kind != Order.Kind.DIGITAL:
        return
    from jobs.work import WorkError, _record_published  # jobs.work imports this module

    double = entries(order) == 2
    start = Item.objects.filter(order_id=order.pk, unit__isnull=True).aggregate(
        first=Min("number")
    )["first"]
    free = Item.objects.filter(order_id=order.pk, unit__isnull=True).count() if start else 0
    if free < sum(sizes):
        raise WorkError(
            _("This digital order has %(count)s items not yet in a unit; import its items first.")
            % {"count": f"{free:,}"},
            code="items_missing",
        )
    count = len(sizes)
    if double:
        _copy_units(order, first=first, count=count)
        numbers = (first + count, first + 2 * count - 1)
        _record_published(order, by=None, numbers=numbers, at=timezone.now())
        counters.added(order.pk, units=count, items=sum(sizes))
    runs, unit, item = [], first, start
    for size, run in _runs(sizes):
        runs.append((item, item + size * run - 1, unit, size))
        unit += run
        item += size * run
    for chunk in range(0, len(runs), 20):
        _update_units(order, runs[chunk : chunk + 20], second=count if double else 0)


def _runs(sizes: list[int]) -> list[tuple[int, int]]:
    from jobs.work import runs_of

    return runs_of(sizes)


def _copy_units(order: Order, *, first: int, count: int) -> None:
    """The second entry's units: copies of the units first … first+count-1, numbered after."""
    quote = connection.ops.quote_name
    table = quote(WorkUnit._meta.db_table)
    copied = [
        "order_id",
        "workshop_id",
        "quantity",
        "instructions",
        "estimated_minutes",
        "home_ok",
        "skill_tag",
        "sample_photo",
        "status",
        "approved_quantity",
        "created_at",
    ]
    names = ", ".join(quote(name) for name in copied)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} ({names}, {quote('number')}) "
            f"SELECT {names}, {quote('number')} + %s FROM {table} "
            f"WHERE {quote('order_id')} = %s AND {quote('number')} BETWEEN %s AND %s",
            [count, order.pk, first, first + count - 1],
        )


def _update_units(order: Order, runs: list[tuple[int, int, int, int]], *, second: int) -> None:
    """One UPDATE: item number → unit number by arithmetic over runs of equal sizes, the unit's
    id by the (order, number) index. All numbers are integers computed here, so they are
    written into the statement (integer division is then the same on PostgreSQL and SQLite)."""
    quote = connection.ops.quote_name
    items, units = quote(Item._meta.db_table), quote(WorkUnit._meta.db_table)
    number = f"{items}.{quote('number')}"
    case = " ".join(
        f"WHEN {number} BETWEEN {int(low)} AND {int(high)} "
        f"THEN {int(unit)} + ({number} - {int(low)}) / {int(size)}"
        for low, high, unit, size in runs
    )

    def unit_of(offset: int) -> str:
        return (
            f"(SELECT u.{quote('id')} FROM {units} u WHERE u.{quote('order_id')} = {int(order.pk)} "
            f"AND u.{quote('number')} = (CASE {case} END) + {int(offset)})"
        )

    sets = f"{quote('unit_id')} = {unit_of(0)}"
    if second:
        sets += f", {quote('second_unit_id')} = {unit_of(second)}"
    low, high = runs[0][0], runs[-1][1]
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {items} SET {sets} WHERE {quote('order_id')} = %s "
            f"AND {quote('number')} BETWEEN %s AND %s",
            [order.pk, low, high],
        )
