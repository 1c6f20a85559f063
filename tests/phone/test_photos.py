"""Photos sent with progress go through the real view: kept in memory, cleaned of every bit of
metadata (a photo taken at home must not reveal the home), and refused kindly when they are
not photos."""

import io

import pytest
from django.core.files.uploadedfile import TemporaryUploadedFile
from PIL import Image

from jobs.models import ProgressLog
from tests.i18n import ja, msgid
from tests.phone.conftest import GPS_IFD, bomb_png, jpeg_with_gps, log_fields, upload


@pytest.fixture
def no_temporary_files(settings, monkeypatch):
    """Django's own handlers would spool anything over one byte to a temporary file; the test
    fails if any upload is written there."""
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 1
    settings.FILE_UPLOAD_HANDLERS = ["django.core.files.uploadhandler.TemporaryFileUploadHandler"]

    def refuse(*args, **kwargs):
        raise AssertionError("an upload was written to a temporary file")

    monkeypatch.setattr(TemporaryUploadedFile, "__init__", refuse)


def test_a_photo_with_gps_is_stored_with_no_metadata_at_all(sora, held_a, no_temporary_files):
    original = jpeg_with_gps()
    assert Image.open(io.BytesIO(original)).getexif().get_ifd(GPS_IFD)

    response = sora.post(
        f"/units/{held_a.pk}/log/", {**log_fields(), "photo": upload(original, "IMG_0001.jpg")}
    )

    assert response.status_code == 302
    log = ProgressLog.objects.get()
    with log.photo.open("rb") as stored:
        data = stored.read()
    assert data != original
    assert "IMG_0001" not in log.photo.name
    cleaned = Image.open(io.BytesIO(data))
    assert cleaned.format == "JPEG"
    assert dict(cleaned.getexif()) == {}
    assert not cleaned.getexif().get_ifd(GPS_IFD)
    assert b"PhoneMaker" not in data and b"Model X" not in data


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (
            bomb_png(),
            "bomb.png",
            msgid("This picture is too big to open. Please take a normal photo."),
        ),
        (
            jpeg_with_gps()[:5000],
            "cut.jpg",
            msgid("This file could not be opened as a photo. Please try taking it again."),
        ),
        (
            b"not a photo at all, just words\n" * 20,
            "notes.jpg",
            msgid("This file could not be opened as a photo. Please try taking it again."),
        ),
    ],
    ids=["bomb", "truncated", "text-renamed-jpg"],
)
def test_it_refuses_what_is_not_a_photo_and_keeps_what_was_typed(
    sora, held_a, data, name, message, no_temporary_files
):
    fields = {
        **log_fields(quantity=7, minutes=33, note="封入しました"),
        "photo": upload(data, name),
    }

    response = sora.post(f"/units/{held_a.pk}/log/", fields)

    html = response.content.decode()
    assert response.status_code == 400
    assert ja(message) in html
    assert ja("Please choose the photo again; everything else you typed is kept.") in html
    assert 'value="7"' in html and 'value="33"' in html and "封入しました" in html
    assert ProgressLog.objects.count() == 0


def test_a_photo_over_the_byte_limit_is_refused_without_being_kept(
    sora, held_a, monkeypatch, no_temporary_files
):
    monkeypatch.setattr("participants.phone_views.MAX_PHOTO_BYTES", 10_000)
    big = jpeg_with_gps(size=(1600, 1600))
    assert len(big) > 10_000

    response = sora.post(f"/units/{held_a.pk}/log/", {**log_fields(), "photo": upload(big)})

    assert response.status_code == 400
    assert (
        ja("This photo is too large. Please take it again or choose a smaller one.")
        in response.content.decode()
    )
    assert ProgressLog.objects.count() == 0
