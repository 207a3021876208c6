"""Small template helpers for the catalog pages."""

from __future__ import annotations

import html
from collections.abc import Container, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from urllib.parse import urlencode

from django import template
from django.template.defaultfilters import floatformat
from django.utils import dateformat, timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from catalog import health
from catalog.diagrams import NeighbourhoodDiagram, NeighbourNode, stack_diagrams
from catalog.models import Kind, Maintenance, Project, pick_language
from catalog.queries import CountMeaning, Facet, FacetOption

register = template.Library()

_escape = html.escape  # Django's ``escape`` without its lazy-string wrapper: the same text


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
    return _count_hint(option.meaning, int(option.count), get_language())


@lru_cache(maxsize=2048)
def _count_hint(meaning: CountMeaning, count: int, language: str | None) -> str:
    # ``language`` keys the cache: the text is translated for the active language.
    if meaning == CountMeaning.IF_ADDED:
        text = ngettext(
            "Ticking it too adds %(count)d entry",
            "Ticking it too adds %(count)d entries",
            count,
        )
    elif meaning == CountMeaning.WITH_VALUE:
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
    name = _escape(facet.name)
    language = get_language()
    items = []
    for number, option in enumerate(facet.options, start=1):
        ident = f"f-{name}-{number}"
        hint = _escape(_count_hint(option.meaning, int(option.count), language))
        if_added = option.meaning == CountMeaning.IF_ADDED
        items.append(
            f'<li class="facet-option{" is-disabled" if option.disabled else ""}">'
            f'<input type="checkbox" id="{ident}" name="{name}" value="{_escape(option.value)}"'
            f"{' checked' if option.selected else ''}{' disabled' if option.disabled else ''}>"
            f'<label for="{ident}"><span class="option-label">{_escape(str(option.label))}</span> '
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
    """ "3 months ago" (days under a month, whole months under a year, then years)."""
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
        return ngettext("%(count)d month ago", "%(count)d months ago", months) % {"count": months}
    years = months // 12
    return ngettext("%(count)d year ago", "%(count)d years ago", years) % {"count": years}


@register.filter
def compact_count(value: int | None) -> str:
    """1234 as "1.2k" (see ``catalog.health.compact_count``)."""
    return "" if value is None else health.compact_count(value)


# --- Cards ---------------------------------------------------------------------------------
# Written in Python like ``facet_option_items``: a list page shows a dozen cards (a landscape
# hundreds of tiles), and rendering each one node by node was a third of the list page's time.
# The labels are translated once per page, not once per card.


@dataclass(frozen=True)
class _Labels:
    language: str
    compare: str
    frameworks: str
    archived: str
    last_commit: str
    stars: str
    kinds: dict[str, str]
    maintenance: dict[str, str]

    @classmethod
    def active(cls) -> _Labels:
        return cls(
            language=get_language() or "zh-hans",
            compare=_("Compare"),
            frameworks=_("Frameworks"),
            archived=_("Archived"),
            last_commit=_("Last commit"),
            stars=_("GitHub stars"),
            kinds={value: str(label) for value, label in Kind.choices},
            maintenance={value: str(label) for value, label in Maintenance.choices},
        )


def _maintenance_badge(project: Project, labels: _Labels) -> str:
    label = labels.maintenance.get(project.maintenance, project.maintenance)
    return (
        f'<span class="badge badge-{_escape(project.maintenance)}"><span aria-hidden="true" '
        f'class="badge-dot"></span>{_escape(label)}</span>'
    )


def _health_glance(project: Project, labels: _Labels) -> str:
    if not (project.last_commit or project.stars or project.archived):
        return ""
    parts = ['<span class="health-glance small">']
    if project.archived:
        parts.append(f'<span class="badge badge-unmaintained">{_escape(labels.archived)}</span> ')
    if project.last_commit:
        title = f"{labels.last_commit} {dateformat.format(project.last_commit, 'Y-m-d')}"
        text = _("last commit %(ago)s") % {"ago": ago(project.last_commit)}
        parts.append(f'<span class="health-commit" title="{_escape(title)}">{_escape(text)}</span>')
    if project.stars:
        parts.append(
            f' <span class="health-stars"><span aria-hidden="true">★</span> <span '
            f'class="visually-hidden">{_escape(labels.stars)}:</span>'
            f"{_escape(health.compact_count(project.stars))}</span>"
        )
    parts.append("</span>")
    return "".join(parts)


def _truncated(text: str, length: int) -> str:
    # Truncator counts characters without combining marks: never more than len(text).
    return text if len(text) <= length else Truncator(text).chars(length)


def _result_card(project: Project, *, selected: bool, labels: _Labels) -> str:
    language = labels.language
    display = pick_language(project.name_zh, project.name, language=language)
    other = project.name_zh if language.lower().startswith("en") else project.name
    other = "" if other == display else other
    name, slug = _escape(display), _escape(project.slug)
    category = project.category
    category_name = (
        _escape(pick_language(category.name_zh, category.name_en, language=language))
        if category
        else ""
    )
    summary = pick_language(project.summary_zh, project.summary_en, language=language)
    parts = [
        '<li class="card result-card"><div class="result-top"><h2 class="result-title">'
        f'<a href="{_escape(project.get_absolute_url())}">{name}</a>',
        f' <span class="other-name">{_escape(other)}</span>' if other else "",
        '</h2><div class="compare-toggle">'
        f'<input type="checkbox" id="cmp-{slug}" name="p" value="{slug}" form="compare-form"'
        f'{" checked" if selected else ""}><label for="cmp-{slug}">{_escape(labels.compare)}'
        f'<span class="visually-hidden"> {name}</span></label></div></div>'
        '<p class="badges"><span class="badge badge-kind">'
        f"{_escape(labels.kinds.get(project.kind, project.kind))}</span> "
        f"{_maintenance_badge(project, labels)} "
        f'<span class="muted small">{category_name} · {_escape(project.org)}</span> '
        f"{_health_glance(project, labels)}</p>"
        f'<p class="result-summary">{_escape(_truncated(summary, 220))}</p>',
    ]
    frameworks = getattr(project, "card_frameworks", None)
    if frameworks:
        chips = "".join(
            '<li><span class="chip chip-muted">'
            f"{_escape(pick_language(term.name_zh, term.name_en, language=language))}</span></li>"
            for term in frameworks
        )
        label = _escape(labels.frameworks)
        parts.append(f'<ul class="chips small" aria-label="{label}">{chips}</ul>')
    parts.append("</li>")
    return "".join(parts)


@register.simple_tag(takes_context=True)
def result_cards(
    context, projects: Iterable[Project], compare_selected: Container[str]
) -> SafeString:
    """Each search result as a card: name, compare checkbox, badges, summary and frameworks.
    Expects ``category`` loaded and ``card_frameworks`` set (``catalog.queries``)."""
    labels = _page_labels(context)
    return mark_safe(  # noqa: S308 - every interpolated text is escaped
        "\n".join(
            _result_card(project, selected=project.slug in compare_selected, labels=labels)
            for project in projects
        )
    )


def _page_labels(context) -> _Labels:
    """The labels, translated once per page render."""
    labels = context.render_context.get(_Labels)
    if labels is None or labels.language != (get_language() or "zh-hans"):
        labels = context.render_context[_Labels] = _Labels.active()
    return labels


@register.simple_tag(takes_context=True)
def maintenance_badge(context, project: Project) -> SafeString:
    """The entry's maintenance status as a coloured badge."""
    return mark_safe(_maintenance_badge(project, _page_labels(context)))  # noqa: S308 - escaped


@register.simple_tag(takes_context=True)
def health_glance(context, project: Project) -> SafeString:
    """Archived, the last commit's age and the stars, when the entry has any of them."""
    return mark_safe(_health_glance(project, _page_labels(context)))  # noqa: S308 - escaped


# --- Neighbourhood picture -----------------------------------------------------------------
# In Python for the same reason as the cards: an entry with many relations has dozens of
# nodes, each a dozen attributes.

_EDGE = 'stroke="#8993a4" stroke-width="1.3"'


def _neighbour_edge(node: NeighbourNode, *, narrow: bool) -> str:
    dashed = ' stroke-dasharray="5 3"' if node.neighbour.kind == "stack" else ""
    if narrow:
        return (
            f'<polyline points="{node.x1},{node.y1} {node.x1},{node.y2} {node.x2},{node.y2}" '
            f'fill="none" {_EDGE}{dashed}/>'
        )
    return f'<line x1="{node.x1}" y1="{node.y1}" x2="{node.x2}" y2="{node.y2}" {_EDGE}{dashed}/>'


def _neighbour_node(node: NeighbourNode) -> str:
    item = node.neighbour
    stack = item.kind == "stack"
    if stack:
        fill = "#eef2f8"
    elif item.maintenance == Maintenance.UNMAINTAINED:
        fill = "#fff6f5"
    else:
        fill = "#ffffff"
    stroke = {Maintenance.UNMAINTAINED: "#b42318", Maintenance.LOW_ACTIVITY: "#a15c00"}.get(
        item.maintenance, "#8993a4"
    )
    dashed = (
        ' stroke-dasharray="4 2"' if item.maintenance != Maintenance.ACTIVE and not stack else ""
    )
    # ``int(...) + n``: what the template's ``add`` filter gave.
    return (
        f'<a href="{_escape(item.url)}" class="diagram-link"><title>{_escape(str(item.label))}: '
        f"{_escape(item.name)}</title>"
        f'<rect x="{node.x}" y="{node.y}" width="{node.width}" height="34" '
        f'rx="{17 if stack else 8}" fill="{fill}" stroke="{stroke}"{dashed}/>'
        f'<text x="{int(node.x) + 8}" y="{int(node.y) + 22}" font-size="13" font-weight="600" '
        f'fill="#1d2330">{_escape(node.name)}</text></a>'
        f'<text x="{node.label_x}" y="{node.label_y}" font-size="11" '
        f'text-anchor="{_escape(node.anchor)}" fill="#4a5365">{_escape(str(node.label))}</text>'
    )


@register.simple_tag
def neighbourhood_svg(diagrams: Sequence[NeighbourhoodDiagram]) -> SafeString:
    """The wide and narrow SVG of an entry's neighbourhood (``catalog.diagrams``)."""
    out = ['<div class="diagram neighbourhood">']
    for d in diagrams:
        height = floatformat(d.height, 0)
        narrow = d.variant == "narrow"
        out.append(
            f'<svg class="diagram-{_escape(d.variant)}" xmlns="http://www.w3.org/2000/svg" '
            f'viewBox="0 0 {d.width} {height}" width="{d.width}" height="{height}" role="group" '
            f'aria-labelledby="{_escape(d.id)}-title" aria-describedby="{_escape(d.id)}-desc" '
            "font-family=\"system-ui, 'Noto Sans CJK SC', 'PingFang SC', sans-serif\">"
            f'<title id="{_escape(d.id)}-title">{_escape(str(d.title))}</title>'
            f'<desc id="{_escape(d.id)}-desc">{_escape(str(d.desc))}</desc>'
        )
        out.extend(_neighbour_edge(node, narrow=narrow) for node in d.nodes)
        out.append(
            f'<rect x="{d.center_x}" y="{d.center_y}" width="{d.center_width}" height="34" '
            'rx="8" fill="#fff4eb" stroke="#c85200" stroke-width="2.5"/>'
            f'<text x="{int(d.center_x) + 10}" y="{int(d.center_y) + 22}" font-size="14" '
            f'font-weight="700" fill="#1d2330">{_escape(d.center_name)}</text>'
        )
        out.extend(_neighbour_node(node) for node in d.nodes)
        out.append("</svg>")
    out.append("</div>")
    return mark_safe("".join(out))  # noqa: S308 - every interpolated text is escaped
