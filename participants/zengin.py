"""The bank transfer file Japanese internet banking imports for 総合振込 (the 全銀協 fixed-length
format): one header record, one data record per person, a trailer with the count and the total,
and an end record. Every record is 120 bytes of JIS X 0201 (digits, capital letters and
half-width katakana, Shift_JIS), followed by CRLF. Names are half-width katakana; small kana
(ｬ, ｯ…) become their large forms, as banks require.

    header  1 データ区分=1 | 2 種別=21 | 1 コード区分=0 | 10 委託者コード | 40 委託者名 |
            4 取組日 MMDD | 4 仕向銀行番号 | 15 仕向銀行名 | 3 仕向支店番号 | 15 仕向支店名 |
            1 預金種目 | 7 口座番号 | 17 ダミー
    data    1 =2 | 4 銀行番号 | 15 銀行名 | 3 支店番号 | 15 支店名 | 4 手形交換所番号 |
            1 預金種目 | 7 口座番号 | 30 受取人名 | 10 振込金額 | 1 新規コード=0 |
            10 顧客コード1 | 10 顧客コード2 | 1 振込指定区分=7 | 1 識別表示 | 7 ダミー
    trailer 1 =8 | 6 合計件数 | 12 合計金額 | 101 ダミー
    end     1 =9 | 119 ダミー
"""

import datetime
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.translation import gettext as _

from workshop.rules import RuleError

RECORD_BYTES = 120
ENCODING = "cp932"
NEWLINE = b"\r\n"

SMALL_TO_LARGE = str.maketrans("ｧｨｩｪｫｬｭｮｯ", "ｱｲｳｴｵﾔﾕﾖﾂ")
# Full-width katakana → half-width, with voiced and semi-voiced marks as separate characters.
_FULL = (
    "アイウエオカキクケコサシスセソタチツテトナニヌネノハヒフヘホマミムメモヤユヨラリルレロワヲン"
)
_HALF = "ｱｲｳｴｵｶｷｸｹｺｻｼｽｾｿﾀﾁﾂﾃﾄﾅﾆﾇﾈﾉﾊﾋﾌﾍﾎﾏﾐﾑﾒﾓﾔﾕﾖﾗﾘﾙﾚﾛﾜｦﾝ"
FULL_TO_HALF = {full: half for full, half in zip(_FULL, _HALF, strict=True)}
FULL_TO_HALF.update(
    {
        "ァ": "ｱ",
        "ィ": "ｲ",
        "ゥ": "ｳ",
        "ェ": "ｴ",
        "ォ": "ｵ",
        "ャ": "ﾔ",
        "ュ": "ﾕ",
        "ョ": "ﾖ",
        "ッ": "ﾂ",
        "ー": "-",
        "ヴ": "ｳﾞ",
        "　": " ",
        "・": ".",
    }
)
for _base, _voiced in zip(
    "カキクケコサシスセソタチツテトハヒフヘホ",
    "ガギグゲゴザジズゼゾダヂヅデドバビブベボ",
    strict=True,
):
    FULL_TO_HALF[_voiced] = FULL_TO_HALF[_base] + "ﾞ"
for _base, _semi in zip("ハヒフヘホ", "パピプペポ", strict=True):
    FULL_TO_HALF[_semi] = FULL_TO_HALF[_base] + "ﾟ"
ALLOWED = set("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ ().,-/｢｣ﾞﾟ") | {
    chr(code) for code in range(ord("ｦ"), ord("ﾟ") + 1)
}


class TransferFileError(RuleError):
    """The file cannot be made (a setting or an account is missing or not in the format)."""


def to_half_width_kana(text: str) -> str:
    """What staff type (full-width katakana, hiragana, lower-case letters, full-width digits)
    as the transfer format writes it: ﾔﾏﾀﾞ ﾊﾅｺ."""
    text = unicodedata.normalize("NFKC", text or "")  # full-width digits and letters → ASCII
    out = []
    for char in text:
        if "ぁ" <= char <= "ゖ":  # hiragana → katakana first
            char = chr(ord(char) + 0x60)
        out.append(FULL_TO_HALF.get(char, char))
    return "".join(out).upper().translate(SMALL_TO_LARGE)


def field(text: str, width: int) -> str:
    """Left-aligned, space-padded to `width` characters (each one byte in this format)."""
    text = to_half_width_kana(text)
    bad = sorted({char for char in text if char not in ALLOWED})
    if bad:
        raise TransferFileError(
            _("These characters cannot be written in the bank transfer file: %(chars)s")
            % {"chars": "".join(bad)},
            code="not_kana",
        )
    return text[:width].ljust(width)


def number(value: int | str, width: int) -> str:
    """Right-aligned, zero-padded digits."""
    text = str(value)
    if not text.isdigit() or len(text) > width:
        raise TransferFileError(
            _("%(value)s is not a number of up to %(width)s digits.")
            % {"value": text, "width": width},
            code="invalid_number",
        )
    return text.zfill(width)


@dataclass(frozen=True)
class Payer:
    consignor_code: str
    consignor_name: str
    bank_code: str
    bank_name: str
    branch_code: str
    branch_name: str
    account_type: str
    account_number: str


@dataclass(frozen=True)
class Payee:
    bank_code: str
    bank_name: str
    branch_code: str
    branch_name: str
    account_type: str
    account_number: str
    holder: str
    amount: int
    customer_code: str = ""


def _record(text: str) -> bytes:
    data = text.encode(ENCODING)
    if len(data) != RECORD_BYTES:  # pragma: no cover - every field above is fixed-width
        raise TransferFileError(f"A record came out {len(data)} bytes long.", code="length")
    return data + NEWLINE


def header(payer: Payer, transfer_date: datetime.date) -> bytes:
    return _record(
        "1"
        + "21"
        + "0"
        + number(payer.consignor_code, 10)
        + field(payer.consignor_name, 40)
        + transfer_date.strftime("%m%d")
        + number(payer.bank_code, 4)
        + field(payer.bank_name, 15)
        + number(payer.branch_code, 3)
        + field(payer.branch_name, 15)
        + number(payer.account_type, 1)
        + number(payer.account_number, 7)
        + " " * 17
    )


def data(payee: Payee) -> bytes:
    if payee.amount < 1:
        raise TransferFileError(_("Only amounts above zero can be transferred."), code="amount")
    return _record(
        "2"
        + number(payee.bank_code, 4)
        + field(payee.bank_name, 15)
        + number(payee.branch_code, 3)
        + field(payee.branch_name, 15)
        + " " * 4
        + number(payee.account_type, 1)
        + number(payee.account_number, 7)
        + field(payee.holder, 30)
        + number(payee.amount, 10)
        + "0"
        + field(payee.customer_code, 10)
        + " " * 10
        + "7"
        + " "
        + " " * 7
    )


def trailer(count: int, total: int) -> bytes:
    return _record("8" + number(count, 6) + number(total, 12) + " " * 101)


def end() -> bytes:
    return _record("9" + " " * 119)


def transfer_file(payer: Payer, payees: Iterable[Payee], transfer_date: datetime.date) -> bytes:
    """The whole file: header, a data record per payee, the trailer with their count and
    total, and the end record."""
    payees = list(payees)
    records = [header(payer, transfer_date)]
    records += [data(payee) for payee in payees]
    records.append(trailer(len(payees), sum(payee.amount for payee in payees)))
    records.append(end())
    return b"".join(records)
