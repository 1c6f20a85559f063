"""`manage.py purge_expired`: delete support records whose retention has passed. Meant to run
every day (docs/privacy.md); running it twice deletes nothing more."""

import datetime

from django.core.management.base import BaseCommand, CommandParser

from participants.privacy import purge_expired


class Command(BaseCommand):
    help = (
        "Delete support notes, goals, reviews, small steps and step changes of participants "
        "whose retention period has passed. Prints counts, never content."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--dry-run", action="store_true", help="Count what would be deleted; delete nothing."
        )
        parser.add_argument(
            "--today",
            type=datetime.date.fromisoformat,
            help="Act as if today were this date (YYYY-MM-DD); for checking a schedule.",
        )

    def handle(self, *args, dry_run: bool, today: datetime.date | None, **options) -> None:
        report = purge_expired(today=today, dry_run=dry_run)
        verb = "Would delete" if dry_run else "Deleted"
        totals = ", ".join(f"{name}={count}" for name, count in report.totals.items())
        self.stdout.write(f"{verb} the records of {len(report.counts)} participant(s): {totals}")
        for participant_id, counts in sorted(report.counts.items()):
            detail = ", ".join(f"{name}={count}" for name, count in counts.items())
            self.stdout.write(f"  participant {participant_id}: {detail}")
        if report.introductions_not_taken:
            self.stdout.write(
                f"{verb} {report.introductions_not_taken} introduction(s) answered 'cannot now'"
            )
