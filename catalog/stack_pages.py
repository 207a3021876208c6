"""What the stack pages (/stacks/, /stacks/<slug>/) and the home page's featured stacks show:
each stack with its diagram, its members and what each adds, where it fits, its counterpart
and an advisor link pre-filled from it. Fixed query counts, whatever the number of stacks."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from django.db.models import Prefetch
from django.http import Http404
from django.urls import reverse

from .diagrams import StackDiagram, members_of, stack_diagrams
from .models import Framework, Project, Stack, StackMember

ANY = "any"


@dataclass(frozen=True)
class MemberRow:
    member: StackMember
    adds: str  # the entry's own summary: what it brings to the stack


@dataclass(frozen=True)
class StackPage:
    stack: Stack
    diagrams: list[StackDiagram]
    members: list[MemberRow]
    frameworks: list[Framework]  # of its core members: where the stack fits
    advisor_url: str

    @property
    def counterpart(self) -> Stack | None:
        return self.stack.counterpart


def _stacks():
    return Stack.objects.select_related("counterpart").prefetch_related(
        "scenarios",
        Prefetch(
            "members",
            queryset=StackMember.objects.select_related("project", "project__category")
            .prefetch_related("project__frameworks", "project__scenarios")
            .order_by("position", "id"),
        ),
    )


def _core_frameworks(stack: Stack) -> list[Framework]:
    members = list(stack.members.all())
    core = [member for member in members if member.core] or members[:1]
    seen: dict[str, Framework] = {}
    for member in core:
        for term in member.project.frameworks.all():
            if term.slug != ANY:
                seen.setdefault(term.slug, term)
    return list(seen.values())


def stack_advisor_url(*, stack: Stack, frameworks: list[Framework]) -> str:
    """The questionnaire pre-filled from the stack: its scenario, its core framework when it
    has exactly one, and its name as the question."""
    params: list[tuple[str, str]] = []
    scenarios = list(stack.scenarios.all())
    if scenarios:
        params.append(("scenario", scenarios[0].slug))
    if len(frameworks) == 1:
        params.append(("framework", frameworks[0].slug))
    params.append(("q", stack.name))
    return f"{reverse('advisor:questionnaire')}?{urlencode(params)}"


def _summary_sentence(project: Project) -> str:
    text = project.summary.strip()
    for stop in ("。", ". "):
        head, found, _rest = text.partition(stop)
        if found and head:
            return head + stop.strip()
    return text


def build_stack_page(stack: Stack) -> StackPage:
    frameworks = _core_frameworks(stack)
    return StackPage(
        stack=stack,
        diagrams=stack_diagrams(members=members_of(stack), title=stack.name,
                                ident=f"stack-{stack.slug}"),
        members=[
            MemberRow(member=member, adds=_summary_sentence(member.project))
            for member in stack.members.all()
        ],
        frameworks=frameworks,
        advisor_url=stack_advisor_url(stack=stack, frameworks=frameworks),
    )


def all_stack_pages(*, featured_only: bool = False) -> list[StackPage]:
    stacks = _stacks().featured() if featured_only else _stacks()
    return [build_stack_page(stack) for stack in stacks]


def get_stack_page(*, slug: str) -> StackPage:
    stack = _stacks().filter(slug=slug[:60]).first()
    if stack is None:
        raise Http404("No such stack")
    return build_stack_page(stack)
