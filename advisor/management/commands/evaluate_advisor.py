"""Print the advisor's out-of-fold figures on the labelled real questions.

Grouped k-fold (cases from one source in one fold): every question is ranked by a model fitted
without its fold, next to plain TF-IDF and BM25 on the same questions. hit@1, hit@3, MRR,
not-top-3 cases, stack accuracy, no-fit verdicts and false "unsure", per language.
"""

from __future__ import annotations

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from advisor.catalog_source import load_entries
from advisor.engine.evaluation import CASES_PATH, REAL_CASES_PATH
from advisor.engine.report import format_report, load_labelled, out_of_fold
from advisor.engine.training import FOLDS

from .train_advisor import build, progress_writer


class Command(BaseCommand):
    help = "Evaluate the advisor out of fold (hit@1, hit@3, MRR, stacks, verdicts)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--json", action="store_true", dest="as_json", help="Print the figures as JSON."
        )
        parser.add_argument(
            "--cases", default=str(REAL_CASES_PATH),
            help="The labelled real questions (JSON, with their source URLs).",
        )
        parser.add_argument(
            "--authored", default=str(CASES_PATH),
            help="Hand-written examples added to every fold's training ('' for none).",
        )
        parser.add_argument("--folds", type=int, default=FOLDS)
        parser.add_argument(
            "--misses", action="store_true",
            help="Also list the real questions whose first answer is not an expected entry.",
        )

    def handle(self, *args, as_json: bool = False, cases: str = "", authored: str = "",
               folds: int = FOLDS, misses: bool = False, **options):
        if not load_entries():
            raise CommandError("The catalog is empty: load it first (manage.py load_catalog).")
        try:
            labelled = load_labelled(
                real_path=Path(cases), authored_path=Path(authored) if authored else None
            )
        except (OSError, ValueError, KeyError, TypeError) as error:
            raise CommandError(f"Cannot read the cases from {cases}: {error}") from error
        groups = len(set(labelled.groups))
        if groups < 2:
            raise CommandError("Out-of-fold figures need cases from at least two sources.")
        report = out_of_fold(
            engine=build(),
            baselines={"text": build("text", rules=False), "bm25": build("bm25", rules=False)},
            labelled=labelled,
            k=min(folds, groups),
            progress=None if as_json else progress_writer(self.stderr),
        )
        if as_json:
            payload = report.as_dict()
            if misses:
                payload["misses"] = [
                    {"id": o.case_id, "expected": o.expected_projects, "top3": o.ranking[:3]}
                    for o in report.misses
                ]
            self.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2))
            return
        self.stdout.write(format_report(report))
        if misses:
            self.stdout.write("\nReal questions whose first answer is not an expected entry:")
            for o in report.misses:
                self.stdout.write(
                    f"- {o.case_id}: expected {', '.join(o.expected_projects)}; "
                    f"top 3 {', '.join(o.ranking[:3]) or '(none)'}"
                )
