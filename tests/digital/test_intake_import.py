"""Importing a digital order's items (issue 9, must-have 2): CSV in UTF-8, UTF-8 with BOM and
CP932, each refusal naming its row and column and creating no item, ZIPs of images (re-encoded,
no metadata) and the ZIPs refused, memory flat in the number of rows, and tenancy."""

import io
import tracemalloc
import zipfile

import pytest
from django.test import override_settings
from PIL import Image

from jobs import item_files, items
from jobs.digital_models import DigitalWork, Item, ItemImport
from tests.digital.intake_factories import (
    PRODUCT_COLUMNS,
    csv_bytes,
    digital_order,
    png_bytes,
    product_rows,
    upload,
    zip_bytes,
)
from tests.i18n import ja


@pytest.fixture
def order(order_a):
    return digital_order(order_a.workshop, order_a.company)


def run(order, by, data: bytes, name="items.csv", **options) -> ItemImport:
    return items.start_import(order=order, by=by, upload=upload(data, name), **options)


JAPANESE_ROWS = [
    ["A1", "ｼｬﾝﾌﾟｰ　詰め替え用（４００ｍｌ）", "498"],
    ["A2", "髙島屋の羊羹・①", "1,280"],
]


@pytest.mark.parametrize(
    ("encoding", "bom", "found"),
    [("utf-8", False, "utf-8"), ("utf-8", True, "utf-8-sig"), ("cp932", False, "cp932")],
)
def test_csv_in_each_encoding_makes_one_item_per_row(order, staff_a, encoding, bom, found):
    record = run(
        order,
        staff_a,
        csv_bytes(JAPANESE_ROWS, encoding=encoding, bom=bom),
        shown_columns=["商品名"],
    )
    assert record.status == ItemImport.Status.DONE, record.message
    assert record.encoding == found
    assert record.rows_total == record.rows_done == 2
    stored = list(Item.objects.filter(order=order).values_list("number", "data"))
    assert stored == [
        (number, dict(zip(PRODUCT_COLUMNS, row, strict=True)))
        for number, row in enumerate(JAPANESE_ROWS, start=1)
    ]
    work = DigitalWork.objects.get(order=order)
    assert work.columns == PRODUCT_COLUMNS
    assert work.shown_columns == ["商品名"]
    assert work.items_total == 2
    order.refresh_from_db()
    assert order.quantity == 2


def test_a_second_file_adds_items_numbered_after(order, staff_a):
    run(order, staff_a, csv_bytes(product_rows(3)))
    run(order, staff_a, csv_bytes(product_rows(2), encoding="cp932"))
    assert list(Item.objects.filter(order=order).values_list("number", flat=True)) == [
        1,
        2,
        3,
        4,
        5,
    ]
    order.refresh_from_db()
    assert order.quantity == 5


def refused(order, by, data, name="items.csv") -> ItemImport:
    record = run(order, by, data, name)
    assert record.status == ItemImport.Status.REFUSED
    assert not Item.objects.filter(order=order).exists()
    return record


def message(msgid, problem, **params):
    return ja(msgid, **params, problem=problem)


def test_refused_encoding_names_the_row(order, staff_a):
    data = csv_bytes(product_rows(3)) + b"A9,\xff\xfe\xfa\x80,1\r\n"
    record = refused(order, staff_a, data)
    assert (record.error_code, record.error_row) == ("import_encoding", 5)
    assert record.message == ja(
        "Row %(row)s: the file is neither UTF-8 nor Shift_JIS. Please save it as CSV (UTF-8).",
        row=5,
    )


def test_refused_column_count_names_row_and_column(order, staff_a):
    rows = product_rows(5)
    rows[3] = rows[3][:2]
    record = refused(order, staff_a, csv_bytes(rows))
    assert (record.error_code, record.error_row, record.error_column) == (
        "import_column_count",
        5,
        "価格",
    )
    assert record.message == ja(
        "Row %(row)s, %(column)s: %(problem)s",
        row=5,
        column="価格",
        problem=ja("this row has %(got)s columns, the header %(want)s.", got=2, want=3),
    )


def test_refused_missing_header_names_the_column(order, staff_a):
    record = refused(order, staff_a, csv_bytes(product_rows(2), header=["商品コード", "", "価格"]))
    assert (record.error_code, record.error_row) == ("import_header_missing", 1)
    assert record.error_column == ja("column %(number)s", number=2)


def test_refused_empty_file_and_header_only(order, staff_a):
    record = refused(order, staff_a, b"")
    assert (record.error_code, record.error_row) == ("import_empty", 1)
    assert record.message == ja("Row %(row)s: %(problem)s", row=1, problem=ja("the file is empty."))
    record = refused(order, staff_a, csv_bytes([]))
    assert (record.error_code, record.error_row) == ("import_no_rows", 2)


def test_refused_too_many_rows(order, staff_a, monkeypatch):
    monkeypatch.setattr(item_files, "MAX_IMPORT_ROWS", 10)
    record = refused(order, staff_a, csv_bytes(product_rows(11)))
    assert (record.error_code, record.error_row) == ("import_too_many_rows", 12)


def test_refused_columns_differing_from_earlier_items(order, staff_a):
    run(order, staff_a, csv_bytes(product_rows(2)))
    record = run(order, staff_a, csv_bytes(product_rows(2), header=["商品コード", "名前", "価格"]))
    assert (record.error_code, record.error_row, record.error_column) == (
        "import_columns_differ",
        1,
        "名前",
    )
    assert Item.objects.filter(order=order).count() == 2


def test_zip_of_images_is_reencoded_without_metadata(order, staff_a):
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    photo = io.BytesIO()
    Image.new("RGB", (50, 40), (10, 120, 10)).save(photo, "JPEG", exif=exif.tobytes())
    record = run(
        order, staff_a, zip_bytes({"b.png": png_bytes(), "a.jpg": photo.getvalue()}), "receipts.zip"
    )
    assert record.kind == ItemImport.Kind.ZIP
    assert record.status == ItemImport.Status.DONE, record.message
    stored = list(Item.objects.filter(order=order))
    assert [item.data for item in stored] == [{"file": "a.jpg"}, {"file": "b.png"}]
    with stored[0].image.open("rb") as kept, Image.open(kept) as picture:
        assert picture.format == "JPEG"
        assert not picture.getexif()
    assert DigitalWork.objects.get(order=order).columns == ["file"]
    # The upload, with its photos' original bytes and metadata, is not kept once read.
    assert not record.file


def test_a_zip_of_a_folder_made_on_a_mac_or_windows_is_read_as_its_pictures(order, staff_a):
    """Zipping a folder puts the pictures in it, and a Mac adds its resource forks and Finder
    settings, Windows its thumbnail cache: the pictures are read, the rest left out."""
    entries = {
        "レシート/b.png": png_bytes(),
        "レシート/a.png": png_bytes(),
        "レシート/.DS_Store": b"\0\0\0\1Bud1",
        "レシート/Thumbs.db": b"\xd0\xcf\x11\xe0",
        "__MACOSX/レシート/._a.png": b"\0\5\x16\7\0\2\0\0Mac OS X",
        "__MACOSX/._レシート": b"\0\5\x16\7",
    }
    record = run(order, staff_a, zip_bytes(entries), "レシート.zip")
    assert record.status == ItemImport.Status.DONE, record.message
    stored = Item.objects.filter(order=order).order_by("number")
    assert [item.data for item in stored] == [{"file": "a.png"}, {"file": "b.png"}]


@pytest.mark.parametrize(
    "entries",
    [
        {"写真/a.png": png_bytes(), "写真/2024/b.png": png_bytes()},  # a folder in the folder
        {"春/a.png": png_bytes(), "夏/b.png": png_bytes()},  # two folders
    ],
)
def test_a_zip_with_pictures_in_more_than_one_folder_is_refused(order, staff_a, entries):
    record = refused(order, staff_a, zip_bytes(entries), "images.zip")
    assert record.error_code == "import_zip_path"


@pytest.mark.parametrize(
    ("entries", "code", "row", "column"),
    [
        ({"a.png": png_bytes(), "b.exe": b"MZ" * 100}, "import_zip_not_image", 2, "b.exe"),
        (
            {"a.png": png_bytes(), "b.png": b"not a picture at all"},
            "import_zip_not_image",
            2,
            "b.png",
        ),
        ({"a.png": png_bytes(), "in/b.png": png_bytes()}, "import_zip_path", 2, "in/b.png"),
        ({"../b.png": png_bytes()}, "import_zip_path", 1, "../b.png"),
        ({"/b.png": png_bytes()}, "import_zip_path", 1, "/b.png"),
        ({"bomb.png": b"\0" * 5_000_000}, "import_zip_bomb", 1, "bomb.png"),
    ],
)
def test_refused_zip_names_the_entry(order, staff_a, entries, code, row, column):
    record = refused(order, staff_a, zip_bytes(entries), "images.zip")
    assert (record.error_code, record.error_row, record.error_column) == (code, row, column)
    assert column in record.message


def test_refused_zip_with_too_many_entries(order, staff_a, monkeypatch):
    monkeypatch.setattr(item_files, "MAX_ZIP_ENTRIES", 3)
    entries = {f"{n}.png": png_bytes() for n in range(4)}
    record = refused(
        order, staff_a, zip_bytes(entries, compression=zipfile.ZIP_STORED), "images.zip"
    )
    assert record.error_code == "import_zip_too_many"


def test_a_hands_on_order_takes_no_items(order_a, staff_a):
    with pytest.raises(items.ItemError) as refusal:
        run(order_a, staff_a, csv_bytes(product_rows(1)))
    assert refusal.value.code == "wrong_kind"


def peak_of(order, by, rows: int) -> int:
    data = csv_bytes(product_rows(rows))
    Item.objects.filter(order=order).delete()
    DigitalWork.objects.filter(order=order).delete()
    tracemalloc.start()
    try:
        record = run(order, by, data)
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert record.status == ItemImport.Status.DONE, record.message
    assert record.rows_done == rows
    return peak - len(data)  # the upload itself is the test's, not the import's


@override_settings(DEBUG=False)
def test_memory_is_flat_in_the_number_of_rows(order, staff_a):
    small = peak_of(order, staff_a, 2_000)
    large = peak_of(order, staff_a, 20_000)
    # Ten times the rows: the peak is that of one batch, not of the file.
    assert large < small * 2, (small, large)


def test_a_broken_zip_is_refused(order, staff_a):
    record = refused(order, staff_a, b"PK\x03\x04" + b"\x00garbage" * 50, "images.zip")
    assert (record.error_code, record.error_row) == ("import_zip_broken", 1)
