"""The learned part of the advisor: linear models read from a small versioned JSON artifact.

``manage.py train_advisor`` fits them on the labelled cases (``training.py``) and writes
``data/model.json``; the engine only reads it. Pure Python and numpy (no Django, no
scikit-learn at request time).

- ``stage_one``: a ranker over the pair features without ``stack_core``; the stacks are scored
  from its calibrated scores;
- ``ranker``: the final ranker over every feature (``features.FEATURES``);
- ``calibration``: (a, b) so that ``sigmoid(a * score + b)`` is the chance that the entry is an
  acceptable best answer: the score shown, and what the stacks add up;
- ``verdict``: the chance that the catalog answers the question at all, over
  ``verdict.VERDICT_FEATURES``; below ``no_fit_below`` the verdict is "no-fit", below
  ``unsure_below`` "unsure";
- ``scope``: a word model (TF-IDF weights of the question's tokens) for the chance that a
  question worded like this one is one the catalog answers: one of the verdict's features.
"""

from __future__ import annotations

import json
import math
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

MODEL_PATH = Path(__file__).resolve().parent / "data" / "model.json"
FORMAT = 2


def sigmoid(value: float) -> float:
    if value >= 0:
        return 1.0 / (1.0 + math.exp(-value))
    z = math.exp(value)
    return z / (1.0 + z)


@dataclass(frozen=True)
class LinearModel:
    """``intercept + sum(coefficient * feature)`` over named features."""

    features: tuple[str, ...]
    coefficients: tuple[float, ...]
    intercept: float = 0.0

    def __post_init__(self) -> None:
        if len(self.features) != len(self.coefficients):
            raise ValueError("one coefficient per feature")

    @property
    def vector(self) -> np.ndarray:
        return np.asarray(self.coefficients, dtype=float)

    def score(self, rows: np.ndarray) -> np.ndarray:
        """Scores of feature rows (columns in ``features`` order)."""
        if rows.size == 0:
            return np.zeros(rows.shape[0])
        return rows @ self.vector + self.intercept

    def contributions(self, values: Mapping[str, float]) -> dict[str, float]:
        """What each feature adds to the score of one row."""
        return {
            name: coefficient * float(values.get(name, 0.0))
            for name, coefficient in zip(self.features, self.coefficients, strict=True)
        }

    def as_dict(self) -> dict[str, Any]:
        return {
            "intercept": round(self.intercept, 6),
            "coefficients": {
                n: round(c, 6) for n, c in zip(self.features, self.coefficients, strict=True)
            },
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> LinearModel:
        coefficients = data["coefficients"]
        return cls(
            features=tuple(coefficients),
            coefficients=tuple(float(v) for v in coefficients.values()),
            intercept=float(data.get("intercept", 0.0)),
        )


@dataclass(frozen=True)
class WordModel:
    """Logistic regression over a text's TF-IDF vector (sublinear term frequency, L2 norm, as
    scikit-learn's ``TfidfVectorizer`` computes it): ``terms`` maps a token to (idf, weight);
    tokens it does not know are left out."""

    terms: Mapping[str, tuple[float, float]] = field(default_factory=dict)
    intercept: float = 0.0

    def chance(self, tokens: Iterable[str]) -> float:
        counts = Counter(t for t in tokens if t in self.terms)
        values = {t: (1.0 + math.log(n)) * self.terms[t][0] for t, n in counts.items()}
        norm = math.sqrt(sum(v * v for v in values.values()))
        score = self.intercept
        if norm > 0:
            score += sum(v / norm * self.terms[t][1] for t, v in values.items())
        return sigmoid(score)

    def as_dict(self) -> dict[str, Any]:
        return {
            "intercept": round(self.intercept, 6),
            "terms": {t: [round(i, 6), round(w, 6)] for t, (i, w) in sorted(self.terms.items())},
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> WordModel:
        return cls(
            terms={str(t): (float(i), float(w)) for t, (i, w) in data["terms"].items()},
            intercept=float(data.get("intercept", 0.0)),
        )


@dataclass(frozen=True)
class RankingModel:
    version: str
    stage_one: LinearModel
    ranker: LinearModel
    calibration: tuple[float, float]
    calibration_one: tuple[float, float]  # the same for ``stage_one``
    verdict: LinearModel
    no_fit_below: float
    unsure_below: float
    trained: Mapping[str, Any] = field(default_factory=dict)
    scope: WordModel = field(default_factory=WordModel)

    def probability(self, score: float) -> float:
        a, b = self.calibration
        return sigmoid(a * score + b)

    def probabilities(
        self, scores: Sequence[float] | np.ndarray, *, stage_one: bool = False
    ) -> np.ndarray:
        a, b = self.calibration_one if stage_one else self.calibration
        values = np.minimum(np.maximum(a * np.asarray(scores, dtype=float) + b, -50.0), 50.0)
        return 1.0 / (1.0 + np.exp(-values))

    def as_dict(self) -> dict[str, Any]:
        return {
            "format": FORMAT,
            "version": self.version,
            "stage_one": self.stage_one.as_dict(),
            "ranker": self.ranker.as_dict(),
            "calibration": [round(v, 6) for v in self.calibration],
            "calibration_one": [round(v, 6) for v in self.calibration_one],
            "verdict": self.verdict.as_dict(),
            "no_fit_below": round(self.no_fit_below, 6),
            "unsure_below": round(self.unsure_below, 6),
            "trained": dict(self.trained),
            "scope": self.scope.as_dict(),
        }

    def to_json(self) -> str:
        return json.dumps(self.as_dict(), ensure_ascii=False, indent=2, sort_keys=False) + "\n"

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> RankingModel:
        if data.get("format") != FORMAT:
            raise ValueError(f"model format {data.get('format')!r}, expected {FORMAT}")
        a, b = data["calibration"]
        a1, b1 = data["calibration_one"]
        return cls(
            version=str(data["version"]),
            stage_one=LinearModel.from_dict(data["stage_one"]),
            ranker=LinearModel.from_dict(data["ranker"]),
            calibration=(float(a), float(b)),
            calibration_one=(float(a1), float(b1)),
            verdict=LinearModel.from_dict(data["verdict"]),
            no_fit_below=float(data["no_fit_below"]),
            unsure_below=float(data["unsure_below"]),
            trained=dict(data.get("trained", {})),
            scope=WordModel.from_dict(data["scope"]),
        )


def load_model(path: Path = MODEL_PATH) -> RankingModel:
    return RankingModel.from_dict(json.loads(path.read_text(encoding="utf-8")))


_DEFAULT: RankingModel | None = None


def default_model() -> RankingModel:
    """The shipped model, read once per process."""
    global _DEFAULT
    if _DEFAULT is None:
        _DEFAULT = load_model()
    return _DEFAULT


def untrained_model() -> RankingModel:
    """Text relevance only: what training starts from, and a fallback for tests."""
    from .features import FEATURES, STAGE_ONE
    from .verdict import VERDICT_FEATURES

    def linear(features: tuple[str, ...]) -> LinearModel:
        return LinearModel(features, tuple(1.0 if f == "text" else 0.0 for f in features))

    return RankingModel(
        version="untrained",
        stage_one=linear(STAGE_ONE),
        ranker=linear(FEATURES),
        calibration=(4.0, -2.0),
        calibration_one=(4.0, -2.0),
        verdict=LinearModel(VERDICT_FEATURES, tuple(0.0 for _ in VERDICT_FEATURES), 1.0),
        no_fit_below=0.0,
        unsure_below=0.0,
    )
