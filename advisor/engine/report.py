"""The advisor's figures, out of fold, next to plain TF-IDF and BM25 (pure, no Django).

The labelled set is the real questions (``real_cases.json``, each with its source URL: the
figures that count) plus the hand-written examples (``cases.json``, training only by default:
they were written alongside the rules). Every real case is ranked by a model fitted without
its fold (``training.cross_validate``); the baselines need no training.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from .evaluation import (
    CASES_PATH,
    REAL_CASES_PATH,
    Case,
    Outcome,
    compute_metrics,
    load_cases,
    outcome_of,
    parse_cases,
)
from .scoring import Engine
from .training import FOLDS, Prepared, cross_validate, fit_model, prepare
from .types import Advice, ProjectResult

GROUPS = ("all", "zh", "en")


@dataclass(frozen=True)
class LabelledSet:
    cases: tuple[Case, ...]
    groups: tuple[str, ...]  # the source: one source's cases share a fold
    no_fit: tuple[bool, ...]
    held_out: tuple[bool, ...]  # a real case (the figures); False: a hand-written example


def load_labelled(
    *, real_path: Path = REAL_CASES_PATH, authored_path: Path | None = CASES_PATH
) -> LabelledSet:
    raw = json.loads(real_path.read_text(encoding="utf-8"))["cases"]
    answerable = [c for c in raw if c.get("kind") != "no-fit"]
    empty = [c for c in raw if c.get("kind") == "no-fit"]
    real = parse_cases({"cases": answerable}) + parse_cases({"cases": empty}, no_fit=True)
    sources = {str(c["id"]): str(c.get("source") or c["id"]) for c in raw}
    authored = load_cases(authored_path) if authored_path else []
    cases = (*real, *authored)
    return LabelledSet(
        cases=cases,
        groups=tuple([sources[c.id] for c in real] + [f"authored:{c.id}" for c in authored]),
        no_fit=tuple([False] * len(answerable) + [True] * len(empty) + [False] * len(authored)),
        held_out=tuple([True] * len(real) + [False] * len(authored)),
    )


@dataclass(frozen=True)
class Figures:
    cases: int
    hit_at_1: float
    hit_at_3: float
    mrr: float
    not_top_3: int  # answerable cases with no expected entry in the top 3
    stack_cases: int
    stack_accuracy: float
    no_fit_cases: int = 0
    no_fit_verdicts: float = 0.0  # share of the no-fit cases called "no-fit"
    flagged: float = 0.0  # share of the answerable cases called "unsure" or "no-fit"


@dataclass
class Report:
    folds: int
    learned: dict[str, Figures] = field(default_factory=dict)
    # The learned ranking before the verdict: what the advice would list if no question were
    # judged out of the catalog's reach (how much the no-fit verdict costs answerable ones).
    ranking: dict[str, Figures] = field(default_factory=dict)
    text: dict[str, Figures] = field(default_factory=dict)
    bm25: dict[str, Figures] = field(default_factory=dict)
    authored: dict[str, Figures] = field(default_factory=dict)
    misses: list[Outcome] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "folds": self.folds,
            **{
                name: {g: asdict(f) for g, f in getattr(self, name).items()}
                for name in ("learned", "ranking", "text", "bm25", "authored")
            },
        }


def figures(
    answered: Sequence[tuple[Case, Advice]], empty: Sequence[tuple[Case, Advice]] = ()
) -> dict[str, Figures]:
    out: dict[str, Figures] = {}
    for group in GROUPS:

        def keep(case: Case, group: str = group) -> bool:
            return group == "all" or case.language == group

        pairs = [(c, a) for c, a in answered if keep(c)]
        nothing = [(c, a) for c, a in empty if keep(c)]
        m = compute_metrics([outcome_of(c, a) for c, a in pairs])
        n = len(pairs) or 1
        out[group] = Figures(
            cases=m.cases,
            hit_at_1=m.hit_at_1,
            hit_at_3=m.hit_at_3,
            mrr=m.mrr,
            not_top_3=sum(1 for c, a in pairs if not outcome_of(c, a).hit(3)),
            stack_cases=m.stack_cases,
            stack_accuracy=m.stack_accuracy,
            no_fit_cases=len(nothing),
            no_fit_verdicts=round(sum(a.verdict == "no-fit" for _, a in nothing) / len(nothing), 4)
            if nothing
            else 0.0,
            flagged=round(sum(a.verdict != "fit" for _, a in pairs) / n, 4),
        )
    return out


def out_of_fold(
    *,
    engine: Engine,
    baselines: dict[str, Engine],
    labelled: LabelledSet,
    k: int = FOLDS,
    progress: Callable[[str, int, int], None] | None = None,
) -> Report:
    """Out-of-fold figures of the learned engine, and the baselines' on the same cases."""

    def step(label: str) -> Callable[[int, int], None] | None:
        return (lambda done, total: progress(label, done, total)) if progress else None

    items = prepare(
        engine,
        labelled.cases,
        groups=labelled.groups,
        no_fit=labelled.no_fit,
        progress=step("features"),
    )
    models = cross_validate(engine, items, k=k, progress=step("folds"))
    answered: list[tuple[Case, Advice]] = []
    ranked: list[tuple[Case, Advice]] = []
    empty: list[tuple[Case, Advice]] = []
    authored: list[tuple[Case, Advice]] = []
    for item, held_out in zip(items, labelled.held_out, strict=True):
        engine.rank(item.state, model=models[item.case.id])
        advice = engine.finish(item.state)
        target = empty if item.no_fit else answered if held_out else authored
        target.append((item.case, advice))
        if held_out and not item.no_fit:
            listed = engine.ranking(item.state)[:10]
            ranked.append(
                (
                    item.case,
                    Advice(
                        answers=item.case.answers,
                        confidence=advice.confidence,
                        projects=tuple(
                            ProjectResult(s.slug, s.entry.name, s.score) for s in listed
                        ),
                        stacks=advice.stacks or item.state.stacks,
                    ),
                )
            )
    report = Report(
        folds=k,
        learned=figures(answered, empty),
        ranking=figures(ranked),
        authored=figures(authored),
    )
    report.misses = [o for o in (outcome_of(c, a) for c, a in answered) if not o.hit(1)]
    for name, baseline in baselines.items():
        pairs = [(c, baseline.advise(c.answers)) for c, _ in answered]
        setattr(report, name, figures(pairs))
    return report


def train(
    *,
    engine: Engine,
    labelled: LabelledSet,
    version: str,
    progress: Callable[[str, int, int], None] | None = None,
):
    """The shipped model: fitted on every labelled case."""
    items: list[Prepared] = prepare(
        engine,
        labelled.cases,
        groups=labelled.groups,
        no_fit=labelled.no_fit,
        progress=(lambda d, t: progress("features", d, t)) if progress else None,
    )
    return fit_model(engine, items, version=version)


def format_report(report: Report) -> str:
    lines = [
        f"Out of fold ({report.folds}-fold, grouped by source) on the real questions; "
        "baselines on the same questions.",
        "",
        "| ranker | group | cases | hit@1 | hit@3 | MRR | not top 3 | stack acc. (cases) "
        "| no-fit verdicts (cases) | unsure/no-fit on answerable |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for name in ("learned", "ranking", "text", "bm25", "authored"):
        for group, f in getattr(report, name).items():
            verdicts = f"{f.no_fit_verdicts:.3f} ({f.no_fit_cases})" if name == "learned" else "-"
            flagged = f"{f.flagged:.3f}" if name in ("learned", "authored") else "-"
            label = {
                "learned": "learned (out of fold)",
                "ranking": "learned ranking, before the verdict",
                "text": "plain TF-IDF",
                "bm25": "BM25",
                "authored": "learned, hand-written examples",
            }[name]
            lines.append(
                f"| {label} | {group} | {f.cases} | {f.hit_at_1:.3f} | {f.hit_at_3:.3f} | "
                f"{f.mrr:.3f} | {f.not_top_3} | {f.stack_accuracy:.3f} ({f.stack_cases}) | "
                f"{verdicts} | {flagged} |"
            )
    return "\n".join(lines)
