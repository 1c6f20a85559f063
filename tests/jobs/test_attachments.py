import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from jobs.attachments import MAX_ATTACHMENT_BYTES, AttachmentRefused, identify


def png_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (20, 10), "tan").save(buffer, "PNG")
    return buffer.getvalue()


def test_it_recognises_a_pdf_by_its_content():
    kind = identify(SimpleUploadedFile("spec.bin", b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n"))
    assert (kind.content_type, kind.extension) == ("application/pdf", "pdf")


def test_it_recognises_an_image_whatever_its_name():
    kind = identify(SimpleUploadedFile("sample.pdf", png_bytes()))
    assert (kind.content_type, kind.extension) == ("image/png", "png")


def test_it_accepts_a_shift_jis_csv():
    data = "品番,品名,数量\nA-1,封筒,100\n".encode("cp932")
    assert identify(SimpleUploadedFile("items.csv", data)).content_type == "text/csv"


def test_it_refuses_an_executable_renamed_as_a_pdf():
    executable = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 200
    with pytest.raises(AttachmentRefused) as refused:
        identify(SimpleUploadedFile("invoice.pdf", executable))
    assert refused.value.code == "unsupported_file_type"


def test_it_refuses_an_elf_binary_renamed_as_csv():
    with pytest.raises(AttachmentRefused):
        identify(SimpleUploadedFile("data.csv", b"\x7fELF\x02\x01\x01" + b"\x00" * 100))


def test_it_refuses_a_file_over_twenty_megabytes():
    upload = SimpleUploadedFile("big.pdf", b"%PDF-1.7\n")
    upload.size = MAX_ATTACHMENT_BYTES + 1
    with pytest.raises(AttachmentRefused) as refused:
        identify(upload)
    assert refused.value.code == "too_large"


def test_it_refuses_an_empty_file():
    with pytest.raises(AttachmentRefused) as refused:
        identify(SimpleUploadedFile("empty.csv", b""))
    assert refused.value.code == "empty_file"
