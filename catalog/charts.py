"""The catalog in numbers (/catalog/stats/): counts by category, kind, maintenance, licence,
organisation and last-commit age, drawn as server-rendered SVG bar charts (numbers as text
too). Geometry only; ``catalog/_bar_chart.html`` draws it."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from urllib.parse import urlencode

from django.db.models import Count
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .models import Category, Kind, Maintenance, Project
from .svg import fit_text
from .versioning import VersionedCache

BAR_HEIGHT = 22
BAR_STEP = 30


@dataclass(frozen=True)
class BarItem:
    label: str
    value: int
    url: str = ""


@dataclass(frozen=True)
class Bar:
    item: BarItem
    label: str  # fitted
    label_x: float
    label_y: float
    x: float
    y: float
    width: float
    value_x: float
    value_y: float


@dataclass(frozen=True)
class BarChart:
    id: str
    variant: str
    width: int
    height: float
    title: str
    desc: str
    bars: tuple[Bar, ...]
    colour: str


@dataclass(frozen=True)
class ChartSection:
    slug: str
    title: str
    items: list[BarItem]
    charts: list[BarChart]

    @property
    def total(self) -> int:
        return sum(item.value for item in self.items)


def bar_chart(*, items: Sequence[BarItem], title: str, ident: str, wide: bool,
              colour: str) -> BarChart:
    width = 540 if wide else 340
    top = max((item.value for item in items), default=0) or 1
    bars: list[Bar] = []
    if wide:
        label_width, bar_x = 220, 230
        bar_room = width - bar_x - 50
        for index, item in enumerate(items):
            y = 4 + index * BAR_STEP
            bar_width = max(2.0, bar_room * item.value / top)
            bars.append(Bar(
                item=item, label=fit_text(item.label, size=13, max_width=label_width - 6),
                label_x=label_width, label_y=y + 16, x=bar_x, y=y, width=round(bar_width, 1),
                value_x=round(bar_x + bar_width + 6, 1), value_y=y + 16,
            ))
        height = 8 + len(items) * BAR_STEP
    else:
        bar_room = width - 50
        step = BAR_STEP + 18
        for index, item in enumerate(items):
            y = 4 + index * step
            bar_width = max(2.0, bar_room * item.value / top)
            bars.append(Bar(
                item=item, label=fit_text(item.label, size=13, max_width=width - 4),
                label_x=0, label_y=y + 13, x=0, y=y + 18, width=round(bar_width, 1),
                value_x=round(bar_width + 6, 1), value_y=y + 34,
            ))
        height = 8 + len(items) * step
    desc = "; ".join(f"{item.label}: {item.value}" for item in items) + "."
    return BarChart(id=f"chart-{ident}-{'wide' if wide else 'narrow'}",
                    variant="wide" if wide else "narrow", width=width, height=height,
                    title=title, desc=desc, bars=tuple(bars), colour=colour)


def _section(slug: str, title: str, items: list[BarItem], colour: str) -> ChartSection:
    return ChartSection(
        slug=slug, title=title, items=items,
        charts=[bar_chart(items=items, title=title, ident=slug, wide=wide, colour=colour)
                for wide in (True, False)],
    )


def _list_url(param: str, value: str) -> str:
    return f"{reverse('catalog:list')}?{urlencode({param: value})}"


AGE_BUCKETS = (
    (92, gettext_lazy("Under 3 months")),
    (365, gettext_lazy("3 to 12 months")),
    (730, gettext_lazy("1 to 2 years")),
    (None, gettext_lazy("Over 2 years")),
)


def commit_age_items(*, dates: Sequence[dt.date | None], today: dt.date) -> list[BarItem]:
    """Entries by the age of their last commit; empty when no entry has one yet."""
    return commit_age_items_from_counts(counts=Counter(dates), today=today)


def commit_age_items_from_counts(*, counts: Mapping[dt.date | None, int], today: dt.date
                                 ) -> list[BarItem]:
    """``commit_age_items`` from (last commit date or None -> number of entries)."""
    if not any(date is not None and n for date, n in counts.items()):
        return []
    buckets = [0] * len(AGE_BUCKETS)
    for date, n in counts.items():
        if date is None:
            continue
        age = (today - date).days
        for index, (limit, _label) in enumerate(AGE_BUCKETS):
            if limit is None or age < limit:
                buckets[index] += n
                break
    items = [BarItem(label=str(label), value=count)
             for (_limit, label), count in zip(AGE_BUCKETS, buckets, strict=True)]
    unknown = counts.get(None, 0)
    if unknown:
        items.append(BarItem(label=_("No commit data"), value=unknown))
    return items


def _counts(column: str) -> dict:
    """Value of ``column`` -> number of entries: one GROUP BY query."""
    return dict(Project.objects.order_by().values_list(column).annotate(n=Count("pk")))


STAT_COLUMNS = ("category_id", "kind", "maintenance", "license", "org", "last_commit")


def _count_everything() -> tuple[list[Category], dict[str, dict]]:
    return list(Category.objects.all()), {column: _counts(column) for column in STAT_COLUMNS}


# The counts (language-free) per catalog version: the page reads only the version.
_stat_counts = VersionedCache(_count_everything)


def stats_sections(*, today: dt.date) -> tuple[int, list[ChartSection]]:
    """The total and one chart section per dimension, counted in SQL once per catalog version
    (seven queries, no entry loaded); otherwise one query, the version."""
    categories, counts = _stat_counts.get()
    sections: list[ChartSection] = []
    by_category = counts["category_id"]
    sections.append(_section("category", _("By category"), [
        BarItem(label=c.name, value=by_category[c.pk], url=c.get_absolute_url())
        for c in categories if by_category.get(c.pk)
    ], "#1f5fbf"))
    by_kind = counts["kind"]
    sections.append(_section("kind", _("By kind"), [
        BarItem(label=str(label), value=by_kind[value], url=_list_url("kind", value))
        for value, label in Kind.choices if by_kind.get(value)
    ], "#0f766e"))
    by_maintenance = counts["maintenance"]
    sections.append(_section("maintenance", _("By maintenance"), [
        BarItem(label=str(label), value=by_maintenance[value],
                url=_list_url("maintenance", value))
        for value, label in Maintenance.choices if by_maintenance.get(value)
    ], "#b3470b"))
    by_license = counts["license"]
    sections.append(_section("license", _("By licence"), [
        BarItem(label=name, value=count, url=_list_url("license", name))
        for name, count in sorted(by_license.items(), key=lambda pair: (-pair[1], pair[0]))
    ], "#6d28d9"))
    by_org = counts["org"]
    sections.append(_section("org", _("By organisation"), [
        BarItem(label=name, value=count, url=_list_url("org", name))
        for name, count in sorted(by_org.items(), key=lambda pair: (-pair[1], pair[0]))
    ], "#9a3412"))
    ages = commit_age_items_from_counts(counts=counts["last_commit"], today=today)
    if ages:
        sections.append(_section("last-commit", _("By age of the last commit"), ages, "#3f6212"))
    return sum(by_kind.values()), sections
