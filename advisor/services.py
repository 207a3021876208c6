"""Glue between the questionnaire and the engine.

- ``answers_from_form``: a valid ``AdviceForm`` -> engine ``Answers``;
- ``advise``: ``Answers`` -> ``Advice`` (the engine, built once per catalog version);
- ``advise_payload``: raw answers -> ``(status, body)``, what ``/api/advise/`` answers and
  ``manage.py advise --json`` prints (the body is ``schemas.AdviceOut``).

What the pages show is ``presentation``; the decision record and the command's text are
templates (``advisor/decision_record.md``, ``advisor/advice.txt``).
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import get_language, gettext_lazy

from catalog.models import pick_language

from .engine.types import Advice, Answers
from .forms import DEFAULT_LIMIT, AdviceForm, Deployment
from .schemas import AdviceOut

EMPTY_MESSAGE = gettext_lazy(
    "Tell the advisor about your need: describe your use case in a sentence, or pick a "
    "scenario, a framework, the data you work with or the scale. Every answer narrows the "
    "advice; one is enough to start."
)


def engine_language(code: str) -> str:
    """The engine's language ("en" or "zh") for a Django language code."""
    return pick_language("zh", "en", language=code or "zh-hans")


def answers_from_form(*, form: AdviceForm, language: str) -> Answers:
    """Answers from a valid form; ``language`` is a Django language code or "en"/"zh"."""
    data = form.cleaned_data
    return Answers(
        text=data.get("q") or "",
        scenario=data.get("scenario") or "",
        scale=data.get("scale") or "",
        framework=data.get("framework") or "",
        data_types=frozenset(data.get("data_type") or ()),
        deployment=data.get("deployment") or Deployment.ANY,
        maintained_only=bool(data.get("maintained_only")),
        open_source_only=bool(data.get("open_source_only")),
        language=engine_language(language),
    )


def advise(*, answers: Answers, limit: int = DEFAULT_LIMIT) -> Advice:
    from .catalog_source import get_engine

    return get_engine().advise(answers, limit=limit)


def advise_payload(*, data) -> tuple[int, dict[str, Any]]:
    """Validate answers (a QueryDict or dict) and advise, in the active language.

    Returns ``(status, body)``: 200 and the advice, or 400 and ``{"errors": {...}}``. The API
    and ``manage.py advise --json`` both call this, so they always agree.
    """
    form = AdviceForm(data)
    if not form.is_valid():
        return 400, {"errors": form.error_dict()}
    answers = answers_from_form(form=form, language=get_language())
    limit = form.cleaned_data["limit"]
    advice = None if answers.is_empty else advise(answers=answers, limit=limit)
    body = AdviceOut.build(
        answers=answers, advice=advice, limit=limit, empty_message=str(EMPTY_MESSAGE)
    )
    return 200, body.model_dump()
