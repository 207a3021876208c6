"""The landscape (/catalog/landscape/): every entry as a tile, grouped by category, with a
generated monogram icon (no external logos) and its kind and maintenance at a glance."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from typing import Any

from .models import Category, Project

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


def tile_groups(*, projects: list[Project]) -> list[TileGroup]:
    """The entries (``with_facets()``, in their order) by category, categories in order."""
    groups: dict[int, TileGroup] = {}
    for project in projects:
        group = groups.setdefault(
            project.category_id, TileGroup(category=project.category, tiles=[])
        )
        group.tiles.append(
            Tile(project=project, monogram=monogram(project.name), colour=colour_for(project.slug))
        )
    return sorted(groups.values(), key=lambda g: (g.category.position, g.category.slug))


def landscape_summary(groups: list[TileGroup]) -> dict[str, Any]:
    return {"categories": len(groups), "entries": sum(len(g.tiles) for g in groups)}
