"""Print the advisor's figures on the labelled evaluation set (advisor/evaluation/cases.json).

hit@1, hit@3, MRR and stack accuracy, overall and per language, for the full engine and three
ablations: without rules, without the synonym map, and plain TF-IDF (neither).
"""

from __future__ import annotations

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from advisor.catalog_source import load_entries, load_labels, load_stacks
from advisor.engine.evaluation import (
    CASES_PATH,
    VARIANTS,
    evaluate,
    figures_as_dict,
    format_table,
    load_cases,
)
from advisor.engine.scoring import Engine


class Command(BaseCommand):
    help = "Evaluate the advisor on the labelled use cases (hit@1, hit@3, MRR, stack accuracy)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--json", action="store_true", dest="as_json", help="Print the figures as JSON."
        )
        parser.add_argument(
            "--cases", default=str(CASES_PATH), help="Path of the labelled cases (JSON)."
        )
        parser.add_argument(
            "--misses",
            action="store_true",
            help="Also list the full engine's cases whose top 3 holds no expected entry.",
        )

    def handle(self, *args, as_json: bool = False, cases: str = "", misses: bool = False,
               **options):
        try:
            case_list = load_cases(Path(cases))
        except (OSError, ValueError, KeyError) as error:
            raise CommandError(f"Cannot read the cases from {cases}: {error}") from error
        entries, stacks, labels = load_entries(), load_stacks(), load_labels()
        if not entries:
            raise CommandError("The catalog is empty: load it first (manage.py load_catalog).")
        known = {e.slug for e in entries}
        unknown = sorted(
            {slug for case in case_list for slug in case.expected_projects} - known
        )
        if unknown:
            self.stderr.write(f"Expected slugs not in the catalog: {', '.join(unknown)}")

        def make(use_rules: bool, use_synonyms: bool) -> Engine:
            return Engine(
                entries, stacks, use_rules=use_rules, use_synonyms=use_synonyms, labels=labels
            )

        figures, outcomes = evaluate(make, case_list, variants=VARIANTS)
        if as_json:
            payload = {"cases": len(case_list), "figures": figures_as_dict(figures)}
            if misses:
                payload["misses"] = [
                    {"id": o.case_id, "expected": o.expected_projects, "top3": o.ranking[:3]}
                    for o in outcomes["full"]
                    if not o.hit(3)
                ]
            self.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2))
            return
        self.stdout.write(f"{len(case_list)} cases, {len(entries)} entries, {len(stacks)} stacks")
        self.stdout.write(format_table(figures))
        if misses:
            self.stdout.write("\nFull engine: cases without an expected entry in the top 3")
            for o in outcomes["full"]:
                if not o.hit(3):
                    self.stdout.write(
                        f"- {o.case_id}: expected {', '.join(o.expected_projects)}; "
                        f"top 3 {', '.join(o.ranking[:3]) or '(none)'}"
                    )
            self.stdout.write("\nFull engine: stack misses")
            for o in outcomes["full"]:
                if o.stack_correct is False:
                    self.stdout.write(
                        f"- {o.case_id}: expected {o.expected_stack}; got {o.top_stack}"
                    )

