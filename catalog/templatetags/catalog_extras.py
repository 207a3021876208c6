"""Small template helpers for the catalog pages."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

from django import template
from django.utils.timesince import timesince
from django.utils.translation import get_language, ngettext

from catalog.diagrams import stack_diagrams
from catalog.models import Project
from catalog.queries import CountMeaning, FacetOption

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


@register.simple_tag
def count_hint(option: FacetOption) -> str:
    """What a facet option's number means, for its tooltip and screen readers."""
    count = option.count
    if option.meaning == CountMeaning.IF_ADDED:
        text = ngettext(
            "Ticking it too adds %(count)d entry",
            "Ticking it too adds %(count)d entries",
            count,
        )
    elif option.meaning == CountMeaning.WITH_VALUE:
        text = ngettext(
            "%(count)d of the results has this value",
            "%(count)d of the results have this value",
            count,
        )
    else:
        text = ngettext("%(count)d entry", "%(count)d entries", count)
    return text % {"count": count}


@register.filter
def age(value: dt.date | dt.datetime | None) -> str:
    """How long ago, in its largest unit ("3 months"), in the active language."""
    if not value:
        return ""
    if not isinstance(value, dt.datetime):
        value = dt.datetime.combine(value, dt.time(), tzinfo=dt.UTC)
    return timesince(value, depth=1)


@register.filter
def compact_number(value: int | None) -> str:
    """12345 -> "12.3k": a count at a glance (the exact figure is on the detail page)."""
    if value is None or value == "":
        return ""
    number = int(value)
    if number >= 1_000_000:
        return f"{number / 1_000_000:.1f}M".replace(".0M", "M")
    if number >= 1000:
        return f"{number / 1000:.1f}k".replace(".0k", "k")
    return str(number)


@register.inclusion_tag("catalog/_stack_diagram.html")
def stack_diagram(members, title: str, ident: str) -> dict:
    """The wide and narrow SVG of a stack, from ``catalog.diagrams.DiagramMember`` items."""
    return {"diagrams": stack_diagrams(members=members, title=title, ident=ident)}
