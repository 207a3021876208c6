"""The features of one (answers, entry) pair: what the learned ranker scores (pure, no Django).

Every text signal and every rule of the engine is one column here. Values are in [0, 1]
(a fit, a share, or 0/1 for a rule that fires), so a coefficient of the model reads as "what
this signal is worth". ``GROUP`` maps each feature to the reason it is shown under, so a
reason's contribution is the sum of its features' real contributions to the score.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

import numpy as np

from .rules import Component

# name -> the reason (component) it is explained under; "" for features without a reason line
# of their own (they still count in the score).
FEATURE_GROUPS: dict[str, str] = {
    "text": "text",  # TF-IDF cosine over the whole entry, scaled so the best match is 1
    "text_raw": "text",  # the same cosine, unscaled: how much the catalog speaks about it
    "bm25": "text",  # BM25 over the same tokens, scaled to the best match
    "chars": "text",  # character n-grams of names and summaries: typos, partial names
    "names": "text",  # TF-IDF cosine with the entry's names and aliases alone
    "summary": "text",  # ... with its two summaries alone
    "concepts": "text",  # share of the question's concepts (synonym data) the entry has
    "named_target": "named",  # the question names the entry as what it asks about
    "named_context": "named",  # ... names it as background ("our X job")
    "counterpart_wanted": "named",  # the question asks for a counterpart of a named entry
    "scenario_fit": "scenario",
    "scenario_fit_inferred": "scenario",
    "scenario_miss": "scenario",
    "scenario_miss_inferred": "scenario",
    "framework_fit": "framework",
    "framework_unsupported": "framework",  # no support said (neutral) or a conflict
    "framework_conflict": "framework",
    "framework_unavoidable": "framework",
    "framework_avoided": "framework",  # supports only a framework the user is leaving
    "data_type_fit": "data-type",
    "data_type_miss": "data-type",
    "scale_fit": "scale",
    "scale_miss": "scale",
    "purpose_unasked": "purpose",
    "deployment_fit": "deployment",
    "deployment_conflict": "deployment",
    "low_activity": "maintenance",
    "unmaintained": "maintenance",
    "offered_instead": "offered",  # the fit it inherits from a ruled-out entry
    "gives_way": "maintenance",  # it is ruled out and something is offered instead
    "learning_unasked": "",  # a course or competition for a need not about learning
    "no_text_match": "text",  # the question has matched terms; this entry has none
    "cloud_service": "",
    "stack_core": "stack",  # core member of the best stack, times that stack's score
}
FEATURES: tuple[str, ...] = tuple(FEATURE_GROUPS)
# The sign a feature's coefficient must have: a fit can only add, a conflict or a miss can only
# take away (the model is fitted within these bounds, so a reason that says "passed" never
# lowers the score); 0: free.
SIGNS: dict[str, int] = {
    **dict.fromkeys(
        (
            "text",
            "text_raw",
            "bm25",
            "chars",
            "names",
            "summary",
            "concepts",
            "named_target",
            "counterpart_wanted",
            "scenario_fit",
            "scenario_fit_inferred",
            "framework_fit",
            "data_type_fit",
            "scale_fit",
            "deployment_fit",
            "offered_instead",
            "stack_core",
        ),
        1,
    ),
    **dict.fromkeys(
        (
            "scenario_miss",
            "scenario_miss_inferred",
            "framework_conflict",
            "framework_unavoidable",
            "framework_avoided",
            "framework_unsupported",
            "data_type_miss",
            "scale_miss",
            "purpose_unasked",
            "deployment_conflict",
            "low_activity",
            "unmaintained",
            "gives_way",
            "learning_unasked",
            "no_text_match",
        ),
        -1,
    ),
}
# The first stage scores without ``stack_core`` (the stacks are scored from its scores).
STAGE_ONE: tuple[str, ...] = tuple(f for f in FEATURES if f != "stack_core")


class Pair(Protocol):
    """What the engine knows about one entry for one question (``scoring.Scored``)."""

    components: list[Component]
    raw_text: float
    named_as: str
    framework_conflict: bool
    replaces: str | None
    inherited: float
    gives_way: bool
    off_topic: str


@dataclass(frozen=True)
class QuerySignals:
    """Per-question arrays in the engine's entry order, and flags of the question."""

    bm25: np.ndarray
    chars: np.ndarray
    names: np.ndarray
    summary: np.ndarray
    concepts: np.ndarray
    named_context: frozenset[str] = frozenset()
    counterpart_wanted: frozenset[str] = frozenset()  # slugs offered as wanted counterparts
    avoided_only: frozenset[str] = frozenset()  # slugs supporting only left frameworks
    text_matched: bool = False
    bm25_top: float = 0.0  # the best raw BM25 score


def scaled(values: np.ndarray) -> np.ndarray:
    """Values divided by the largest (all zeros stay zeros)."""
    top = float(values.max()) if values.size else 0.0
    return values / top if top > 0 else np.zeros_like(values)


def pair_features(
    item: Pair,
    *,
    position: int,
    slug: str,
    kind: str,
    signals: QuerySignals,
    wants_learning: bool,
    stated_scenario: bool,
    unavoidable_penalty: float,
) -> dict[str, float]:
    """The features of one entry (``position`` in the engine's order) for one question;
    ``stack_core`` is filled by the engine once the stacks are scored."""
    components: dict[str, Component] = {}
    for component in item.components:  # the first of a name, if there were two
        components.setdefault(component.name, component)
    # Keys in ``FEATURES`` order (``dict.fromkeys``; assignments keep it): ``values()`` is the
    # feature row.
    f = dict.fromkeys(FEATURES, 0.0)
    text = components.get("text")
    if text is not None:
        f["text"] = text.value
        f["text_raw"] = min(1.0, item.raw_text)
        f["bm25"] = float(signals.bm25[position])
        f["chars"] = float(signals.chars[position])
        f["names"] = float(signals.names[position])
        f["summary"] = float(signals.summary[position])
        f["concepts"] = float(signals.concepts[position])
        f["no_text_match"] = float(signals.text_matched and item.raw_text <= 0)
    if item.named_as:
        key = "named_context" if slug in signals.named_context else "named_target"
        f[key] = 1.0
    f["counterpart_wanted"] = float(slug in signals.counterpart_wanted)
    scenario = components.get("scenario")
    if scenario is not None:
        suffix = "" if stated_scenario else "_inferred"
        f[("scenario_fit" if scenario.value >= 1 else "scenario_miss") + suffix] = 1.0
    framework = components.get("framework")
    if framework is not None:
        if framework.penalty < 1.0:
            unavoidable = abs(framework.penalty - unavoidable_penalty) < 1e-9
            f["framework_unavoidable" if unavoidable else "framework_conflict"] = 1.0
        elif not framework.neutral:
            f["framework_fit"] = framework.value
        if framework.value < 1.0:
            # A conflict is "unsupported" and more: it can never rank above a neutral entry.
            f["framework_unsupported"] = 1.0
    f["framework_avoided"] = float(slug in signals.avoided_only)
    data_type = components.get("data-type")
    if data_type is not None and not data_type.neutral:
        f["data_type_fit"] = data_type.value
        f["data_type_miss"] = 1.0 - data_type.value
    scale = components.get("scale")
    if scale is not None:
        f["scale_fit"] = scale.value
        f["scale_miss"] = float(scale.value < 1)
    f["purpose_unasked"] = float("purpose" in components)
    deployment = components.get("deployment")
    if deployment is not None:
        f["deployment_fit" if deployment.value >= 1 else "deployment_conflict"] = 1.0
    maintenance = components.get("maintenance")
    if maintenance is not None and maintenance.value < 1:
        f["unmaintained" if maintenance.value <= 0 else "low_activity"] = 1.0
    if item.replaces:
        f["offered_instead"] = item.inherited
    f["gives_way"] = float(item.gives_way)
    f["learning_unasked"] = float(kind == "learning-resource" and not wants_learning)
    f["cloud_service"] = float(kind == "cloud-service")
    return f
