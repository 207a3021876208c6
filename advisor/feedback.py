"""Feedback on advice: validation, the per-address rate limit, and recording.

Used by the JSON API (``POST /api/feedback/``) and the page's form (``/advisor/feedback/``);
both validate with ``parse_feedback`` and record with ``record_feedback``.
"""

from __future__ import annotations

import hashlib
import json
import time
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db.models import Case, Q, Value, When
from django.http import HttpRequest, QueryDict
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from catalog.models import Project, pick_language
from catalog.versioning import VersionedCache

from . import services
from .forms import AdviceForm
from .models import Feedback, Source
from .querylog import normalise_text, top_entries

MAX_BODY_BYTES = 16 * 1024
MAX_COMMENT = 1000
# Up to this many entries the page lists them to pick the expected one; beyond, it is typed.
PICK_LIST_MAX = 300
RATE_PERIOD_SECONDS = 3600

Errors = dict[str, list[str]]


@dataclass(frozen=True)
class FeedbackInput:
    params: dict[str, Any]  # the advise parameters, normalised as /api/advise/ echoes them
    form: AdviceForm  # valid
    helpful: bool
    expected: Project | None
    comment: str


# --- Validation ----------------------------------------------------------------------------


def _query_data(raw: dict[str, Any], errors: Errors) -> QueryDict:
    """The advise parameters of a JSON body as the API's query string would carry them."""
    data = QueryDict(mutable=True)
    for key, value in raw.items():
        if key not in AdviceForm.base_fields:
            continue  # unknown advise keys are ignored, as /api/advise/ does
        values = value if isinstance(value, list) else [value]
        if key != "data_type" and isinstance(value, list):
            errors.setdefault(f"query.{key}", []).append(_("Give one value, not a list."))
            continue
        converted = []
        for item in values:
            if isinstance(item, bool):
                converted.append("true" if item else "false")
            elif item is None:
                converted.append("")
            elif isinstance(item, str | int | float):
                converted.append(str(item))
            else:
                errors.setdefault(f"query.{key}", []).append(
                    _("Give a string, a number or a yes/no value.")
                )
                break
        else:
            data.setlist(key, converted)
    return data


def parse_feedback(*, body: bytes) -> tuple[FeedbackInput | None, Errors]:
    """The validated feedback, or None and the errors (keyed by field, ``query.<name>`` for
    the advise parameters)."""
    if len(body) > MAX_BODY_BYTES:
        return None, {"body": [_("The body is larger than 16 KB.")]}
    try:
        raw = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return None, {"body": [_("The body is not valid JSON.")]}
    if not isinstance(raw, dict):
        return None, {"body": [_("The body must be a JSON object.")]}
    return validate_feedback(raw=raw)


def validate_feedback(*, raw: dict[str, Any]) -> tuple[FeedbackInput | None, Errors]:
    errors: Errors = {}
    query = raw.get("query")
    form = None
    if not isinstance(query, dict):
        errors["query"] = [_("Give the advise parameters the advice was for, as an object.")]
    else:
        data = _query_data(query, errors)
        form = AdviceForm(data)
        if not form.is_valid():
            for field, messages in form.error_dict().items():
                errors.setdefault(f"query.{field}" if field != "__all__" else "query", []).extend(
                    messages
                )
        elif services.answers_from_form(form=form, language=get_language()).is_empty:
            errors["query"] = [_("The question is empty: there was no advice to judge.")]
    helpful = raw.get("helpful")
    if not isinstance(helpful, bool):
        errors["helpful"] = [_("Give true or false.")]
    expected = None
    slug = raw.get("expected")
    if slug not in (None, ""):
        if not isinstance(slug, str) or len(slug) > 100:
            errors["expected"] = [_("Give the slug of a catalog entry.")]
        else:
            expected = Project.objects.filter(slug=slug).first()
            if expected is None:
                errors["expected"] = [
                    _("No catalog entry has the slug %(slug)s.") % {"slug": slug[:100]}
                ]
    comment = raw.get("comment")
    if comment is None:
        comment = ""
    if not isinstance(comment, str):
        errors["comment"] = [_("Give the comment as text.")]
    elif len(comment) > MAX_COMMENT:
        errors["comment"] = [
            _("Keep the comment to %(max)d characters (it has %(count)d).")
            % {"max": MAX_COMMENT, "count": len(comment)}
        ]
    if errors or form is None:
        return None, errors
    answers = services.answers_from_form(form=form, language=get_language())
    params = services.normalised_query(answers=answers, limit=form.cleaned_data["limit"])
    return (
        FeedbackInput(
            params=params,
            form=form,
            helpful=helpful,
            expected=expected,
            comment=comment.strip(),
        ),
        {},
    )


# --- The page's form ---------------------------------------------------------------------


def form_context(*, query: QueryDict) -> dict[str, Any]:
    """What the advice page's feedback box needs: the question as hidden fields and the
    catalog's entries to pick the expected one from, as ``<option>`` HTML (one query: the
    catalog version). Beyond ``PICK_LIST_MAX`` entries there is no list (``feedback_entries``
    is None): the expected entry is typed, by name or slug (``resolve_entry``)."""
    pairs = [
        (name, value)
        for name in query
        if name in AdviceForm.base_fields
        for value in query.getlist(name)
    ]
    entries = _pick_list.get()
    if entries is None:
        return {"feedback_query": pairs, "feedback_entries": None}
    language = get_language()
    options = "".join(
        f'<option value="{escape(slug)}">{escape(pick_language(zh, name, language=language))}'
        "</option>"
        for slug, name, zh in entries
    )
    return {"feedback_query": pairs, "feedback_entries": mark_safe(options)}  # noqa: S308


def resolve_entry(text: str) -> str:
    """The slug of the entry ``text`` names: an entry's exact slug first, else its slug, name
    or Chinese name in any case; ``text`` itself when none does (validation then says so).
    One query."""
    wanted = text.strip()
    found = (
        Project.objects.filter(
            Q(slug__iexact=wanted) | Q(name__iexact=wanted) | Q(name_zh__iexact=wanted)
        )
        .order_by(Case(When(slug=wanted, then=Value(0)), default=Value(1)), "name", "slug")
        .values_list("slug", flat=True)
        .first()
    )
    return found or wanted


def _load_pick_list() -> tuple[tuple[str, str, str], ...] | None:
    """(slug, name, Chinese name) of every entry, by name, or None beyond ``PICK_LIST_MAX``
    entries: read once per catalog version, and written as options in Python (a template
    loop over hundreds of entries is slow)."""
    rows = tuple(
        Project.objects.order_by("name").values_list("slug", "name", "name_zh")[
            : PICK_LIST_MAX + 1
        ]
    )
    return None if len(rows) > PICK_LIST_MAX else rows


_pick_list: VersionedCache[tuple[tuple[str, str, str], ...] | None] = VersionedCache(
    _load_pick_list
)


# --- Recording -----------------------------------------------------------------------------


def record_feedback(*, data: FeedbackInput, source: Source) -> Feedback:
    """Store the feedback with the verdict and top entries the advice has now."""
    answers = services.answers_from_form(form=data.form, language=get_language())
    advice = services.advise(answers=answers, limit=data.form.cleaned_data["limit"])
    return Feedback.objects.create(
        query=data.params,
        text=normalise_text(answers.text),
        helpful=data.helpful,
        expected=data.expected,
        comment=data.comment,
        verdict=advice.verdict,
        top_entries=top_entries(advice),
        source=source,
    )


# --- Rate limit ----------------------------------------------------------------------------


def client_address(request: HttpRequest) -> str:
    """The client's address: the last X-Forwarded-For hop (the one our TLS proxy added) when
    DJANGO_BEHIND_TLS_PROXY is on, else REMOTE_ADDR (a client could forge the header)."""
    if getattr(settings, "BEHIND_TLS_PROXY", False):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
        if hops:
            return hops[-1]
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def rate_limit() -> int:
    return int(getattr(settings, "ADVISOR_FEEDBACK_RATE_PER_HOUR", 30))


def allow(*, request: HttpRequest, now: float | None = None) -> bool:
    """Count one feedback request for the client's address in the current hour; False when
    over the limit. The count lives in the shared cache under a hash of the address."""
    limit = rate_limit()
    if limit <= 0:
        return True
    hour = int(now if now is not None else time.time()) // RATE_PERIOD_SECONDS
    digest = hashlib.sha256(f"{client_address(request)}|{settings.SECRET_KEY}".encode()).hexdigest()
    key = f"advisor:feedback-rate:{digest[:32]}:{hour}"
    if cache.add(key, 1, timeout=RATE_PERIOD_SECONDS):
        return True
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=RATE_PERIOD_SECONDS)
        return True
    return count <= limit


def retry_after(*, now: float | None = None) -> int:
    """Seconds until the current hour's count is over."""
    current = int(now if now is not None else time.time())
    return RATE_PERIOD_SECONDS - current % RATE_PERIOD_SECONDS
