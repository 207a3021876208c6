"""Delete query records and feedback older than ADVISOR_QUERY_RETENTION_DAYS (default 90)."""

from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from advisor import querylog


class Command(BaseCommand):
    help = "Delete advisor query records and feedback older than the retention (run daily)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--days",
            type=int,
            default=None,
            help="Keep this many days instead of ADVISOR_QUERY_RETENTION_DAYS.",
        )

    def handle(self, *args, days: int | None = None, **options):
        keep = settings.ADVISOR_QUERY_RETENTION_DAYS if days is None else days
        if keep < 1:
            raise CommandError("The retention must be at least one day.")
        queries, feedback = querylog.purge(days=keep)
        self.stdout.write(
            f"Deleted {queries} query records and {feedback} feedback entries "
            f"older than {keep} days."
        )
