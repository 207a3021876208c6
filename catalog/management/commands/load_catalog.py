"""Load fixtures/catalog.json, but only into an empty catalog unless --force is given.

`make run` calls this on every start; editors' changes must survive it. Entries the fixture
gives no aliases get those of fixtures/project_aliases.json (slug -> names), if present. Every
row the load creates gets its first history version (stating the row as loaded, aliases
included), and with --force every row it changes gets a version with the reason
"load_catalog --force", so history always states the current value.
"""

import json
from pathlib import Path

from django.conf import settings
from django.core import serializers
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from catalog.loading import record_loaded_history, save_rows
from catalog.models import Link, Project, Relation, Stack
from catalog.versioning import bump_catalog_version, prune_catalog_changes


def fixture_path() -> Path:
    for directory in settings.FIXTURE_DIRS:
        path = Path(directory) / "catalog.json"
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
            filled = fill_missing_aliases()
            versions = record_loaded_history(objects, reason=reason)
            bump_catalog_version()  # once for the whole load
        prune_catalog_changes()
        self.stdout.write(
            self.style.SUCCESS(
                f"Loaded the catalog: {Project.objects.count()} entries, "
                f"{Link.objects.count()} links, {Relation.objects.count()} relations, "
                f"{Stack.objects.count()} stacks"
                + (f", aliases for {filled} entries" if filled else "")
                + f"; {versions} history versions written (reason \"{reason}\")."
            )
        )


ALIASES_FILE = Path(settings.BASE_DIR) / "fixtures" / "project_aliases.json"


def fill_missing_aliases(path: Path = ALIASES_FILE) -> int:
    """Give entries without aliases those of ``path``; returns how many entries got some.
    Part of the load: the history version the load writes next states them."""
    if not path.exists():
        return 0
    aliases: dict[str, list[str]] = json.loads(path.read_text(encoding="utf-8"))
    filled = 0
    for project in Project.objects.filter(slug__in=aliases):
        if project.aliases:
            continue
        names = [str(name) for name in aliases[project.slug]]
        Project.objects.filter(pk=project.pk).update(aliases=names)
        filled += 1
    return filled
