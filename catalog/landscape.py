"""The landscape (/catalog/landscape/): every entry as a tile, grouped by category, with a
generated monogram icon (no external logos) and its kind and maintenance at a glance.

Up to ``LANDSCAPE_LIMIT`` matching entries every one is a tile. Beyond that each category
shows its first ``SAMPLE_SIZE`` by name and its count, with a link to all of them (the
category's landscape, or the paged catalog list when that is still too many): counted and
chosen in the catalog version's facet table, only the shown tiles loaded.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from typing import Any

from django.urls import reverse
from django.utils.http import urlencode

from .models import Category, Project
from .queries import CatalogQuery

LANDSCAPE_LIMIT = 300
SAMPLE_SIZE = 12

# Dark enough for white text (contrast above 4.5:1 on every one).
PALETTE = (
    "#1f5fbf", "#b3470b", "#0f766e", "#6d28d9", "#be123c",
    "#3f6212", "#0e6285", "#9d1c9c", "#57534e", "#9a3412",
    "#4338ca", "#854d0e", "#155e75", "#047857",
)


def colour_for(key: str) -> str:
    digest = hashlib.sha1(key.encode("utf-8")).digest()
    return PALETTE[digest[0] % len(PALETTE)]


def category_colours(categories: list[Category]) -> dict[str, str]:
    """One palette colour per category, in the categories' order (stable across pages)."""
    return {c.slug: PALETTE[index % len(PALETTE)] for index, c in enumerate(categories)}


def monogram(name: str) -> str:
    """Up to two letters that stand for the name: initials of its words or of its CamelCase
    parts ("GraphScope" -> "GS"), else its first letters; a Chinese name gives its first
    character."""
    latin = re.sub(r"[（(].*?[)）]", " ", name).strip()
    words = [word for word in re.split(r"[\s\-_/·.]+", latin) if word]
    if not words:
        return name[:1] or "?"
    first = words[0]
    if not first[0].isascii():
        return first[0]
    if len(words) >= 2 and words[1][0].isascii() and words[1][0].isalnum():
        return (first[0] + words[1][0]).upper()
    capitals = [char for char in first if char.isupper()]
    if len(capitals) >= 2:
        return capitals[0] + capitals[1]
    return first[:2].capitalize()


@dataclass(frozen=True)
class Tile:
    project: Project
    monogram: str
    colour: str


@dataclass(frozen=True)
class TileGroup:
    category: Category
    tiles: list[Tile]
    total: int = 0  # the category's matching entries (more than the tiles when sampled)

    @property
    def count(self) -> int:
        return max(self.total, len(self.tiles))

    @property
    def sampled(self) -> bool:
        return self.count > len(self.tiles)


def tile_groups(*, projects: list[Project], totals: dict[str, int] | None = None
                ) -> list[TileGroup]:
    """The entries (with their category, in their order) by category, categories in order;
    ``totals`` (category slug -> matching entries) when the tiles are a sample."""
    totals = totals or {}
    groups: dict[int, TileGroup] = {}
    for project in projects:
        group = groups.setdefault(
            project.category_id,
            TileGroup(category=project.category, tiles=[],
                      total=totals.get(project.category.slug, 0)),
        )
        group.tiles.append(
            Tile(project=project, monogram=monogram(project.name), colour=colour_for(project.slug))
        )
    return sorted(groups.values(), key=lambda g: (g.category.position, g.category.slug))


def landscape_summary(groups: list[TileGroup]) -> dict[str, Any]:
    return {"categories": len(groups), "entries": sum(len(g.tiles) for g in groups)}


def landscape_limit() -> int:
    return LANDSCAPE_LIMIT


def landscape_sample_size() -> int:
    return SAMPLE_SIZE


def more_url(*, group: TileGroup, filters: str) -> str:
    """Every entry of a sampled category (the other filters kept): its landscape, or the paged
    catalog list when that is still too many."""
    name = "catalog:landscape" if group.count <= LANDSCAPE_LIMIT else "catalog:list"
    query = "&".join(
        part for part in (filters, urlencode({"category": group.category.slug})) if part
    )
    return f"{reverse(name)}?{query}"


def landscape_groups(*, query: CatalogQuery, limit: int | None = None,
                     per_category: int | None = None) -> tuple[list[TileGroup], bool]:
    """The tiles of ``query``'s matching entries by category, and whether they are a sample:
    every entry up to ``limit``, else the first ``per_category`` of each category by name.
    One query: the tiles' rows."""
    limit = LANDSCAPE_LIMIT if limit is None else limit
    per_category = SAMPLE_SIZE if per_category is None else per_category
    table, matching = query.table, query.matching
    sampled = int(matching.sum()) > limit
    totals: dict[str, int] = {}
    if sampled:
        counted, pks = table.first_by_value(matching, "category", count=per_category)
        totals = {slug: n for slug, n in counted.items() if slug is not None}
    else:
        pks = table.ordered_pks(matching)
    by_id = Project.objects.select_related("category").in_bulk(pks)
    projects = [by_id[pk] for pk in pks if pk in by_id]
    return tile_groups(projects=projects, totals=totals), sampled
