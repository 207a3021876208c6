"""Fit the advisor's model on the labelled cases and write advisor/engine/data/model.json.

Deterministic: the same catalog and cases give the same file. Prints the out-of-fold figures
(``--no-evaluate`` skips them) and the coefficients.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from advisor.catalog_source import load_entries, load_labels, load_stacks
from advisor.engine.model import MODEL_PATH, untrained_model
from advisor.engine.report import format_report, load_labelled, out_of_fold, train
from advisor.engine.scoring import Engine


def build(ranking: str = "learned", *, rules: bool = True) -> Engine:
    return Engine(
        load_entries(),
        load_stacks(),
        labels=load_labels(),
        model=untrained_model(),
        use_rules=rules,
        use_synonyms=rules,
        ranking=ranking,
    )


def progress_writer(stream):
    def write(label: str, done: int, total: int) -> None:
        if done == total or done % 50 == 0:
            stream.write(f"  {label}: {done}/{total}")

    return write


class Command(BaseCommand):
    help = "Fit the advisor's ranking and verdict model on the labelled cases."

    def add_arguments(self, parser):
        parser.add_argument("--output", default=str(MODEL_PATH), help="Where to write the model.")
        parser.add_argument(
            "--no-evaluate", action="store_true", help="Skip the out-of-fold figures."
        )

    def handle(self, *args, output: str, no_evaluate: bool = False, **options):
        if not load_entries():
            raise CommandError("The catalog is empty: load it first (manage.py load_catalog).")
        labelled = load_labelled()
        progress = progress_writer(self.stdout)
        engine = build()
        self.stdout.write(
            f"Training on {len(labelled.cases)} cases "
            f"({sum(labelled.held_out)} real, {sum(labelled.no_fit)} no-fit)"
        )
        cases_digest = hashlib.sha1(
            "".join(sorted(c.id for c in labelled.cases)).encode()
        ).hexdigest()[:8]
        model = train(
            engine=engine, labelled=labelled, version=f"cases-{cases_digest}", progress=progress
        )
        Path(output).write_text(model.to_json(), encoding="utf-8")
        self.stdout.write(f"Wrote {output} (version {model.version})")
        for name, value in sorted(
            zip(model.ranker.features, model.ranker.coefficients, strict=True),
            key=lambda pair: -abs(pair[1]),
        ):
            self.stdout.write(f"  {name:24} {value:+.3f}")
        self.stdout.write(
            f"  verdict cut points: no-fit below {model.no_fit_below:.3f}, "
            f"unsure below {model.unsure_below:.3f}"
        )
        weights = sorted(model.scope.terms.items(), key=lambda item: item[1][1])
        self.stdout.write(
            f"  scope word model: {len(weights)} terms; most against an answer: "
            f"{', '.join(t for t, _ in weights[:12])}; most for one: "
            f"{', '.join(t for t, _ in weights[-12:][::-1])}"
        )
        if not no_evaluate:
            report = out_of_fold(
                engine=build(),
                baselines={"text": build("text", rules=False), "bm25": build("bm25", rules=False)},
                labelled=labelled,
                progress=progress,
            )
            self.stdout.write(format_report(report))
