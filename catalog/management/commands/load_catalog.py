"""Load fixtures/catalog.json, but only into an empty catalog unless --force is given.

`make run` calls this on every start; editors' changes must survive it. Every row the load
creates gets its first history version, and with --force every row it changes gets a version
with the reason "load_catalog --force", so history always states the current value.
"""

from django.conf import settings
from django.core import serializers
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from catalog.loading import record_loaded_history, save_rows
from catalog.models import Link, Project, Relation, Stack
from catalog.versioning import bump_catalog_version, prune_catalog_changes


def fixture_path():
    for directory in settings.FIXTURE_DIRS:
        path = directory / "catalog.json"
        if path.exists():
            return path
    raise CommandError("fixtures/catalog.json not found in FIXTURE_DIRS")


class Command(BaseCommand):
    help = "Load the catalog fixture into an empty database (use --force to reload over edits)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--force",
            action="store_true",
            help="Load even when entries exist: fixture fields overwrite editors' changes "
            "(each overwritten row gets a history version saying so).",
        )

    def handle(self, *args, force: bool = False, **options):
        existing = Project.objects.count()
        if existing and not force:
            prune_catalog_changes()
            self.stdout.write(
                f"Catalog already holds {existing} entries: not loading "
                "(editors' changes are kept; use --force to reload the fixture over them)."
            )
            return
        reason = "load_catalog --force" if force else "load_catalog"
        with fixture_path().open(encoding="utf-8") as handle, transaction.atomic():
            objects = save_rows(
                serializers.deserialize("json", handle, handle_forward_references=True)
            )
            versions = record_loaded_history(objects, reason=reason)
            bump_catalog_version()  # once for the whole load
        prune_catalog_changes()
        self.stdout.write(
            self.style.SUCCESS(
                f"Loaded the catalog: {Project.objects.count()} entries, "
                f"{Link.objects.count()} links, {Relation.objects.count()} relations, "
                f"{Stack.objects.count()} stacks; {versions} history versions written "
                f'(reason "{reason}").'
            )
        )
