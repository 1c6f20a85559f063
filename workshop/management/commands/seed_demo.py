"""`manage.py seed_demo`: the demo workshop, its companies, participants and a month of history.
Safe to run again; it only adds what is missing."""

import logging
import time
import unicodedata

from django.conf import settings
from django.core import mail
from django.core.management.base import BaseCommand
from django.test.utils import override_settings

from companies.tokens import seed_demo_token
from workshop.demo import seed_demo

KEPT_IN_MEMORY = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}


class Command(BaseCommand):
    help = "Create the demo data (idempotent) and print the demo logins."

    def handle(self, *args, **options) -> None:
        started = time.monotonic()
        # The demo runs its tasks at once (reminders, splits); their lines would push the
        # logins, which are the point of this command's output, off the screen.
        tasks_log = logging.getLogger("django.tasks")
        level = tasks_log.level
        tasks_log.setLevel(logging.WARNING)
        # Nor are the e-mails the demo's own events send (a joint order's notices) printed:
        # they are kept in memory and counted.
        try:
            with override_settings(MAILERS=KEPT_IN_MEMORY):
                before = len(getattr(mail, "outbox", []))
                logins = seed_demo()
                sent = len(getattr(mail, "outbox", [])) - before
        finally:
            tasks_log.setLevel(level)
        seconds = time.monotonic() - started
        self.stdout.write(self.style.SUCCESS(f"Demo data ready in {seconds:.1f} s."))
        if sent:
            self.stdout.write(f"({sent} e-mails the demo's events sent were not printed.)")
        self.stdout.write("")
        rows = [("role", "e-mail", "password", "lands on")]
        rows += [(login.role, login.email, login.password, login.lands) for login in logins]
        widths = [max(_width(row[column]) for row in rows) for column in range(3)]
        for number, row in enumerate(rows):
            cells = [_pad(cell, width) for cell, width in zip(row, widths, strict=False)]
            self.stdout.write("  ".join([*cells, row[3]]).rstrip())
            if number == 0:
                self.stdout.write("  ".join("-" * width for width in [*widths, len(row[3])]))
        self.stdout.write(
            f"\nDemo API token of 丘の上印刷 (okanoue-print): {seed_demo_token()}\n"
            f"Try: curl -H 'Authorization: Bearer <token>' {settings.SITE_URL}/api/v1/orders/"
            "  (see docs/api.md)"
        )


def _width(text: str) -> int:
    """Columns on a terminal: Japanese characters take two."""
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))
