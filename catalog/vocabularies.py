"""The controlled vocabularies and stacks, read once per catalog version.

Both the catalog list's filter form and the advisor's questionnaire validate against these.
What is cached is language-neutral (each term keeps both names); labels in the active language
are made at request time (``Term.name``, ``Vocabularies.choices``), so one cached value serves
every language. A request costs one query (the catalog version) while nothing changes; after a
change the next request reads them again (9 queries).
"""

from __future__ import annotations

from dataclasses import dataclass

from .models import (
    Category,
    DataType,
    Framework,
    Project,
    Scale,
    Scenario,
    Stack,
    StackMember,
    pick_language,
)
from .versioning import VersionedCache

# Vocabulary name (an attribute of ``Vocabularies``) -> model; the names are public (the
# advisor's messages use them).
VOCABULARY_MODELS = {
    "categories": Category,
    "frameworks": Framework,
    "data_types": DataType,
    "scales": Scale,
    "scenarios": Scenario,
}


@dataclass(frozen=True)
class Term:
    """A vocabulary term or a stack, with both names."""

    slug: str
    name_zh: str
    name_en: str

    @property
    def name(self) -> str:
        """The name in the active language."""
        return pick_language(self.name_zh, self.name_en)


@dataclass(frozen=True)
class Vocabularies:
    categories: tuple[Term, ...]
    frameworks: tuple[Term, ...]
    data_types: tuple[Term, ...]
    scales: tuple[Term, ...]
    scenarios: tuple[Term, ...]
    stacks: tuple[Term, ...]
    stack_members: dict[str, frozenset[int]]  # stack slug -> ids of its member entries
    # The distinct organisations and licences of the entries (free text, not vocabularies).
    orgs: tuple[str, ...] = ()
    licenses: tuple[str, ...] = ()

    def terms(self, *, vocabulary: str) -> tuple[Term, ...]:
        if vocabulary not in (*VOCABULARY_MODELS, "stacks"):
            raise ValueError(f"Unknown vocabulary: {vocabulary}")
        return getattr(self, vocabulary)

    def choices(self, *, vocabulary: str) -> list[tuple[str, str]]:
        """(slug, name in the active language), in display order."""
        return [(term.slug, term.name) for term in self.terms(vocabulary=vocabulary)]

    def label(self, *, vocabulary: str, slug: str) -> str:
        """A slug's name in the active language (the slug itself when unknown)."""
        for term in self.terms(vocabulary=vocabulary):
            if term.slug == slug:
                return term.name
        return slug


def _terms(model) -> tuple[Term, ...]:
    rows = model.objects.order_by("position", "slug").values_list("slug", "name_zh", "name_en")
    return tuple(Term(*row) for row in rows)


def load_vocabularies() -> Vocabularies:
    """Read every vocabulary and stack, and the entries' organisations and licences, from the
    database (9 queries; uncached)."""
    members: dict[str, set[int]] = {}
    for stack_slug, project_id in StackMember.objects.values_list("stack__slug", "project_id"):
        members.setdefault(stack_slug, set()).add(project_id)
    return Vocabularies(
        **{name: _terms(model) for name, model in VOCABULARY_MODELS.items()},
        stacks=_terms(Stack),
        stack_members={slug: frozenset(ids) for slug, ids in members.items()},
        orgs=_distinct("org"),
        licenses=_distinct("license"),
    )


def _distinct(column: str) -> tuple[str, ...]:
    values = Project.objects.order_by().values_list(column, flat=True).distinct()
    return tuple(sorted(values, key=str.lower))


_cache: VersionedCache[Vocabularies] = VersionedCache(load_vocabularies)


def get_vocabularies() -> Vocabularies:
    """The vocabularies of the current catalog version (one query while cached)."""
    return _cache.get()


def clear_vocabularies_cache() -> None:
    _cache.clear()
