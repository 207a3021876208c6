"""Glue between the questionnaire and the engine, and the three ways advice leaves the site.

- ``answers_from_form``: a valid ``AdviceForm`` -> engine ``Answers``;
- ``advise``: ``Answers`` -> ``Advice`` (the engine, built once per catalog version);
- ``advice_to_dict``: the JSON the API returns and ``manage.py advise --json`` prints;
- ``present_advice``: what the results page shows (names, summaries, reasons in one language);
- ``advice_to_markdown``: the downloadable decision record.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.urls import reverse
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from catalog.diagrams import DiagramMember
from catalog.models import Maintenance, Project, Stack, pick_language

from .engine.types import Advice, Answers, MemberResult, ProjectResult, Reason
from .forms import DEFAULT_LIMIT, AdviceForm, Deployment, Vocabularies

EMPTY_MESSAGE = gettext_lazy(
    "Tell the advisor about your need: describe your use case in a sentence, or pick a "
    "scenario, a framework, the data you work with or the scale. Every answer narrows the "
    "advice; one is enough to start."
)

COMPARE_COUNT = 3
COMPARE_MIN_SHARE = 0.6  # a project joins "Compare these" when it scores >= 60% of the best
PAGE_STACKS = 3


def engine_language(code: str) -> str:
    """The engine's language ("en" or "zh") for a Django language code."""
    return pick_language("zh", "en", language=code or "zh-hans")


def answers_from_form(*, form: AdviceForm, language: str) -> Answers:
    """Answers from a valid form; ``language`` is a Django language code or "en"/"zh"."""
    data = form.cleaned_data
    return Answers(
        text=data.get("q") or "",
        scenario=data.get("scenario") or "",
        scale=data.get("scale") or "",
        framework=data.get("framework") or "",
        data_types=frozenset(data.get("data_type") or ()),
        deployment=data.get("deployment") or Deployment.ANY,
        maintained_only=bool(data.get("maintained_only")),
        open_source_only=bool(data.get("open_source_only")),
        language=engine_language(language),
    )


def advise(*, answers: Answers, limit: int = DEFAULT_LIMIT) -> Advice:
    from .catalog_source import get_engine

    return get_engine().advise(answers, limit=limit)


def result_name(result: MemberResult | ProjectResult, *, language: str) -> str:
    """A stack member's or ranked entry's name in ``language`` ("en"/"zh"), falling back to
    the other language's name."""
    return pick_language(result.name_zh, result.name, language=language)


def member_role(member: MemberResult, *, language: str) -> str:
    return pick_language(member.role_zh, member.role_en, language=language)


# --- JSON ----------------------------------------------------------------------------------


def normalised_query(*, answers: Answers, limit: int) -> dict[str, Any]:
    return {
        "q": answers.text,
        "scenario": answers.scenario or None,
        "scale": answers.scale or None,
        "framework": answers.framework or None,
        "data_type": sorted(answers.data_types),
        "deployment": answers.deployment,
        "maintained_only": answers.maintained_only,
        "open_source_only": answers.open_source_only,
        "limit": limit,
        "lang": pick_language("zh-hans", "en", language=answers.language),
    }


def _score(value: float) -> float:
    return round(max(0.0, min(1.0, float(value))), 4)


def project_url(slug: str) -> str:
    return reverse("catalog:detail", kwargs={"slug": slug})


def advice_to_dict(*, answers: Answers, advice: Advice | None, limit: int) -> dict[str, Any]:
    """The API's answer. ``advice`` is None when the answers are empty (nothing to rank)."""
    language = answers.language
    query = normalised_query(answers=answers, limit=limit)
    if advice is None:
        return {
            "query": query,
            "confidence": 0.0,
            "low_confidence": True,
            "follow_up": None,
            "message": str(EMPTY_MESSAGE),
            "notes": [],
            "projects": [],
            "stacks": [],
        }
    follow_up = advice.follow_up
    return {
        "query": query,
        "confidence": _score(advice.confidence),
        "low_confidence": bool(advice.low_confidence),
        "follow_up": (
            {"field": follow_up.field, "message": follow_up.message(language)}
            if follow_up
            else None
        ),
        "message": None,
        "notes": [note.message(language) for note in advice.notes],
        "projects": [
            {
                "slug": project.slug,
                "name": result_name(project, language=language),
                "score": _score(project.score),
                "reasons": [reason.message(language) for reason in project.reasons],
                "matched_terms": list(project.matched_terms),
                "url": project_url(project.slug),
            }
            for project in advice.projects[:limit]
        ],
        "stacks": [
            {
                "slug": stack.slug,
                "name": stack.name(language),
                "score": _score(stack.score),
                "members": [
                    {
                        "slug": member.slug,
                        "name": result_name(member, language=language),
                        "role": member_role(member, language=language),
                        "optional": member.optional,
                        "adds": member.adds.message(language) if member.adds else None,
                    }
                    for member in stack.members
                ],
                "reasons": [reason.message(language) for reason in stack.reasons],
                "swapped_from": stack.swapped_from,
            }
            for stack in advice.stacks[:limit]
        ],
    }


LANGUAGES = {"en": "en", "en-us": "en", "zh": "zh-hans", "zh-hans": "zh-hans", "zh-cn": "zh-hans"}


def resolve_language(raw: str | None) -> str | None:
    """A Django language code for ``lang=``; None when not given; ValueError when unknown."""
    if raw is None or not raw.strip():
        return None
    code = LANGUAGES.get(raw.strip().lower())
    if code is None:
        raise ValueError(_("Unknown language %(lang)s: use en or zh-hans.") % {"lang": raw[:20]})
    return code


def advise_payload(*, data) -> tuple[int, dict[str, Any]]:
    """Validate answers (a QueryDict or dict) and advise, in the active language.

    Returns ``(status, body)``: 200 and the advice, or 400 and ``{"errors": {...}}``. The API
    view and ``manage.py advise --json`` both call this, so they always agree.
    """
    form = AdviceForm(data)
    if not form.is_valid():
        return 400, {"errors": form.error_dict()}
    answers = answers_from_form(form=form, language=get_language())
    limit = form.cleaned_data["limit"]
    advice = None if answers.is_empty else advise(answers=answers, limit=limit)
    return 200, advice_to_dict(answers=answers, advice=advice, limit=limit)


# --- The results page ----------------------------------------------------------------------


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
    core: bool = False
    layer: str = ""
    choice_group: str = ""
    maintenance: str = Maintenance.ACTIVE

    @property
    def maintenance_label(self) -> str:
        return str(Maintenance(self.maintenance).label)


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
    swapped_from: str | None  # the hidden counterpart; its reason says why

    @property
    def diagram_members(self) -> list[DiagramMember]:
        """The members as the catalog's stack diagram draws them."""
        return [
            DiagramMember(
                slug=member.slug, name=member.name, role=member.role, layer=member.layer,
                core=member.core, optional=member.optional, choice_group=member.choice_group,
                maintenance=member.maintenance, url=member.url,
            )
            for member in self.members
        ]


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
    member_slugs = [
        member.slug for stack in advice.stacks[:PAGE_STACKS] for member in stack.members
    ]
    rows = {
        project.slug: project
        for project in Project.objects.filter(
            slug__in=[result.slug for result in project_results] + member_slugs
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
                        core=member.core,
                        layer=member.layer,
                        choice_group=member.choice_group,
                        maintenance=(
                            rows[member.slug].maintenance
                            if member.slug in rows
                            else Maintenance.ACTIVE
                        ),
                    )
                    for member in result.members
                ),
                reasons=tuple(show_reason(r, language=language) for r in result.reasons),
                swapped_from=result.swapped_from,
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


# --- The decision record -------------------------------------------------------------------


def _md_inline(text: str) -> str:
    """One line of user or catalog text, safe inside a Markdown list item or table cell."""
    flat = " ".join(str(text).split())
    for char in ("\\", "|", "*", "_", "`", "[", "]", "<", ">"):
        flat = flat.replace(char, "\\" + char)
    return flat


def _md_reasons(reasons: tuple[ShownReason, ...], *, indent: str = "") -> list[str]:
    """One list item per reason: ✓ passed, ✗ failed, no mark for a plain note."""
    return [
        f"{indent}- {reason.mark + ' ' if reason.status != 'note' else ''}{_md_inline(reason.text)}"
        for reason in reasons
    ]


def _bold(text: str) -> str:
    return f"**{text}**"


def _aside(text: str) -> str:
    """`` (text)`` in English, ``（text）`` in Chinese."""
    return pick_language(f"（{text}）", f" ({text})")


def _field_line(label: str, value: str) -> str:
    colon = pick_language("：", ":")
    return f"- **{label}{colon}** {value}"


def advice_to_markdown(
    *, presentation: Presentation, date: dt.date, base_url: str = "", permalink: str = ""
) -> str:
    """The decision record: what was asked, what was chosen and why, what else was considered."""
    optional = _("optional")
    lines: list[str] = ["# " + _("AliAdvisor decision record"), ""]
    lines.append(_field_line(_("Date"), date.isoformat()))
    if permalink:
        lines.append(_field_line(_("Permalink"), f"<{base_url}{permalink}>"))
    lines += ["", "## " + _("Answers"), ""]
    for answer in presentation.answers:
        lines.append(_field_line(answer.label, _md_inline(answer.value)))

    lines += ["", "## " + _("Decision"), ""]
    if presentation.low_confidence:
        lines += [_bold(_("Low confidence: treat this as a starting point.")), ""]
    best = presentation.best_stack
    if best:
        if presentation.low_confidence:
            heading_text = _("Tentative stack: %(name)s (score %(percent)s%%)")
        else:
            heading_text = _("Recommended stack: %(name)s (score %(percent)s%%)")
        heading = heading_text % {"name": _md_inline(best.name), "percent": best.percent}
        lines += ["### " + heading, ""]
        if best.description:
            lines += [_md_inline(best.description), ""]
        lines.append("| " + " | ".join([_("Member"), _("Role"), _("What it adds")]) + " |")
        lines.append("|---|---|---|")
        for member in best.members:
            role = member.role + (_aside(optional) if member.optional else "")
            adds = member.adds.text if member.adds else ""
            lines.append(
                f"| [{_md_inline(member.name)}]({base_url}{member.url}) | {_md_inline(role)} "
                f"| {_md_inline(adds)} |"
            )
        if best.reasons:
            lines += ["", _bold(_("Why this stack")), ""]
            lines += _md_reasons(best.reasons)
    else:
        lines.append(_("No stack fits these answers; see the projects below."))

    lines += ["", "## " + _("Alternatives considered"), ""]
    if presentation.other_stacks:
        lines += ["### " + _("Other stacks"), ""]
        for stack in presentation.other_stacks:
            members = ", ".join(member.name for member in stack.members)
            lines.append(
                f"- **{_md_inline(stack.name)}** ({stack.percent}%): {_md_inline(members)}"
            )
            lines += _md_reasons(stack.reasons, indent="  ")
        lines.append("")
    lines += ["### " + _("Top projects"), ""]
    if presentation.projects:
        for rank, project in enumerate(presentation.projects, start=1):
            lines.append(
                f"{rank}. **[{_md_inline(project.name)}]({base_url}{project.url})** "
                f"({project.percent}%) {_md_inline(project.kind_label)}"
            )
            lines += _md_reasons(project.reasons, indent="   ")
    else:
        lines.append(_("No project matches these answers."))

    lines += ["", "## " + _("Confidence"), ""]
    lines.append(
        f"{presentation.confidence_label}: {presentation.confidence:.2f} "
        f"({presentation.confidence_percent}%)"
    )
    if presentation.follow_up_message:
        follow_up = _md_inline(presentation.follow_up_message)
        lines += ["", _bold(_("To sharpen the advice") + ":") + " " + follow_up]
    if presentation.notes:
        lines += ["", _bold(_("Notes")), ""]
        lines += _md_reasons(presentation.notes)
    lines.append("")
    return "\n".join(lines)


# --- Plain text (the ``advise`` command without --json) -------------------------------------


def payload_to_text(*, payload: dict[str, Any]) -> str:
    """A readable summary of ``advice_to_dict``'s output, in the active language."""
    if payload.get("message"):
        return str(payload["message"])
    lines = [
        _("Confidence: %(value).2f%(low)s")
        % {
            "value": payload["confidence"],
            "low": " (" + _("low") + ")" if payload["low_confidence"] else "",
        }
    ]
    if payload.get("follow_up"):
        lines.append(_("To sharpen the advice: %(message)s") % payload["follow_up"])
    lines += ["", _("Stacks:")]
    for rank, stack in enumerate(payload["stacks"], start=1):
        lines.append(f"{rank:>2}. {stack['name']} [{stack['slug']}] {stack['score']:.0%}")
        for member in stack["members"]:
            optional = _aside(_("optional")) if member["optional"] else ""
            lines.append(f"      + {member['slug']}: {member['role']}{optional}")
        lines += [f"      - {reason}" for reason in stack["reasons"]]
    if not payload["stacks"]:
        lines.append("    " + _("(none)"))
    lines += ["", _("Projects:")]
    for rank, project in enumerate(payload["projects"], start=1):
        lines.append(f"{rank:>2}. {project['name']} [{project['slug']}] {project['score']:.0%}")
        lines += [f"      - {reason}" for reason in project["reasons"]]
    if not payload["projects"]:
        lines.append("    " + _("(none)"))
    return "\n".join(lines)
