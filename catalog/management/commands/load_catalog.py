"""Load fixtures/catalog.json, but only into an empty catalog unless --force is given.

`make run` calls this on every start; editors' changes must survive it.
"""

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
        prune_catalog_changes()
        self.stdout.write(
            self.style.SUCCESS(
                f"Loaded the catalog: {Project.objects.count()} entries, "
                f"{Link.objects.count()} links, {Relation.objects.count()} relations, "
                f"{Stack.objects.count()} stacks."
            )
        )
