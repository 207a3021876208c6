"""Write every table (catalog, history, users, admin log, login attempts, sessions) to one
JSON file, gzip-compressed when the name ends in .gz; `restore_database` loads it back.

Content types and permissions are left out: `migrate` creates them in the target database,
and rows that point at them (admin log, user permissions) name them by natural key.
"""

from pathlib import Path

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

EXCLUDED = ["contenttypes", "auth.permission"]


class Command(BaseCommand):
    help = "Back up every table, history included, to a JSON file (.json or .json.gz)."

    def add_arguments(self, parser):
        parser.add_argument("--output", required=True, help="The file to write.")

    def handle(self, *args, output: str, **options):
        path = Path(output)
        if path.exists():
            raise CommandError(f"{path} exists: not overwriting a backup")
        if not path.name.endswith((".json", ".json.gz")):
            raise CommandError("the backup file name must end in .json or .json.gz")
        path.parent.mkdir(parents=True, exist_ok=True)
        call_command(
            "dumpdata",
            exclude=EXCLUDED,
            format="backup-json",  # microseconds kept (catalog/backup_format.py)
            natural_foreign=True,
            use_base_manager=True,  # every row, whatever a default manager hides
            output=str(path),
            verbosity=0,
        )
        size = path.stat().st_size
        self.stdout.write(self.style.SUCCESS(f"Backed up to {path} ({size:,} bytes)"))
