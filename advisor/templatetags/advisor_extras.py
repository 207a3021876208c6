"""Small presentation helpers for the advisor's templates."""

from __future__ import annotations

from django import template

from aliadvisor.parsing import parse_bool

register = template.Library()

# Characters that would start Markdown markup (or an HTML tag) inside one line of text.
MARKDOWN_SPECIAL = ("\\", "|", "*", "_", "`", "[", "]", "<", ">")


@register.inclusion_tag("advisor/_score.html")
def score_bar(percent: int, label: str, *, level: str = "") -> dict:
    """An accessible score bar: role="meter" with the value as visible text too."""
    percent = max(0, min(100, int(percent)))
    return {"percent": percent, "label": label, "level": level}


@register.filter
def field_id(field_name: str) -> str:
    """The anchor of a questionnaire field's wrapper (follow-up links point here)."""
    return f"field-{field_name}"


@register.filter
def is_on(value: object) -> bool:
    """Whether a bound checkbox value means "yes" (the forms' parsing, ``aliadvisor.parsing``)."""
    return parse_bool(value) is True


@register.filter
def md(text: object) -> str:
    """One line of user or catalog text, safe inside a Markdown list item or table cell:
    whitespace collapsed, markup characters backslash-escaped."""
    flat = " ".join(str(text if text is not None else "").split())
    for char in MARKDOWN_SPECIAL:
        flat = flat.replace(char, "\\" + char)
    return flat


@register.filter
def reason_mark(reason: object) -> str:
    """``✓ `` for a passed rule, ``✗ `` for a failed one, nothing for a plain note."""
    status = getattr(reason, "status", "note")
    return {"pass": "✓ ", "fail": "✗ "}.get(status, "")


@register.filter
def percent(value: object) -> str:
    """0.82 -> "82%"."""
    return f"{float(value):.0%}"
