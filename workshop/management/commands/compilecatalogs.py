"""`manage.py compilecatalogs`: the project's .po files to .mo with Babel, no GNU gettext needed."""

from django.core.management.base import BaseCommand, CommandError

from workshop.catalogs import CatalogError, compile_all


class Command(BaseCommand):
    help = (
        "Compile every locale/*/LC_MESSAGES/*.po of the project to .mo with Babel "
        "(fuzzy and untranslated entries are left out, as msgfmt does)."
    )
    requires_system_checks = []

    def handle(self, *args, **options) -> None:
        try:
            results = compile_all()
        except CatalogError as error:
            raise CommandError(str(error)) from None
        for path, changed in results:
            if options["verbosity"] >= 2 or (changed and options["verbosity"] >= 1):
                state = "compiled" if changed else "up to date"
                self.stdout.write(f"{state}: {path.with_suffix('.mo')}")
        changed = sum(1 for _, was_changed in results if was_changed)
        if options["verbosity"] >= 1:
            self.stdout.write(self.style.SUCCESS(f"{len(results)} catalogs, {changed} compiled."))
