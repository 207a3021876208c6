"""Plain data in and out of the advisor's engine (no Django here).

The Django side turns catalog rows into ``EntryDoc`` / ``StackDoc`` and form input into
``Answers``; the engine returns an ``Advice`` made of frozen dataclasses.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class EntryDoc:
    """One catalog entry as the engine sees it. Facet fields hold vocabulary slugs."""

    slug: str
    name: str
    name_zh: str
    kind: str  # "open-source" | "cloud-service" | "learning-resource"
    category: str
    maintenance: str  # "active" | "low-activity" | "unmaintained"
    # All searchable text, Chinese and English (names, summaries, features, ...); empty when
    # given as ``text_parts``.
    text: str
    frameworks: frozenset[str] = frozenset()
    data_types: frozenset[str] = frozenset()
    scales: frozenset[str] = frozenset()
    scenarios: frozenset[str] = frozenset()
    successor: str | None = None
    org: str = ""
    license: str = ""
    # Entries that do the same job (catalog relations "alternative-to" / "successor-of", both
    # directions): offered instead when a rule rules this one out (e.g. easyrec -> torcheasyrec).
    counterparts: frozenset[str] = frozenset()
    aliases: tuple[str, ...] = ()  # other names users type ("AliGraph", "v6d", "GeaFlow")
    maintenance_note: str = ""
    last_release_year: int | None = None
    summary_zh: str = ""
    summary_en: str = ""
    # The searchable text as its lines, when known: each is tokenised once and cached on its
    # own (10,000 entries' texts are not kept a second time, joined).
    text_parts: tuple[str, ...] = ()

    @property
    def searchable_parts(self) -> tuple[str, ...]:
        return self.text_parts or ((self.text,) if self.text else ())

    @property
    def open_source(self) -> bool:
        return self.kind == "open-source"

    @property
    def managed(self) -> bool:
        return self.kind == "cloud-service"


@dataclass(frozen=True)
class StackMemberDoc:
    slug: str
    role_zh: str
    role_en: str
    optional: bool = False
    choice_group: str = ""  # members sharing a group are alternatives (one of them)
    core: bool = False  # the member the stack is about (e.g. the model library)
    layer: str = ""  # where it sits: model-library, training-engine, platform, ...


@dataclass(frozen=True)
class StackDoc:
    slug: str
    name_zh: str
    name_en: str
    description_zh: str
    description_en: str
    members: tuple[StackMemberDoc, ...]
    scenarios: frozenset[str] = frozenset()
    counterpart: str | None = None  # the same stack for another framework


@dataclass(frozen=True)
class Answers:
    """The questionnaire, normalised. Empty strings / sets mean "not answered"."""

    text: str = ""
    scenario: str = ""
    scale: str = ""
    framework: str = ""
    data_types: frozenset[str] = frozenset()
    deployment: str = "any"
    maintained_only: bool = False
    open_source_only: bool = False
    language: str = "zh"  # "zh" or "en": the language reasons are written in

    @property
    def is_empty(self) -> bool:
        return not (
            self.text.strip() or self.scenario or self.scale or self.framework or self.data_types
        )


@dataclass(frozen=True)
class Reason:
    """One line of "why": a rule or a text match, and what it added to (or took from) the score."""

    code: str  # e.g. "text", "framework", "data-type", "scale", "scenario", "deployment", ...
    message_zh: str
    message_en: str
    contribution: float = 0.0  # signed; 0 for purely informative notes
    passed: bool = True

    def message(self, language: str) -> str:
        return self.message_en if language.startswith("en") else self.message_zh


@dataclass(frozen=True)
class ProjectResult:
    slug: str
    name: str
    score: float  # in [0, 1]
    reasons: tuple[Reason, ...] = ()
    matched_terms: tuple[str, ...] = ()
    name_zh: str = ""
    kind: str = ""
    replaces: str | None = None  # slug of a ruled-out entry this one is offered instead of


@dataclass(frozen=True)
class MemberResult:
    slug: str
    name: str
    role_zh: str
    role_en: str
    optional: bool
    adds: Reason | None = None  # what this member brings to the user's need
    choice_group: str = ""
    score: float = 0.0  # the member's own score for these answers, in [0, 1]
    name_zh: str = ""  # the entry's Chinese name (falls back to ``name`` when it has none)
    core: bool = False
    layer: str = ""


@dataclass(frozen=True)
class StackResult:
    slug: str
    name_zh: str
    name_en: str
    score: float  # in [0, 1]
    members: tuple[MemberResult, ...]
    reasons: tuple[Reason, ...] = ()
    # The counterpart stack (same stack, other framework) left out because its core members
    # conflict with the user's framework; a reason says so. The API calls it ``swapped_from``.
    hidden_counterpart: str | None = None

    def name(self, language: str) -> str:
        return self.name_en if language.startswith("en") else self.name_zh


@dataclass(frozen=True)
class FollowUp:
    """The answer that would help most when confidence is low."""

    field: str  # "scenario" | "framework" | "data_type" | "scale" | "deployment" | "q"
    message_zh: str
    message_en: str

    def message(self, language: str) -> str:
        return self.message_en if language.startswith("en") else self.message_zh


@dataclass(frozen=True)
class Advice:
    answers: Answers
    confidence: float  # in [0, 1]
    projects: tuple[ProjectResult, ...] = ()
    stacks: tuple[StackResult, ...] = ()
    low_confidence: bool = False
    follow_up: FollowUp | None = None
    notes: tuple[Reason, ...] = field(default_factory=tuple)  # advice-wide notes
    # "fit" | "unsure" | "no-fit" (``verdict.Verdict``); when not given, "unsure" for low
    # confidence, else "fit". On "no-fit" ``projects`` and ``stacks`` are empty and the closest
    # entries are in ``nearest``: shown as such, never as advice.
    verdict: str = ""
    nearest: tuple[ProjectResult, ...] = ()
    # The entries a comparison question ("A or B?", "A和B选哪个") weighs, in the order of
    # their fit to the need (each is in ``projects``); () when it compares nothing.
    compared: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if not self.verdict:
            object.__setattr__(self, "verdict", "unsure" if self.low_confidence else "fit")

    @property
    def no_fit(self) -> bool:
        return self.verdict == "no-fit"
