"""Small presentation helpers for the advisor's templates."""

from __future__ import annotations

from django import template

register = template.Library()


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
    """Whether a bound checkbox value means "yes" (mirrors the form's strict parsing)."""
    from advisor.forms import parse_bool

    return parse_bool(value) is True
