import io

import pytest
from PIL import Image

from jobs.photos import MAX_PHOTO_BYTES, PhotoRefused, clean_photo

GPS_IFD = 0x8825


def jpeg_with_gps(size=(2400, 1200), orientation=None) -> bytes:
    image = Image.new("RGB", size, "orange")
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x0110] = "Model X"  # Model
    exif[0x0132] = "2026:11:29 10:00:00"  # DateTime
    exif[GPS_IFD] = {1: "N", 2: (35.0, 40.0, 12.0), 3: "E", 4: (139.0, 45.0, 30.0)}
    if orientation:
        exif[0x0112] = orientation
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", exif=exif.tobytes())
    return buffer.getvalue()


def test_the_original_does_have_gps_before_cleaning():
    assert Image.open(io.BytesIO(jpeg_with_gps())).getexif().get_ifd(GPS_IFD)


def test_a_photo_with_gps_comes_out_with_no_metadata_at_all():
    cleaned = Image.open(clean_photo(jpeg_with_gps()))
    assert cleaned.format == "JPEG"
    assert dict(cleaned.getexif()) == {}
    assert not cleaned.getexif().get_ifd(GPS_IFD)
    assert "exif" not in cleaned.info and "icc_profile" not in cleaned.info


def test_it_is_downscaled_and_turned_upright():
    # Orientation 6: the camera was held sideways; the clean photo is rotated and has no tag.
    cleaned = Image.open(clean_photo(jpeg_with_gps(size=(2400, 1200), orientation=6)))
    assert cleaned.size == (800, 1600)


def test_a_decompression_bomb_is_refused():
    buffer = io.BytesIO()
    Image.new("1", (12000, 12000)).save(buffer, "PNG")  # 144 megapixels in a few kilobytes
    assert len(buffer.getvalue()) < 1_000_000
    with pytest.raises(PhotoRefused) as refused:
        clean_photo(buffer.getvalue())
    assert refused.value.code == "photo_too_many_pixels"


def test_a_truncated_jpeg_is_refused():
    data = jpeg_with_gps()
    with pytest.raises(PhotoRefused) as refused:
        clean_photo(data[: len(data) // 2])
    assert refused.value.code == "not_a_photo"


def test_a_text_file_renamed_jpg_is_refused():
    with pytest.raises(PhotoRefused) as refused:
        clean_photo("これは写真ではありません".encode(), name="photo.jpg")
    assert refused.value.code == "not_a_photo"


def test_a_file_over_the_byte_limit_is_refused_before_it_is_opened():
    with pytest.raises(PhotoRefused) as refused:
        clean_photo(b"\xff" * (MAX_PHOTO_BYTES + 1))
    assert refused.value.code == "photo_too_large"
