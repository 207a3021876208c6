"""The Django side of the advisor: catalog rows in, plain ``EntryDoc`` / ``StackDoc`` out.

Loading takes a constant number of queries whatever the size of the catalog. The engine is
built once per catalog version from the catalog's shared document store (``catalog.textstore``:
the search and the advisor tokenise each text once) and, when the version moves on, rebuilt in
a background thread while requests keep the current engine (an admin edit shows up within
seconds in every server process, and no request waits for the rebuild).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence

from catalog import textstore
from catalog.documents import EntryRow, load_entry_rows
from catalog.models import Relation, RelationType, Stack
from catalog.versioning import BackgroundCache
from catalog.vocabularies import get_vocabularies
from textindex.store import DocumentStore

from .engine.scoring import Engine
from .engine.types import EntryDoc, StackDoc, StackMemberDoc

# Relations that mean "does the same job": offered instead when a rule rules an entry out.
COUNTERPART_RELATIONS = (RelationType.ALTERNATIVE_TO, RelationType.SUCCESSOR_OF)


def _slugs(terms) -> frozenset[str]:
    return frozenset(term.slug for term in terms)


def load_counterparts() -> dict[str, set[str]]:
    """slug -> slugs of its alternatives and successors/predecessors (both directions)."""
    counterparts: dict[str, set[str]] = defaultdict(set)
    rows = Relation.objects.filter(type__in=COUNTERPART_RELATIONS).values_list(
        "source__slug", "target__slug"
    )
    for source, target in rows:
        counterparts[source].add(target)
        counterparts[target].add(source)
    return counterparts


def _shared(values: Iterable[str], seen: dict[frozenset[str], frozenset[str]]) -> frozenset[str]:
    """One frozenset object per distinct set (10,000 entries share a few hundred facet sets)."""
    found = frozenset(values)
    return seen.setdefault(found, found)


def entry_doc_from_row(
    row: EntryRow,
    *,
    counterparts: frozenset[str] = frozenset(),
    parts: Sequence[str] | None = None,
    sets: dict[frozenset[str], frozenset[str]] | None = None,
) -> EntryDoc:
    """One entry as the engine sees it, from a plain row (``catalog.documents.load_entry_rows``).
    ``parts``: its document parts when already made (the catalog's document store); ``sets``:
    the facet sets already made for other entries, shared."""
    parts = tuple(parts if parts is not None else row.document_parts())
    successor = row.successor
    sets = {} if sets is None else sets
    return EntryDoc(
        slug=row.slug,
        name=row.name,
        name_zh=row.name_zh,
        kind=row.kind,
        category=row.category.slug if row.category else "",
        maintenance=row.maintenance,
        text="",
        text_parts=parts,
        frameworks=_shared((t.slug for t in row.terms("frameworks")), sets),
        data_types=_shared((t.slug for t in row.terms("data_types")), sets),
        scales=_shared((t.slug for t in row.terms("scales")), sets),
        scenarios=_shared((t.slug for t in row.terms("scenarios")), sets),
        successor=successor,
        org=row.org,
        license=row.license,
        counterparts=_shared(counterparts | ({successor} if successor else frozenset()), sets),
        maintenance_note=row.maintenance_note,
        last_release_year=row.last_release_year,
        summary_zh=row.summary_zh,
        summary_en=row.summary_en,
        aliases=tuple(str(alias) for alias in row.aliases or ()),
    )


def load_entries(
    *, rows: Sequence[EntryRow] | None = None, store: DocumentStore | None = None
) -> list[EntryDoc]:
    """Every entry as the engine sees it, by slug (6 queries, or 1 given the rows). ``store``:
    the rows' document store, whose parts the entries share."""
    counterparts = load_counterparts()
    sets: dict[frozenset[str], frozenset[str]] = {}
    return [
        entry_doc_from_row(
            row,
            counterparts=frozenset(counterparts.get(row.slug, ())),
            parts=store.parts(row.slug) if store is not None else None,
            sets=sets,
        )
        for row in (rows if rows is not None else load_entry_rows())
    ]


def load_stacks() -> list[StackDoc]:
    stacks: list[StackDoc] = []
    for stack in Stack.objects.with_members().select_related("counterpart").order_by("slug"):
        members = tuple(
            StackMemberDoc(
                slug=member.project.slug,
                role_zh=member.role_zh,
                role_en=member.role_en,
                optional=member.optional,
                choice_group=member.choice_group,
                core=member.core,
                layer=member.layer,
            )
            for member in stack.members.all()
        )
        stacks.append(
            StackDoc(
                slug=stack.slug,
                name_zh=stack.name_zh,
                name_en=stack.name_en,
                description_zh=stack.description_zh,
                description_en=stack.description_en,
                members=members,
                scenarios=_slugs(stack.scenarios.all()),
                counterpart=stack.counterpart.slug if stack.counterpart_id else None,
            )
        )
    return stacks


# Vocabularies whose names are common nouns: inside a sentence an English name starts in lower
# case ("made for recommendation"). Frameworks are proper names and keep theirs.
LABELLED_VOCABULARIES = {"frameworks": False, "data_types": True, "scales": True, "scenarios": True}


def _in_sentence(name: str) -> str:
    """"Risk control and anti-fraud" -> "risk control and anti-fraud"; an acronym or a
    capitalised word inside the first word ("LLM applications") is left alone."""
    first = name.split(" ", 1)[0]
    if first[:1].isupper() and first[1:] == first[1:].lower():
        return name[:1].lower() + name[1:]
    return name


def load_labels() -> dict[str, tuple[str, str]]:
    """Vocabulary slug -> (Chinese, English) names as the engine's reasons say them: the
    catalog's own names (``catalog.vocabularies``, cached per catalog version), so a term an
    editor adds is named, not shown as its slug."""
    vocabularies = get_vocabularies()
    labels: dict[str, tuple[str, str]] = {}
    for vocabulary, common_noun in LABELLED_VOCABULARIES.items():
        for term in vocabularies.terms(vocabulary=vocabulary):
            english = _in_sentence(term.name_en) if common_noun else term.name_en
            labels.setdefault(term.slug, (term.name_zh or term.name_en, english or term.name_zh))
    return labels


def build_engine(*, use_rules: bool = True, use_synonyms: bool = True) -> Engine:
    texts = textstore.current_texts()
    return Engine(
        load_entries(rows=texts.rows, store=texts.store),
        load_stacks(),
        use_rules=use_rules,
        use_synonyms=use_synonyms,
        labels=load_labels(),
        store=texts.store,
    )


_cache: BackgroundCache[Engine] = BackgroundCache(
    build_engine, name="advisor-engine", background=textstore.background_enabled
)


def get_engine() -> Engine:
    """The process-wide engine for the current catalog version (or the previous one while the
    next is built in the background)."""
    return _cache.get()


def engine_cache() -> BackgroundCache[Engine]:
    return _cache


def clear_engine_cache() -> None:
    _cache.clear()
