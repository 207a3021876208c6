"""Downloads: the catalog list with its current filters (CSV, JSON) and a comparison (CSV).

Cells that a spreadsheet would run as a formula (starting with =, +, -, @, tab or CR) are
prefixed with an apostrophe, so an exported file can be opened safely.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from typing import Any

from django.utils.translation import gettext as _

from .models import Project
from .presentation import Comparison

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def csv_text(rows: Iterable[Sequence[Any]]) -> str:
    """CSV with a UTF-8 byte-order mark, so spreadsheet programs read Chinese correctly."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    for row in rows:
        writer.writerow([safe_cell(value) for value in row])
    return "\ufeff" + buffer.getvalue()


def _terms(terms) -> list[str]:
    return [term.slug for term in terms.all()]


def project_record(project: Project, *, base_url: str) -> dict[str, Any]:
    """One entry of an export (expects ``with_facets()``)."""
    return {
        "slug": project.slug,
        "name": project.name,
        "name_zh": project.name_zh,
        "kind": project.kind,
        "category": project.category.slug,
        "org": project.org,
        "license": project.license,
        "maintenance": project.maintenance,
        "last_release_year": project.last_release_year,
        "frameworks": _terms(project.frameworks),
        "data_types": _terms(project.data_types),
        "scales": _terms(project.scales),
        "scenarios": _terms(project.scenarios),
        "repo_url": project.repo_url,
        "homepage": project.homepage,
        "summary_zh": project.summary_zh,
        "summary_en": project.summary_en,
        "url": base_url + project.get_absolute_url(),
    }


LIST_FIELDS = (
    "slug", "name", "name_zh", "kind", "category", "org", "license", "maintenance",
    "last_release_year", "frameworks", "data_types", "scales", "scenarios", "repo_url",
    "homepage", "summary_zh", "summary_en", "url",
)


def list_csv(*, projects: Sequence[Project], base_url: str) -> str:
    rows: list[Sequence[Any]] = [LIST_FIELDS]
    for project in projects:
        record = project_record(project, base_url=base_url)
        rows.append(
            [
                "; ".join(value) if isinstance(value, list) else value
                for value in (record[name] for name in LIST_FIELDS)
            ]
        )
    return csv_text(rows)


def list_json(*, projects: Sequence[Project], base_url: str, filters: str) -> dict[str, Any]:
    return {
        "count": len(projects),
        "filters": filters,
        "results": [project_record(project, base_url=base_url) for project in projects],
    }


def comparison_csv(*, comparison: Comparison) -> str:
    rows: list[Sequence[Any]] = [
        [_("Entry"), *[project.display_name for project in comparison.projects]],
        [_("Slug"), *[project.slug for project in comparison.projects]],
    ]
    for row in comparison.rows:
        rows.append([row.label, *["; ".join(text for text, _url in cell) for cell in row.cells]])
    return csv_text(rows)
