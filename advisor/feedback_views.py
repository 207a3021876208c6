"""Feedback endpoints: ``POST /api/feedback/`` (JSON, for any client) and ``/advisor/feedback/``
(the advice page's form: htmx or a plain POST, CSRF-checked). The logic is in ``feedback``."""

from __future__ import annotations

import json
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from . import feedback
from .models import Source

FEEDBACK_PARTIAL = "advisor/_feedback.html#feedback-box"
FEEDBACK_PAGE = "advisor/feedback_done.html"


def _json(data: Any, *, status: int) -> HttpResponse:
    body = json.dumps(data, ensure_ascii=False)
    for char, escaped in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026")):
        body = body.replace(char, escaped)
    return HttpResponse(body, status=status, content_type="application/json; charset=utf-8")


def _too_many() -> dict[str, Any]:
    return {
        "errors": {
            "rate": [
                _("Too much feedback from your address: %(limit)d an hour. Try again later.")
                % {"limit": feedback.rate_limit()}
            ]
        }
    }


def _read_body(request: HttpRequest) -> bytes | None:
    """The body, or None when it is over the limit (refused from Content-Length when given)."""
    try:
        declared = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        declared = 0
    if declared > feedback.MAX_BODY_BYTES:
        return None
    body = request.read(feedback.MAX_BODY_BYTES + 1)
    return None if len(body) > feedback.MAX_BODY_BYTES else body


@csrf_exempt  # a JSON API without a session: nothing for a cross-site request to ride on
def api_feedback(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        response = _json({"error": _("Method not allowed"), "allowed": ["POST"]}, status=405)
        response["Allow"] = "POST"
        return response
    if not feedback.allow(request=request):
        response = _json(_too_many(), status=429)
        response["Retry-After"] = str(feedback.retry_after())
        return response
    body = _read_body(request)
    if body is None:
        return _json({"errors": {"body": [_("The body is larger than 16 KB.")]}}, status=400)
    data, errors = feedback.parse_feedback(body=body)
    if data is None:
        return _json({"errors": errors}, status=400)
    record = feedback.record_feedback(data=data, source=Source.API)
    return _json({"id": record.pk}, status=201)


def _form_raw(request: HttpRequest) -> dict[str, Any]:
    """The page form's fields as the JSON API's body."""
    post = request.POST
    query: dict[str, Any] = {}
    for key in post:
        if key.startswith("query-"):
            name = key.removeprefix("query-")
            values = post.getlist(key)
            query[name] = values if name == "data_type" else values[-1]
    helpful_raw = post.get("helpful", "")
    helpful = {"yes": True, "no": False}.get(helpful_raw)
    return {
        "query": query,
        "helpful": helpful if helpful is not None else helpful_raw,
        "expected": feedback.resolve_entry(post["expected"]) if post.get("expected") else None,
        "comment": post.get("comment", ""),
    }


def _query_of(request: HttpRequest) -> QueryDict:
    query = QueryDict(mutable=True)
    for key in request.POST:
        if key.startswith("query-"):
            query.setlist(key.removeprefix("query-"), request.POST.getlist(key))
    return query


@require_POST
def page_feedback(request: HttpRequest) -> HttpResponse:
    """The advice page's feedback form; CSRF-checked like every page form."""
    htmx = bool(getattr(request, "htmx", False))
    template = FEEDBACK_PARTIAL if htmx else FEEDBACK_PAGE
    raw = _form_raw(request)
    back = reverse("advisor:questionnaire")
    context: dict[str, Any] = {
        "back_url": back,
        "feedback_form_errors": None,
        "query_retention_days": settings.ADVISOR_QUERY_RETENTION_DAYS,
        # Shown again in the form when it comes back with an error: nothing typed is lost.
        "feedback_expected": request.POST.get("expected", "")[:200],
        "feedback_comment": request.POST.get("comment", "")[: feedback.MAX_COMMENT],
    }
    if not feedback.allow(request=request):
        context["feedback_form_errors"] = _too_many()["errors"]
        context.update(feedback.form_context(query=_query_of(request)))
        return render(request, template, context, status=200 if htmx else 429)
    data, errors = feedback.validate_feedback(raw=raw)
    if data is None:
        context["feedback_form_errors"] = errors
        context.update(feedback.form_context(query=_query_of(request)))
        # htmx swaps 2xx only: the box shows the errors in place.
        return render(request, template, context, status=200 if htmx else 400)
    feedback.record_feedback(data=data, source=Source.PAGE)
    context["feedback_done"] = True
    query = _query_of(request)
    context["back_url"] = f"{back}?{query.urlencode()}" if query else back
    return render(request, template, context)
