"""Backups of everything Engawa holds: the database (SQLite or PostgreSQL) and the uploaded files
(MEDIA_ROOT: cleaned photos, order attachments). `manage.py backup <folder>` writes one folder;
`manage.py restore <folder>` puts it back. docs/backup.md is the operator's guide, and
tests/workshop/test_backups.py runs exactly these commands.

A backup folder holds `database.sqlite3` (SQLite's online backup, consistent while the site
runs) or `database.dump` (`pg_dump --format=custom`), `media.tar.gz`, and `manifest.json` with
what was backed up and the SHA-256 of each file, checked before anything is restored. The
folder is readable by its owner only: it holds very private records. Encrypt it before it
leaves the machine (docs/backup.md)."""

import datetime
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import connection, connections
from django.db.migrations.recorder import MigrationRecorder

MANIFEST = "manifest.json"
MEDIA_ARCHIVE = "media.tar.gz"
SQLITE_FILE = "database.sqlite3"
POSTGRES_FILE = "database.dump"
FORMAT = 1


class BackupError(Exception):
    """Why a backup could not be made or restored; the message is for the operator."""


@dataclass(frozen=True)
class Manifest:
    created_at: str
    engine: str
    files: dict[str, str]  # name → SHA-256
    media_files: int
    last_migrations: dict[str, str]


def _engine() -> str:
    vendor = connection.vendor
    if vendor not in {"sqlite", "postgresql"}:
        raise BackupError(f"Backups support SQLite and PostgreSQL, not {vendor}.")
    return vendor


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as file:
        for block in iter(lambda: file.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _postgres_environment() -> dict[str, str]:
    """libpq's variables for pg_dump and pg_restore: the password never appears on a
    command line (where `ps` would show it)."""
    database = connection.settings_dict
    environment = {**os.environ, "PGDATABASE": database["NAME"]}
    for key, variable in (
        ("HOST", "PGHOST"),
        ("PORT", "PGPORT"),
        ("USER", "PGUSER"),
        ("PASSWORD", "PGPASSWORD"),
    ):
        if database.get(key):
            environment[variable] = str(database[key])
    if database.get("OPTIONS", {}).get("sslmode"):
        environment["PGSSLMODE"] = database["OPTIONS"]["sslmode"]
    return environment


def _run(command: list[str]) -> None:
    if shutil.which(command[0]) is None:
        raise BackupError(f"{command[0]} is not installed (apt-get install postgresql-client).")
    result = subprocess.run(
        command, env=_postgres_environment(), capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        raise BackupError(f"{command[0]} failed: {result.stderr.strip()}")


def _last_migrations() -> dict[str, str]:
    applied: dict[str, str] = {}
    for app, name in MigrationRecorder(connection).applied_migrations():
        applied[app] = max(applied.get(app, name), name)
    return dict(sorted(applied.items()))


def back_up(destination: Path) -> Manifest:
    """Write a backup of the database and the uploaded files into `destination`, a folder
    that must not exist yet."""
    destination = Path(destination)
    if destination.exists():
        raise BackupError(f"{destination} already exists; choose a new folder.")
    engine = _engine()
    destination.mkdir(parents=True, mode=0o700)
    if engine == "sqlite":
        database_file = destination / SQLITE_FILE
        # SQLite's online backup copies a consistent snapshot, write-ahead log included,
        # while the site keeps running (a plain file copy would not).
        source = sqlite3.connect(connection.settings_dict["NAME"])
        target = sqlite3.connect(database_file)
        try:
            source.backup(target)
        finally:
            target.close()
            source.close()
    else:
        database_file = destination / POSTGRES_FILE
        _run(["pg_dump", "--format=custom", "--no-owner", "--file", str(database_file)])
    media_root = Path(settings.MEDIA_ROOT)
    media_files = 0
    with tarfile.open(destination / MEDIA_ARCHIVE, "w:gz") as archive:
        if media_root.is_dir():
            for path in sorted(media_root.rglob("*")):
                if path.is_file():
                    archive.add(path, arcname=str(path.relative_to(media_root)))
                    media_files += 1
    files = {name: _sha256(destination / name) for name in (database_file.name, MEDIA_ARCHIVE)}
    for name in files:
        os.chmod(destination / name, 0o600)
    manifest = Manifest(
        created_at=datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        engine=engine,
        files=files,
        media_files=media_files,
        last_migrations=_last_migrations(),
    )
    manifest_path = destination / MANIFEST
    manifest_path.write_text(json.dumps({"format": FORMAT, **manifest.__dict__}, indent=2))
    os.chmod(manifest_path, 0o600)
    return manifest


def read_manifest(source: Path) -> Manifest:
    """The manifest of a backup folder, after checking every file against it."""
    source = Path(source)
    try:
        data = json.loads((source / MANIFEST).read_text())
    except (OSError, ValueError) as error:
        raise BackupError(f"{source} is not an Engawa backup: {error}") from None
    if data.pop("format", None) != FORMAT:
        raise BackupError(f"{source} was written by another version of the backup command.")
    manifest = Manifest(**data)
    for name, digest in manifest.files.items():
        path = source / name
        if not path.is_file() or _sha256(path) != digest:
            raise BackupError(f"{path} is missing or damaged (its SHA-256 does not match).")
    return manifest


def restore(source: Path) -> Manifest:
    """Replace the database and the uploaded files with the backup in `source`. Stop the site
    and the workers first: nothing may write while the database is replaced."""
    source = Path(source)
    manifest = read_manifest(source)
    engine = _engine()
    if manifest.engine != engine:
        raise BackupError(
            f"This backup is of {manifest.engine}; the site uses {engine}. Restore it into "
            f"{manifest.engine}, or move the data with `manage.py dumpdata`/`loaddata`."
        )
    connections.close_all()
    if engine == "sqlite":
        backup = sqlite3.connect(source / SQLITE_FILE)
        target = sqlite3.connect(connection.settings_dict["NAME"])
        try:
            backup.backup(target)
        finally:
            target.close()
            backup.close()
    else:
        _run(
            [
                "pg_restore",
                "--clean",
                "--if-exists",
                "--no-owner",
                "--single-transaction",
                "--exit-on-error",
                "--dbname",
                connection.settings_dict["NAME"],
                str(source / POSTGRES_FILE),
            ]
        )
    _restore_media(source / MEDIA_ARCHIVE, Path(settings.MEDIA_ROOT))
    return manifest


def _restore_media(archive_path: Path, media_root: Path) -> None:
    """Unpack into a new folder beside MEDIA_ROOT, then swap it in, so a failure half-way
    leaves the old files in place."""
    media_root.parent.mkdir(parents=True, exist_ok=True)
    unpacked = Path(tempfile.mkdtemp(dir=media_root.parent, prefix=".media-restore-"))
    try:
        with tarfile.open(archive_path, "r:gz") as archive:
            # "data": no absolute paths, no links out of the folder, no devices.
            archive.extractall(unpacked, filter="data")
        if media_root.exists():
            shutil.rmtree(media_root)
        unpacked.rename(media_root)
    except BaseException:
        shutil.rmtree(unpacked, ignore_errors=True)
        raise
