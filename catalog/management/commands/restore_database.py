"""Load a `backup_database` file into a freshly migrated, empty database.

Rows are saved as they were, history included: no history version and no catalog change row
is added by the restore itself (catalog/loading.py), so a backup of the restored database is
identical to the one restored.
"""

import gzip
from pathlib import Path

from django.apps import apps
from django.core import serializers
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from catalog.loading import save_rows
from catalog.models import CatalogChange

# Created by `migrate` itself; everything else must be empty.
MIGRATE_CREATES = {"contenttypes.contenttype", "auth.permission"}


def open_backup(path: Path):
    if path.name.endswith(".gz"):
        return gzip.open(path, "rt", encoding="utf-8")
    return path.open(encoding="utf-8")


class Command(BaseCommand):
    help = "Restore a backup_database file into an empty (freshly migrated) database."

    def add_arguments(self, parser):
        parser.add_argument("file", help="The backup (.json or .json.gz).")

    def handle(self, *args, file: str, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"{path}: no such backup file")
        occupied = [
            model._meta.label
            for model in apps.get_models()
            if model._meta.label_lower not in MIGRATE_CREATES
            and model is not CatalogChange
            and model._base_manager.exists()
        ]
        if occupied:
            raise CommandError(
                "the database is not empty (" + ", ".join(sorted(occupied)[:5])
                + (", ..." if len(occupied) > 5 else "")
                + "): restore into a fresh database (new DATABASE_URL or a new SQLite file, "
                "then `manage.py migrate`)"
            )
        try:
            with open_backup(path) as handle, transaction.atomic():
                # The change log is restored as it was (it only stamps the catalog's version).
                CatalogChange.objects.all().delete()
                rows = save_rows(
                    serializers.deserialize(
                        "backup-json", handle, handle_forward_references=True
                    )
                )
        except (serializers.base.DeserializationError, OSError, ValueError) as error:
            raise CommandError(
                f"{path}: not a readable backup ({error}); nothing restored"
            ) from error
        self.stdout.write(self.style.SUCCESS(f"Restored {len(rows):,} rows from {path}"))
