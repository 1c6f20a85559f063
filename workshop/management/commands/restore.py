"""`manage.py restore <folder>`: replace the database and the uploaded files with a backup."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from workshop.backups import BackupError, read_manifest, restore


class Command(BaseCommand):
    help = (
        "Replace the database and MEDIA_ROOT with a backup made by `manage.py backup`. Stop the "
        "site and the workers first. See docs/backup.md."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("folder", type=Path, help="A folder written by `manage.py backup`.")
        parser.add_argument(
            "--yes",
            action="store_true",
            help="Do not ask: everything now in the database and MEDIA_ROOT is replaced.",
        )

    def handle(self, *args, folder: Path, yes: bool, **options) -> None:
        try:
            manifest = read_manifest(folder)
            if not yes:
                answer = input(
                    f"Replace everything in this site's database and uploaded files with the "
                    f"backup of {manifest.created_at}? Type yes to go on: "
                )
                if answer.strip().lower() != "yes":
                    raise CommandError("Nothing was changed.")
            restore(folder)
        except BackupError as error:
            raise CommandError(str(error)) from None
        if options["verbosity"] >= 1:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Restored the backup of {manifest.created_at} "
                    f"({manifest.media_files} uploaded files). Run `manage.py migrate` if this "
                    "code is newer than the backup, then start the site."
                )
            )
