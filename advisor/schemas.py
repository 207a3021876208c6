"""The advise API's parameters (a ninja schema) and answer (pydantic models), both part of
/api/openapi.json.

``AdviceOut.build`` is the one serialisation of advice: ``/api/advise/`` answers it as built
(not validated again) and ``manage.py advise --json`` prints it, byte for byte. Keys are public
(README): keep them.
"""

from __future__ import annotations

from typing import Literal

from ninja import Field, Schema
from pydantic import BaseModel

from aliadvisor import parsing
from catalog.models import pick_language

from .engine.types import Advice, Answers, ProjectResult
from .forms import DEFAULT_LIMIT, MAX_LIMIT, MAX_TEXT_LENGTH, Deployment
from .presentation import member_role, project_url, result_name

DeploymentValue = Literal[tuple(Deployment.values)]  # type: ignore[valid-type]


class AdviceQuery(Schema):
    """The questionnaire's answers. Vocabulary slugs are checked against the catalog (a 400
    names the parameter); a single-value parameter given twice differently is a 400."""

    q: parsing.text(max_length=MAX_TEXT_LENGTH, normalise=str.strip) = Field(
        "", description="Your use case in Chinese or English."
    )
    scenario: parsing.text(max_length=100) = Field("", description="A scenario slug.")
    framework: parsing.text(max_length=100) = Field("", description="A framework slug.")
    scale: parsing.text(max_length=100) = Field("", description="A scale slug.")
    data_type: parsing.many(max_length=500) = Field(
        [], description="Data type slugs: repeat the parameter or separate with commas."
    )
    deployment: parsing.one_of(*Deployment.values) = Field(None, description="Default: any.")
    maintained_only: parsing.Flag = False
    open_source_only: parsing.Flag = False
    limit: parsing.whole_number(ge=1, le=MAX_LIMIT) = DEFAULT_LIMIT
    lang: parsing.Language = None


class QueryOut(BaseModel):
    q: str
    scenario: str | None
    scale: str | None
    framework: str | None
    data_type: list[str]
    deployment: DeploymentValue
    maintained_only: bool
    open_source_only: bool
    limit: int
    lang: Literal["zh-hans", "en"]

    @classmethod
    def build(cls, *, answers: Answers, limit: int) -> QueryOut:
        """The answers as normalised (what the API echoes and the query log keeps)."""
        return cls(
            q=answers.text,
            scenario=answers.scenario or None,
            scale=answers.scale or None,
            framework=answers.framework or None,
            data_type=sorted(answers.data_types),
            deployment=answers.deployment,
            maintained_only=answers.maintained_only,
            open_source_only=answers.open_source_only,
            limit=limit,
            lang=pick_language("zh-hans", "en", language=answers.language),
        )


class FollowUpOut(BaseModel):
    field: str = Field(description="The questionnaire field that would help most.")
    message: str


class ProjectAdviceOut(BaseModel):
    slug: str
    name: str
    score: float
    reasons: list[str]
    matched_terms: list[str]
    url: str

    @classmethod
    def build(cls, project: ProjectResult, *, language: str) -> ProjectAdviceOut:
        return cls(
            slug=project.slug,
            name=result_name(project, language=language),
            score=_score(project.score),
            reasons=[reason.message(language) for reason in project.reasons],
            matched_terms=list(project.matched_terms),
            url=project_url(project.slug),
        )


class MemberAdviceOut(BaseModel):
    slug: str
    name: str
    role: str
    optional: bool
    adds: str | None


class StackAdviceOut(BaseModel):
    slug: str
    name: str
    score: float
    members: list[MemberAdviceOut]
    reasons: list[str]
    swapped_from: str | None = Field(
        description="A counterpart stack left out because its core members conflict with "
        "the framework (a reason says so); null otherwise."
    )


class AdviceOut(BaseModel):
    query: QueryOut
    verdict: Literal["fit", "unsure", "no-fit"] = Field(
        description="fit: confident advice; unsure: advice and a follow-up question; no-fit: "
        "nothing in the catalog meets the need (empty lists, closest entries in `nearest`)."
    )
    confidence: float
    low_confidence: bool
    follow_up: FollowUpOut | None
    message: str | None = Field(description="Set (with empty lists) when nothing was asked.")
    notes: list[str]
    projects: list[ProjectAdviceOut]
    stacks: list[StackAdviceOut]
    nearest: list[ProjectAdviceOut] = Field(
        description="On no-fit: at most three closest entries, which are not advice; else []."
    )
    compared: list[str] = Field(
        default_factory=list,
        description="For a comparison question (\"A or B?\", \"A和B选哪个\"): the slugs it "
        "weighs, best fit first (all in `projects`); [] otherwise. "
        "`/catalog/compare/?p=A&p=B` shows them side by side.",
    )

    @classmethod
    def build(
        cls, *, answers: Answers, advice: Advice | None, limit: int, empty_message: str
    ) -> AdviceOut:
        """The answer; ``advice`` is None when the answers are empty (nothing to rank)."""
        language = answers.language
        query = QueryOut.build(answers=answers, limit=limit)
        if advice is None:
            return cls(
                query=query, verdict="unsure", confidence=0.0, low_confidence=True,
                follow_up=None, message=empty_message, notes=[], projects=[], stacks=[],
                nearest=[],
            )
        follow_up = advice.follow_up
        return cls(
            query=query,
            verdict=advice.verdict,
            confidence=_score(advice.confidence),
            low_confidence=bool(advice.low_confidence),
            follow_up=(
                FollowUpOut(field=follow_up.field, message=follow_up.message(language))
                if follow_up
                else None
            ),
            message=None,
            notes=[note.message(language) for note in advice.notes],
            projects=[
                ProjectAdviceOut.build(project, language=language)
                for project in advice.projects[:limit]
            ],
            nearest=[
                ProjectAdviceOut.build(project, language=language) for project in advice.nearest
            ],
            compared=list(advice.compared),
            stacks=[
                StackAdviceOut(
                    slug=stack.slug,
                    name=stack.name(language),
                    score=_score(stack.score),
                    members=[
                        MemberAdviceOut(
                            slug=member.slug,
                            name=result_name(member, language=language),
                            role=member_role(member, language=language),
                            optional=member.optional,
                            adds=member.adds.message(language) if member.adds else None,
                        )
                        for member in stack.members
                    ],
                    reasons=[reason.message(language) for reason in stack.reasons],
                    swapped_from=stack.hidden_counterpart,
                )
                for stack in advice.stacks[:limit]
            ],
        )


def _score(value: float) -> float:
    return round(max(0.0, min(1.0, float(value))), 4)
