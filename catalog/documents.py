"""The searchable text of an entry, shared by the catalog search and the advisor's index.

``load_entry_rows`` reads what both indexes need of every entry as plain rows (5 queries, no
model instances or prefetch managers: building the indexes of 10,000 entries spends its time
tokenising, not in the ORM).
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.db.models import TextField
from django.db.models.functions import Cast, ExtractYear

from .models import Project

FACET_FIELDS = ("frameworks", "data_types", "scales", "scenarios")


@dataclass(frozen=True, slots=True)
class TermRow:
    slug: str
    name_zh: str
    name_en: str


@dataclass(frozen=True, slots=True)
class EntryRow:
    """One entry as the indexes read it (see ``load_entry_rows``)."""

    pk: int
    slug: str
    name: str
    name_zh: str
    kind: str
    maintenance: str
    org: str
    license: str
    maintenance_note: str
    last_release_year: int | None  # the year of last_release_date
    summary_zh: str
    summary_en: str
    features_zh: Sequence[str]
    features_en: Sequence[str]
    principles_zh: str
    principles_en: str
    use_cases_zh: Sequence[str]
    use_cases_en: Sequence[str]
    aliases: Sequence[str]
    category: TermRow | None
    successor: str | None
    facets: dict[str, tuple[TermRow, ...]] = field(default_factory=dict)

    def terms(self, name: str) -> tuple[TermRow, ...]:
        return self.facets.get(name, ())

    def document_parts(self) -> list[str]:
        return _document_parts(
            self,
            facet_terms=(self.terms("scenarios"), self.terms("data_types"),
                         self.terms("frameworks")),
            category=self.category,
        )


def project_document_text(project: Project) -> str:
    """Names (weighted by repetition), summaries, features, principles, scenarios and facet names,
    in both languages. Expects facets prefetched (``Project.objects.with_facets()``)."""
    return "\n".join(project_document_parts(project))


def project_document_parts(project: Project) -> list[str]:
    """``project_document_text`` as its non-empty parts (lines), each tokenised and cached on
    its own: an edit to one field re-tokenises that part only."""
    return _document_parts(
        project,
        facet_terms=(project.scenarios.all(), project.data_types.all(), project.frameworks.all()),
        category=project.category,
    )


def _document_parts(entry, *, facet_terms, category) -> list[str]:
    names = f"{entry.name} {entry.name_zh} {entry.slug.replace('-', ' ')}"
    facet_names = " ".join(
        f"{term.name_zh} {term.name_en}" for terms in facet_terms for term in terms
    )
    category_names = f"{category.name_zh} {category.name_en}" if category else ""
    parts = [
        names,
        names,
        names,
        entry.summary_zh,
        entry.summary_en,
        " ".join(entry.features_zh),
        " ".join(entry.features_en),
        entry.principles_zh,
        entry.principles_en,
        " ".join(entry.use_cases_zh),
        " ".join(entry.use_cases_en),
        facet_names,
        category_names,
    ]
    return [part for part in parts if part]


_ROW_FIELDS = (
    "pk", "slug", "name", "name_zh", "kind", "maintenance", "org", "license",
    "maintenance_note", "summary_zh", "summary_en", "principles_zh", "principles_en",
)
_LIST_FIELDS = ("features_zh", "features_en", "use_cases_zh", "use_cases_en", "aliases")


def _list_of(raw: str | None, seen: dict[str, tuple]) -> tuple:
    """A JSON list column read as its text, decoded once per distinct text."""
    if raw is None:
        return ()
    found = seen.get(raw)
    if found is None:
        found = seen[raw] = tuple(json.loads(raw) or ())
    return found


def _term(seen: dict[tuple[str, str, str], TermRow], slug: str, zh: str, en: str) -> TermRow:
    """One ``TermRow`` per term, not one per entry that has it (10,000 entries' facets)."""
    key = (slug, zh, en)
    found = seen.get(key)
    if found is None:
        found = seen[key] = TermRow(slug, zh, en)
    return found


def load_entry_rows() -> list[EntryRow]:
    """Every entry, ordered by slug, with its category, successor and facet terms (5 queries;
    facet terms in their vocabulary's order, as ``with_facets`` gives them)."""
    facets: dict[str, dict[int, list[TermRow]]] = {}
    terms: dict[tuple[str, str, str], TermRow] = {}
    for name in FACET_FIELDS:
        relation = getattr(Project, name).field
        through = relation.remote_field.through
        term = relation.m2m_reverse_field_name()
        owner = relation.m2m_field_name()
        by_project: dict[int, list[TermRow]] = defaultdict(list)
        rows = through.objects.order_by(f"{term}__position", f"{term}__slug").values_list(
            f"{owner}_id", f"{term}__slug", f"{term}__name_zh", f"{term}__name_en"
        )
        for project_id, slug, name_zh, name_en in rows:
            by_project[project_id].append(_term(terms, slug, name_zh, name_en))
        facets[name] = by_project
    texts = {f"{name}_text": Cast(name, output_field=TextField()) for name in _LIST_FIELDS}
    rows = (
        Project.objects.order_by("slug")
        .annotate(release_year=ExtractYear("last_release_date"), **texts)
        .values_list(
            *_ROW_FIELDS, "category__slug", "category__name_zh", "category__name_en",
            "successor__slug", "release_year", *texts,
        )
    )
    seen: dict[str, tuple] = {}
    entries = []
    own_count = len(_ROW_FIELDS)
    for values in rows:
        own = dict(zip(_ROW_FIELDS, values[:own_count], strict=True))
        category_slug, category_zh, category_en, successor, year = values[own_count:own_count + 5]
        lists = {
            name: _list_of(raw, seen)
            for name, raw in zip(_LIST_FIELDS, values[own_count + 5:], strict=True)
        }
        entries.append(
            EntryRow(
                **own,
                **lists,
                last_release_year=year,
                category=_term(terms, category_slug, category_zh, category_en)
                if category_slug else None,
                successor=successor,
                facets={
                    name: tuple(facets[name].get(own["pk"], ())) for name in FACET_FIELDS
                },
            )
        )
    return entries
