import csv
import io

from workshop.spreadsheets import csv_text, safe_cell


def test_text_that_a_spreadsheet_would_run_is_made_inert():
    assert safe_cell('=HYPERLINK("http://x")') == '\'=HYPERLINK("http://x")'
    assert safe_cell("+81 90") == "'+81 90"
    assert safe_cell("@SUM(A1)") == "'@SUM(A1)"


def test_numbers_and_plain_text_are_kept():
    assert safe_cell(-3) == -3
    assert safe_cell(None) == ""
    assert safe_cell("封入 1,000枚") == "封入 1,000枚"


def test_the_file_starts_with_a_byte_order_mark_and_reads_back():
    text = csv_text([["件名", "数量"], ["封入", 1000]])
    assert text.startswith("\ufeff")
    assert list(csv.reader(io.StringIO(text.removeprefix("\ufeff")))) == [
        ["件名", "数量"],
        ["封入", "1000"],
    ]
