"""The intake of digital work (issue 9): a digital order's answer form (staff define it, the
company may propose one), how its items are checked (every item, double entry, spot checks),
and its items: a CSV (UTF-8 with or without BOM, or Shift_JIS/CP932) or a ZIP of images, read by
a background task in two streaming passes (check everything, then insert in batches), so a
refused file creates no item and memory stays flat however many rows there are. How the files
are read is jobs/item_files.py.

Splitting a digital order is the ordinary split (jobs/work.py); after its units are inserted,
`assign_items` puts the items into them by number ranges in one UPDATE, and under double entry
makes a second set of units of the same sizes for the second entry."""

from django.core.files.base import ContentFile
from django.db import connection, transaction
from django.db.models import F, Max, Min
from django.tasks import task
from django.utils import timezone
from django.utils.translation import gettext as _

from jobs import answer_forms, counters, item_files, orders
from jobs.digital_models import AnswerForm, CheckingMode, DigitalWork, Item, ItemImport
from jobs.models import Order, WorkUnit
from workshop.rules import RuleError

# --- limits (docs/security.md lists them) -------------------------------------------------------
MAX_IMPORT_BYTES = 50 * 1024 * 1024  # one CSV or ZIP upload
BATCH = 1000  # items inserted per transaction
MAX_SPOT_CHECK = 50
# Orders whose items may still change: before delivery.
OPEN_STATUSES = {
    Order.Status.DRAFT,
    Order.Status.SUBMITTED,
    Order.Status.ACCEPTED,
    Order.Status.IN_PROGRESS,
}


class ItemError(RuleError):
    """A rule about digital work was not met; `code` is machine-readable, the message kind."""


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
    reader = item_files.read_zip if record.kind == ItemImport.Kind.ZIP else item_files.read_csv
    try:
        header, total, encoding = reader(record, check_only=True)
        ItemImport.objects.filter(pk=import_id).update(rows_total=total, encoding=encoding)
        _insert(record, header, reader)
    except item_files.ImportRefused as refused:
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
                item.data = {item_files.IMAGE_COLUMN: row.original_name}
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
    from jobs.work import WorkError  # jobs.work imports this module

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
