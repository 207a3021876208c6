"""Small template helpers for the catalog pages."""

from __future__ import annotations

from urllib.parse import urlencode

from django import template
from django.utils.translation import get_language

from catalog.models import Project

register = template.Library()


@register.filter
def other_name(project: Project) -> str:
    """The entry's name in the language that is not active, when it differs."""
    english = (get_language() or "").lower().startswith("en")
    other = project.name_zh if english else project.name
    return "" if other == project.display_name else other


@register.simple_tag
def page_href(querystring: str, number: int) -> str:
    """``?<filters>&page=N``: a pagination link that keeps the filters (page 1 drops ``page``)."""
    parts = [querystring] if querystring else []
    if number != 1:
        parts.append(urlencode({"page": number}))
    return "?" + "&".join(parts) if parts else "?"


@register.filter
def in_list(value: str, values: list[str]) -> bool:
    return value in values
