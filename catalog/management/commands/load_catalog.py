"""Load fixtures/catalog.json, but only into an empty catalog unless --force is given.

`make run` calls this on every start; editors' changes must survive it. Entries the fixture
gives no aliases get those of fixtures/project_aliases.json (slug -> names), if present.
"""

import json
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

from catalog.models import Link, Project, Relation, Stack
from catalog.versioning import prune_catalog_changes


class Command(BaseCommand):
    help = "Load the catalog fixture into an empty database (use --force to reload over edits)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--force",
            action="store_true",
            help="Load even when entries exist: fixture fields overwrite editors' changes.",
        )

    def handle(self, *args, force: bool = False, **options):
        # Loading bumps the catalog version once per row; only the newest change matters.
        prune_catalog_changes()
        existing = Project.objects.count()
        if existing and not force:
            self.stdout.write(
                f"Catalog already holds {existing} entries: not loading "
                "(editors' changes are kept; use --force to reload the fixture over them)."
            )
            return
        call_command("loaddata", "catalog", verbosity=0)
        filled = fill_missing_aliases()
        prune_catalog_changes()
        self.stdout.write(
            self.style.SUCCESS(
                f"Loaded the catalog: {Project.objects.count()} entries, "
                f"{Link.objects.count()} links, {Relation.objects.count()} relations, "
                f"{Stack.objects.count()} stacks"
                + (f", aliases for {filled} entries." if filled else ".")
            )
        )


ALIASES_FILE = Path(settings.BASE_DIR) / "fixtures" / "project_aliases.json"


def fill_missing_aliases(path: Path = ALIASES_FILE) -> int:
    """Give entries without aliases those of ``path``; returns how many entries got some."""
    if not path.exists():
        return 0
    aliases: dict[str, list[str]] = json.loads(path.read_text(encoding="utf-8"))
    filled = 0
    for project in Project.objects.filter(slug__in=aliases):
        if project.aliases:
            continue
        project.aliases = [str(name) for name in aliases[project.slug]]
        project.save(update_fields=["aliases"])  # recorded in the history, like an edit
        filled += 1
    return filled
