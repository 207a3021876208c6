"""Synthetic catalog entries for benchmarks and scale tests (never loaded by default).

Each synthetic entry is a recombination of the real catalog: its text is sentences taken from
real entries (so tokenisation, synonyms and facets behave as they do on real data), its facets
are drawn from the real entries' facet sets, its organisation and licence from the real ones.
Slugs start with ``synthetic-`` so they can never be mistaken for real entries and can be
removed in one statement. The same seed gives the same entries.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date

from django.db import transaction

from .models import Link, LinkType, Project, Relation, RelationType
from .versioning import bump_catalog_version

PREFIX = "synthetic-"
BATCH = 1000

_NAME_PARTS = (
    "Flow", "Graph", "Rec", "Vec", "Serve", "Lake", "Stream", "Learn", "Vision", "Speech",
    "Opt", "Search", "Train", "Mind", "Data", "Edge", "Cloud", "Scope", "Insight", "Pilot",
)
_NAME_PARTS_ZH = (
    "流", "图", "推荐", "向量", "服务", "湖", "实时", "学习", "视觉", "语音",
    "优化", "搜索", "训练", "智能", "数据", "端侧", "云", "洞察", "引擎", "平台",
)
FACET_FIELDS = ("frameworks", "data_types", "scales", "scenarios")
_RELATION_TYPES = (
    RelationType.INTEGRATES_WITH,
    RelationType.RUNS_ON,
    RelationType.ALTERNATIVE_TO,
)


@dataclass(frozen=True)
class _Source:
    """What is drawn from one real entry."""

    kind: str
    category_id: int
    org: str
    license: str
    maintenance: str
    summary_zh: str
    summary_en: str
    features_zh: list
    features_en: list
    principles_zh: str
    principles_en: str
    use_cases_zh: list
    use_cases_en: list
    last_release_tag: str
    last_release_date: date | None
    facets: dict[str, list[int]]


def _sources() -> list[_Source]:
    sources = []
    real = Project.objects.exclude(slug__startswith=PREFIX).prefetch_related(
        "frameworks", "data_types", "scales", "scenarios"
    )
    for p in real.order_by("slug"):
        sources.append(
            _Source(
                kind=p.kind,
                category_id=p.category_id,
                org=p.org,
                license=p.license,
                maintenance=p.maintenance,
                summary_zh=p.summary_zh,
                summary_en=p.summary_en,
                features_zh=list(p.features_zh),
                features_en=list(p.features_en),
                principles_zh=p.principles_zh,
                principles_en=p.principles_en,
                use_cases_zh=list(p.use_cases_zh),
                use_cases_en=list(p.use_cases_en),
                last_release_tag=p.last_release_tag,
                last_release_date=p.last_release_date,
                facets={
                    name: [t.pk for t in getattr(p, name).all()]
                    for name in ("frameworks", "data_types", "scales", "scenarios")
                },
            )
        )
    return sources


def _pick(rng: random.Random, items: list, low: int, high: int) -> list:
    if not items:
        return []
    return rng.sample(items, min(len(items), rng.randint(low, high)))


def _project(rng: random.Random, number: int, sources: list[_Source], tag: str) -> tuple:
    """One unsaved Project and its facet ids, mixed from two or three real entries."""
    base, other, third = (rng.choice(sources) for _ in range(3))
    release = rng.choice(sources)  # a real entry's release (tag and date), or none
    name = f"{rng.choice(_NAME_PARTS)}{rng.choice(_NAME_PARTS)} {tag}{number}"
    name_zh = f"{rng.choice(_NAME_PARTS_ZH)}{rng.choice(_NAME_PARTS_ZH)}{tag}{number}"
    features_pairs = list(zip(base.features_zh, base.features_en, strict=False)) + list(
        zip(other.features_zh, other.features_en, strict=False)
    )
    features = _pick(rng, features_pairs, 2, 5)
    use_case_pairs = list(zip(base.use_cases_zh, base.use_cases_en, strict=False)) + list(
        zip(third.use_cases_zh, third.use_cases_en, strict=False)
    )
    use_cases = _pick(rng, use_case_pairs, 1, 3)
    slug = f"{PREFIX}{tag}{number:06d}"
    project = Project(
        slug=slug,
        name=name,
        name_zh=name_zh,
        kind=base.kind,
        category_id=base.category_id,
        org=rng.choice(sources).org,
        license=rng.choice(sources).license,
        maintenance=rng.choice((base.maintenance, base.maintenance, other.maintenance)),
        repo_url=f"https://example.invalid/{slug}" if base.kind == "open-source" else "",
        summary_zh=base.summary_zh,
        summary_en=base.summary_en,
        features_zh=[zh for zh, _ in features],
        features_en=[en for _, en in features],
        principles_zh=other.principles_zh,
        principles_en=other.principles_en,
        use_cases_zh=[zh for zh, _ in use_cases],
        use_cases_en=[en for _, en in use_cases],
        last_release_tag=release.last_release_tag,
        last_release_date=release.last_release_date,
    )
    facets = {
        name: sorted(set(base.facets[name]) | set(_pick(rng, other.facets[name], 0, 1)))
        for name in base.facets
    }
    return project, facets


def generate(*, count: int, seed: int = 0) -> int:
    """Add ``count`` synthetic entries (with facets, links and relations); returns how many.

    Bulk inserts skip the per-row signals and history: the catalog version is bumped once at
    the end, so caches rebuild once. Numbering continues after existing synthetic entries, so
    generating twice adds more rather than colliding.
    """
    sources = _sources()
    if not sources or count <= 0:
        return 0
    rng = random.Random(seed)
    tag = f"s{seed}-"
    start = Project.objects.filter(slug__startswith=f"{PREFIX}{tag}").count()
    through = {name: getattr(Project, name).through for name in sources[0].facets}
    real_ids = list(
        Project.objects.exclude(slug__startswith=PREFIX).values_list("pk", flat=True)
    )
    made = 0
    with transaction.atomic():
        for offset in range(0, count, BATCH):
            rows = [
                _project(rng, start + offset + i, sources, tag)
                for i in range(min(BATCH, count - offset))
            ]
            Project.objects.bulk_create([project for project, _ in rows], batch_size=BATCH)
            saved = dict(
                Project.objects.filter(slug__in=[p.slug for p, _ in rows]).values_list(
                    "slug", "pk"
                )
            )
            for name, model in through.items():
                field = model._meta.get_field("project").attname  # project_id
                other = next(
                    f.attname for f in model._meta.concrete_fields if f.attname not in
                    ("id", field)
                )
                model.objects.bulk_create(
                    [
                        model(**{field: saved[project.slug], other: term})
                        for project, facets in rows
                        for term in facets[name]
                    ],
                    batch_size=BATCH,
                )
            links = []
            relations = []
            ids = list(saved.values())
            for project, _ in rows:
                pk = saved[project.slug]
                if project.repo_url:
                    links.append(
                        Link(project_id=pk, title="代码仓库", title_en="Repository",
                             url=project.repo_url, type=LinkType.REPO)
                    )
                links.append(
                    Link(project_id=pk, title="文档", title_en="Documentation",
                         url=f"https://example.invalid/{project.slug}/docs",
                         type=LinkType.DOCS, position=1)
                )
                targets = {rng.choice(real_ids + ids) for _ in range(rng.randint(0, 2))}
                for target in sorted(targets - {pk}):
                    relations.append(
                        Relation(source_id=pk, target_id=target,
                                 type=rng.choice(_RELATION_TYPES))
                    )
            Link.objects.bulk_create(links, batch_size=BATCH)
            Relation.objects.bulk_create(relations, batch_size=BATCH, ignore_conflicts=True)
            made += len(rows)
        bump_catalog_version()
    return made


def remove() -> int:
    """Delete every synthetic entry with its links, relations, facets and sources.

    Raw deletes: per-row signals and history would cost minutes at 10,000 entries; the
    catalog version is bumped once instead.
    """
    from .models import FactSource, StackMember

    with transaction.atomic():
        ids = list(Project.objects.filter(slug__startswith=PREFIX).values_list("pk", flat=True))
        if not ids:
            return 0
        for start in range(0, len(ids), BATCH):
            chunk = ids[start : start + BATCH]
            for model in (
                *(getattr(Project, name).through for name in FACET_FIELDS),
                Link,
                FactSource,
                StackMember,
            ):
                _raw_delete(model.objects.filter(project_id__in=chunk))
            _raw_delete(Relation.objects.filter(source_id__in=chunk))
            _raw_delete(Relation.objects.filter(target_id__in=chunk))
            Project.objects.filter(successor_id__in=chunk).update(successor=None)
            _raw_delete(Project.objects.filter(pk__in=chunk))
        bump_catalog_version()
    return len(ids)


def _raw_delete(queryset) -> None:
    queryset._raw_delete(queryset.db)
