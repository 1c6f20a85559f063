"""Backup and restore, with the commands docs/backup.md tells operators to run: back up, wipe
everything, restore, and every order, log, photo, document and support record is there
again, byte for byte. On SQLite here, on PostgreSQL in CI's second run."""

import datetime
import io
import uuid
from pathlib import Path

import pytest
from django.apps import apps
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from PIL import Image

from jobs import deliveries, orders, review, work
from jobs.models import OrderFile, ProgressLog
from participants import pathway
from tests import factories
from workshop.backups import MANIFEST, MEDIA_ARCHIVE

APPS = ("workshop", "companies", "jobs", "participants", "auth")


@pytest.fixture
def media(settings, tmp_path):
    """Files on disk, as in production (the suite otherwise keeps them in memory)."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    }
    return settings.MEDIA_ROOT


def jpeg() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), "orange").save(buffer, "JPEG")
    return buffer.getvalue()


@pytest.fixture
def a_month_of_work(transactional_db, media, workshop_a, company_a, staff_a, member_a):
    """Orders, an attachment, units, logs with a photo, a delivery (its slip), a support note
    with its audit log: one of each kind of thing a workshop must not lose."""
    order = factories.OrderFactory(
        workshop=workshop_a, company=company_a, quantity=20, status="in_progress"
    )
    orders.attach_file(
        order=order,
        by=member_a,
        upload=SimpleUploadedFile("仕様書.pdf", b"%PDF-1.7\n% spec\n", "application/pdf"),
    )
    participant = factories.ParticipantFactory(workshop=workshop_a, nickname="そら")
    unit = factories.WorkUnitFactory(order=order, quantity=20)
    work.claim_unit(unit_id=unit.pk, participant=participant)
    work.log_progress(
        unit=unit,
        participant=participant,
        client_uuid=uuid.uuid4(),
        quantity=20,
        minutes=30,
        photo=ContentFile(jpeg(), name="photo.jpg"),
    )
    work.finish_unit(unit=unit, participant=participant)
    review.approve_unit(unit=unit, by=staff_a)
    deliveries.record_delivery(
        order=order,
        by=staff_a,
        quantity=20,
        delivered_on=datetime.date(2026, 11, 20),
        method="pickup",
    )
    pathway.record_consent(
        participant=participant,
        recorded_by=staff_a,
        explained="説明した",
        text_version="2026-04",
        given_on=datetime.date(2026, 4, 1),
        method="verbal",
    )
    pathway.write_note(
        participant=participant,
        on=datetime.date(2026, 11, 20),
        kind="interview",
        text="朝は起きにくいと話していた",
        author=staff_a,
    )
    return order


def everything() -> dict[str, list[dict]]:
    return {
        model._meta.label: list(model._base_manager.order_by("pk").values())
        for app in APPS
        for model in apps.get_app_config(app).get_models()
    }


def stored_files(media_root: Path) -> dict[str, bytes]:
    return {
        str(path.relative_to(media_root)): path.read_bytes()
        for path in sorted(media_root.rglob("*"))
        if path.is_file()
    }


def wipe(media_root: Path) -> None:
    call_command("flush", interactive=False, verbosity=0)
    for path in sorted(media_root.rglob("*"), reverse=True):
        path.unlink() if path.is_file() else path.rmdir()


def test_a_backup_restores_every_order_log_photo_and_document(a_month_of_work, media, tmp_path):
    before, files = everything(), stored_files(media)
    assert ProgressLog.objects.exclude(photo="").count() == 1 and OrderFile.objects.count() == 1
    assert len(files) == 2  # the photo and the attachment

    call_command("backup", tmp_path / "backup", verbosity=0)
    wipe(media)
    assert not everything()["jobs.Order"] and not stored_files(media)
    call_command("restore", tmp_path / "backup", yes=True, verbosity=0)

    assert everything() == before
    assert stored_files(media) == files
    log = ProgressLog.objects.exclude(photo="").get()
    with log.photo.open("rb") as photo:
        assert photo.read() == files[log.photo.name]


def test_the_backup_is_readable_by_its_owner_only(a_month_of_work, tmp_path):
    call_command("backup", tmp_path / "backup", verbosity=0)

    folder = tmp_path / "backup"
    assert folder.stat().st_mode & 0o077 == 0
    for path in folder.iterdir():
        assert path.stat().st_mode & 0o077 == 0, path


def test_a_damaged_backup_is_refused_before_anything_is_replaced(a_month_of_work, media, tmp_path):
    call_command("backup", tmp_path / "backup", verbosity=0)
    archive = tmp_path / "backup" / MEDIA_ARCHIVE
    archive.write_bytes(archive.read_bytes()[:-10])
    before = everything()

    with pytest.raises(CommandError, match="damaged"):
        call_command("restore", tmp_path / "backup", yes=True, verbosity=0)

    assert everything() == before


def test_a_backup_never_overwrites_an_earlier_one(a_month_of_work, tmp_path):
    call_command("backup", tmp_path / "backup", verbosity=0)
    manifest = (tmp_path / "backup" / MANIFEST).read_text()

    with pytest.raises(CommandError, match="already exists"):
        call_command("backup", tmp_path / "backup", verbosity=0)

    assert (tmp_path / "backup" / MANIFEST).read_text() == manifest
