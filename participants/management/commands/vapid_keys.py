"""`manage.py vapid_keys`: print a new Web Push key pair for the VAPID_* settings
(docs/homework.md). Made locally, no network."""

from django.core.management.base import BaseCommand

from participants.reminders import new_key_pair


class Command(BaseCommand):
    help = "Print a new VAPID key pair for Web Push reminders (set them in the environment)."

    def handle(self, *args, **options) -> None:
        private, public = new_key_pair()
        self.stdout.write(f"VAPID_PRIVATE_KEY={private}")
        self.stdout.write(f"VAPID_PUBLIC_KEY={public}")
