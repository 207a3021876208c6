"""The advisor's API: /api/advise/ (parameters and answer typed in ``advisor.schemas``)."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Query, Status

from aliadvisor.api import ErrorsOut, MethodNotAllowedOut, Router, json_response

from . import querylog, services
from .models import Source
from .schemas import AdviceOut, AdviceQuery

router = Router(tags=["advisor"])


@router.get(
    "advise/",
    response={200: AdviceOut, 400: ErrorsOut, 405: MethodNotAllowedOut},
    url_name="advise",
    summary="Recommended stacks and projects for the questionnaire's answers",
    description=(
        "No answers: 200 with a helpful `message` and empty lists. `verdict`: fit, unsure "
        "(with `follow_up`) or no-fit (empty lists; the closest entries in `nearest`). Names, "
        "roles and reasons are in the request's language. A GET is logged as a question asked "
        "(no address or agent)."
    ),
)
def advise(request: HttpRequest, params: Query[AdviceQuery]):
    # The form checks the vocabulary slugs (the catalog's, editable in the admin).
    status, payload = services.advise_payload(data=request.GET)
    if status != 200:
        return Status(status, payload)
    if request.method == "GET":  # not HEAD: nobody reads that advice
        querylog.log_payload(payload=payload, source=Source.API)
    # Built as an ``AdviceOut`` already: answered as is, not validated a second time.
    return json_response(payload)
