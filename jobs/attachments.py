"""Files that companies attach to orders (specifications, samples): what they are is decided
by their content, never by their name, and anything else is refused with a message."""

import csv
import io
from dataclasses import dataclass

from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

from workshop.rules import RuleError

MAX_ATTACHMENT_BYTES = 20 * 1024 * 1024
# Enough to decode a header and a few rows; the rest is not needed to know what a file is.
SNIFF_BYTES = 64 * 1024
IMAGE_FORMATS = {"JPEG": "image/jpeg", "PNG": "image/png", "GIF": "image/gif", "WEBP": "image/webp"}
CSV_ENCODINGS = ("utf-8-sig", "cp932")


class AttachmentRefused(RuleError):
    """The file cannot be attached; `code` is machine-readable, the message says what to do."""


@dataclass(frozen=True)
class Kind:
    content_type: str
    extension: str


def _decode(head: bytes) -> str | None:
    """The head as text in one of the encodings companies' CSV exports use, or None."""
    for encoding in CSV_ENCODINGS:
        try:
            return head.decode(encoding)
        except UnicodeDecodeError as error:
            # The sniffed head may end inside a multi-byte character: that is not an error.
            if len(head) == SNIFF_BYTES and error.start >= len(head) - 3:
                return head[: error.start].decode(encoding, errors="strict")
    return None


def _looks_like_csv(head: bytes) -> bool:
    if b"\x00" in head:
        return False
    text = _decode(head)
    if text is None:
        return False
    lines = [line for line in text.splitlines() if line.strip()][:20]
    if not lines:
        return False
    try:
        rows = list(csv.reader(io.StringIO("\n".join(lines))))
    except csv.Error:
        return False
    return bool(rows)


def identify(upload: UploadedFile) -> Kind:
    """What the file is, read from its bytes. Raises AttachmentRefused for anything that is
    not a PDF, a common image or a CSV, and for files over the size limit."""
    if upload.size is not None and upload.size > MAX_ATTACHMENT_BYTES:
        raise AttachmentRefused(
            _("This file is larger than 20 MB. Please make it smaller or split it."),
            code="too_large",
        )
    upload.seek(0)
    head = upload.read(SNIFF_BYTES)
    upload.seek(0)
    if not head:
        raise AttachmentRefused(_("This file is empty."), code="empty_file")
    if head.startswith(b"%PDF-"):
        return Kind("application/pdf", "pdf")
    try:
        with Image.open(upload) as image:
            image_format = image.format
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        image_format = None
    finally:
        upload.seek(0)
    if image_format in IMAGE_FORMATS:
        return Kind(IMAGE_FORMATS[image_format], image_format.lower().replace("jpeg", "jpg"))
    if _looks_like_csv(head):
        return Kind("text/csv", "csv")
    raise AttachmentRefused(
        _("Only PDF files, images (JPEG, PNG, GIF, WebP) and CSV files can be attached."),
        code="unsupported_file_type",
    )
