"""`manage.py backup <folder>`: the database and the uploaded files, in one new folder."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from workshop.backups import BackupError, back_up


class Command(BaseCommand):
    help = (
        "Back up the database (SQLite online backup, or pg_dump) and MEDIA_ROOT into a new "
        "folder, with a manifest of SHA-256 sums. See docs/backup.md."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("folder", type=Path, help="A folder that does not exist yet.")

    def handle(self, *args, folder: Path, **options) -> None:
        try:
            manifest = back_up(folder)
        except BackupError as error:
            raise CommandError(str(error)) from None
        if options["verbosity"] >= 1:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Backed up the {manifest.engine} database and {manifest.media_files} "
                    f"uploaded files to {folder}. Encrypt it before it leaves this machine."
                )
            )
