"""Small template helpers for the catalog pages."""

from __future__ import annotations

from datetime import date
from urllib.parse import urlencode

from django import template
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from catalog import health
from catalog.diagrams import stack_diagrams
from catalog.models import Project
from catalog.queries import CountMeaning, Facet, FacetOption

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


@register.simple_tag
def facet_option_items(facet: Facet) -> SafeString:
    """The ``<li>`` of each of ``facet``'s options: a checkbox, its label and its count.

    Written in Python rather than as a template loop: the list page shows about a hundred
    options, and per-node template rendering was most of the page's time."""
    name = escape(facet.name)
    items = []
    for number, option in enumerate(facet.options, start=1):
        ident = f"f-{name}-{number}"
        hint = escape(count_hint(option))
        if_added = option.meaning == CountMeaning.IF_ADDED
        items.append(
            f'<li class="facet-option{" is-disabled" if option.disabled else ""}">'
            f'<input type="checkbox" id="{ident}" name="{name}" value="{escape(option.value)}"'
            f'{" checked" if option.selected else ""}{" disabled" if option.disabled else ""}>'
            f'<label for="{ident}"><span class="option-label">{escape(option.label)}</span> '
            f'<span class="count{" count-if-added" if if_added else ""}" title="{hint}" '
            f'aria-label="{hint}">{"+" if if_added else ""}{int(option.count)}</span></label></li>'
        )
    return mark_safe("\n".join(items))  # noqa: S308 - every interpolated text is escaped


@register.inclusion_tag("catalog/_stack_diagram.html")
def stack_diagram(members, title: str, ident: str) -> dict:
    """The wide and narrow SVG of a stack, from ``catalog.diagrams.DiagramMember`` items."""
    return {"diagrams": stack_diagrams(members=members, title=title, ident=ident)}


@register.filter
def ago(value: date | None) -> str:
    """"3 months ago" (days under a month, whole months under a year, then years)."""
    if value is None:
        return ""
    today = timezone.localdate()
    if value >= today:
        return _("today")
    months = health.months_between(value, today)
    if months == 0:
        days = (today - value).days
        return ngettext("%(count)d day ago", "%(count)d days ago", days) % {"count": days}
    if months < 12:
        return ngettext("%(count)d month ago", "%(count)d months ago", months) % {
            "count": months
        }
    years = months // 12
    return ngettext("%(count)d year ago", "%(count)d years ago", years) % {"count": years}


@register.filter
def compact_count(value: int | None) -> str:
    """1234 as "1.2k" (see ``catalog.health.compact_count``)."""
    return "" if value is None else health.compact_count(value)
