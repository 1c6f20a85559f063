"""The bounds of what people and clients may send, in one place: dates, money, text lengths,
JSON depth. Forms, serializers and rules read them from here, docs/security.md ("Input limits")
lists them, and tests/fuzz/test_hostile_inputs.py feeds every form and serializer values beyond
them: the answer is a message on the field, never a server error or a stored value outside.

Text limits are sized for their use: a title fits a line on a phone, a note a few paragraphs, a
description a page; nothing is so long that a page showing it becomes megabytes."""

import datetime
import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# Dates people choose (delivery, payment, a day in a record): far from what the database and
# date arithmetic can hold (year 9999 overflows "60 days after").
EARLIEST_DATE = datetime.date(2000, 1, 1)
LATEST_DATE = datetime.date(2100, 12, 31)

# Money of one order: a unit price of at least ¥1 (no ¥0 orders) and a total within ¥1 … ¥1bn.
MIN_UNIT_PRICE_YEN = 1
MIN_ORDER_TOTAL_YEN = 1
MAX_ORDER_TOTAL_YEN = 1_000_000_000
MAX_ORDER_QUANTITY = 10_000_000

# Text, by use (characters).
TITLE_LENGTH = 120  # a title or name: one line on a phone
LABEL_LENGTH = 10  # a counter word such as 件, 個, 枚
REASON_LENGTH = 1000  # a reason, a note, a short message
MESSAGE_LENGTH = 5000  # a message in a thread
DESCRIPTION_LENGTH = 10_000  # what the work is, instructions: a page or two

# JSON bodies nested deeper than this are refused (400 parse_error) before Python recurses.
MAX_JSON_DEPTH = 32

# The greatest offset from UTC a date-time may carry (PostgreSQL's limit is ±15:59).
MAX_UTC_OFFSET = datetime.timedelta(hours=15, minutes=59)

# Characters that reorder or hide text: bidi embeddings, overrides and isolates. A title with
# U+202E shows a different text from the one stored, so they are refused.
BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def date_problem(value: datetime.date | None) -> str | None:
    """Why a date people chose cannot be taken (outside EARLIEST_DATE … LATEST_DATE), or None."""
    if value is None or EARLIEST_DATE <= value <= LATEST_DATE:
        return None
    return str(
        _("Please choose a date between %(earliest)s and %(latest)s.")
        % {"earliest": EARLIEST_DATE.isoformat(), "latest": LATEST_DATE.isoformat()}
    )


def validate_date(value: datetime.date | None) -> None:
    """A validator for form and serializer date fields."""
    if problem := date_problem(value):
        raise ValidationError(problem, code="date_out_of_range")


def is_invisible(text: str) -> bool:
    """True for text made only of spaces and characters that show nothing (zero-width spaces
    and joiners, the BOM, other format characters)."""
    return all(ch.isspace() or unicodedata.category(ch) in {"Cf", "Cc", "Zs"} for ch in text)


def text_problem(text: str | None, *, required: bool = False) -> str | None:
    """Why a piece of text cannot be taken: bidi controls anywhere, or (when required) nothing
    visible. None when it is fine."""
    if not text:
        return None
    if any(ch in BIDI_CONTROLS for ch in text):
        return str(_("This text contains characters that change its reading direction."))
    if required and is_invisible(text):
        return str(_("Please write something that can be seen."))
    return None


def validate_text(value: str | None) -> None:
    if problem := text_problem(value):
        raise ValidationError(problem, code="invisible_text")


# The largest id or count a client may name: what an integer column holds.
MAX_ID = 2**31 - 1
# A password: long enough for any passphrase, short enough to hash cheaply.
PASSWORD_LENGTH = 200
