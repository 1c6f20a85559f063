"""Photos from participants' phones (invariant 6). A photo taken at home must never reveal the
home: it is opened by Pillow under limits on bytes and pixels, turned upright, stripped of all
metadata (EXIF with GPS, device and time; XMP; ICC), downscaled and re-encoded as a new JPEG.
Only the re-encoded bytes are kept; the original is read from memory and never written.

Views that accept photos must keep uploads in memory (MemoryFileUploadHandler with a limit of
MAX_PHOTO_BYTES), so that Django does not spool the original to a temporary file."""

import io
import warnings

from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from workshop.rules import RuleError

MAX_PHOTO_BYTES = 15 * 1024 * 1024
MAX_PHOTO_PIXELS = 40_000_000  # a 40-megapixel phone camera; decompression bombs are far larger
LONGEST_SIDE = 1600
JPEG_QUALITY = 82


class PhotoRefused(RuleError):
    """The photo cannot be used; the message says what to do instead."""


def clean_photo(data: bytes, *, name: str = "photo") -> ContentFile:
    """The photo as a fresh JPEG with no metadata, or PhotoRefused saying why not."""
    if len(data) > MAX_PHOTO_BYTES:
        raise PhotoRefused(
            _("This photo is too large. Please take it again or choose a smaller one."),
            code="photo_too_large",
        )
    try:
        with warnings.catch_warnings():
            # Pillow only warns between the limit and twice the limit; refuse both alike.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as opened:
                if opened.width * opened.height > MAX_PHOTO_PIXELS:
                    raise PhotoRefused(
                        _("This picture is too big to open. Please take a normal photo."),
                        code="photo_too_many_pixels",
                    )
                opened.load()  # a truncated or corrupt file fails here, not later
                upright = ImageOps.exif_transpose(opened)
    except PhotoRefused:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise PhotoRefused(
            _("This picture is too big to open. Please take a normal photo."),
            code="photo_too_many_pixels",
        ) from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise PhotoRefused(
            _("This file could not be opened as a photo. Please try taking it again."),
            code="not_a_photo",
        ) from None

    picture = upright.convert("RGB")
    picture.thumbnail((LONGEST_SIDE, LONGEST_SIDE), Image.Resampling.LANCZOS)
    # A new image made from the pixels alone carries no EXIF, XMP, ICC or comments.
    clean = Image.new("RGB", picture.size)
    clean.paste(picture)
    out = io.BytesIO()
    clean.save(out, "JPEG", quality=JPEG_QUALITY, optimize=True)
    return ContentFile(out.getvalue(), name=f"{name}.jpg")
