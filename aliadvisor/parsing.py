"""Request parameters: the language, yes/no and one-value rules, and their messages.

The pages' forms (``catalog.filters``, ``advisor.forms``), the ``advise`` command and the JSON
API (``aliadvisor.api``, through the pydantic types at the end) all parse with these functions,
so a parameter means the same everywhere and its error reads the same in both languages.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Annotated, Any, Literal, get_args

import annotated_types
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from pydantic import BeforeValidator, Field
from pydantic_core import PydanticCustomError

# --- Language ------------------------------------------------------------------------------

# ``?lang=`` spellings (case and surrounding spaces do not matter) -> Django language code.
LanguageSpelling = Literal["en", "en-us", "zh", "zh-cn", "zh-hans"]
LANGUAGE_CODES: dict[str, str] = {
    "en": "en", "en-us": "en", "zh": "zh-hans", "zh-cn": "zh-hans", "zh-hans": "zh-hans",
}
assert set(LANGUAGE_CODES) == set(get_args(LanguageSpelling))


def language_message(value: object) -> str:
    return _("Unknown language “%(value)s”: use one of %(codes)s.") % {
        "value": str(value)[:20],
        "codes": ", ".join(sorted(LANGUAGE_CODES)),
    }


def language_code(value: str | None) -> str | None:
    """The Django language code for a ``lang`` value; None when blank; ValueError (with the
    message) when unknown."""
    text = normalise_language(value)
    if not text:
        return None
    code = LANGUAGE_CODES.get(text)
    if code is None:
        raise ValueError(language_message(text))
    return code


def normalise_language(value: object) -> str:
    return str(value if value is not None else "").strip().lower()


# --- Yes / no ------------------------------------------------------------------------------

TRUE_VALUES = frozenset({"1", "true", "on", "yes"})
FALSE_VALUES = frozenset({"", "0", "false", "off", "no"})


def boolean_message() -> str:
    return _("Use 1 or 0 (also true/false, on/off, yes/no).")


def parse_bool(value: object) -> bool | None:
    """True/False for the spellings a query string uses (absent is False); None otherwise."""
    if value is None or value is False:
        return False
    if value is True:
        return True
    text = str(value).strip().lower()
    if text in TRUE_VALUES:
        return True
    if text in FALSE_VALUES:
        return False
    return None


# --- One value -----------------------------------------------------------------------------


def one_value_message(count: int) -> str:
    return _("Give one value: %(count)d different values were given.") % {"count": count}


def distinct_values(
    values: Iterable[object], *, normalise: Callable[[object], str] = str
) -> list[str]:
    """The different values among ``values`` (in order), compared after ``normalise``."""
    return list(dict.fromkeys(normalise(value) for value in values))


def conflicting_values(
    *, data: object, name: str, normalise: Callable[[object], str] = str
) -> list[str]:
    """The distinct values of a parameter given more than once differently (else [])."""
    getlist = getattr(data, "getlist", None)
    if getlist is None:
        return []
    values = distinct_values(getlist(name), normalise=normalise)
    return values if len(values) > 1 else []


# --- Messages for the API's typed parameters -------------------------------------------------


def validation_message(error: dict[str, Any]) -> str:
    """One pydantic error as the same sentence the pages' forms write (Django's own wording,
    so its translations apply)."""
    kind = error.get("type", "")
    ctx = error.get("ctx") or {}
    if kind in {"one_value", "language", "boolean"}:
        return str(error.get("msg", ""))
    if kind == "string_too_long":
        limit = ctx.get("max_length", 0)
        shown = len(error["input"]) if isinstance(error.get("input"), str) else limit
        return ngettext(
            "Ensure this value has at most %(limit_value)d character (it has %(show_value)d).",
            "Ensure this value has at most %(limit_value)d characters (it has %(show_value)d).",
            limit,
        ) % {"limit_value": limit, "show_value": shown}
    if kind in {"int_parsing", "int_type", "int_from_float"}:
        return _("Enter a whole number.")
    if kind == "greater_than_equal":
        return _("Ensure this value is greater than or equal to %(limit_value)s.") % {
            "limit_value": ctx.get("ge")
        }
    if kind == "less_than_equal":
        return _("Ensure this value is less than or equal to %(limit_value)s.") % {
            "limit_value": ctx.get("le")
        }
    if kind == "literal_error":
        return _("Select a valid choice. %(value)s is not one of the available choices.") % {
            "value": str(error.get("input", ""))[:100]
        }
    if kind in {"string_type", "list_type"}:
        return _("Enter a valid value.")
    return str(error.get("msg", _("Enter a valid value.")))


# --- Pydantic types for the API's query schemas ----------------------------------------------
# A single-value parameter given more than once arrives as a list (``aliadvisor.api``'s
# parser); ``_one`` turns identical repeats into the value and differing ones into an error.


def _one(normalise: Callable[[object], str] = str) -> Callable[[Any], Any]:
    def validate(value: Any) -> Any:
        if isinstance(value, list):
            distinct = distinct_values(value, normalise=normalise)
            if len(distinct) > 1:
                raise PydanticCustomError("one_value", one_value_message(len(distinct)))
            value = value[-1] if value else None
        return value

    return validate


def _blank_is_none(value: Any) -> Any:
    return None if isinstance(value, str) and not value.strip() else value


def _language(value: Any) -> Any:
    text = normalise_language(value)
    if not text:
        return None
    if text not in LANGUAGE_CODES:
        raise PydanticCustomError("language", language_message(text))
    return text


def _boolean(value: Any) -> bool:
    parsed = parse_bool(value)
    if parsed is None:
        raise PydanticCustomError("boolean", boolean_message())
    return parsed


def _drop_blank(values: Any) -> Any:
    if isinstance(values, list):
        return list(dict.fromkeys(v for v in values if not (isinstance(v, str) and not v.strip())))
    return values


def _non_blank_language(value: Any) -> Any:
    if isinstance(value, list):  # a blank repeat is no second language
        value = [item for item in value if normalise_language(item)] or [""]
    return _language(_one(normalise_language)(value))


Language = Annotated[
    LanguageSpelling | None,
    BeforeValidator(_non_blank_language),
    Field(
        description="Answer in this language instead of Accept-Language: en or zh-hans "
        "(also zh, zh-cn, en-us; case-insensitive).",
    ),
]
Flag = Annotated[
    bool,
    BeforeValidator(lambda value: _boolean(_one()(value))),
    Field(description="1/0, true/false, on/off or yes/no; absent or empty means no."),
]


def one_of(*values: str) -> Any:
    """A single-value parameter restricted to ``values`` (blank means not given)."""
    return Annotated[
        Literal[values] | None,  # type: ignore[valid-type]
        BeforeValidator(lambda value: _blank_is_none(_one()(value))),
    ]


def text(*, max_length: int, normalise: Callable[[str], str] | None = None) -> Any:
    """Single-value free text of at most ``max_length`` characters (after ``normalise``)."""

    def prepare(value: Any) -> Any:
        value = _one()(value)
        if isinstance(value, str) and normalise is not None:
            value = normalise(value)
        return value

    return Annotated[str, BeforeValidator(prepare), Field(max_length=max_length)]


def whole_number(*, ge: int, le: int) -> Any:
    """A single-value whole number in ``ge..le`` (blank means not given). A run of digits
    longer than ``le`` has is over the bound (pydantic would refuse thousands of digits as
    "exceeded maximum size")."""

    def prepare(value: Any) -> Any:
        value = _blank_is_none(_one()(value))
        if isinstance(value, str):
            digits = value.strip().removeprefix("+")
            if digits.isascii() and digits.isdigit():
                significant = digits.lstrip("0") or "0"
                return le + 1 if len(significant) > len(str(le)) else significant
        return value

    bounded = Annotated[int, annotated_types.Ge(ge), annotated_types.Le(le)]
    return Annotated[bounded | None, BeforeValidator(prepare)]


def many(item: Any = str, *, max_length: int = 200) -> Any:
    """A repeatable parameter (values ORed); blank values and repeats are dropped."""
    if item is str:
        item = Annotated[str, Field(max_length=max_length)]
    return Annotated[list[item], BeforeValidator(_drop_blank)]  # type: ignore[valid-type]
