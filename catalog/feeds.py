"""An Atom feed of published changes to catalog entries, built from their history.

Each item is one saved version of an entry: which fields changed (in Chinese and English) and
when. Editors' names are never shown.
"""

from __future__ import annotations

from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils import translation
from django.utils.feedgenerator import Atom1Feed

from .health import HEALTH_CHANGE_REASON
from .models import Project

FEED_SIZE = 50
# Bookkeeping fields that say nothing to a reader.
QUIET_FIELDS = {"updated", "created", "import_fingerprints"}


def _labels(field_names: list[str], language: str) -> str:
    with translation.override(language):
        names = [str(Project._meta.get_field(name).verbose_name) for name in field_names]
    return ("、" if language.startswith("zh") else ", ").join(names)


def changed_fields(record) -> list[str]:
    """The fields a historical record changed against the version before it."""
    previous = record.prev_record
    if previous is None:
        return []
    delta = record.diff_against(previous, foreign_keys_are_objs=False)
    return sorted(
        change.field
        for change in delta.changes
        if change.field not in QUIET_FIELDS and change.field in _project_fields()
    )


def _project_fields() -> set[str]:
    return {f.name for f in Project._meta.get_fields() if getattr(f, "concrete", False)}


class CatalogChangesFeed(Feed):
    feed_type = Atom1Feed
    title = "AliAdvisor: 目录更新 / catalog changes"
    subtitle = "目录中条目的更新 / Changes to the entries of the catalog"

    def link(self) -> str:
        return reverse("catalog:list")

    def items(self):
        records = (
            Project.history.select_related(None)
            # Health signals read by refresh_health are not editorial changes.
            .exclude(history_change_reason=HEALTH_CHANGE_REASON)
            .order_by("-history_date", "-history_id")
        )
        # Versions of entries that still exist (a deleted entry's page is gone).
        live = records.exclude(history_type="-").filter(id__in=Project.objects.values("id"))
        return list(live[:FEED_SIZE])

    def item_title(self, item) -> str:
        if item.history_type == "+":
            return f"{item.name_zh or item.name}：新增条目 / {item.name}: entry added"
        fields = changed_fields(item)
        if not fields:
            return f"{item.name_zh or item.name}：已更新 / {item.name}: updated"
        return (
            f"{item.name_zh or item.name}：更新了{_labels(fields, 'zh-hans')} / "
            f"{item.name}: {_labels(fields, 'en')} changed"
        )

    def item_description(self, item) -> str:
        fields = changed_fields(item)
        if item.history_type == "+" or not fields:
            return f"{item.summary_zh}\n\n{item.summary_en}"
        lines = []
        for name in fields:
            value = getattr(item, name, "")
            shown = str(value)[:200] if value not in (None, "") else "—"
            lines.append(f"{_labels([name], 'zh-hans')} / {_labels([name], 'en')}: {shown}")
        return "\n".join(lines)

    def item_link(self, item) -> str:
        return reverse("catalog:detail", kwargs={"slug": item.slug})

    def item_guid(self, item) -> str:
        return f"aliadvisor:catalog-change:{item.history_id}"

    item_guid_is_permalink = False

    def item_pubdate(self, item):
        return item.history_date

    def item_updateddate(self, item):
        return item.history_date
