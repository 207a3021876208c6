"""The ecosystem graph: every entry as a node, every typed relation (and successor) as an edge.

Served as JSON by ``catalog.graph_api`` for the G6 drawing on /catalog/graph/, and used by the
page itself for its no-JavaScript list. Both languages are in the data; ``label`` follows the
active one. Three queries, whatever the catalog's size.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .models import Category, Maintenance, Project, Relation, RelationType, pick_language


@dataclass(frozen=True)
class GraphData:
    projects: list[Project]
    relations: list[tuple[Project, Project, str]]  # (source, target, relation type)
    categories: list[Category]


def load_graph() -> GraphData:
    projects = list(Project.objects.select_related("category", "successor").order_by("name"))
    by_pk = {project.pk: project for project in projects}
    seen: set[tuple[int, int, str]] = set()
    relations: list[tuple[Project, Project, str]] = []
    for source_id, target_id, kind in Relation.objects.values_list(
        "source_id", "target_id", "type"
    ).order_by("source__name", "type", "target__name"):
        seen.add((source_id, target_id, kind))
        relations.append((by_pk[source_id], by_pk[target_id], kind))
    for project in projects:
        # "B successor-of A" for A's successor B, unless a relation already says so.
        if project.successor_id and (
            project.successor_id, project.pk, RelationType.SUCCESSOR_OF
        ) not in seen:
            seen.add((project.successor_id, project.pk, RelationType.SUCCESSOR_OF))
            relations.append((by_pk[project.successor_id], project, RelationType.SUCCESSOR_OF))
    categories = list(Category.objects.filter(projects__isnull=False).distinct())
    return GraphData(projects=projects, relations=relations, categories=categories)


def graph_payload(graph: GraphData) -> dict[str, Any]:
    """``{"nodes": [...], "edges": [...], "categories": [...], "relation_types": [...]}``."""
    nodes = [
        {
            "id": project.slug,
            "name": project.name,
            "name_zh": project.name_zh,
            "label": project.display_name,
            "kind": project.kind,
            "category": project.category.slug,
            "maintenance": project.maintenance,
            "maintenance_label": str(Maintenance(project.maintenance).label),
            "url": project.get_absolute_url(),
        }
        for project in graph.projects
    ]
    edges = [
        {
            "id": f"{source.slug}--{kind}--{target.slug}",
            "source": source.slug,
            "target": target.slug,
            "type": kind,
            "label": str(RelationType(kind).label),
        }
        for source, target, kind in graph.relations
    ]
    used = {kind for _source, _target, kind in graph.relations}
    return {
        "nodes": nodes,
        "edges": edges,
        "categories": [
            {"slug": c.slug, "name": c.name, "name_zh": c.name_zh, "name_en": c.name_en}
            for c in graph.categories
        ],
        "relation_types": [
            {"value": value, "label": str(label)}
            for value, label in RelationType.choices
            if value in used
        ],
    }


def relations_by_source(graph: GraphData) -> list[tuple[Project, list[tuple[str, Project]]]]:
    """For the no-JavaScript list: each entry with its outgoing relations (label, target)."""
    out: dict[int, list[tuple[str, Project]]] = {}
    for source, target, kind in graph.relations:
        out.setdefault(source.pk, []).append((str(RelationType(kind).label), target))
    return [(project, out[project.pk]) for project in graph.projects if project.pk in out]


def category_name(category: Category) -> str:
    return pick_language(category.name_zh, category.name_en)
