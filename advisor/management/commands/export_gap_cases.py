"""Print the questions the advisor could not answer as evaluation cases (JSON list).

No-fit and unsure queries and unhelpful feedback, grouped by normalised text, in the format of
``advisor/evaluation/cases.json`` (``expected_projects`` from the entries people said they
expected); editors label them and add them to the set.
"""

from __future__ import annotations

import json

from django.core.management.base import BaseCommand, CommandError

from advisor.gaps import as_case, gap_report


class Command(BaseCommand):
    help = "Print unanswered questions (no-fit, unsure, unhelpful feedback) as evaluation cases."

    def add_arguments(self, parser):
        parser.add_argument(
            "--since", type=int, default=None, metavar="DAYS", help="Only the last DAYS days."
        )

    def handle(self, *args, since: int | None = None, **options):
        if since is not None and since < 1:
            raise CommandError("--since must be a positive number of days.")
        cases = [as_case(gap) for gap in gap_report(since_days=since)]
        self.stdout.write(json.dumps(cases, ensure_ascii=False, indent=1))
