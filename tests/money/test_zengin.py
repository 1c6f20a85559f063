"""The 全銀 transfer file: records of 120 bytes in Shift_JIS half-width kana with CRLF, fields
where the format puts them, and the trailer's count and total."""

import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from participants import zengin

PAYER = zengin.Payer(
    consignor_code="1234567890",
    consignor_name="ｼｬｶｲﾌｸｼﾎｳｼﾞﾝ ﾋﾀﾞﾏﾘ",
    bank_code="0001",
    bank_name="ﾐｽﾞﾎ",
    branch_code="123",
    branch_name="ｻｶﾉｳｴ",
    account_type="1",
    account_number="7654321",
)


def payee(amount: int, holder: str = "ﾔﾏﾀﾞ ﾊﾅｺ") -> zengin.Payee:
    return zengin.Payee(
        bank_code="0005",
        bank_name="ﾐﾂﾋﾞｼUFJ",
        branch_code="001",
        branch_name="ﾎﾝﾃﾝ",
        account_type="1",
        account_number="0012345",
        holder=holder,
        amount=amount,
    )


def records(data: bytes) -> list[bytes]:
    assert data.endswith(b"\r\n")
    return data.split(b"\r\n")[:-1]


def test_every_record_is_120_bytes_followed_by_crlf():
    data = zengin.transfer_file(PAYER, [payee(4320), payee(12000)], datetime.date(2026, 12, 10))

    lines = records(data)
    assert [len(line) for line in lines] == [120] * 5
    assert [line[:1] for line in lines] == [b"1", b"2", b"2", b"8", b"9"]
    assert len(data) == 5 * 122


def test_the_header_says_who_pays_from_where_and_when():
    header = records(zengin.transfer_file(PAYER, [payee(1)], datetime.date(2026, 12, 10)))[0]

    assert header[0:4] == b"1210"  # data kind, 総合振込, Shift_JIS
    assert header[4:14] == b"1234567890"
    assert header[14:54].decode("cp932").rstrip() == "ｼﾔｶｲﾌｸｼﾎｳｼﾞﾝ ﾋﾀﾞﾏﾘ"  # small ｬ → ﾔ
    assert header[54:58] == b"1210"  # MMDD
    assert header[58:62] == b"0001" and header[77:80] == b"123"
    assert header[95:96] == b"1" and header[96:103] == b"7654321"
    assert header[103:] == b" " * 17


def test_a_data_record_puts_each_field_where_the_format_says():
    record = records(zengin.transfer_file(PAYER, [payee(4320)], datetime.date(2026, 12, 10)))[1]

    assert record[0:1] == b"2"
    assert record[1:5] == b"0005"
    assert record[5:20].decode("cp932") == "ﾐﾂﾋﾞｼUFJ".ljust(15)
    assert record[20:23] == b"001"
    assert record[38:42] == b"    "
    assert record[42:43] == b"1" and record[43:50] == b"0012345"
    assert record[50:80].decode("cp932") == "ﾔﾏﾀﾞ ﾊﾅｺ".ljust(30)
    assert record[80:90] == b"0000004320"
    assert record[90:91] == b"0" and record[111:112] == b"7"


@given(st.lists(st.integers(min_value=1, max_value=9_999_999), min_size=0, max_size=30))
def test_the_trailer_holds_the_count_and_the_total(amounts):
    data = zengin.transfer_file(PAYER, [payee(a) for a in amounts], datetime.date(2026, 12, 10))

    lines = records(data)
    trailer = lines[-2]
    assert trailer[0:1] == b"8"
    assert int(trailer[1:7]) == len(amounts) == len(lines) - 3
    assert int(trailer[7:19]) == sum(amounts) == sum(int(line[80:90]) for line in lines[1:-2])
    assert lines[-1] == b"9" + b" " * 119


def test_names_typed_in_full_width_kana_or_hiragana_are_written_as_the_bank_prints_them():
    assert zengin.to_half_width_kana("ヤマダ　ハナコ") == "ﾔﾏﾀﾞ ﾊﾅｺ"
    assert zengin.to_half_width_kana("きょうこ") == "ｷﾖｳｺ"
    assert zengin.to_half_width_kana("パン・ド・ミ") == "ﾊﾟﾝ.ﾄﾞ.ﾐ"
    assert zengin.to_half_width_kana("ｻﾄｳ ｹﾝ") == "ｻﾄｳ ｹﾝ"


def test_a_name_the_format_cannot_hold_is_refused_not_mangled():
    with pytest.raises(zengin.TransferFileError) as refused:
        zengin.transfer_file(PAYER, [payee(100, holder="山田花子")], datetime.date(2026, 12, 10))
    assert refused.value.code == "not_kana"


def test_an_amount_of_zero_cannot_be_transferred():
    with pytest.raises(zengin.TransferFileError):
        zengin.transfer_file(PAYER, [payee(0)], datetime.date(2026, 12, 10))
