"""Stacks: entries adopted together, scored from their members and how much of the need they cover.

A stack's score is the weighted mean (weights in ``weights.py``) of:
- its members: the mean score of its required slots (a choice group is one slot, worth its best
  member), a little of its best member including optional ones;
- its scenario: 1 when the stack is made for the user's scenario;
- its coverage: the share of the user's scenario, data types and framework that the members
  cover together;
- its text: the question's TF-IDF relevance to the stack's own description.

Rules: a stack whose core members conflict with the user's framework is swapped for its
counterpart (tf-recsys -> torch-recsys) or dropped; members removed by the hard filters
(open source only, maintained only) are left out when optional or replaceable within their
choice group, and take the stack with them otherwise.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from . import messages
from .rules import Need, framework_conflicts
from .text import TextIndex, remove_concepts
from .types import EntryDoc, MemberResult, Reason, StackDoc, StackMemberDoc, StackResult
from .weights import Weights

FRAMEWORK_CONCEPTS = ("tensorflow", "pytorch")

if TYPE_CHECKING:
    from .scoring import Scored


@dataclass
class StackScore:
    stack: StackDoc
    members: list[StackMemberDoc]
    score: float = 0.0
    reasons: list[Reason] = field(default_factory=list)
    conflict: bool = False
    dropped: bool = False
    relevant: bool = False


def _entry_covers(entry: EntryDoc, need: Need, stack: StackDoc) -> list[str]:
    """The parts of the need (scenario, data types, framework) this member covers."""
    covers: list[str] = []
    for scenario in sorted(need.scenarios):
        if scenario in entry.scenarios:
            covers.append(scenario)
    for data_type in sorted(need.data_types):
        if data_type in entry.data_types or "any" in entry.data_types:
            covers.append(data_type)
    if need.framework and (
        need.framework in entry.frameworks or "any" in entry.frameworks
    ):
        covers.append(need.framework)
    return covers


def _needs(need: Need) -> list[str]:
    items = sorted(need.scenarios) + sorted(need.data_types)
    if need.framework:
        items.append(need.framework)
    return items


def _slots(members: Sequence[StackMemberDoc]) -> list[list[StackMemberDoc]]:
    """Required members as slots: each alone, or a choice group as one slot."""
    slots: list[list[StackMemberDoc]] = []
    groups: dict[str, list[StackMemberDoc]] = {}
    for member in members:
        if member.optional:
            continue
        if member.choice_group:
            if member.choice_group not in groups:
                groups[member.choice_group] = []
                slots.append(groups[member.choice_group])
            groups[member.choice_group].append(member)
        else:
            slots.append([member])
    return slots


def _filter_members(
    stack: StackDoc, *, by_slug: Mapping[str, Scored], need: Need, use_rules: bool
) -> tuple[list[StackMemberDoc], list[Reason], str]:
    """Members that survive the hard filters and the framework: (members, notes, status).

    ``status`` is "ok"; "conflict" when a required slot has no member left that fits the
    user's framework (the counterpart stack takes over); or "unusable" when the hard filters
    empty a required slot.
    """
    # Learning resources are no part of a stack for a need that is not about learning.
    present = [
        m for m in stack.members
        if m.slug in by_slug and by_slug[m.slug].off_topic != "learning"
    ]
    if not use_rules:
        return present, [], "ok"
    notes: list[Reason] = []
    kept: list[StackMemberDoc] = []
    framework_out: set[str] = set()
    for member in present:
        item = by_slug[member.slug]
        entry = item.entry
        if item.filtered is not None:
            if member.optional:
                notes.append(
                    messages.stack_dropped_member(
                        entry.name, why=item.filtered, name_zh=entry.name_zh
                    )
                )
            continue
        if (
            need.framework
            and not need.framework_unavoidable
            and framework_conflicts(entry, need.framework)
        ):
            framework_out.add(member.slug)
            continue
        kept.append(member)
    kept_slugs = {m.slug for m in kept}
    status = "ok"
    for slot in _slots(present):
        if not any(m.slug in kept_slugs for m in slot):
            if not any(m.slug in framework_out for m in slot):
                return kept, notes, "unusable"
            status = "conflict"
    return kept, notes, status


def score_stacks(
    stacks: Sequence[StackDoc],
    *,
    by_slug: Mapping[str, Scored],
    entries: Mapping[str, EntryDoc],
    need: Need,
    query: str,
    index: TextIndex,
    weights: Weights,
    use_rules: bool,
    limit: int,
) -> tuple[StackResult, ...]:
    w = weights
    # The framework is judged by coverage and swaps, not by the description's wording.
    stack_query = remove_concepts(query, FRAMEWORK_CONCEPTS) if query else ""
    raw = index.scores(stack_query) if stack_query.strip() and len(index) else {}
    best_raw = max(raw.values(), default=0.0)
    text_scale = max(best_raw, w.text_floor)
    scores: dict[str, StackScore] = {}
    for stack in stacks:
        members, notes, status = _filter_members(
            stack, by_slug=by_slug, need=need, use_rules=use_rules
        )
        result = StackScore(stack=stack, members=members, reasons=list(notes))
        result.dropped = status == "unusable" or not members
        result.conflict = status == "conflict"
        if not result.dropped:
            _score_one(result, by_slug=by_slug, need=need, raw=raw.get(stack.slug, 0.0),
                       text_scale=text_scale, w=w, use_rules=use_rules, query=query)
        scores[stack.slug] = result

    final: list[tuple[StackScore, str | None]] = []
    for result in scores.values():
        if result.dropped or not result.relevant:
            continue
        if result.conflict:
            continue  # replaced by its counterpart below, or dropped
        final.append((result, None))
    # Framework conflicts: a conflicting stack is not listed; its counterpart, when relevant
    # (and so already listed on its own merit), notes the stack it hides.
    for result in scores.values():
        if not result.conflict or result.dropped:
            continue
        counterpart = scores.get(result.stack.counterpart or "")
        if counterpart is None or counterpart.dropped or counterpart.conflict:
            continue
        final = [
            (r, result.stack.slug if r is counterpart else hidden) for r, hidden in final
        ]

    final.sort(key=lambda pair: (-round(pair[0].score, 6), pair[0].stack.slug))
    out: list[StackResult] = []
    for result, hidden in final[: max(0, limit)]:
        reasons = list(result.reasons)
        if hidden:
            original = scores[hidden].stack
            reasons.insert(
                0,
                messages.stack_swapped(original.name_zh, original.name_en, need.framework),
            )
        out.append(
            StackResult(
                slug=result.stack.slug,
                name_zh=result.stack.name_zh,
                name_en=result.stack.name_en,
                score=round(max(0.0, min(1.0, result.score)), 4),
                members=_member_results(result, by_slug=by_slug, entries=entries, need=need),
                reasons=tuple(reasons),
                hidden_counterpart=hidden,
            )
        )
    return tuple(out)


def _score_one(
    result: StackScore,
    *,
    by_slug: Mapping[str, Scored],
    need: Need,
    raw: float,
    text_scale: float,
    w: Weights,
    use_rules: bool,
    query: str,
) -> None:
    stack = result.stack
    members = result.members
    parts: list[tuple[float, float]] = []  # (value, weight)
    # Members: the required slots (a choice group is worth its best member), half their mean
    # and half their best; optional members are add-ons and do not move the score.
    slot_scores = [max(by_slug[m.slug].score for m in slot) for slot in _slots(members)]
    if slot_scores:
        member_value = 0.5 * (sum(slot_scores) / len(slot_scores)) + 0.5 * max(slot_scores)
    else:
        member_value = max((by_slug[m.slug].score for m in members), default=0.0)
    parts.append((member_value, w.stack_members))
    result.relevant = raw > 0 or any(by_slug[m.slug].relevant for m in members)
    best = sorted(members, key=lambda m: (-by_slug[m.slug].score, m.slug))[:2]
    result.reasons.append(
        messages.stack_members(
            [by_slug[m.slug].entry.name for m in best],
            0.0,
            best_zh=[by_slug[m.slug].entry.name_zh or by_slug[m.slug].entry.name for m in best],
        )
    )
    if query:
        parts.append((min(1.0, raw / text_scale), w.stack_text))
    if use_rules and need.scenarios:
        weight = w.stack_scenario * (w.inferred if need.scenario_inferred else 1.0)
        hit = sorted(need.scenarios & stack.scenarios)
        parts.append((1.0 if hit else 0.0, weight))
        if hit:
            result.reasons.append(
                messages.stack_scenario(hit, 0.0, inferred=need.scenario_inferred)
            )
    needs = _needs(need) if use_rules else []
    if needs:
        covered: set[str] = set()
        for member in members:
            covered.update(_entry_covers(by_slug[member.slug].entry, need, stack))
        covered.update(s for s in need.scenarios if s in stack.scenarios)
        if need.scenario_inferred and need.scenarios & covered:
            # Inferred scenarios are alternatives: covering one of them covers the need.
            covered.update(need.scenarios)
        missing = [n for n in needs if n not in covered]
        value = (len(needs) - len(missing)) / len(needs)
        parts.append((value, w.stack_coverage))
        result.reasons.append(
            messages.stack_coverage([n for n in needs if n in covered], missing, 0.0)
        )
    total = sum(weight for _, weight in parts)
    score = sum(v * weight for v, weight in parts) / total if total else 0.0
    result.score = max(0.0, min(1.0, score))
    # Contributions: rebuild the reasons with each part's share, in order.
    shares = {
        "stack-members": member_value * w.stack_members / total if total else 0.0,
    }
    result.reasons = [
        Reason(r.code, r.message_zh, r.message_en, round(shares.get(r.code, r.contribution), 4),
               r.passed)
        for r in result.reasons
    ]


def _member_results(
    result: StackScore,
    *,
    by_slug: Mapping[str, Scored],
    entries: Mapping[str, EntryDoc],
    need: Need,
) -> tuple[MemberResult, ...]:
    members = list(result.members)
    # Within a choice group, the best-scoring alternative comes first (at the group's place).
    ordered: list[StackMemberDoc] = []
    done: set[str] = set()
    for member in members:
        if member.choice_group:
            if member.choice_group in done:
                continue
            done.add(member.choice_group)
            group = [m for m in members if m.choice_group == member.choice_group]
            group.sort(key=lambda m: (-by_slug[m.slug].score, m.slug))
            ordered.extend(group)
        else:
            ordered.append(member)
    out: list[MemberResult] = []
    for member in ordered:
        entry = entries[member.slug]
        covers = _entry_covers(entry, need, result.stack)
        out.append(
            MemberResult(
                slug=member.slug,
                name=entry.name,
                role_zh=member.role_zh,
                role_en=member.role_en,
                optional=member.optional,
                adds=messages.member_adds(
                    entry.name, member.role_zh, member.role_en, covers, name_zh=entry.name_zh
                ),
                choice_group=member.choice_group,
                score=round(by_slug[member.slug].score, 4),
                core=member.core,
                layer=member.layer,
                name_zh=entry.name_zh or entry.name,
            )
        )
    return tuple(out)

