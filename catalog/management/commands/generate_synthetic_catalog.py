"""Add N synthetic entries drawn from the real catalog (benchmarks, scale tests), or remove them.

    manage.py generate_synthetic_catalog 10000 --seed 1
    manage.py generate_synthetic_catalog --remove

Never run by ``make run`` or the fixture loading: synthetic entries are not catalog content.
"""

import time

from django.core.management.base import BaseCommand, CommandError

from catalog import synthetic
from catalog.models import Project


class Command(BaseCommand):
    help = "Add N synthetic entries (slugs synthetic-...) mixed from the real catalog, or --remove."

    def add_arguments(self, parser):
        parser.add_argument("count", nargs="?", type=int, help="How many entries to add.")
        parser.add_argument("--seed", type=int, default=0, help="Random seed (default 0).")
        parser.add_argument(
            "--remove", action="store_true", help="Delete every synthetic entry instead."
        )

    def handle(self, *args, count=None, seed=0, remove=False, **options):
        started = time.perf_counter()
        if remove:
            if count is not None:
                raise CommandError("Give either a count or --remove, not both.")
            removed = synthetic.remove()
            self.stdout.write(f"Removed {removed} synthetic entries.")
            return
        if count is None or count < 1:
            raise CommandError("Give how many entries to add (a positive number), or --remove.")
        if count > 100_000:
            raise CommandError("At most 100000 entries at a time.")
        if not Project.objects.exclude(slug__startswith=synthetic.PREFIX).exists():
            raise CommandError("The catalog is empty: load it first (manage.py load_catalog).")
        made = synthetic.generate(count=count, seed=seed)
        self.stdout.write(
            self.style.SUCCESS(
                f"Added {made} synthetic entries (seed {seed}) in "
                f"{time.perf_counter() - started:.1f} s; "
                f"the catalog holds {Project.objects.count()}."
            )
        )
