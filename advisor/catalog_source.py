"""The Django side of the advisor: catalog rows in, plain ``EntryDoc`` / ``StackDoc`` out.

Loading takes a constant number of queries whatever the size of the catalog, and the engine is
built once per process and rebuilt when the catalog version changes (an admin edit shows up in
every server process without a restart).
"""

from __future__ import annotations

from collections import defaultdict

from catalog.documents import project_document_text
from catalog.models import Project, Relation, RelationType, Stack
from catalog.versioning import VersionedCache
from catalog.vocabularies import get_vocabularies

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


def entry_doc(project: Project, *, counterparts: frozenset[str] = frozenset()) -> EntryDoc:
    """One project as the engine sees it; expects ``Project.objects.with_facets()``."""
    successor = project.successor.slug if project.successor_id else None
    return EntryDoc(
        slug=project.slug,
        name=project.name,
        name_zh=project.name_zh,
        kind=project.kind,
        category=project.category.slug,
        maintenance=project.maintenance,
        text=project_document_text(project),
        frameworks=_slugs(project.frameworks.all()),
        data_types=_slugs(project.data_types.all()),
        scales=_slugs(project.scales.all()),
        scenarios=_slugs(project.scenarios.all()),
        successor=successor,
        org=project.org,
        license=project.license,
        counterparts=counterparts | ({successor} if successor else frozenset()),
        maintenance_note=project.maintenance_note,
        last_release_year=project.last_release_year,
        summary_zh=project.summary_zh,
        summary_en=project.summary_en,
        aliases=tuple(str(alias) for alias in project.aliases or ()),
    )


def load_entries() -> list[EntryDoc]:
    counterparts = load_counterparts()
    return [
        entry_doc(project, counterparts=frozenset(counterparts.get(project.slug, ())))
        for project in Project.objects.with_facets().order_by("slug")
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
    return Engine(
        load_entries(),
        load_stacks(),
        use_rules=use_rules,
        use_synonyms=use_synonyms,
        labels=load_labels(),
    )


_cache: VersionedCache[Engine] = VersionedCache(build_engine)


def get_engine() -> Engine:
    """The process-wide engine for the current catalog version."""
    return _cache.get()


def clear_engine_cache() -> None:
    _cache.clear()
