"""The advisor's API: /api/advise/ (parameters and answer typed in ``advisor.schemas``)."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Query, Status

from aliadvisor.api import ErrorsOut, MethodNotAllowedOut, Router

from . import services
from .schemas import AdviceOut, AdviceQuery

router = Router(tags=["advisor"])


@router.get(
    "advise/",
    response={200: AdviceOut, 400: ErrorsOut, 405: MethodNotAllowedOut},
    url_name="advise",
    summary="Recommended stacks and projects for the questionnaire's answers",
    description=(
        "No answers: 200 with a helpful `message` and empty lists. `follow_up` is set when "
        "confidence is low. Names, roles and reasons are in the request's language."
    ),
)
def advise(request: HttpRequest, params: Query[AdviceQuery]):
    # The form checks the vocabulary slugs (the catalog's, editable in the admin).
    return Status(*services.advise_payload(data=request.GET))
