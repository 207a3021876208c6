"""The held-out set of real users' needs (advisor/evaluation/real_cases.json) is well formed."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from catalog.models import DataType, Framework, Project, Scale, Scenario, Stack

pytestmark = pytest.mark.django_db
REAL_CASES = Path(__file__).resolve().parent.parent / "advisor" / "evaluation" / "real_cases.json"


def _cases() -> list[dict]:
    return json.loads(REAL_CASES.read_text(encoding="utf-8"))["cases"]


def test_every_case_names_its_source_and_labels_known_slugs():
    entries = set(Project.objects.values_list("slug", flat=True))
    stacks = set(Stack.objects.values_list("slug", flat=True))
    vocab = {
        "scenario": set(Scenario.objects.values_list("slug", flat=True)),
        "scale": set(Scale.objects.values_list("slug", flat=True)),
        "framework": set(Framework.objects.values_list("slug", flat=True)),
        "data_type": set(DataType.objects.values_list("slug", flat=True)),
    }
    ids = [case["id"] for case in _cases()]
    assert len(ids) == len(set(ids))
    for case in _cases():
        assert urlsplit(case["source"]).scheme in ("https", "http"), case["id"]
        assert case["language"] in {"zh", "en"}
        assert len(case["expected_projects"]) <= 2, case["id"]
        assert set(case["expected_projects"]) <= entries, case["id"]
        assert case["expected_stack"] in stacks | {None}, case["id"]
        if case["kind"] == "no-fit":
            assert not case["expected_projects"] and case["expected_stack"] is None
        else:
            assert case["expected_projects"], case["id"]
        answers = case["answers"]
        for key in ("scenario", "scale", "framework"):
            assert answers[key] in vocab[key] | {""}, (case["id"], key)
        assert set(answers["data_type"]) <= vocab["data_type"], case["id"]
        if case["kind"] == "structured-only":
            assert not answers["q"]


def test_the_set_is_balanced_and_covers_the_hard_kinds():
    cases = _cases()
    languages = Counter(case["language"] for case in cases)
    kinds = Counter(case["kind"] for case in cases)
    assert abs(languages["zh"] - languages["en"]) <= 0.1 * len(cases)
    assert kinds["no-fit"] >= 24
    assert kinds["stack"] + sum(1 for c in cases if c["expected_stack"]) >= 30
    for kind in ("typo", "mixed-language", "long-noisy", "structured-only"):
        assert kinds[kind] >= 3, kind
