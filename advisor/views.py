"""The advisor's pages: the questionnaire and the decision record (the API is ``advisor.api``).

Answers and advice come from ``services``, what is shown from ``presentation``; views only
translate HTTP.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe
from django.views.decorators.vary import vary_on_headers

from aliadvisor.http import vary_on_language

from . import presentation, services
from .forms import AdviceForm

RESULTS_PARTIAL = "advisor/questionnaire.html#results"
FULL_PAGE = "advisor/questionnaire.html"

# The page and the record follow the active language (the django_language cookie or
# Accept-Language): each varies on both (``vary_on_language``).


def _is_answered(request: HttpRequest) -> bool:
    """Whether the query string holds any questionnaire field (else: a fresh, unbound form)."""
    return any(name in AdviceForm.base_fields for name in request.GET)


@require_safe
@vary_on_language
@vary_on_headers("HX-Request")  # the same URL answers a partial to htmx, a full page otherwise
def questionnaire(request: HttpRequest) -> HttpResponse:
    form = AdviceForm(request.GET if _is_answered(request) else None)
    context: dict = {"form": form, "presentation": None, "message": None}
    if form.is_bound and form.is_valid():
        answers = services.answers_from_form(form=form, language=get_language())
        if answers.is_empty:
            context["message"] = services.EMPTY_MESSAGE
        else:
            limit = form.cleaned_data["limit"]
            advice = services.advise(answers=answers, limit=limit)
            context["presentation"] = presentation.present_advice(
                advice=advice, vocabularies=form.vocabularies, limit=limit
            )
            query = request.GET.urlencode()
            context["record_url"] = f"{reverse('advisor:decision-record')}?{query}"
    elif not form.is_bound:
        context["message"] = services.EMPTY_MESSAGE
        context["fresh"] = True

    htmx = getattr(request, "htmx", None)
    partial = bool(htmx) and not htmx.history_restore_request
    return render(request, RESULTS_PARTIAL if partial else FULL_PAGE, context)


def _errors_as_text(errors: dict[str, list[str]]) -> str:
    lines = []
    for field, messages in errors.items():
        for message in messages:
            lines.append(f"- {field}: {message}" if field != "__all__" else f"- {message}")
    return "\n".join(lines)


@require_safe
@vary_on_language
def decision_record(request: HttpRequest) -> HttpResponse:
    form = AdviceForm(request.GET)
    if not form.is_valid():
        body = _("These answers cannot be recorded:") + "\n" + _errors_as_text(form.error_dict())
        return HttpResponse(body + "\n", status=400, content_type="text/plain; charset=utf-8")
    answers = services.answers_from_form(form=form, language=get_language())
    if answers.is_empty:
        body = _("There is nothing to record yet.") + " " + str(services.EMPTY_MESSAGE)
        return HttpResponse(body + "\n", status=400, content_type="text/plain; charset=utf-8")
    limit = form.cleaned_data["limit"]
    advice = services.advise(answers=answers, limit=limit)
    shown = presentation.present_advice(
        advice=advice, vocabularies=form.vocabularies, limit=limit
    )
    markdown = presentation.decision_record(
        presentation=shown,
        date=timezone.localdate(),
        base_url=f"{request.scheme}://{request.get_host()}",
        permalink=f"{reverse('advisor:questionnaire')}?{request.GET.urlencode()}",
    )
    response = HttpResponse(markdown, content_type="text/markdown; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="aliadvisor-decision-record.md"'
    return response
