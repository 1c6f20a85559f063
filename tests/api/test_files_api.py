"""Files through the API: read by content, not by name; too large is 413."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from jobs import attachments
from jobs.models import OrderFile
from tests.i18n import ja


@pytest.fixture
def files_url(order_a):
    return f"/api/v1/orders/{order_a.pk}/files/"


def upload(client, url, name: str, content: bytes):
    return client.post(url, {"file": SimpleUploadedFile(name, content)}, format="multipart")


def test_it_attaches_an_image_under_its_real_type(api_a, files_url):
    png = io.BytesIO()
    Image.new("RGB", (4, 4), "white").save(png, "PNG")
    response = upload(api_a, files_url, "sample.jpg", png.getvalue())
    assert response.status_code == 201
    assert response.json()["content_type"] == "image/png"
    assert response.json()["size"] == len(png.getvalue())


def test_an_executable_renamed_as_a_pdf_is_refused(api_a, files_url):
    program = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 200
    response = upload(api_a, files_url, "仕様書.pdf", program)
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "unsupported_file_type"
    assert body["errors"]["file"] == [
        ja("Only PDF files, images (JPEG, PNG, GIF, WebP) and CSV files can be attached.")
    ]
    assert not OrderFile.objects.exists()


def test_an_empty_file_is_refused(api_a, files_url):
    response = upload(api_a, files_url, "empty.csv", b"")
    assert response.status_code == 400
    assert response.json()["code"] == "empty_file"


def test_a_request_without_a_file_says_which_field_is_missing(api_a, files_url):
    response = api_a.post(files_url, {}, format="multipart")
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["file"]


def test_a_file_over_the_limit_is_413(api_a, files_url, monkeypatch):
    # The limit is 20 MB; a small limit tests the same path without allocating 20 MB.
    monkeypatch.setattr(attachments, "MAX_ATTACHMENT_BYTES", 1024)
    response = upload(api_a, files_url, "big.pdf", b"%PDF-1.7\n" + b"0" * 2048)
    assert response.status_code == 413
    assert response.json()["code"] == "too_large"
    assert not OrderFile.objects.exists()


def test_a_request_far_over_the_limit_is_413_before_it_is_read(api_a, files_url, monkeypatch):
    monkeypatch.setattr(attachments, "MAX_ATTACHMENT_BYTES", 1024)
    response = upload(api_a, files_url, "huge.pdf", b"%PDF-1.7\n" + b"0" * 100_000)
    assert response.status_code == 413
    assert response.json() == {
        "code": "too_large",
        "detail": ja("The request is too large."),
        "errors": {},
    }


def test_a_json_body_over_the_data_limit_is_413(api_a, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    response = api_a.post("/api/v1/orders/", {"title": "x" * 2000}, format="json")
    assert response.status_code == 413
    assert response.json()["code"] == "too_large"
