"""What the advisor's results page and decision record show, and the ``advise`` command's text.

``present_advice`` turns the engine's ``Advice`` into names, summaries and reasons in one
language (two queries at most); ``decision_record`` and ``advice_text`` render it through the
templates ``advisor/decision_record.md`` and ``advisor/advice.txt``.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _

from catalog.models import Maintenance, Project, Stack, pick_language

from .engine.types import Advice, Answers, MemberResult, ProjectResult, Reason
from .forms import DEFAULT_LIMIT, Deployment, Vocabularies

COMPARE_COUNT = 3
COMPARE_MIN_SHARE = 0.6  # a project joins "Compare these" when it scores >= 60% of the best
PAGE_STACKS = 3


def result_name(result: MemberResult | ProjectResult, *, language: str) -> str:
    """A stack member's or ranked entry's name in ``language`` ("en"/"zh"), falling back to
    the other language's name."""
    return pick_language(result.name_zh, result.name, language=language)


def member_role(member: MemberResult, *, language: str) -> str:
    return pick_language(member.role_zh, member.role_en, language=language)


def project_url(slug: str) -> str:
    return reverse("catalog:detail", kwargs={"slug": slug})


@dataclass(frozen=True)
class ShownReason:
    text: str
    status: str  # "pass" (✓), "fail" (✗) or "note"

    @property
    def mark(self) -> str:
        return {"pass": "✓", "fail": "✗"}.get(self.status, "•")


def show_reason(reason: Reason, *, language: str) -> ShownReason:
    if not reason.passed:
        status = "fail"
    elif reason.contribution > 0:
        status = "pass"
    else:
        status = "note"
    return ShownReason(text=reason.message(language), status=status)


@dataclass(frozen=True)
class ShownMember:
    slug: str
    name: str
    role: str
    optional: bool
    adds: ShownReason | None
    url: str


def _member_adds(member: MemberResult, *, language: str) -> ShownReason | None:
    """What a member adds, without the "name: role" the card already shows beside it."""
    if member.adds is None:
        return None
    shown = show_reason(member.adds, language=language)
    role = member_role(member, language=language)
    text = shown.text
    names = dict.fromkeys((result_name(member, language=language), member.name))
    prefixes = [f"{name}{separator}{role}" for name in names for separator in (": ", "：")]
    for prefix in prefixes:
        if text.startswith(prefix):
            text = text[len(prefix) :].strip()
            for opening, closing in (("(", ")"), ("（", "）")):
                if text.startswith(opening) and text.endswith(closing):
                    text = text[1:-1].strip()
            break
    return ShownReason(text=text, status=shown.status) if text else None


@dataclass(frozen=True)
class ShownStack:
    slug: str
    name: str
    description: str
    score: float
    percent: int
    members: tuple[ShownMember, ...]
    reasons: tuple[ShownReason, ...]
    hidden_counterpart: str | None  # a counterpart stack left out; its reason says why

    @property
    def member_names(self) -> str:
        return ", ".join(member.name for member in self.members)


@dataclass(frozen=True)
class ShownProject:
    slug: str
    name: str
    summary: str
    kind: str
    kind_label: str
    maintenance: str
    maintenance_label: str
    score: float
    percent: int
    reasons: tuple[ShownReason, ...]
    matched_terms: tuple[str, ...]
    url: str


@dataclass(frozen=True)
class ShownAnswer:
    field: str
    label: str
    value: str


@dataclass(frozen=True)
class Presentation:
    language: str
    confidence: float
    confidence_percent: int
    confidence_level: str  # "high" | "medium" | "low"
    confidence_label: str
    low_confidence: bool
    follow_up_field: str | None
    follow_up_message: str | None
    stacks: tuple[ShownStack, ...]
    projects: tuple[ShownProject, ...]
    notes: tuple[ShownReason, ...]
    answers: tuple[ShownAnswer, ...]
    compare_url: str | None
    filtered: bool = False  # options or deployment narrowed the catalog
    compare_count: int = 0  # how many projects the compare link holds

    @property
    def best_stack(self) -> ShownStack | None:
        return self.stacks[0] if self.stacks else None

    @property
    def other_stacks(self) -> tuple[ShownStack, ...]:
        return self.stacks[1:]


def _percent(score: float) -> int:
    return round(max(0.0, min(1.0, float(score))) * 100)


def confidence_level(*, confidence: float, low: bool) -> tuple[str, str]:
    if low or confidence < 0.4:
        return "low", _("Low confidence")
    if confidence < 0.7:
        return "medium", _("Medium confidence")
    return "high", _("High confidence")


def shown_answers(*, answers: Answers, vocabularies: Vocabularies) -> tuple[ShownAnswer, ...]:
    """The answers as label/value pairs in the active language (answered ones only)."""
    rows: list[ShownAnswer] = []
    if answers.text:
        rows.append(ShownAnswer("q", _("Use case"), answers.text))
    if answers.scenario:
        value = vocabularies.label(vocabulary="scenarios", slug=answers.scenario)
        rows.append(ShownAnswer("scenario", _("Scenario"), value))
    if answers.framework:
        value = vocabularies.label(vocabulary="frameworks", slug=answers.framework)
        rows.append(ShownAnswer("framework", _("Framework"), value))
    if answers.data_types:
        names = [term.name for term in vocabularies.data_types if term.slug in answers.data_types]
        rows.append(ShownAnswer("data_type", _("Data types"), ", ".join(names)))
    if answers.scale:
        value = vocabularies.label(vocabulary="scales", slug=answers.scale)
        rows.append(ShownAnswer("scale", _("Scale"), value))
    rows.append(
        ShownAnswer("deployment", _("Deployment"), str(Deployment(answers.deployment).label))
    )
    if answers.maintained_only:
        rows.append(ShownAnswer("maintained_only", _("Only maintained projects"), _("yes")))
    if answers.open_source_only:
        rows.append(ShownAnswer("open_source_only", _("Only open source"), _("yes")))
    return tuple(rows)


def compare_url(slugs: list[str]) -> str | None:
    if len(slugs) < 2:
        return None
    return f"{reverse('catalog:compare')}?{urlencode([('p', slug) for slug in slugs])}"


def comparable_slugs(
    projects: tuple[ShownProject, ...] | list[ShownProject],
    *,
    count: int = COMPARE_COUNT,
    min_share: float = COMPARE_MIN_SHARE,
) -> list[str]:
    """The top projects worth comparing: up to ``count`` of them, each scoring at least
    ``min_share`` of the best; fewer than two means there is nothing to compare."""
    if not projects:
        return []
    best = max(project.score for project in projects)
    if best <= 0:
        return []
    close = [project.slug for project in projects if project.score >= best * min_share]
    return close[:count] if len(close) >= 2 else []


def present_advice(
    *, advice: Advice, vocabularies: Vocabularies, limit: int = DEFAULT_LIMIT
) -> Presentation:
    """Everything the results page and the decision record show, in the advice's language.

    Two queries at most, whatever the catalog's size: the shown entries and the shown stacks.
    """
    language = advice.answers.language
    project_results = advice.projects[:limit]
    rows = {
        project.slug: project
        for project in Project.objects.filter(
            slug__in=[result.slug for result in project_results]
        ).only(
            "slug",
            "name",
            "name_zh",
            "kind",
            "maintenance",
            "summary_zh",
            "summary_en",
        )
    }
    stack_slugs = {stack.slug for stack in advice.stacks[:PAGE_STACKS]}
    stack_rows = (
        {stack.slug: stack for stack in Stack.objects.filter(slug__in=stack_slugs)}
        if stack_slugs
        else {}
    )
    projects = []
    for result in project_results:
        row = rows.get(result.slug)
        maintenance = row.maintenance if row else Maintenance.ACTIVE
        projects.append(
            ShownProject(
                slug=result.slug,
                name=row.display_name if row else result.name,
                summary=row.summary if row else "",
                kind=row.kind if row else "",
                kind_label=str(row.get_kind_display()) if row else "",
                maintenance=maintenance,
                maintenance_label=str(Maintenance(maintenance).label),
                score=result.score,
                percent=_percent(result.score),
                reasons=tuple(show_reason(r, language=language) for r in result.reasons),
                matched_terms=tuple(result.matched_terms),
                url=project_url(result.slug),
            )
        )
    stacks = []
    for result in advice.stacks[:PAGE_STACKS]:
        row = stack_rows.get(result.slug)
        stacks.append(
            ShownStack(
                slug=result.slug,
                name=result.name(language),
                description=row.description if row else "",
                score=result.score,
                percent=_percent(result.score),
                members=tuple(
                    ShownMember(
                        slug=member.slug,
                        name=result_name(member, language=language),
                        role=member_role(member, language=language),
                        optional=member.optional,
                        adds=_member_adds(member, language=language),
                        url=project_url(member.slug),
                    )
                    for member in result.members
                ),
                reasons=tuple(show_reason(r, language=language) for r in result.reasons),
                hidden_counterpart=result.hidden_counterpart,
            )
        )
    level, label = confidence_level(confidence=advice.confidence, low=advice.low_confidence)
    follow_up = advice.follow_up
    compared = comparable_slugs(projects)
    return Presentation(
        language=language,
        confidence=advice.confidence,
        confidence_percent=_percent(advice.confidence),
        confidence_level=level,
        confidence_label=label,
        low_confidence=advice.low_confidence,
        follow_up_field=follow_up.field if follow_up and advice.low_confidence else None,
        follow_up_message=(
            follow_up.message(language) if follow_up and advice.low_confidence else None
        ),
        stacks=tuple(stacks),
        projects=tuple(projects),
        notes=tuple(show_reason(note, language=language) for note in advice.notes),
        answers=shown_answers(answers=advice.answers, vocabularies=vocabularies),
        compare_url=compare_url(compared),
        compare_count=len(compared),
        filtered=(
            advice.answers.maintained_only
            or advice.answers.open_source_only
            or advice.answers.deployment != Deployment.ANY
        ),
    )


# --- The decision record and the command's text --------------------------------------------


def _tidy(text: str) -> str:
    """Template output with at most one blank line in a row and one final newline."""
    return re.sub(r"\n{3,}", "\n\n", text).strip("\n") + "\n"


def decision_record(
    *, presentation: Presentation, date: dt.date, base_url: str = "", permalink: str = ""
) -> str:
    """The decision record (Markdown): what was asked, what was chosen and why, what else
    was considered."""
    context = {
        "p": presentation,
        "date": date.isoformat(),
        "base_url": base_url,
        "permalink": permalink,
        "colon": pick_language("：", ":"),
        "optional": optional_aside(),
    }
    return _tidy(render_to_string("advisor/decision_record.md", context))


def advice_text(*, payload: dict[str, Any]) -> str:
    """A readable summary of the API's answer (``schemas.AdviceOut``), in the active language."""
    if payload.get("message"):
        return str(payload["message"])
    context = {"payload": payload, "optional": optional_aside()}
    return _tidy(render_to_string("advisor/advice.txt", context)).rstrip("\n")


def optional_aside() -> str:
    """`` (optional)`` in English, ``（可选）`` in Chinese."""
    optional = _("optional")
    return pick_language(f"（{optional}）", f" ({optional})")
