"""Which facts of an entry must say where they come from (a FactSource each): pure, no Django.

- every entry: ``organisation``, ``maintenance``, ``description`` (the source of the summary,
  features and principles: the README or the product page), ``data_types`` when it has any,
  ``successor`` when it has one, and ``relation:<type>:<target slug>`` for each relation it is
  the source of;
- open source besides: ``repository``, ``license``, ``frameworks`` when it has any, and
  ``last_release`` when its last release date is known.
"""

from __future__ import annotations

from collections.abc import Iterable

OPEN_SOURCE = "open-source"


def required_facts(
    *,
    kind: str,
    has_frameworks: bool,
    has_data_types: bool,
    has_last_release: bool,
    has_successor: bool,
    relations: Iterable[tuple[str, str]],
) -> list[str]:
    """The facts (``relation:<type>:<target>`` for relations) that need a source, in order."""
    open_source = kind == OPEN_SOURCE
    facts = [
        *(["repository", "license"] if open_source else []),
        "organisation",
        *(["frameworks"] if open_source and has_frameworks else []),
        *(["data_types"] if has_data_types else []),
        "maintenance",
        *(["last_release"] if open_source and has_last_release else []),
        *(["successor"] if has_successor else []),
        *sorted(f"relation:{type_}:{target}" for type_, target in relations),
        "description",
    ]
    return facts


def missing_facts(*, required: Iterable[str], sourced: Iterable[tuple[str, str]]) -> list[str]:
    """The required facts no source covers. ``sourced`` holds (fact, detail) pairs; a relation
    is covered by its own detail, any other fact by its name whatever the detail."""
    covered = set()
    for fact, detail in sourced:
        covered.add(f"{fact}:{detail}" if fact == "relation" else fact)
    return [fact for fact in required if fact not in covered]
