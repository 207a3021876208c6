"""The gap report: questions the advisor could not answer, for editors to label.

No-fit and unsure queries and unhelpful feedback, grouped by their normalised text (or, for
structured answers only, by the answers), with counts; ``export_gap_cases`` prints them in the
evaluation-case format (``advisor/evaluation/cases.json``).
"""

from __future__ import annotations

import hashlib
import json
import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from .models import Feedback, QueryRecord
from .querylog import question_key

_CJK = re.compile(r"[\u3400-\u9fff]")
ANSWER_KEYS = (
    "q",
    "scenario",
    "scale",
    "framework",
    "data_type",
    "deployment",
    "maintained_only",
    "open_source_only",
)


@dataclass
class Gap:
    key: str
    text: str
    params: dict[str, Any]  # the latest parameters of the group
    asked: int = 0  # times a no-fit or unsure answer was given
    verdicts: Counter = field(default_factory=Counter)
    unhelpful: int = 0
    expected: Counter = field(default_factory=Counter)
    comments: list[str] = field(default_factory=list)
    last_seen: Any = None

    @property
    def total(self) -> int:
        return self.asked + self.unhelpful

    @property
    def language(self) -> str:
        """The question's language: Chinese when it has Chinese characters, else the UI's."""
        if _CJK.search(self.text):
            return "zh"
        if self.text:
            return "en"
        return "en" if str(self.params.get("lang", "")).startswith("en") else "zh"

    @property
    def verdict_summary(self) -> str:
        return ", ".join(f"{verdict} {count}" for verdict, count in self.verdicts.most_common())

    @property
    def expected_summary(self) -> str:
        return ", ".join(f"{slug} {count}" for slug, count in self.expected.most_common())


def group_key(params: dict[str, Any]) -> str:
    key = question_key(params)
    if key["q"]:
        return key["q"]
    return json.dumps(key, sort_keys=True, ensure_ascii=False)


def _touch(gap: Gap, when, params: dict[str, Any]) -> None:
    if gap.last_seen is None or when > gap.last_seen:
        gap.last_seen = when
        gap.params = params


def gap_report(*, since_days: int | None = None) -> list[Gap]:
    """The groups, most often unanswered first (two queries)."""
    gaps: dict[str, Gap] = {}

    def gap_for(params: dict[str, Any], text: str) -> Gap:
        key = group_key(params)
        if key not in gaps:
            gaps[key] = Gap(key=key, text=text, params=params)
        return gaps[key]

    for record in QueryRecord.objects.since(since_days).unanswered().order_by("last_seen"):
        gap = gap_for(record.params, record.text)
        gap.asked += record.times
        gap.verdicts[record.verdict] += record.times
        _touch(gap, record.last_seen, record.params)
    feedback = Feedback.objects.since(since_days).unhelpful().select_related("expected")
    for item in feedback.order_by("created"):
        gap = gap_for(item.query, item.text)
        gap.unhelpful += 1
        if item.expected is not None:
            gap.expected[item.expected.slug] += 1
        if item.comment:
            gap.comments.append(item.comment)
        _touch(gap, item.created, item.query)
    return sorted(gaps.values(), key=lambda g: (-g.total, -(g.last_seen.timestamp()), g.key))


def as_case(gap: Gap) -> dict[str, Any]:
    """One gap as an evaluation case: the answers, the expected entries people named (best
    first) or none, and a note with the counts."""
    answers = {name: gap.params.get(name) for name in ANSWER_KEYS}
    answers["q"] = str(answers["q"] or "")
    for name in ("scenario", "scale", "framework"):
        answers[name] = answers[name] or ""
    answers["data_type"] = list(answers["data_type"] or [])
    answers["deployment"] = answers["deployment"] or "any"
    answers["maintained_only"] = bool(answers["maintained_only"])
    answers["open_source_only"] = bool(answers["open_source_only"])
    digest = hashlib.sha256(gap.key.encode("utf-8")).hexdigest()[:10]
    parts = []
    if gap.asked:
        parts.append(f"asked {gap.asked}x ({gap.verdict_summary})")
    if gap.unhelpful:
        parts.append(f"unhelpful feedback {gap.unhelpful}x")
    if gap.expected:
        parts.append(f"expected: {gap.expected_summary}")
    if gap.comments:
        parts.append("comments: " + " | ".join(c[:200] for c in gap.comments[-3:]))
    return {
        "id": f"gap-{gap.language}-{digest}",
        "language": gap.language,
        "source": "query log and feedback",
        "answers": answers,
        "expected_projects": [slug for slug, _ in gap.expected.most_common()],
        "expected_stack": None,
        "note": "; ".join(parts),
    }
