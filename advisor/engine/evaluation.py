"""Measuring the advisor on labelled use cases (pure: no Django).

A case is a questionnaire with the acceptable top answers, best first, and the stack that fits
best (or none). Figures:

- hit@k: share of cases where ANY expected slug is among the top k projects;
- MRR: mean of 1 / rank of the first expected slug in the ranking (0 when absent);
- stack accuracy: share of the cases that expect a stack whose top stack is that stack.

Each is reported overall and per language (zh / en), for four variants of the engine so the
contribution of the rules and of the synonym map can be seen.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Protocol

from .types import Advice, Answers

CASES_PATH = Path(__file__).resolve().parent.parent / "evaluation" / "cases.json"
# The held-out real questions; those of kind "no-fit" expect the verdict "no-fit".
REAL_CASES_PATH = CASES_PATH.with_name("real_cases.json")

# name -> (use_rules, use_synonyms)
VARIANTS: dict[str, tuple[bool, bool]] = {
    "full": (True, True),
    "no-rules": (False, True),
    "no-synonyms": (True, False),
    "plain": (False, False),
}
GROUPS = ("all", "zh", "en")
RANKING_DEPTH = 10


class Advisor(Protocol):
    def advise(self, answers: Answers, *, limit: int = 10) -> Advice: ...


@dataclass(frozen=True)
class Case:
    id: str
    language: str
    answers: Answers
    expected_projects: tuple[str, ...]
    expected_stack: str | None
    note: str = ""


@dataclass(frozen=True)
class Outcome:
    case_id: str
    language: str
    ranking: tuple[str, ...]
    top_stack: str | None
    expected_projects: tuple[str, ...]
    expected_stack: str | None

    @property
    def rank(self) -> int | None:
        """1-based rank of the first expected slug in the ranking, or None."""
        for position, slug in enumerate(self.ranking, start=1):
            if slug in self.expected_projects:
                return position
        return None

    def hit(self, k: int) -> bool:
        rank = self.rank
        return rank is not None and rank <= k

    @property
    def stack_correct(self) -> bool | None:
        if self.expected_stack is None:
            return None
        return self.top_stack == self.expected_stack


@dataclass(frozen=True)
class Metrics:
    cases: int
    hit_at_1: float
    hit_at_3: float
    mrr: float
    stack_cases: int
    stack_accuracy: float


def answers_from_case(raw: Mapping[str, Any], *, language: str) -> Answers:
    """A case's answers (the questionnaire's field names) as engine ``Answers``."""
    data_types = raw.get("data_type") or []
    if isinstance(data_types, str):
        data_types = [data_types]
    return Answers(
        text=str(raw.get("q") or ""),
        scenario=str(raw.get("scenario") or ""),
        scale=str(raw.get("scale") or ""),
        framework=str(raw.get("framework") or ""),
        data_types=frozenset(str(d) for d in data_types if d),
        deployment=str(raw.get("deployment") or "any"),
        maintained_only=bool(raw.get("maintained_only", False)),
        open_source_only=bool(raw.get("open_source_only", False)),
        language=language,
    )


def parse_cases(data: Mapping[str, Any], *, no_fit: bool = False) -> list[Case]:
    """Cases from their JSON; ``no_fit``: cases that expect no entry (and must name none)."""
    cases: list[Case] = []
    seen: set[str] = set()
    for raw in data["cases"]:
        case_id = str(raw["id"])
        if case_id in seen:
            raise ValueError(f"duplicate case id {case_id!r}")
        seen.add(case_id)
        language = str(raw["language"])
        if language not in ("zh", "en"):
            raise ValueError(f"case {case_id!r}: language must be zh or en")
        expected = tuple(str(s) for s in raw["expected_projects"])
        if no_fit and expected:
            raise ValueError(f"case {case_id!r}: a no-fit case expects no project")
        if not expected and not no_fit:
            raise ValueError(f"case {case_id!r}: no expected project")
        cases.append(
            Case(
                id=case_id,
                language=language,
                answers=answers_from_case(raw["answers"], language=language),
                expected_projects=expected,
                expected_stack=raw.get("expected_stack") or None,
                note=str(raw.get("note", "")),
            )
        )
    return cases


def load_cases(path: Path = CASES_PATH, *, no_fit: bool = False) -> list[Case]:
    return parse_cases(json.loads(path.read_text(encoding="utf-8")), no_fit=no_fit)


def load_real_cases(path: Path = REAL_CASES_PATH) -> tuple[list[Case], list[Case]]:
    """The held-out real questions: (answerable, no-fit)."""
    raw = json.loads(path.read_text(encoding="utf-8"))["cases"]
    answerable = [case for case in raw if case.get("kind") != "no-fit"]
    no_fit = [case for case in raw if case.get("kind") == "no-fit"]
    return parse_cases({"cases": answerable}), parse_cases({"cases": no_fit}, no_fit=True)


def verdict_counts(advisor: Advisor, cases: Iterable[Case]) -> dict[str, int]:
    """How many cases get each verdict ("fit", "unsure", "no-fit")."""
    counts = dict.fromkeys(("fit", "unsure", "no-fit"), 0)
    for case in cases:
        verdict = advisor.advise(case.answers, limit=RANKING_DEPTH).verdict
        counts[verdict] = counts.get(verdict, 0) + 1
    return counts


def format_verdicts(**sets: Mapping[str, int]) -> str:
    """One line per case set: the verdicts the full engine gave."""

    def line(label: str, counts: Mapping[str, int]) -> str:
        total = sum(counts.values()) or 1
        parts = ", ".join(f"{v} {n} ({n / total:.0%})" for v, n in counts.items())
        return f"- {label} ({sum(counts.values())}): {parts}"

    lines = [line(label.replace("_", " "), counts) for label, counts in sets.items()]
    return "\n".join(["Verdicts (full engine):", *lines])


def run_case(advisor: Advisor, case: Case) -> Outcome:
    return outcome_of(case, advisor.advise(case.answers, limit=RANKING_DEPTH))


def outcome_of(case: Case, advice: Advice) -> Outcome:
    """What a case's advice ranked, next to what the case expects."""
    return Outcome(
        case_id=case.id,
        language=case.language,
        ranking=tuple(p.slug for p in advice.projects),
        top_stack=advice.stacks[0].slug if advice.stacks else None,
        expected_projects=case.expected_projects,
        expected_stack=case.expected_stack,
    )


def compute_metrics(outcomes: Sequence[Outcome]) -> Metrics:
    """hit@1, hit@3, MRR and stack accuracy of some outcomes (0.0 for none)."""
    n = len(outcomes)
    stack_outcomes = [o for o in outcomes if o.expected_stack is not None]
    if n == 0:
        return Metrics(0, 0.0, 0.0, 0.0, 0, 0.0)
    reciprocal = [1 / o.rank if o.rank else 0.0 for o in outcomes]
    return Metrics(
        cases=n,
        hit_at_1=round(sum(o.hit(1) for o in outcomes) / n, 4),
        hit_at_3=round(sum(o.hit(3) for o in outcomes) / n, 4),
        mrr=round(sum(reciprocal) / n, 4),
        stack_cases=len(stack_outcomes),
        stack_accuracy=round(
            sum(bool(o.stack_correct) for o in stack_outcomes) / len(stack_outcomes), 4
        )
        if stack_outcomes
        else 0.0,
    )


def metrics_by_group(outcomes: Sequence[Outcome]) -> dict[str, Metrics]:
    return {
        "all": compute_metrics(outcomes),
        "zh": compute_metrics([o for o in outcomes if o.language == "zh"]),
        "en": compute_metrics([o for o in outcomes if o.language == "en"]),
    }


def evaluate(
    make_advisor: Callable[[bool, bool], Advisor],
    cases: Iterable[Case],
    *,
    variants: Mapping[str, tuple[bool, bool]] = VARIANTS,
) -> tuple[dict[str, dict[str, Metrics]], dict[str, list[Outcome]]]:
    """Figures per variant and group, and the outcomes per variant (for reporting misses)."""
    case_list = list(cases)
    figures: dict[str, dict[str, Metrics]] = {}
    outcomes: dict[str, list[Outcome]] = {}
    for name, (use_rules, use_synonyms) in variants.items():
        advisor = make_advisor(use_rules, use_synonyms)
        outcomes[name] = [run_case(advisor, case) for case in case_list]
        figures[name] = metrics_by_group(outcomes[name])
    return figures, outcomes


def figures_as_dict(figures: Mapping[str, Mapping[str, Metrics]]) -> dict[str, Any]:
    return {v: {g: asdict(m) for g, m in groups.items()} for v, groups in figures.items()}


def format_table(figures: Mapping[str, Mapping[str, Metrics]]) -> str:
    """A Markdown table: one row per variant and group."""
    lines = [
        "| variant | group | cases | hit@1 | hit@3 | MRR | stack acc. (cases) |",
        "|---|---|---|---|---|---|---|",
    ]
    for variant, groups in figures.items():
        for group in GROUPS:
            m = groups[group]
            lines.append(
                f"| {variant} | {group} | {m.cases} | {m.hit_at_1:.3f} | {m.hit_at_3:.3f} | "
                f"{m.mrr:.3f} | {m.stack_accuracy:.3f} ({m.stack_cases}) |"
            )
    return "\n".join(lines)
