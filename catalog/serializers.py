"""Plain-dict shapes of the JSON API. These keys are public (documented in the README): keep them.

The functions expect their inputs prefetched (see ``catalog.api``); they never query per item.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder

from .models import Project, Stack


class SafeJSONEncoder(DjangoJSONEncoder):
    """JSON with ``<``, ``>`` and ``&`` written as ``\\u003c`` etc., so echoed user input can
    never be read as markup even if a client puts the body into a page (as ``json_script``)."""

    _ESCAPES = {ord("<"): "\\u003c", ord(">"): "\\u003e", ord("&"): "\\u0026"}

    def encode(self, o: Any) -> str:
        return super().encode(o).translate(self._ESCAPES)


def dumps(data: Any) -> str:
    return json.dumps(data, cls=SafeJSONEncoder, ensure_ascii=False)


def project_summary(project: Project, *, score: float | None = None) -> dict[str, Any]:
    """The list shape. Expects ``Project.objects.with_facets()``."""
    data: dict[str, Any] = {
        "slug": project.slug,
        "name": project.name,
        "name_zh": project.name_zh,
        "kind": project.kind,
        "category": project.category.slug,
        "org": project.org,
        "license": project.license,
        "maintenance": project.maintenance,
        "frameworks": [term.slug for term in project.frameworks.all()],
        "data_types": [term.slug for term in project.data_types.all()],
        "scales": [term.slug for term in project.scales.all()],
        "scenarios": [term.slug for term in project.scenarios.all()],
        "summary_zh": project.summary_zh,
        "summary_en": project.summary_en,
        "url": project.get_absolute_url(),
    }
    if score is not None:
        data["score"] = round(score, 6)
    return data


def sources_and_health(project: Project) -> dict[str, Any]:
    """``sources`` (where each fact was read, and when) and ``health`` (null when nothing is
    known; each value null where unknown). Expects ``sources`` prefetched."""
    release = (
        {
            "tag": project.last_release_tag,
            "date": project.last_release_date.isoformat() if project.last_release_date else None,
        }
        if project.last_release_tag or project.last_release_date
        else None
    )
    return {
        "sources": [
            {"fact": source.label, "url": source.href, "checked": source.checked.isoformat()}
            for source in project.sources_in_order()
        ],
        "health": {
            "last_commit": project.last_commit.isoformat() if project.last_commit else None,
            "last_release": release,
            "archived": project.archived,
            "stars": project.stars,
            "open_issues": project.open_issues,
            "checked": project.health_checked.isoformat() if project.health_checked else None,
        }
        if project.has_health
        else None,
    }


def project_detail(project: Project, *, similar: Sequence[str]) -> dict[str, Any]:
    """The whole entry. Expects ``links``, ``relations_out__target``, ``relations_in__source``,
    ``stack_memberships__stack`` and ``sources`` prefetched besides the facets."""
    data = project_summary(project)
    related = [
        {"slug": relation.target.slug, "relation": relation.type, "direction": "out"}
        for relation in project.relations_out.all()
    ] + [
        {"slug": relation.source.slug, "relation": relation.type, "direction": "in"}
        for relation in project.relations_in.all()
    ]
    data.update(
        {
            "description": project.description,
            "maintenance_note": project.maintenance_note,
            "last_release_year": project.last_release_year,
            "repo_url": project.repo_url,
            "homepage": project.homepage,
            "features_zh": list(project.features_zh),
            "features_en": list(project.features_en),
            "principles_zh": project.principles_zh,
            "principles_en": project.principles_en,
            "use_cases_zh": list(project.use_cases_zh),
            "use_cases_en": list(project.use_cases_en),
            "features": list(project.features),
            "principles": project.principles,
            "use_cases": list(project.use_cases),
            "links": [
                {"title": link.title, "url": link.url, "type": link.type}
                for link in project.links.all()
            ],
            "related": related,
            "successor": project.successor.slug if project.successor else None,
            "stacks": sorted(
                {membership.stack.slug for membership in project.stack_memberships.all()}
            ),
            "similar": list(similar),
            "updated": project.updated.isoformat(),
            **sources_and_health(project),
        }
    )
    return data


def stack_data(stack: Stack) -> dict[str, Any]:
    """Expects ``scenarios``, ``counterpart`` and ``members__project`` prefetched."""
    return {
        "slug": stack.slug,
        "name_zh": stack.name_zh,
        "name_en": stack.name_en,
        "description_zh": stack.description_zh,
        "description_en": stack.description_en,
        "scenarios": [term.slug for term in stack.scenarios.all()],
        "counterpart": stack.counterpart.slug if stack.counterpart else None,
        "featured": stack.featured,
        "members": [
            {
                "slug": member.project.slug,
                "role": member.role,
                "role_zh": member.role_zh,
                "role_en": member.role_en,
                "optional": member.optional,
                "choice_group": member.choice_group,
            }
            for member in stack.members.all()
        ],
    }
