"""The ecosystem graph: entries as nodes, typed relations (and successors) as edges.

Served as JSON by ``catalog.graph_api`` for the G6 drawing on /catalog/graph/, and used by the
page itself for its no-JavaScript list. Both languages are in the data; ``label`` follows the
active one.

Up to ``GRAPH_LIMIT`` entries every entry is drawn. Beyond that a drawing of every entry is
unreadable and heavy, so the graph aggregates: without a chosen category it is the overview,
one node per category (its number of entries) and one edge per (category, relation type,
category) with the number of relations; with chosen categories (``?category=``) it draws their
entries, the ``GRAPH_LIMIT`` best connected when there are more. Built in a fixed number of
queries, whatever the catalog's size, once per catalog version.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from django.db.models import Count, Exists, F, IntegerField, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce, Lower
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from .models import Category, Maintenance, Project, Relation, RelationType, pick_language
from .versioning import VersionedCache

GRAPH_LIMIT = 300


class GraphMode(StrEnum):
    ENTRIES = "entries"  # one node per entry
    CATEGORIES = "categories"  # one node per category (the overview of a large catalog)


@dataclass(frozen=True)
class Node:
    id: str
    name: str
    name_zh: str
    kind: str  # the entry's kind; "category" for a category node
    category: Category
    maintenance: str  # "" for a category node
    url: str
    count: int = 1  # the entries a category node stands for

    @property
    def label(self) -> str:
        return pick_language(self.name_zh, self.name)


@dataclass(frozen=True)
class Edge:
    source: Node
    target: Node
    type: str
    count: int = 1  # relations an overview edge stands for


@dataclass(frozen=True)
class GraphData:
    nodes: list[Node]
    relations: list[Edge]
    categories: list[Category]  # every category that has entries
    mode: GraphMode = GraphMode.ENTRIES
    total: int = 0  # entries in scope (all, or those of the chosen categories)
    selected: list[str] = field(default_factory=list)  # chosen category slugs
    unknown: list[str] = field(default_factory=list)  # asked-for slugs that are no category

    @property
    def shown(self) -> int:
        """Entries drawn one by one (0 in the overview)."""
        return len(self.nodes) if self.mode == GraphMode.ENTRIES else 0

    @property
    def truncated(self) -> bool:
        return self.mode == GraphMode.ENTRIES and self.shown < self.total


def graph_url(*, categories: Iterable[str] = (), name: str = "catalog:graph") -> str:
    """The graph page (or, ``name="api-graph"``, its data) of these categories; the whole
    graph or the overview without any."""
    query = urlencode([("category", slug) for slug in categories])
    return reverse(name) + (f"?{query}" if query else "")


def _entry_node(project: Project, category: Category) -> Node:
    return Node(
        id=project.slug, name=project.name, name_zh=project.name_zh, kind=project.kind,
        category=category, maintenance=project.maintenance, url=project.get_absolute_url(),
    )


# Graphs by (categories asked, limit) for the current catalog version; their labels follow
# the active language when read, so one graph serves both.
GRAPH_CACHE_SIZE = 128
_graphs: VersionedCache[dict] = VersionedCache(dict)


def load_graph(*, categories: Iterable[str] = (), limit: int = GRAPH_LIMIT) -> GraphData:
    """The graph of every entry, or of the chosen ``categories`` (slugs); aggregated by
    category beyond ``limit`` entries (see the module's docstring). Built once per catalog
    version (three or four queries), then one query: the version."""
    key = (tuple(dict.fromkeys(slug for slug in categories if slug)), limit)
    store = _graphs.get()
    graph = store.get(key)
    if graph is None:
        graph = build_graph(categories=key[0], limit=limit)
        if len(store) >= GRAPH_CACHE_SIZE:
            store.clear()
        store[key] = graph
    return graph


def build_graph(*, categories: Iterable[str], limit: int) -> GraphData:
    """``load_graph`` without the cache."""
    with_entries = list(
        Category.objects.annotate(entries=Count("projects")).filter(entries__gt=0)
    )
    by_slug = {category.slug: category for category in with_entries}
    asked = list(dict.fromkeys(slug for slug in categories if slug))
    selected = [slug for slug in asked if slug in by_slug]
    unknown = [slug for slug in asked if slug not in by_slug]
    scope = [by_slug[slug] for slug in selected] or with_entries
    total = sum(category.entries for category in scope)
    common = {"categories": with_entries, "total": total, "selected": selected,
              "unknown": unknown}
    if not selected and total > limit:
        nodes, edges = _overview(with_entries)
        return GraphData(nodes=nodes, relations=edges, mode=GraphMode.CATEGORIES, **common)
    nodes, edges = _entries(scope=scope if selected else None, limit=limit, by_pk={
        category.pk: category for category in with_entries})
    return GraphData(nodes=nodes, relations=edges, mode=GraphMode.ENTRIES, **common)


def _entries(*, scope: list[Category] | None, limit: int, by_pk: dict[int, Category]
             ) -> tuple[list[Node], list[Edge]]:
    """The scope's entries (the best connected ``limit`` of them) and the edges between them:
    two queries."""
    projects = Project.objects.all()
    if scope is not None:
        projects = projects.filter(category__in=scope)

    def degree(field_name: str):
        return Coalesce(
            Subquery(
                Relation.objects.filter(**{field_name: OuterRef("pk")})
                .order_by()
                .values(field_name)
                .annotate(n=Count("pk"))
                .values("n")[:1],
                output_field=IntegerField(),
            ),
            Value(0),
        )

    chosen = list(
        projects.annotate(degree=degree("source") + degree("target"))
        .order_by("-degree", Lower("name"), "slug")
        .values_list("pk", "slug", "name", "name_zh", "kind", "category_id", "maintenance",
                     "successor_id")[:limit]
    )
    chosen.sort(key=lambda row: (row[2].lower(), row[1]))
    nodes_by_pk: dict[int, Node] = {}
    successors: list[tuple[int, int]] = []
    for pk, slug, name, name_zh, kind, category_id, maintenance, successor_id in chosen:
        project = Project(slug=slug, name=name, name_zh=name_zh, kind=kind,
                          maintenance=maintenance)
        nodes_by_pk[pk] = _entry_node(project, by_pk[category_id])
        if successor_id:
            successors.append((successor_id, pk))
    ids = list(nodes_by_pk)
    seen: set[tuple[int, int, str]] = set()
    edges: list[Edge] = []
    rows = (
        Relation.objects.filter(source_id__in=ids, target_id__in=ids)
        .values_list("source_id", "target_id", "type")
        .order_by(Lower("source__name"), "type", Lower("target__name"))
    )
    for source_id, target_id, kind in rows:
        seen.add((source_id, target_id, kind))
        edges.append(Edge(nodes_by_pk[source_id], nodes_by_pk[target_id], kind))
    for successor_id, pk in successors:
        # "B successor-of A" for A's successor B, unless a relation already says so.
        key = (successor_id, pk, RelationType.SUCCESSOR_OF)
        if successor_id in nodes_by_pk and key not in seen:
            seen.add(key)
            edges.append(Edge(nodes_by_pk[successor_id], nodes_by_pk[pk],
                              RelationType.SUCCESSOR_OF))
    return list(nodes_by_pk.values()), edges


def _overview(categories: list[Category]) -> tuple[list[Node], list[Edge]]:
    """One node per category and the relations between categories counted in SQL (two
    queries). Relations inside a category are not drawn (a category node has no loop)."""
    nodes = {
        category.pk: Node(
            id=f"category:{category.slug}", name=category.name_en, name_zh=category.name_zh,
            kind="category", category=category, maintenance="",
            url=graph_url(categories=[category.slug]), count=category.entries,
        )
        for category in categories
    }
    counts: dict[tuple[int, int, str], int] = {}
    relations = (
        Relation.objects.exclude(source__category=F("target__category"))
        .order_by()
        .values_list("source__category", "target__category", "type")
        .annotate(n=Count("pk"))
    )
    for source, target, kind, n in relations:
        counts[(source, target, kind)] = n
    stated = Relation.objects.filter(
        source=OuterRef("successor"), target=OuterRef("pk"), type=RelationType.SUCCESSOR_OF
    )
    successors = (
        Project.objects.filter(successor__isnull=False)
        .exclude(successor__category=F("category"))
        .exclude(Exists(stated))
        .order_by()
        .values_list("successor__category", "category")
        .annotate(n=Count("pk"))
    )
    for source, target, n in successors:
        key = (source, target, RelationType.SUCCESSOR_OF.value)
        counts[key] = counts.get(key, 0) + n
    edges = [
        Edge(nodes[source], nodes[target], kind, n)
        for (source, target, kind), n in counts.items()
        if source in nodes and target in nodes
    ]
    edges.sort(key=lambda e: (e.source.label.lower(), e.type, e.target.label.lower()))
    return list(nodes.values()), edges


def graph_payload(graph: GraphData) -> dict[str, Any]:
    """``{"mode", "total", "shown", "truncated", "selected", "nodes", "edges", "categories",
    "relation_types"}``; a category node's ``count`` is its number of entries, an overview
    edge's ``count`` its number of relations."""
    nodes = [
        {
            "id": node.id,
            "name": node.name,
            "name_zh": node.name_zh,
            "label": node.label,
            "kind": node.kind,
            "category": node.category.slug,
            "maintenance": node.maintenance,
            "maintenance_label": str(Maintenance(node.maintenance).label)
            if node.maintenance else "",
            "url": node.url,
            "count": node.count,
        }
        for node in graph.nodes
    ]
    edges = [
        {
            "id": f"{edge.source.id}--{edge.type}--{edge.target.id}",
            "source": edge.source.id,
            "target": edge.target.id,
            "type": edge.type,
            "label": str(RelationType(edge.type).label),
            "count": edge.count,
        }
        for edge in graph.relations
    ]
    used = {edge.type for edge in graph.relations}
    return {
        "mode": graph.mode.value,
        "total": graph.total,
        "shown": graph.shown,
        "truncated": graph.truncated,
        "selected": graph.selected,
        "nodes": nodes,
        "edges": edges,
        "categories": [
            {"slug": c.slug, "name": c.name, "name_zh": c.name_zh, "name_en": c.name_en,
             "entries": c.entries, "url": graph_url(categories=[c.slug])}
            for c in graph.categories
        ],
        "relation_types": [
            {"value": value, "label": str(label)}
            for value, label in RelationType.choices
            if value in used
        ],
    }


def relations_by_source(graph: GraphData) -> list[tuple[Node, list[tuple[str, Node, int]]]]:
    """For the no-JavaScript list: each node with its outgoing edges (label, target, count)."""
    out: dict[str, list[tuple[str, Node, int]]] = {}
    for edge in graph.relations:
        out.setdefault(edge.source.id, []).append(
            (str(RelationType(edge.type).label), edge.target, edge.count)
        )
    return [(node, out[node.id]) for node in graph.nodes if node.id in out]


def unknown_category_messages(graph: GraphData) -> list[str]:
    """What to say about asked-for categories that do not exist (Django's own wording)."""
    return [
        _("Select a valid choice. %(value)s is not one of the available choices.")
        % {"value": slug[:50]}
        for slug in graph.unknown
    ]


def category_name(category: Category) -> str:
    return pick_language(category.name_zh, category.name_en)
